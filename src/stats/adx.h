// Tstat's address histograms (spec §10.2, addresses.c): hits and bytes per IPv4 subnet, in a
// chained hash of Max_ADX_Slots buckets indexed by the masked address as Tstat reads it
// (network-order bytes as a little-endian integer), so files list subnets in Tstat's order.
// Entries are reused window after window: no allocation once the subnets have been seen.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "stats/histo_conf.h"

namespace tstat::stats {

struct AdxEntry {
    uint32_t key = 0;          // masked address, network-order bytes in a uint32
    uint64_t src_hits = 0;
    uint64_t dst_hits = 0;
    uint64_t src_bytes = 0;
    uint64_t dst_bytes = 0;
    double max_uprate = 0;
    double max_downrate = 0;
};

class AdxTable {
public:
    AdxTable() = default;
    AdxTable(uint32_t slots, Mask4 mask) { reset(slots, mask); }
    void reset(uint32_t slots, Mask4 mask);

    // add_adx(): one packet from (src) or to (!src) `addr` (4 network-order bytes).
    void add(const uint8_t* addr, bool src, uint32_t bytes);

    // Visits the subnets with hits in Tstat's order; fn(const AdxEntry&).
    template <class Fn>
    void for_each(Fn&& fn) const {
        for (uint32_t s = 0; s < slots_; ++s) {
            for (int32_t e = head_[s]; e >= 0; e = next_[static_cast<size_t>(e)]) {
                const AdxEntry& x = entries_[static_cast<size_t>(e)];
                if (x.src_hits == 0 && x.dst_hits == 0) break;  // print_adx stops there
                fn(x);
            }
        }
    }
    // Forgets the counters (Tstat clears after printing); entries are kept for reuse.
    void clear();
    // Adds another worker's table into this one.
    void merge_from(const AdxTable& o);
    // max_adx(): the peak rates of one short interval (`sample`, then cleared) kept here.
    void take_max_rates(AdxTable& sample, double delta_us);
    bool empty() const { return used_ == 0; }
    const Mask4& mask() const { return mask_; }

private:
    AdxEntry& insert(uint32_t key);
    uint32_t bucket_of(uint32_t key) const;
    uint32_t slots_ = 0;
    uint64_t mod_magic_ = 0;
    Mask4 mask_ = kDefaultAdxMask;
    uint32_t mask_word_ = 0;
    std::vector<int32_t> head_;
    // The chains apart from the counters (keys_[i] == entries_[i].key): a lookup walks 8
    // bytes an entry, which stay in the cache, and touches only the counters it adds to.
    std::vector<uint32_t> keys_;
    std::vector<int32_t> next_;
    std::vector<AdxEntry> entries_;
    uint32_t used_ = 0;   // entries holding hits
    // The entries of the last source and destination subnet: a packet's peers are usually
    // the previous packet's, and the walk would find the same entries (keys only change from
    // 0, and clear() forgets these). Key 0 is never remembered: it matches cleared entries.
    uint32_t memo_key_[2] = {0, 0};
    int32_t memo_idx_[2] = {-1, -1};
    void forget_memo() { memo_idx_[0] = memo_idx_[1] = -1; }
};

// The text of an `addresses` file (EXTERNAL) or of one `addresses2` block (INTERNAL).
std::string format_addresses(const AdxTable& t);
std::string format_addresses2(const AdxTable& t, double now_s, double delta_us,
                              int64_t sample2_us, int64_t sample3_us);

}  // namespace tstat::stats
