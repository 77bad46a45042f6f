// Tstat keeps flows in a circular array of Max_TCP_Pairs / Max_UDP_Pairs slots and its
// garbage collector walks that array in slices (spec §6.1, §6.3). Which flows a GC pass
// looks at, and therefore when an idle flow really times out, depends on the slot a flow got.
// SlotRing reproduces that allocation exactly so our timeouts fire on the same packets.
#pragma once

#include <cstdint>
#include <vector>

#include "flow/pool.h"

namespace tstat::flow {

class SlotRing {
public:
    // `cursor` is Tstat's initial "last allocated" index: 0 for TCP (first flow in slot 1),
    // -1 for UDP (first flow in slot 0). A `growable` ring doubles instead of refusing a flow
    // when all `probe_depth` probed slots are taken (Tstat drops the flow; spec §6.3).
    SlotRing(uint32_t size, int64_t cursor, uint32_t probe_depth, bool growable)
        : slots_(size, kNil), cursor_(cursor), probe_depth_(probe_depth), growable_(growable) {}

    // Emulates NewTTP_2 / NewUTP: returns the slot or kNil when the table is full.
    uint32_t allocate(uint32_t handle) {
        const int64_t n = static_cast<int64_t>(slots_.size());
        const int64_t old = cursor_;
        int64_t cur = (cursor_ + 1) % n;
        uint32_t steps = 0;
        while (cur != old && slots_[static_cast<size_t>(cur)] != kNil && steps < probe_depth_) {
            ++steps;
            cur = (cur + 1) % n;
        }
        if (slots_[static_cast<size_t>(cur)] != kNil) {
            if (!growable_) {
                cursor_ = cur;
                return kNil;
            }
            cur = n;  // the first slot of the new half
            slots_.resize(slots_.size() * 2, kNil);
        }
        cursor_ = cur;
        slots_[static_cast<size_t>(cur)] = handle;
        return static_cast<uint32_t>(cur);
    }
    void release(uint32_t slot) { slots_[slot] = kNil; }
    uint32_t at(uint32_t slot) const { return slots_[slot]; }
    uint32_t size() const { return static_cast<uint32_t>(slots_.size()); }
    size_t memory_bytes() const { return slots_.capacity() * sizeof(uint32_t); }

private:
    std::vector<uint32_t> slots_;
    int64_t cursor_;
    uint32_t probe_depth_;
    bool growable_;
};

}  // namespace tstat::flow
