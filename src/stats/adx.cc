#include "stats/adx.h"

#include <algorithm>
#include <cstdio>
#include <cstring>

namespace tstat::stats {

namespace {
uint32_t word_of(const uint8_t* b) {
    uint32_t w;
    std::memcpy(&w, b, 4);
    return w;
}
// The dotted form of a key (network-order bytes).
void key_text(uint32_t key, char* buf, size_t n) {
    uint8_t b[4];
    std::memcpy(b, &key, 4);
    std::snprintf(buf, n, "%u.%u.%u.%u", b[0], b[1], b[2], b[3]);
}
// Tstat computes the bucket from the in-memory (network-order) word read as a host integer;
// spell that out so a big-endian host lists subnets in the same order.
uint32_t bucket_value(uint32_t key) {
    uint8_t b[4];
    std::memcpy(&b, &key, 4);
    return uint32_t{b[0]} | uint32_t{b[1]} << 8 | uint32_t{b[2]} << 16 | uint32_t{b[3]} << 24;
}
}  // namespace

void AdxTable::reset(uint32_t slots, Mask4 mask) {
    slots_ = slots == 0 ? 1 : slots;
    mask_ = mask;
    mask_word_ = word_of(mask.data());
    mod_magic_ = ~uint64_t{0} / slots_ + 1;
    head_.assign(slots_, -1);
    keys_.clear();
    next_.clear();
    entries_.clear();
    // As many subnets as buckets before the first reallocation: the packet path stays
    // allocation-free on all but the largest address sets.
    keys_.reserve(slots_);
    next_.reserve(slots_);
    entries_.reserve(slots_);
    used_ = 0;
    forget_memo();
}

AdxEntry& AdxTable::insert(uint32_t key) {
    const uint32_t pos = bucket_of(key);
    // Tstat reuses the first entry holding this subnet or a cleared one (address 0).
    int32_t prev = -1;
    for (int32_t i = head_[pos]; i >= 0; i = next_[static_cast<size_t>(i)]) {
        const uint32_t k = keys_[static_cast<size_t>(i)];
        if (k == key || k == 0) {
            AdxEntry& e = entries_[static_cast<size_t>(i)];
            if (e.src_hits == 0 && e.dst_hits == 0) ++used_;
            keys_[static_cast<size_t>(i)] = key;
            e.key = key;
            return e;
        }
        prev = i;
    }
    keys_.push_back(key);
    next_.push_back(-1);
    entries_.push_back(AdxEntry{});
    const auto fresh = static_cast<int32_t>(entries_.size() - 1);
    if (prev < 0)
        head_[pos] = fresh;
    else
        next_[static_cast<size_t>(prev)] = fresh;
    ++used_;
    AdxEntry& e = entries_.back();
    e.key = key;
    return e;
}

// bucket_value(key) % slots_ without a division (Lemire's fastmod, exact for 32-bit values):
// one per address of every packet.
__extension__ typedef unsigned __int128 Wide;
uint32_t AdxTable::bucket_of(uint32_t key) const {
    const uint64_t low = mod_magic_ * bucket_value(key);
    return static_cast<uint32_t>((static_cast<Wide>(low) * slots_) >> 64);
}

void AdxTable::add(const uint8_t* addr, bool src, uint32_t bytes) {
    if (slots_ == 0) return;
    const uint32_t key = word_of(addr) & mask_word_;
    int32_t idx = -1;
    if (key != 0) {
        if (key == memo_key_[0]) idx = memo_idx_[0];
        else if (key == memo_key_[1]) idx = memo_idx_[1];
    }
    if (idx < 0) {
        idx = static_cast<int32_t>(&insert(key) - entries_.data());
        memo_key_[src ? 0 : 1] = key;
        memo_idx_[src ? 0 : 1] = idx;
    }
    AdxEntry& e = entries_[static_cast<size_t>(idx)];
    if (src) {
        ++e.src_hits;
        e.src_bytes += bytes;
    } else {
        ++e.dst_hits;
        e.dst_bytes += bytes;
    }
}

void AdxTable::clear() {
    for (AdxEntry& e : entries_) {
        e.src_hits = e.dst_hits = e.src_bytes = e.dst_bytes = 0;
        e.max_uprate = e.max_downrate = 0;
        e.key = 0;
    }
    std::fill(keys_.begin(), keys_.end(), 0u);
    used_ = 0;
    forget_memo();
}

void AdxTable::merge_from(const AdxTable& o) {
    o.for_each([&](const AdxEntry& x) {
        AdxEntry& e = insert(x.key);
        e.src_hits += x.src_hits;
        e.dst_hits += x.dst_hits;
        e.src_bytes += x.src_bytes;
        e.dst_bytes += x.dst_bytes;
        e.max_uprate = std::max(e.max_uprate, x.max_uprate);
        e.max_downrate = std::max(e.max_downrate, x.max_downrate);
    });
}

void AdxTable::take_max_rates(AdxTable& sample, double delta_us) {
    sample.for_each([&](const AdxEntry& x) {
        const uint32_t pos = bucket_of(x.key);
        for (int32_t i = head_[pos]; i >= 0; i = next_[static_cast<size_t>(i)]) {
            if (keys_[static_cast<size_t>(i)] != x.key) continue;
            AdxEntry& e = entries_[static_cast<size_t>(i)];
            e.max_uprate = std::max(e.max_uprate, static_cast<double>(x.src_bytes) * 8.0 /
                                                      delta_us * 1000.);
            e.max_downrate = std::max(e.max_downrate, static_cast<double>(x.dst_bytes) * 8.0 /
                                                          delta_us * 1000.);
            break;
        }
    });
    sample.clear();
}

namespace {
template <class... A>
void appendf(std::string& out, const char* fmt, A... args) {
    char buf[256];
    const int n = std::snprintf(buf, sizeof buf, fmt, args...);
    if (n > 0) out.append(buf, static_cast<size_t>(std::min(n, static_cast<int>(sizeof buf) - 1)));
}
}  // namespace

std::string format_addresses(const AdxTable& t) {
    const Mask4& m = t.mask();
    std::string out;
    appendf(out, "#Number of packets per subnet (%d.%d.%d.%d NETMASK) \n", m[0], m[1], m[2], m[3]);
    out += "#Subnet IP \tsrc_hits \tdst_hits \tsrc_bytes \tdst_bytes\n";
    char ip[20];
    t.for_each([&](const AdxEntry& e) {
        key_text(e.key, ip, sizeof ip);
        appendf(out, "%s\t%llu\t%llu\t%llu\t%llu\n", ip,
                static_cast<unsigned long long>(e.src_hits),
                static_cast<unsigned long long>(e.dst_hits),
                static_cast<unsigned long long>(e.src_bytes),
                static_cast<unsigned long long>(e.dst_bytes));
    });
    return out;
}

std::string format_addresses2(const AdxTable& t, double now_s, double delta_us,
                              int64_t sample2_us, int64_t sample3_us) {
    const Mask4& m = t.mask();
    std::string out;
    appendf(out, "#Number of packets per subnet (%d.%d.%d.%d NETMASK) \n", m[0], m[1], m[2], m[3]);
    appendf(out, "#Sampling rate: Average %lld [s] - Max %lld [s]\n",
            static_cast<long long>(sample2_us / 1000000),
            static_cast<long long>(sample3_us / 1000000));
    out += "#Subnet IP \tTime \tsrc_hits \tdst_hits \tsrc_bytes \tdst_bytes \tUp Rate [kbps] "
           "\tDown Rate [kbps] \tMax Up Rate [kbps] \tMax Down Rate [kbps]\n";
    char ip[20];
    t.for_each([&](const AdxEntry& e) {
        key_text(e.key, ip, sizeof ip);
        appendf(out, "%s\t%.6f\t%llu\t%llu\t%llu\t%llu\t%.3f\t%.3f\t%.3f\t%.3f\n", ip, now_s,
                static_cast<unsigned long long>(e.src_hits),
                static_cast<unsigned long long>(e.dst_hits),
                static_cast<unsigned long long>(e.src_bytes),
                static_cast<unsigned long long>(e.dst_bytes),
                static_cast<double>(e.src_bytes) * 8.0 / delta_us * 1000.,
                static_cast<double>(e.dst_bytes) * 8.0 / delta_us * 1000., e.max_uprate,
                e.max_downrate);
    });
    return out;
}

}  // namespace tstat::stats
