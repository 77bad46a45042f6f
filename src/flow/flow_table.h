// Open-addressing (linear probing) index from a flow hash to a pool handle. Each bucket keeps
// the hash's high 32 bits: they give the home bucket (for erase and rehash) and, beyond the
// bits that pick the bucket, reject most mismatches without touching the flow record.
// 8 bytes a bucket: a table holds millions.
#pragma once

#include <cstdint>
#include <vector>

#include "common/huge_page_allocator.h"
#include "flow/pool.h"

namespace tstat::flow {

class FlowTable {
public:
    explicit FlowTable(uint32_t initial_buckets = 1024) { rehash(round_up(initial_buckets)); }

    // Calls `same(handle)` for candidate buckets; returns the handle or kNil.
    template <class Same>
    uint32_t find(uint64_t hash, Same&& same) const {
        const uint32_t home = static_cast<uint32_t>(hash >> 32);
        for (uint32_t i = home & mask_;; i = (i + 1) & mask_) {
            const Bucket& b = buckets_[i];
            if (b.handle == kNil) return kNil;
            if (b.home == home && same(b.handle)) return b.handle;
        }
    }

    void insert(uint64_t hash, uint32_t handle) {
        if ((count_ + 1) * 4 > (mask_ + 1) * 3) rehash((mask_ + 1) * 2);
        place(static_cast<uint32_t>(hash >> 32), handle);
        ++count_;
    }

    // Removes `handle` (inserted with `hash`); backward-shift keeps probe chains intact.
    void erase(uint64_t hash, uint32_t handle) {
        uint32_t i = static_cast<uint32_t>(hash >> 32) & mask_;
        while (buckets_[i].handle != handle) {
            if (buckets_[i].handle == kNil) return;
            i = (i + 1) & mask_;
        }
        uint32_t hole = i;
        for (uint32_t j = (i + 1) & mask_; buckets_[j].handle != kNil; j = (j + 1) & mask_) {
            const uint32_t home = buckets_[j].home & mask_;
            // Move j into the hole unless its home lies cyclically in (hole, j].
            const bool stays = (hole <= j) ? (hole < home && home <= j) : (hole < home || home <= j);
            if (!stays) {
                buckets_[hole] = buckets_[j];
                hole = j;
            }
        }
        buckets_[hole] = Bucket{};
        --count_;
    }

    uint32_t size() const { return count_; }
    size_t memory_bytes() const { return buckets_.capacity() * sizeof(Bucket); }

private:
    struct Bucket {
        uint32_t handle = kNil;
        uint32_t home = 0;  // high hash bits
    };

    static uint32_t round_up(uint32_t n) {
        uint32_t p = 16;
        while (p < n) p <<= 1;
        return p;
    }
    void place(uint32_t home, uint32_t handle) {
        uint32_t i = home & mask_;
        while (buckets_[i].handle != kNil) i = (i + 1) & mask_;
        buckets_[i] = Bucket{handle, home};
    }
    void rehash(uint32_t n) {
        Buckets old;
        old.swap(buckets_);
        buckets_.assign(n, Bucket{});
        mask_ = n - 1;
        for (const Bucket& b : old)
            if (b.handle != kNil) place(b.home, b.handle);
    }

    using Buckets = std::vector<Bucket, HugePageAllocator<Bucket>>;
    Buckets buckets_;
    uint32_t mask_ = 0;
    uint32_t count_ = 0;
};

}  // namespace tstat::flow
