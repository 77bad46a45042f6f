// HugePageAllocator: vectors keep their contents across the switch from heap to mapped huge
// pages (2 MB and up) and back when they shrink to fit.
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "common/huge_page_allocator.h"

namespace tstat {
namespace {

TEST(HugePageAllocator, GrowsFromHeapToHugePagesKeepingTheValues) {
    std::vector<uint32_t, HugePageAllocator<uint32_t>> v;
    const size_t big = HugePageAllocator<uint32_t>::kMinBytes / sizeof(uint32_t) * 3;
    for (uint32_t i = 0; i < big; ++i) v.push_back(i * 3 + 1);   // crosses 2 MB
    ASSERT_EQ(v.size(), big);
    for (uint32_t i = 0; i < big; ++i) ASSERT_EQ(v[i], i * 3 + 1) << i;
    v.assign(big * 2, 7u);   // a fresh mapping, filled
    EXPECT_EQ(v.front(), 7u);
    EXPECT_EQ(v.back(), 7u);
    v.resize(10);
    v.shrink_to_fit();   // back to the heap
    EXPECT_EQ(v[9], 7u);
}

}  // namespace
}  // namespace tstat
