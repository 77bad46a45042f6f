#include "flow/slot_ring.h"

#include <gtest/gtest.h>

#include <set>
#include <vector>

namespace tstat::flow {
namespace {

TEST(SlotRing, AllocatesLikeTstatsCircularArray) {
    SlotRing tcp(20, 10, 0, 200, false);   // TCP: the first flow goes to slot 1
    EXPECT_EQ(tcp.allocate(100), 1u);
    EXPECT_EQ(tcp.allocate(101), 2u);
    SlotRing udp(20, 10, -1, 200, false);  // UDP: slot 0
    EXPECT_EQ(udp.allocate(7), 0u);
    // Freed slots are found again only when the cursor comes round.
    tcp.release(1);
    EXPECT_EQ(tcp.allocate(102), 3u);
    for (uint32_t i = 0; i < 16; ++i) tcp.allocate(200 + i);  // slots 4..19
    EXPECT_EQ(tcp.allocate(300), 0u);
    EXPECT_EQ(tcp.allocate(301), 1u);  // the freed one
    EXPECT_EQ(tcp.allocate(302), kNil);  // full and not growable
}

TEST(SlotRing, GrowingKeepsEverySlotAndDeadline) {
    SlotRing r(20, 10, 0, 200, true);
    std::vector<uint32_t> slots;
    for (uint32_t i = 0; i < 45; ++i) {
        slots.push_back(r.allocate(i));
        r.set_deadline(slots.back(), (1000 + i) * 1000000 + 999999);
    }
    EXPECT_EQ(r.size(), 50u);   // 20 -> 30 -> 50: by half, in whole slices of 10
    std::set<uint32_t> unique(slots.begin(), slots.end());
    EXPECT_EQ(unique.size(), 45u);
    for (uint32_t i = 0; i < 45; ++i) {
        EXPECT_EQ(r.at(slots[i]), i);
        EXPECT_EQ(r.deadline_bound_s(slots[i]), 1000 + i);
    }
}

TEST(SlotRing, SliceVisitsSlotsCongruentToIt) {
    constexpr int64_t kS = 1000000;
    SlotRing r(40, 10, -1, 200, false);
    for (uint32_t i = 0; i < 40; ++i) {
        r.allocate(i);
        r.set_deadline(i, i % 2 == 0 ? 50 * kS : 500 * kS);  // even slots are due at t=100 s
    }
    std::vector<uint32_t> seen;
    r.due_in_slice(4, 100 * kS, [&](uint32_t slot, uint32_t handle) {
        EXPECT_EQ(handle, slot);
        seen.push_back(slot);
    });
    EXPECT_EQ(seen, (std::vector<uint32_t>{4, 14, 24, 34}));
    seen.clear();
    r.due_in_slice(3, 100 * kS, [&](uint32_t slot, uint32_t) { seen.push_back(slot); });
    EXPECT_TRUE(seen.empty());
}

// Deadlines are kept to the second, rounded down: a slot is offered from the second its
// deadline falls in (the caller checks the microseconds), never later.
TEST(SlotRing, OffersSlotsFromTheSecondOfTheirDeadline) {
    SlotRing r(10, 1, -1, 200, false);
    r.allocate(7);
    r.set_deadline(0, 5'300'000);  // 5.3 s
    int offered = 0;
    r.due_in_slice(0, 4'999'999, [&](uint32_t, uint32_t) { ++offered; });
    EXPECT_EQ(offered, 0);
    r.due_in_slice(0, 5'000'000, [&](uint32_t, uint32_t) { ++offered; });
    EXPECT_EQ(offered, 1);
    // Instants outside 1970..2106 cannot be rounded to a u32 second: always offered.
    r.set_deadline(0, -1);
    r.due_in_slice(0, 0, [&](uint32_t, uint32_t) { ++offered; });
    EXPECT_EQ(offered, 2);
    r.set_deadline(0, int64_t{1} << 60);
    r.due_in_slice(0, 0, [&](uint32_t, uint32_t) { ++offered; });
    EXPECT_EQ(offered, 3);
}

}  // namespace
}  // namespace tstat::flow
