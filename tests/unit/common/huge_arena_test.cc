// huge_arena: chunks carved from shared 2 MB regions, zeroed and aligned, tails filled first
// fit; a region goes back to the kernel once all its chunks came back.
#include <gtest/gtest.h>
#include <sys/mman.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <new>
#include <thread>
#include <vector>

#include "common/huge_arena.h"

namespace tstat {
namespace {

bool mapped(const void* p) {
    auto page = reinterpret_cast<uintptr_t>(p) & ~uintptr_t{4095};
    return ::msync(reinterpret_cast<void*>(page), 4096, MS_ASYNC) == 0 || errno != ENOMEM;
}

TEST(HugeArena, ChunksAreZeroedAlignedAndDisjoint) {
    std::vector<char*> chunks;
    for (size_t bytes : {100u, 4096u, 70000u, 1u, 300000u}) {
        auto* p = static_cast<char*>(huge_arena::take(bytes));
        EXPECT_EQ(reinterpret_cast<uintptr_t>(p) % huge_arena::kAlign, 0u);
        for (size_t i = 0; i < bytes; ++i) ASSERT_EQ(p[i], 0) << bytes << " " << i;
        std::memset(p, 0x5a, bytes);
        chunks.push_back(p);
    }
    // Each write stayed in its chunk: the next chunk's first byte is still ours to check.
    for (size_t i = 0; i + 1 < chunks.size(); ++i) EXPECT_NE(chunks[i], chunks[i + 1]);
    for (char* p : chunks) huge_arena::give_back(p);
}

TEST(HugeArena, ARegionIsUnmappedWhenAllItsChunksCameBack) {
    if (!huge_arena::carves_regions()) GTEST_SKIP() << "AddressSanitizer: heap blocks";
    const size_t big = huge_arena::kRegionBytes / 2 + 4096;   // one per region
    void* a = huge_arena::take(big);
    void* b = huge_arena::take(big);
    ASSERT_NE(reinterpret_cast<uintptr_t>(a) / huge_arena::kRegionBytes,
              reinterpret_cast<uintptr_t>(b) / huge_arena::kRegionBytes);
    // A smaller chunk fills the tail of a region already there.
    void* small = huge_arena::take(huge_arena::kRegionBytes / 4);
    const auto region = [](void* p) {
        return reinterpret_cast<uintptr_t>(p) / huge_arena::kRegionBytes;
    };
    EXPECT_TRUE(region(small) == region(a) || region(small) == region(b));
    void* with_small = region(small) == region(a) ? a : b;
    void* alone = with_small == a ? b : a;
    huge_arena::give_back(alone);
    EXPECT_FALSE(mapped(alone));
    huge_arena::give_back(with_small);
    EXPECT_TRUE(mapped(small));   // its region still holds `small`
    huge_arena::give_back(small);
    EXPECT_FALSE(mapped(small));
    void* c = huge_arena::take(64);   // a fresh region
    EXPECT_TRUE(mapped(c));
    huge_arena::give_back(c);
}

TEST(HugeArena, RefusesMoreThanARegion) {
    EXPECT_THROW(huge_arena::take(huge_arena::kRegionBytes + 1), std::bad_alloc);
}

TEST(HugeArena, ThreadsTakeAndGiveBackTogether) {
    auto work = [] {
        for (int i = 0; i < 2000; ++i) {
            auto* p = static_cast<uint64_t*>(huge_arena::take(4096));
            ASSERT_EQ(p[0] | p[511], 0u);
            p[0] = p[511] = 1;
            huge_arena::give_back(p);
        }
    };
    std::thread t1(work), t2(work);
    t1.join();
    t2.join();
}

}  // namespace
}  // namespace tstat
