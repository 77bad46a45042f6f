#include "common/huge_arena.h"

#include <cstdint>
#include <mutex>
#include <new>
#include <unordered_map>

#include "common/zeroed_array.h"

namespace tstat::huge_arena {

namespace {
struct Arena {
    std::mutex mu;
    std::unordered_map<uintptr_t, size_t> chunks;   // region base -> chunks not given back
    char* next = nullptr;                           // the region being carved
    size_t left = 0;
    uintptr_t current = 0;
};

Arena& arena() {
    static Arena* a = new Arena;   // never destroyed: pools may outlive static destructors
    return *a;
}

uintptr_t region_of(const void* p) {
    return reinterpret_cast<uintptr_t>(p) & ~uintptr_t{kRegionBytes - 1};
}
}  // namespace

void* take(size_t bytes) {
    bytes = (bytes + kAlign - 1) / kAlign * kAlign;
    if (bytes > kRegionBytes) throw std::bad_alloc();
    Arena& a = arena();
    std::lock_guard lock(a.mu);
    if (a.left < bytes) {
        size_t mapped = 0;
        char* base = static_cast<char*>(zeroed_pages::map(kRegionBytes, mapped));
        const uintptr_t old = a.current;
        a.current = reinterpret_cast<uintptr_t>(base);
        a.chunks[a.current] = 0;
        a.next = base;
        a.left = kRegionBytes;
        // The region left behind goes once it holds nothing.
        if (old != 0 && a.chunks[old] == 0) {
            a.chunks.erase(old);
            zeroed_pages::unmap(reinterpret_cast<void*>(old), kRegionBytes);
        }
    }
    void* p = a.next;
    a.next += bytes;
    a.left -= bytes;
    ++a.chunks[a.current];
    return p;
}

void give_back(void* p) noexcept {
    if (p == nullptr) return;
    Arena& a = arena();
    std::lock_guard lock(a.mu);
    const uintptr_t r = region_of(p);
    auto it = a.chunks.find(r);
    if (it == a.chunks.end() || it->second == 0) return;   // not ours: a caller's bug
    if (--it->second == 0 && r != a.current) {
        a.chunks.erase(it);
        zeroed_pages::unmap(reinterpret_cast<void*>(r), kRegionBytes);
    }
}

}  // namespace tstat::huge_arena
