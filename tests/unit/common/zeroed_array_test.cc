// ZeroedArray: kernel-zeroed memory in whole 2 MB pages; resize() keeps what was there and
// zeroes what is new, also inside the pages already mapped.
#include <gtest/gtest.h>

#include <cstdint>

#include "common/zeroed_array.h"

namespace tstat {
namespace {

struct alignas(64) Wide {
    uint64_t a;
    uint32_t b;
};

TEST(ZeroedArray, StartsZeroAndResizeKeepsTheFirstElements) {
    ZeroedArray<Wide> z;
    EXPECT_TRUE(z.empty());
    z.reset(1000);
    ASSERT_EQ(z.size(), 1000u);
    for (const Wide& w : z) ASSERT_EQ(w.a + w.b, 0u);
    for (size_t i = 0; i < z.size(); ++i) z[i] = Wide{i + 1, 7};
    // Within the pages already mapped, then past them (a new mapping, copied).
    z.resize(1500);
    z.resize(100000);   // 6.4 MB: past the first mapping
    ASSERT_EQ(z.size(), 100000u);
    for (size_t i = 0; i < 1000; ++i) ASSERT_EQ(z[i].a, i + 1);
    for (size_t i = 1000; i < z.size(); ++i) ASSERT_EQ(z[i].a + z[i].b, 0u) << i;
    EXPECT_EQ(reinterpret_cast<uintptr_t>(z.data()) % alignof(Wide), 0u);
    z.zero();
    EXPECT_EQ(z[0].a, 0u);
}

TEST(ZeroedArray, ShrinkingThenGrowingAgainGivesZeros) {
    ZeroedArray<uint64_t> z;
    z.reset(512);
    for (uint64_t& v : z) v = 9;
    z.resize(10);    // the rest stays mapped
    z.resize(512);   // and comes back zero, not 9
    EXPECT_EQ(z[9], 9u);
    for (size_t i = 10; i < 512; ++i) ASSERT_EQ(z[i], 0u) << i;
}

TEST(ZeroedArray, MovesAndSwapsOwnTheirMemory) {
    ZeroedArray<uint64_t> a, b;
    a.reset(4);
    a[3] = 5;
    b = std::move(a);
    EXPECT_TRUE(a.empty());
    EXPECT_EQ(b[3], 5u);
    a.swap(b);
    EXPECT_EQ(a[3], 5u);
    EXPECT_TRUE(b.empty());
}

}  // namespace
}  // namespace tstat
