// Tstat keeps flows in a circular array of Max_TCP_Pairs / Max_UDP_Pairs slots and its
// garbage collector walks that array in slices (spec §6.1, §6.3). Which flows a GC pass
// looks at, and therefore when an idle flow really times out, depends on the slot a flow got.
// SlotRing reproduces that allocation exactly so our timeouts fire on the same packets.
//
// Slot ix belongs to GC slice ix % slices. The arrays are stored slice by slice, so the slots
// one GC pass visits are contiguous in memory.
#pragma once

#include <algorithm>
#include <cstdint>
#include <limits>
#include <vector>

#include "common/huge_page_allocator.h"
#include "flow/pool.h"

namespace tstat::flow {

class SlotRing {
public:
    // `cursor` is Tstat's initial "last allocated" index: 0 for TCP (first flow in slot 1),
    // -1 for UDP (first flow in slot 0). A `growable` ring grows by half instead of refusing a flow
    // when all `probe_depth` probed slots are taken (Tstat drops the flow; spec §6.3).
    // `size` must be a multiple of `slices` (Tstat's own rule for GC_Split_Ratio).
    SlotRing(uint32_t size, uint32_t slices, int64_t cursor, uint32_t probe_depth, bool growable)
        : size_(size),
          slices_(slices),
          per_slice_(size / slices),
          handles_(size, kNil),
          deadlines_(size, 0),
          slice_min_(slices, kNever),
          cursor_(cursor),
          probe_depth_(probe_depth),
          growable_(growable) {}

    // Emulates NewTTP_2 / NewUTP: returns the slot or kNil when the table is full.
    uint32_t allocate(uint32_t handle) {
        const int64_t n = size_;
        const int64_t old = cursor_;
        int64_t cur = (cursor_ + 1) % n;
        uint32_t steps = 0;
        while (cur != old && at(static_cast<uint32_t>(cur)) != kNil && steps < probe_depth_) {
            ++steps;
            cur = (cur + 1) % n;
        }
        if (at(static_cast<uint32_t>(cur)) != kNil) {
            if (!growable_) {
                cursor_ = cur;
                return kNil;
            }
            cur = n;  // the first slot of the new part
            grow();
        }
        cursor_ = cur;
        handles_[phys(static_cast<uint32_t>(cur))] = handle;
        return static_cast<uint32_t>(cur);
    }
    void release(uint32_t slot) { handles_[phys(slot)] = kNil; }
    uint32_t at(uint32_t slot) const { return handles_[phys(slot)]; }
    uint32_t size() const { return size_; }
    uint32_t slices() const { return slices_; }
    size_t memory_bytes() const {
        return handles_.capacity() * sizeof(uint32_t) + deadlines_.capacity() * sizeof(uint32_t);
    }

    // Each flow's timeout instant (last packet + the timeout that applies to it) next to its
    // slot, so a GC pass skips flows without touching their records. Only its second is kept
    // (4 bytes a slot instead of 8): a lower bound, which the caller makes exact.
    void set_deadline(uint32_t slot, int64_t us) {
        const uint32_t s = bound_s(us);
        deadlines_[phys(slot)] = s;
        uint32_t& m = slice_min_[slot % slices_];
        if (s < m) m = s;
    }
    uint32_t deadline_bound_s(uint32_t slot) const { return deadlines_[phys(slot)]; }

    // Calls f(slot, handle) for every taken slot of slice `slice` (slots slice, slice+slices,
    // ... in order) whose flow may have expired at `now_us`: its deadline's second has come.
    // f checks the exact deadline and may release the slot it is given. A slice whose
    // earliest bound has not come is skipped without a look; that bound only ever errs low
    // (deadlines move later), and is made exact again by each scan.
    template <class F>
    void due_in_slice(uint32_t slice, int64_t now_us, F&& f) {
        const uint32_t now_s = now_bound_s(now_us);
        if (now_s < slice_min_[slice]) return;
        const size_t base = size_t{slice} * per_slice_;
        uint32_t next_min = kNever;
        for (uint32_t k = 0; k < per_slice_; ++k) {
            const uint32_t h = handles_[base + k];
            if (h == kNil) continue;
            if (now_s >= deadlines_[base + k]) {
                f(slice + k * slices_, h);
                if (handles_[base + k] == kNil) continue;
            }
            if (deadlines_[base + k] < next_min) next_min = deadlines_[base + k];
        }
        slice_min_[slice] = next_min;
    }

private:
    size_t phys(uint32_t slot) const {
        return size_t{slot % slices_} * per_slice_ + slot / slices_;
    }
    void grow() {
        Words old_handles;
        Words old_deadlines;
        old_handles.swap(handles_);
        old_deadlines.swap(deadlines_);
        const uint32_t old_size = size_;
        const uint32_t old_per = per_slice_;
        // By half (doubling left a quarter of a large ring empty on average), rounded up to
        // whole GC slices.
        const uint64_t step = std::max<uint64_t>(size_ / 2, slices_);
        const uint64_t grown = uint64_t{size_} + step + slices_ - 1;
        size_ = static_cast<uint32_t>(grown / slices_ * slices_);
        per_slice_ = size_ / slices_;
        handles_.assign(size_, kNil);
        deadlines_.assign(size_, 0);
        for (uint32_t slot = 0; slot < old_size; ++slot) {
            const size_t from = size_t{slot % slices_} * old_per + slot / slices_;
            handles_[phys(slot)] = old_handles[from];
            deadlines_[phys(slot)] = old_deadlines[from];
        }
    }

    static constexpr uint32_t kNever = std::numeric_limits<uint32_t>::max();
    static constexpr int64_t kSecond = 1000000;

    // Seconds since the epoch, rounded down. An instant outside 1970..2106 becomes 0, a bound
    // that is always due (the caller's exact check decides).
    static uint32_t bound_s(int64_t us) {
        if (us < 0 || us / kSecond > int64_t{kNever} - 1) return 0;
        return static_cast<uint32_t>(us / kSecond);
    }
    // "Now" rounded down and kept in range, so that now > deadline implies
    // now_bound_s(now) >= bound_s(deadline).
    static uint32_t now_bound_s(int64_t us) {
        if (us < 0) return 0;
        if (us / kSecond >= int64_t{kNever}) return kNever - 1;
        return static_cast<uint32_t>(us / kSecond);
    }

    uint32_t size_;
    uint32_t slices_;
    uint32_t per_slice_;
    // Hit at each packet of a flow (its deadline), at random: huge pages once large.
    using Words = std::vector<uint32_t, HugePageAllocator<uint32_t>>;
    Words handles_;
    Words deadlines_;  // bound_s() of each flow's deadline
    std::vector<uint32_t> slice_min_;  // lower bound of the deadlines in each slice
    int64_t cursor_;
    uint32_t probe_depth_;
    bool growable_;
};

}  // namespace tstat::flow
