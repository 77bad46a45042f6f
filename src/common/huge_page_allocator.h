// An allocator for the large vectors the packet path hits at random (the flow index, the
// timeout ring): from 2 MB up they are mapped in 2 MB pages (zeroed_array.h), where in 4 KB
// pages nearly every lookup would also miss the TLB. Smaller ones come from the heap.
#pragma once

#include <cstddef>
#include <memory>

#include "common/zeroed_array.h"

namespace tstat {

template <class T>
struct HugePageAllocator {
    using value_type = T;
    static constexpr size_t kMinBytes = zeroed_pages::kHugePageBytes;

    HugePageAllocator() = default;
    template <class U>
    HugePageAllocator(const HugePageAllocator<U>&) noexcept {}

    T* allocate(size_t n) {
        if (n * sizeof(T) < kMinBytes) return std::allocator<T>{}.allocate(n);
        size_t mapped = 0;
        return static_cast<T*>(zeroed_pages::map(n * sizeof(T), mapped));
    }
    void deallocate(T* p, size_t n) noexcept {
        if (n * sizeof(T) < kMinBytes) return std::allocator<T>{}.deallocate(p, n);
        zeroed_pages::unmap(p, zeroed_pages::mapped_bytes(n * sizeof(T)));
    }
    template <class U>
    bool operator==(const HugePageAllocator<U>&) const noexcept { return true; }
};

}  // namespace tstat
