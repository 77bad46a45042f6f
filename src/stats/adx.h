// Tstat's address histograms (spec §10.2, addresses.c): hits and bytes per IPv4 subnet.
//
// Tstat keeps them in a chained hash of Max_ADX_Slots buckets indexed by the masked address
// as it reads it (network-order bytes as a little-endian integer), and its files list the
// subnets bucket by bucket, each chain in order. Entries outlive a window with their address
// cleared to 0, and a lookup takes the first entry of its chain holding its subnet or 0: so a
// chain lists its subnets in the order they first appeared in the window. That order is all
// this table keeps of the chains: a lookup is one probe of an open-addressed table (one cache
// line an entry, where the chain walk cost three misses a packet), and the files sort the
// subnets by (bucket, first appearance).
//
// One chain breaks the rule: bucket 0 holds address 0 (0.0.0.0/mask), whose entry a later
// subnet of that bucket takes over (Tstat cannot tell it from a cleared one). Bucket 0's
// subnets, rare, live in a small exact copy of Tstat's chain.
//
// Entries are reused window after window: no allocation once the subnets have been seen.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "common/zeroed_array.h"
#include "stats/histo_conf.h"

namespace tstat::stats {

struct alignas(64) AdxEntry {
    uint32_t key = 0;          // masked address, network-order bytes in a uint32
    uint64_t first = 0;        // order of its first hit in the window (the chain position)
    uint64_t src_hits = 0;
    uint64_t dst_hits = 0;
    uint64_t src_bytes = 0;
    uint64_t dst_bytes = 0;
    double max_uprate = 0;
    double max_downrate = 0;

    bool has_hits() const { return src_hits != 0 || dst_hits != 0; }
};

class AdxTable {
public:
    AdxTable() = default;
    AdxTable(uint32_t slots, Mask4 mask) { reset(slots, mask); }
    void reset(uint32_t slots, Mask4 mask);

    // add_adx(): `packets` packets (Tstat adds them one at a time) of `bytes` in all, from
    // (src) or to (!src) `addr` (4 network-order bytes). `order` ranks the first of them
    // among all hits of the window (2 × packet number, + 1 for the destination): subnets may
    // be added in bulk out of packet order, the listing still follows first appearance.
    void add(const uint8_t* addr, bool src, uint32_t packets, uint64_t bytes, uint64_t order) {
        if (slots_ == 0) return;
        const uint32_t key = word_of(addr) & mask_word_;
        AdxEntry* e;
        if (memo_[0] != nullptr && key == memo_key_[0]) e = memo_[0];
        else if (memo_[1] != nullptr && key == memo_key_[1]) e = memo_[1];
        else e = find_or_insert(key, order, src ? 0 : 1);
        if (order < e->first) e->first = order;
        if (src) {
            e->src_hits += packets;
            e->src_bytes += bytes;
        } else {
            e->dst_hits += packets;
            e->dst_bytes += bytes;
        }
    }
    // Whether `addr`'s subnet falls in Tstat's bucket 0, whose chain this table replays
    // exactly: its hits must come in packet order, one packet at a time.
    bool in_bucket0(const uint8_t* addr) const {
        return slots_ != 0 && tstat_bucket(word_of(addr) & mask_word_) == 0;
    }

    // Visits the subnets with hits in Tstat's order; fn(const AdxEntry&).
    template <class Fn>
    void for_each(Fn&& fn) const {
        for (const AdxEntry& e : chain0_) {
            if (!e.has_hits()) break;   // print_adx stops there
            fn(e);
        }
        for (uint32_t i : ordered()) fn(table_[i]);
    }
    // Forgets the counters (Tstat clears after printing); the memory is kept for reuse.
    void clear();
    // Adds another table (the collector's) into this one.
    void merge_from(const AdxTable& o);
    // max_adx(): the peak rates of one short interval (`sample`, then cleared) kept here.
    void take_max_rates(AdxTable& sample, double delta_us);
    bool empty() const { return used_.empty() && (chain0_.empty() || !chain0_[0].has_hits()); }
    const Mask4& mask() const { return mask_; }

private:
    static uint32_t word_of(const uint8_t* b) {
        uint32_t w;
        std::memcpy(&w, b, 4);
        return w;
    }
    // The entry of `key` in this window, made if new (first hit `order`); remembered as memo
    // `m` (0 source, 1 destination, -1 none) unless it is in bucket 0's chain, where entries
    // change hands.
    AdxEntry* find_or_insert(uint32_t key, uint64_t order, int m = -1);
    AdxEntry* insert_chain0(uint32_t key);
    // The entry of `key`, or nullptr.
    AdxEntry* find(uint32_t key);
    uint32_t tstat_bucket(uint32_t key) const;
    uint32_t probe_start(uint32_t key) const;
    void grow();
    // Indices into table_ of the used entries, in Tstat's order (bucket, then first seen).
    std::vector<uint32_t> ordered() const;

    uint32_t slots_ = 0;          // Tstat's buckets (only the order depends on them)
    uint64_t mod_magic_ = 0;
    Mask4 mask_ = kDefaultAdxMask;
    uint32_t mask_word_ = 0;
    ZeroedArray<AdxEntry> table_;    // open addressing, linear probing; key 0 = free
    uint32_t shift_ = 0;             // 64 - log2(table_.size())
    std::vector<uint32_t> used_;     // indices of table_ holding a subnet, in insertion order
    std::vector<AdxEntry> chain0_;   // Tstat's chain of bucket 0, exactly
    // The entries of the last source and destination subnet: a packet's peers are usually
    // the previous packet's (or the reply's). Forgotten when the table is cleared or grows.
    uint32_t memo_key_[2] = {0, 0};
    AdxEntry* memo_[2] = {nullptr, nullptr};
    void forget_memo() { memo_[0] = memo_[1] = nullptr; }
};

// The text of an `addresses` file (EXTERNAL) or of one `addresses2` block (INTERNAL).
std::string format_addresses(const AdxTable& t);
std::string format_addresses2(const AdxTable& t, double now_s, double delta_us,
                              int64_t sample2_us, int64_t sample3_us);

}  // namespace tstat::stats
