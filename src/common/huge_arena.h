// Chunks of the object pools (flow/pool.h) carved from shared 2 MB regions mapped in huge
// pages: the per-flow records are hit at random, and in 4 KB pages nearly every hit is also a
// TLB miss whose page walk can cost more than the cache miss itself (on virtual machines
// above all, where a walk is two-dimensional). Pools share the regions, so a dozen small
// pools hold one huge page between them, not one each.
//
// Thread-safe (a mutex per chunk taken or given back, which is rare). Chunks go to the first
// region with room for them, so tails left by large chunks fill with smaller ones; a region is
// unmapped when every chunk carved from it was given back.
#pragma once

#include <cstddef>

#include "common/zeroed_array.h"

namespace tstat::huge_arena {

inline constexpr size_t kRegionBytes = zeroed_pages::kHugePageBytes;   // one huge page
inline constexpr size_t kAlign = 64;

// Zeroed, 64-byte aligned memory for `bytes` (at most kRegionBytes); throws std::bad_alloc.
void* take(size_t bytes);
// Returns memory take() gave.
void give_back(void* p) noexcept;
// False under AddressSanitizer, where each chunk is a heap block the sanitizer checks.
bool carves_regions();

}  // namespace tstat::huge_arena
