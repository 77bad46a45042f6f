// The address table against a model of Tstat's own (addresses.c): a chained hash of
// Max_ADX_Slots buckets whose entries outlive the window with their address cleared to 0,
// a lookup taking the first entry of its chain that holds its subnet or 0. The table keeps
// only the order those chains give; the listings must be the same, address 0.0.0.0 (which
// loses its entry to the next subnet of bucket 0) included.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "stats/adx.h"

namespace tstat::stats {
namespace {

// Tstat's chains, written plainly: a vector of entries per bucket.
class ChainModel {
public:
    explicit ChainModel(uint32_t slots) : chains_(slots) {}
    void add(uint32_t key, bool src, uint32_t bytes) {
        auto& chain = chains_[bucket(key)];
        Row* row = nullptr;
        for (Row& r : chain)
            if (r.key == key || r.key == 0) {
                row = &r;
                break;
            }
        if (row == nullptr) row = &chain.emplace_back();
        row->key = key;
        (src ? row->src_hits : row->dst_hits) += 1;
        (src ? row->src_bytes : row->dst_bytes) += bytes;
    }
    std::string listing() const {
        std::string out;
        for (const auto& chain : chains_)
            for (const Row& r : chain) {
                if (r.src_hits == 0 && r.dst_hits == 0) break;
                out += line(r.key, r.src_hits, r.dst_hits, r.src_bytes, r.dst_bytes);
            }
        return out;
    }
    void clear() {
        for (auto& chain : chains_)
            for (Row& r : chain) r = Row{};
    }
    static std::string line(uint32_t key, uint64_t sh, uint64_t dh, uint64_t sb, uint64_t db) {
        return std::to_string(key) + " " + std::to_string(sh) + " " + std::to_string(dh) + " " +
               std::to_string(sb) + " " + std::to_string(db) + "\n";
    }

private:
    struct Row {
        uint32_t key = 0;
        uint64_t src_hits = 0, dst_hits = 0, src_bytes = 0, dst_bytes = 0;
    };
    // The network-order bytes read as a little-endian integer, modulo the buckets.
    uint32_t bucket(uint32_t key) const {
        uint8_t b[4];
        std::memcpy(b, &key, 4);
        const uint32_t v = uint32_t{b[0]} | uint32_t{b[1]} << 8 | uint32_t{b[2]} << 16 |
                           uint32_t{b[3]} << 24;
        return v % static_cast<uint32_t>(chains_.size());
    }
    std::vector<std::vector<Row>> chains_;
};

std::string listing(const AdxTable& t) {
    std::string out;
    t.for_each([&](const AdxEntry& e) {
        out += ChainModel::line(e.key, e.src_hits, e.dst_hits, e.src_bytes, e.dst_bytes);
    });
    return out;
}

std::array<uint8_t, 4> bytes_of(uint32_t key) {
    std::array<uint8_t, 4> b{};
    std::memcpy(b.data(), &key, 4);
    return b;
}

constexpr Mask4 kAll = {255, 255, 255, 255};

TEST(AdxTable, ListsSubnetsInTstatsChainOrder) {
    // 7 buckets: keys v and v+7 share one; 0 and 7 share bucket 0 (keys are little-endian
    // reads of the address bytes, so the key value is the bucket value here).
    AdxTable t(7, kAll);
    ChainModel m(7);
    uint64_t order = 0;
    for (uint32_t key : {9u, 2u, 16u, 23u, 2u, 5u}) {
        t.add(bytes_of(key).data(), true, 1, 100, order++);
        m.add(key, true, 100);
    }
    EXPECT_EQ(listing(t), m.listing());
    // bucket 2: 9, 2, 16, 23 in their order of arrival; then bucket 5.
    EXPECT_EQ(listing(t).substr(0, 2), "9 ");
}

TEST(AdxTable, AddressZeroLosesItsEntryLikeTstat) {
    AdxTable t(7, kAll);
    ChainModel m(7);
    uint64_t order = 0;
    // 0.0.0.0 first, then 7 (bucket 0 as well) takes over its entry; 0 comes back after it.
    for (auto [key, src] : std::vector<std::pair<uint32_t, bool>>{
             {0, true}, {0, false}, {7, true}, {0, true}, {14, false}, {7, false}}) {
        t.add(bytes_of(key).data(), src, 1, 60, order++);
        m.add(key, src, 60);
    }
    EXPECT_EQ(listing(t), m.listing());
    // 0's first two packets counted as 7's, its third as 14's: 0.0.0.0 is never listed.
    EXPECT_EQ(listing(t), "7 2 2 120 120\n14 1 1 60 60\n");
}

TEST(AdxTable, MatchesTheModelOverRandomWindows) {
    std::mt19937 rng(12345);   // rng() < 2^32: the casts below lose nothing
    for (uint32_t slots : {1u, 3u, 70001u}) {
        AdxTable t(slots, {255, 255, 255, 0});
        ChainModel m(slots);
        // A pool of subnets bigger than the table's first size, so it grows mid-window.
        std::vector<uint32_t> pool;
        for (int i = 0; i < 3000; ++i) pool.push_back(static_cast<uint32_t>(rng()) & 0x00ffffffu);
        pool.push_back(0);
        for (int window = 0; window < 4; ++window) {
            const size_t span = window == 2 ? pool.size() : 200;
            for (int n = 0; n < 20000; ++n) {
                const uint32_t key = pool[rng() % span];
                const bool src = rng() & 1;
                const auto len = static_cast<uint32_t>(40 + rng() % 1460);
                auto b = bytes_of(key | (static_cast<uint32_t>(rng()) & 0xff000000u));   // the host part is masked
                t.add(b.data(), src, 1, len, 2 * static_cast<uint64_t>(n) + (src ? 0 : 1));
                m.add(key, src, len);
            }
            ASSERT_EQ(listing(t), m.listing()) << "slots " << slots << " window " << window;
            EXPECT_FALSE(t.empty());
            t.clear();
            m.clear();
            EXPECT_TRUE(t.empty());
            EXPECT_EQ(listing(t), "");
        }
    }
}

TEST(AdxTable, BulkAddsOutOfOrderListLikePacketByPacket) {
    // Flows counted at their close (Collector::tcp_tally()): each flow's packets arrive in one
    // add, flows in any order, each with the number of its first packet.
    std::mt19937 rng(99);
    AdxTable t(11, {255, 255, 255, 0});
    ChainModel m(11);
    struct Flow {
        uint32_t a, b;
        uint32_t packets[2] = {0, 0};
        uint64_t bytes[2] = {0, 0};
        uint64_t first[2] = {0, 0};
    };
    std::vector<Flow> flows;
    for (int i = 0; i < 300; ++i) {
        Flow f;
        // Subnets outside bucket 0 (those are replayed packet by packet, never in bulk).
        do f.a = static_cast<uint32_t>(rng()) & 0x0000ffffu; while (f.a % 11 == 0);
        do f.b = static_cast<uint32_t>(rng()) & 0x0000ffffu; while (f.b % 11 == 0);
        flows.push_back(f);
    }
    for (uint64_t n = 0; n < 20000; ++n) {
        Flow& f = flows[rng() % flows.size()];
        const int d = static_cast<int>(rng() & 1);
        const uint32_t src = d == 0 ? f.a : f.b, dst = d == 0 ? f.b : f.a;
        const auto len = static_cast<uint32_t>(40 + rng() % 1460);
        m.add(src, true, len);
        m.add(dst, false, len);
        if (f.packets[d]++ == 0) f.first[d] = n;
        f.bytes[d] += len;
    }
    std::shuffle(flows.begin(), flows.end(), rng);
    for (const Flow& f : flows)
        for (int d = 0; d < 2; ++d) {
            if (f.packets[d] == 0) continue;
            const uint32_t src = d == 0 ? f.a : f.b, dst = d == 0 ? f.b : f.a;
            t.add(bytes_of(src).data(), true, f.packets[d], f.bytes[d], 2 * f.first[d]);
            t.add(bytes_of(dst).data(), false, f.packets[d], f.bytes[d], 2 * f.first[d] + 1);
        }
    EXPECT_EQ(listing(t), m.listing());
}

TEST(AdxTable, MergeKeepsTheOrderAndSumsTheCounters) {
    AdxTable worker(5, kAll), window(5, kAll);
    ChainModel m(5);
    uint64_t order = 0;
    for (uint32_t key : {3u, 8u, 1u, 13u, 3u}) {
        worker.add(bytes_of(key).data(), false, 1, 10, order++);
        m.add(key, false, 10);
    }
    window.merge_from(worker);
    worker.clear();
    for (uint32_t key : {1u, 18u, 8u}) {
        worker.add(bytes_of(key).data(), true, 1, 7, order++);
        m.add(key, true, 7);
    }
    window.merge_from(worker);
    EXPECT_EQ(listing(window), m.listing());
}

TEST(AdxTable, MaxRatesOfASampleGoToTheSameSubnets) {
    AdxTable totals(5, kAll), sample(5, kAll);
    for (uint32_t key : {2u, 7u}) totals.add(bytes_of(key).data(), true, 1, 1, key);
    sample.add(bytes_of(7).data(), true, 1, 1000, 10);   // 1000 bytes in 1 s: 8 kbit/s
    sample.add(bytes_of(7).data(), false, 1, 500, 11);
    totals.take_max_rates(sample, 1e6);
    EXPECT_TRUE(sample.empty());
    std::vector<double> up;
    totals.for_each([&](const AdxEntry& e) { up.push_back(e.key == 7 ? e.max_uprate : -1); });
    ASSERT_EQ(up.size(), 2u);
    EXPECT_DOUBLE_EQ(up[1], 8.0);
}

}  // namespace
}  // namespace tstat::stats
