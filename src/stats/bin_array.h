// The bins of a histogram set: millions of int64 counters (every port histogram on is 9 MB)
// hit at random by the packets. Mapped straight from the kernel, so they start zeroed without
// a pass over them, and in 2 MB pages where the kernel offers them (transparent huge pages on
// request): a few page faults instead of thousands, and TLB entries that cover them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>

namespace tstat::stats {

class BinArray {
public:
    BinArray() = default;
    ~BinArray() { release(); }
    BinArray(const BinArray&) = delete;
    BinArray& operator=(const BinArray&) = delete;
    BinArray(BinArray&& o) noexcept { swap(o); }
    BinArray& operator=(BinArray&& o) noexcept {
        if (this != &o) {
            release();
            swap(o);
        }
        return *this;
    }

    // `n` zeroed bins (the previous ones are gone). Throws std::bad_alloc.
    void reset(size_t n);
    void zero();

    int64_t* data() { return data_; }
    const int64_t* data() const { return data_; }
    size_t size() const { return size_; }
    bool empty() const { return size_ == 0; }
    int64_t& operator[](size_t i) { return data_[i]; }
    int64_t operator[](size_t i) const { return data_[i]; }

    void swap(BinArray& o) noexcept {
        std::swap(data_, o.data_);
        std::swap(size_, o.size_);
        std::swap(mapped_, o.mapped_);
    }

private:
    void release();

    int64_t* data_ = nullptr;
    size_t size_ = 0;
    size_t mapped_ = 0;   // bytes mapped at data_
};

}  // namespace tstat::stats
