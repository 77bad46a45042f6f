// Large arrays the packet path hits at random (histogram bins, the address table, per-flow
// histogram tallies): mapped straight from the kernel, so they start zeroed without a pass
// over them, and in 2 MB pages where the kernel offers them (transparent huge pages on
// request): a few page faults instead of thousands, and TLB entries that cover them.
// T must be trivially copyable, with all-zero bytes as its initial value.
#pragma once

#include <cstddef>
#include <cstring>
#include <new>
#include <type_traits>
#include <utility>

namespace tstat {

namespace zeroed_pages {
// `bytes` rounded up to whole huge pages, zeroed and aligned; throws std::bad_alloc.
void* map(size_t bytes, size_t& mapped);
void unmap(void* p, size_t mapped);
inline constexpr size_t kHugePageBytes = size_t{2} << 20;
// What map() maps for `bytes`: whole huge pages.
constexpr size_t mapped_bytes(size_t bytes) {
    return (bytes + kHugePageBytes - 1) / kHugePageBytes * kHugePageBytes;
}
}  // namespace zeroed_pages

template <class T>
class ZeroedArray {
    static_assert(std::is_trivially_copyable_v<T>);

public:
    ZeroedArray() = default;
    ~ZeroedArray() { release(); }
    ZeroedArray(const ZeroedArray&) = delete;
    ZeroedArray& operator=(const ZeroedArray&) = delete;
    ZeroedArray(ZeroedArray&& o) noexcept { swap(o); }
    ZeroedArray& operator=(ZeroedArray&& o) noexcept {
        if (this != &o) {
            release();
            swap(o);
        }
        return *this;
    }

    // `n` zeroed elements (the previous ones are gone).
    void reset(size_t n) {
        release();
        if (n == 0) return;
        data_ = static_cast<T*>(zeroed_pages::map(n * sizeof(T), mapped_));
        size_ = n;
    }
    // `n` elements, the first ones kept, the new ones zeroed.
    void resize(size_t n) {
        if (n * sizeof(T) <= mapped_) {
            if (n > size_)
                std::memset(static_cast<void*>(data_ + size_), 0, (n - size_) * sizeof(T));
            size_ = n;
            return;
        }
        ZeroedArray bigger;
        bigger.reset(n);
        if (size_ > 0) std::memcpy(static_cast<void*>(bigger.data_), data_, size_ * sizeof(T));
        swap(bigger);
    }
    void zero() {
        if (size_ > 0) std::memset(static_cast<void*>(data_), 0, size_ * sizeof(T));
    }

    T* data() { return data_; }
    const T* data() const { return data_; }
    size_t size() const { return size_; }
    bool empty() const { return size_ == 0; }
    T& operator[](size_t i) { return data_[i]; }
    const T& operator[](size_t i) const { return data_[i]; }
    T* begin() { return data_; }
    T* end() { return data_ + size_; }
    const T* begin() const { return data_; }
    const T* end() const { return data_ + size_; }

    void swap(ZeroedArray& o) noexcept {
        std::swap(data_, o.data_);
        std::swap(size_, o.size_);
        std::swap(mapped_, o.mapped_);
    }

private:
    void release() {
        if (data_ != nullptr) zeroed_pages::unmap(data_, mapped_);
        data_ = nullptr;
        size_ = 0;
        mapped_ = 0;
    }

    T* data_ = nullptr;
    size_t size_ = 0;
    size_t mapped_ = 0;   // bytes mapped at data_
};

}  // namespace tstat
