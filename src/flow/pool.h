// Chunked object pool with stable addresses and 32-bit handles: flows and TCP segments live
// here, so the per-packet path reuses freed entries instead of allocating. Freed entries of a
// trivially copyable type hold the free list themselves (no side vector: 4 bytes less per
// entry, which counts with millions of flows).
//
// The chunks come from huge pages shared by all pools (common/huge_arena.h).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <type_traits>
#include <vector>

#include "common/huge_arena.h"

namespace tstat::flow {

inline constexpr uint32_t kNil = 0xffffffffu;

template <class T, uint32_t kChunkBits = 12>
class Pool {
public:
    static constexpr uint32_t kChunkSize = 1u << kChunkBits;

    Pool() = default;
    Pool(const Pool&) = delete;
    Pool& operator=(const Pool&) = delete;
    ~Pool() { release_all(); }

    // Returns the handle of a value-initialised T.
    uint32_t alloc() {
        uint32_t h;
        if (has_free()) {
            h = pop_free();
            get(h) = T{};
        } else {
            if (size_ % kChunkSize == 0) add_chunk();
            h = size_++;
        }
        ++live_;
        return h;
    }
    void release(uint32_t h) {
        if constexpr (kIntrusive) {
            std::memcpy(static_cast<void*>(&get(h)), &free_head_, sizeof free_head_);
            free_head_ = h;
        } else {
            free_.push_back(h);
        }
        --live_;
    }
    T& get(uint32_t h) { return chunks_[h >> kChunkBits][h & (kChunkSize - 1)]; }
    const T& get(uint32_t h) const { return chunks_[h >> kChunkBits][h & (kChunkSize - 1)]; }
    T& operator[](uint32_t h) { return get(h); }
    const T& operator[](uint32_t h) const { return get(h); }

    uint32_t live() const { return live_; }
    uint32_t capacity() const { return size_; }
    size_t memory_bytes() const {
        return chunks_.size() * kChunkSize * sizeof(T) + free_.capacity() * sizeof(uint32_t);
    }

private:
    static constexpr bool kIntrusive =
        std::is_trivially_copyable_v<T> && sizeof(T) >= sizeof(uint32_t);

    bool has_free() const {
        if constexpr (kIntrusive) return free_head_ != kNil;
        else return !free_.empty();
    }
    uint32_t pop_free() {
        if constexpr (kIntrusive) {
            const uint32_t h = free_head_;
            std::memcpy(&free_head_, static_cast<const void*>(&get(h)), sizeof free_head_);
            return h;
        } else {
            const uint32_t h = free_.back();
            free_.pop_back();
            return h;
        }
    }

    static constexpr size_t kChunkBytes = size_t{kChunkSize} * sizeof(T);
    static_assert(kChunkBytes <= huge_arena::kRegionBytes && alignof(T) <= huge_arena::kAlign);

    void add_chunk() {
        chunks_.reserve(chunks_.size() + 1);
        T* chunk = static_cast<T*>(huge_arena::take(kChunkBytes));
        std::uninitialized_value_construct_n(chunk, kChunkSize);
        chunks_.push_back(chunk);
    }
    void release_all() noexcept {
        for (T* chunk : chunks_) {
            std::destroy_n(chunk, kChunkSize);
            huge_arena::give_back(chunk);
        }
    }

    std::vector<T*> chunks_;       // kChunkSize entries each, all constructed
    std::vector<uint32_t> free_;   // freed handles, for types that cannot hold the list
    uint32_t free_head_ = kNil;    // intrusive list head, for those that can
    uint32_t size_ = 0;
    uint32_t live_ = 0;
};

}  // namespace tstat::flow
