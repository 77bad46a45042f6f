#include "common/huge_arena.h"

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <new>
#include <unordered_map>
#include <vector>

#include "common/zeroed_array.h"

namespace tstat::huge_arena {

#if defined(__SANITIZE_ADDRESS__)
#define TSTAT_ARENA_ON_HEAP 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TSTAT_ARENA_ON_HEAP 1
#endif
#endif

#ifdef TSTAT_ARENA_ON_HEAP
// Under AddressSanitizer each chunk is a heap block of its own, so that the sanitizer sees its
// bounds (a chunk carved from a region would not be checked).
void* take(size_t bytes) {
    bytes = (bytes + kAlign - 1) / kAlign * kAlign;
    if (bytes > kRegionBytes) throw std::bad_alloc();
    void* p = std::aligned_alloc(kAlign, bytes);
    if (p == nullptr) throw std::bad_alloc();
    return std::memset(p, 0, bytes);
}

void give_back(void* p) noexcept { std::free(p); }

bool carves_regions() { return false; }
#else
namespace {
struct Region {
    size_t used = 0;     // bytes carved from its start
    size_t chunks = 0;   // chunks not given back
};

struct Arena {
    std::mutex mu;
    std::unordered_map<uintptr_t, Region> regions;   // by base address
    // Regions with room left, first fit: a chunk too large for one region's tail starts a
    // new region, and a smaller chunk of another pool fills the tail later (a huge page is
    // resident whole, so an unused tail would be memory lost).
    std::vector<uintptr_t> open;
};

Arena& arena() {
    static Arena* a = new Arena;   // never destroyed: pools may outlive static destructors
    return *a;
}

constexpr size_t kSmallestTail = 4096;   // below it a region leaves the open list
}  // namespace

void* take(size_t bytes) {
    bytes = (bytes + kAlign - 1) / kAlign * kAlign;
    if (bytes > kRegionBytes) throw std::bad_alloc();
    Arena& a = arena();
    std::lock_guard lock(a.mu);
    uintptr_t base = 0;
    for (uintptr_t r : a.open) {
        if (kRegionBytes - a.regions[r].used >= bytes) {
            base = r;
            break;
        }
    }
    if (base == 0) {
        size_t mapped = 0;
        base = reinterpret_cast<uintptr_t>(zeroed_pages::map(kRegionBytes, mapped));
        a.regions.emplace(base, Region{});
        a.open.push_back(base);
    }
    Region& r = a.regions[base];
    void* p = reinterpret_cast<void*>(base + r.used);
    r.used += bytes;
    ++r.chunks;
    if (kRegionBytes - r.used < kSmallestTail) std::erase(a.open, base);
    return p;
}

void give_back(void* p) noexcept {
    if (p == nullptr) return;
    Arena& a = arena();
    std::lock_guard lock(a.mu);
    const uintptr_t base = reinterpret_cast<uintptr_t>(p) & ~uintptr_t{kRegionBytes - 1};
    auto it = a.regions.find(base);
    if (it == a.regions.end() || it->second.chunks == 0) return;   // not ours: a caller's bug
    if (--it->second.chunks > 0) return;
    // Nothing left in it: its tail is not worth a resident huge page.
    a.regions.erase(it);
    std::erase(a.open, base);
    zeroed_pages::unmap(reinterpret_cast<void*>(base), kRegionBytes);
}

bool carves_regions() { return true; }
#endif

}  // namespace tstat::huge_arena
