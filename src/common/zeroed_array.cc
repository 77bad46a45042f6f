#include "common/zeroed_array.h"

#include <sys/mman.h>

#include <cstdint>

namespace tstat::zeroed_pages {

void* map(size_t bytes, size_t& mapped) {
    // Whole huge pages, aligned: map one more and trim both ends.
    const size_t want = mapped_bytes(bytes);
    void* raw = ::mmap(nullptr, want + kHugePageBytes, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (raw == MAP_FAILED) throw std::bad_alloc();
    auto* base = static_cast<char*>(raw);
    const auto addr = reinterpret_cast<uintptr_t>(base);
    const size_t head = (kHugePageBytes - addr % kHugePageBytes) % kHugePageBytes;
    if (head > 0) ::munmap(base, head);
    const size_t tail = kHugePageBytes - head;
    if (tail > 0) ::munmap(base + head + want, tail);
    char* aligned = base + head;
#ifdef MADV_HUGEPAGE
    ::madvise(aligned, want, MADV_HUGEPAGE);   // a hint: without it the pages are 4 KB
#endif
    mapped = want;
    return aligned;
}

void unmap(void* p, size_t mapped) { ::munmap(p, mapped); }

}  // namespace tstat::zeroed_pages
