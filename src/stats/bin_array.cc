#include "stats/bin_array.h"

#include <sys/mman.h>

#include <cstring>
#include <new>

namespace tstat::stats {

namespace {
constexpr size_t kHugePage = size_t{2} << 20;
}

void BinArray::reset(size_t n) {
    release();
    if (n == 0) return;
    const size_t bytes = n * sizeof(int64_t);
    // Whole huge pages, aligned: map one more and trim both ends.
    const size_t want = (bytes + kHugePage - 1) / kHugePage * kHugePage;
    void* raw = ::mmap(nullptr, want + kHugePage, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (raw == MAP_FAILED) throw std::bad_alloc();
    auto* base = static_cast<char*>(raw);
    const auto addr = reinterpret_cast<uintptr_t>(base);
    const size_t head = (kHugePage - addr % kHugePage) % kHugePage;
    if (head > 0) ::munmap(base, head);
    const size_t tail = kHugePage - head;
    if (tail > 0) ::munmap(base + head + want, tail);
    char* aligned = base + head;
#ifdef MADV_HUGEPAGE
    ::madvise(aligned, want, MADV_HUGEPAGE);   // a hint: without it the pages are 4 KB
#endif
    data_ = reinterpret_cast<int64_t*>(aligned);
    size_ = n;
    mapped_ = want;
}

void BinArray::zero() {
    if (size_ > 0) std::memset(data_, 0, size_ * sizeof(int64_t));
}

void BinArray::release() {
    if (data_ != nullptr) ::munmap(data_, mapped_);
    data_ = nullptr;
    size_ = 0;
    mapped_ = 0;
}

}  // namespace tstat::stats
