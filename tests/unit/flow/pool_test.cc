// flow::Pool: value-initialised entries with stable addresses across chunks, reuse of freed
// handles, and every entry's destructor run when the pool goes.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "flow/pool.h"

namespace tstat::flow {
namespace {

struct Counted {
    static inline int alive = 0;
    std::string text;
    uint64_t value = 0;
    Counted() { ++alive; }
    Counted(const Counted& o) : text(o.text), value(o.value) { ++alive; }
    Counted& operator=(const Counted&) = default;
    ~Counted() { --alive; }
};

TEST(Pool, EntriesAcrossChunksKeepTheirAddressesAndValues) {
    Pool<uint64_t, 6> pool;   // 64 entries a chunk
    std::vector<uint64_t*> where;
    for (uint32_t i = 0; i < 1000; ++i) {
        const uint32_t h = pool.alloc();
        ASSERT_EQ(h, i);
        ASSERT_EQ(pool[h], 0u);
        pool[h] = i * 7 + 1;
        where.push_back(&pool[h]);
    }
    for (uint32_t i = 0; i < 1000; ++i) {
        ASSERT_EQ(&pool[i], where[i]);
        ASSERT_EQ(pool[i], i * 7 + 1);
    }
    // Freed handles come back (last freed first), value-initialised.
    pool.release(10);
    pool.release(500);
    EXPECT_EQ(pool.live(), 998u);
    EXPECT_EQ(pool.alloc(), 500u);
    EXPECT_EQ(pool[500], 0u);
    EXPECT_EQ(pool.alloc(), 10u);
    EXPECT_EQ(pool.alloc(), 1000u);
    EXPECT_EQ(pool[999], 999u * 7 + 1);
}

TEST(Pool, NonTrivialEntriesAreBuiltAndDestroyed) {
    {
        Pool<Counted, 4> pool;   // 16 entries a chunk
        for (int i = 0; i < 40; ++i) {
            const uint32_t h = pool.alloc();
            pool[h].text = std::string(100, static_cast<char>('a' + i % 26));   // on the heap
            pool[h].value = static_cast<uint64_t>(i);
        }
        EXPECT_EQ(Counted::alive, 48);   // three whole chunks
        pool.release(3);
        const uint32_t h = pool.alloc();
        EXPECT_EQ(h, 3u);
        EXPECT_TRUE(pool[h].text.empty());
        EXPECT_EQ(pool[39].text, std::string(100, 'n'));
    }
    EXPECT_EQ(Counted::alive, 0);
}

}  // namespace
}  // namespace tstat::flow
