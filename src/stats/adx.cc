#include "stats/adx.h"

#include <algorithm>
#include <bit>
#include <charconv>
#include <cstdio>
#include <cstring>

namespace tstat::stats {

namespace {
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
    // Grown by doubling as subnets arrive (each growth rehashes): a first size that does
    // not cost a few megabytes of page faults to traces that see a few hundred subnets.
    const size_t cap = 4096;
    table_.reset(cap);
    shift_ = static_cast<uint32_t>(64 - std::countr_zero(cap));
    used_.clear();
    used_.reserve(cap / 2);
    chain0_.clear();
    forget_memo();
}

// bucket_value(key) % slots_ without a division (Lemire's fastmod, exact for 32-bit values).
__extension__ typedef unsigned __int128 Wide;
uint32_t AdxTable::tstat_bucket(uint32_t key) const {
    const uint64_t low = mod_magic_ * bucket_value(key);
    return static_cast<uint32_t>((static_cast<Wide>(low) * slots_) >> 64);
}

uint32_t AdxTable::probe_start(uint32_t key) const {
    return static_cast<uint32_t>((uint64_t{key} * 0x9E3779B97F4A7C15ull) >> shift_);
}

AdxEntry* AdxTable::find_or_insert(uint32_t key, uint64_t order, int m) {
    const size_t wrap = table_.size() - 1;
    size_t i = probe_start(key);
    for (; table_[i].key != 0; i = (i + 1) & wrap) {
        if (table_[i].key == key) {
            if (m >= 0) {
                memo_key_[m] = key;
                memo_[m] = &table_[i];
            }
            return &table_[i];
        }
    }
    if (tstat_bucket(key) == 0) return insert_chain0(key);
    if ((used_.size() + 1) * 2 > table_.size()) {
        grow();
        return find_or_insert(key, order, m);
    }
    AdxEntry& e = table_[i];
    e.key = key;
    e.first = order;
    used_.push_back(static_cast<uint32_t>(i));
    if (m >= 0) {
        memo_key_[m] = key;
        memo_[m] = &e;
    }
    return &e;
}

AdxEntry* AdxTable::insert_chain0(uint32_t key) {
    // Tstat reuses the first entry holding this subnet or a cleared one (address 0).
    for (AdxEntry& e : chain0_) {
        if (e.key == key || e.key == 0) {
            e.key = key;
            return &e;
        }
    }
    chain0_.push_back(AdxEntry{});
    chain0_.back().key = key;
    return &chain0_.back();
}

AdxEntry* AdxTable::find(uint32_t key) {
    const size_t wrap = table_.size() - 1;
    for (size_t i = probe_start(key); table_[i].key != 0; i = (i + 1) & wrap)
        if (table_[i].key == key) return &table_[i];
    for (AdxEntry& e : chain0_)
        if (e.key == key) return &e;
    return nullptr;
}

void AdxTable::grow() {
    ZeroedArray<AdxEntry> old;
    old.reset(table_.size() * 2);
    old.swap(table_);
    shift_ -= 1;
    const size_t wrap = table_.size() - 1;
    for (uint32_t& u : used_) {
        size_t i = probe_start(old[u].key);
        while (table_[i].key != 0) i = (i + 1) & wrap;
        table_[i] = old[u];
        u = static_cast<uint32_t>(i);
    }
    forget_memo();
}

std::vector<uint32_t> AdxTable::ordered() const {
    struct Rank {
        uint32_t bucket;
        uint64_t first;
        uint32_t index;
    };
    std::vector<Rank> ranks(used_.size());
    for (size_t n = 0; n < used_.size(); ++n) {
        const AdxEntry& e = table_[used_[n]];
        ranks[n] = Rank{tstat_bucket(e.key), e.first, used_[n]};
    }
    std::sort(ranks.begin(), ranks.end(), [](const Rank& a, const Rank& b) {
        return a.bucket != b.bucket ? a.bucket < b.bucket : a.first < b.first;
    });
    std::vector<uint32_t> out(ranks.size());
    for (size_t n = 0; n < ranks.size(); ++n) out[n] = ranks[n].index;
    return out;
}

void AdxTable::clear() {
    for (uint32_t u : used_) table_[u] = AdxEntry{};
    used_.clear();
    for (AdxEntry& e : chain0_) e = AdxEntry{};
    forget_memo();
}

void AdxTable::merge_from(const AdxTable& o) {
    o.for_each([&](const AdxEntry& x) {
        AdxEntry& e = *find_or_insert(x.key, x.first);
        e.first = std::min(e.first, x.first);
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
        AdxEntry* e = find(x.key);
        if (e == nullptr) return;
        e->max_uprate =
            std::max(e->max_uprate, static_cast<double>(x.src_bytes) * 8.0 / delta_us * 1000.);
        e->max_downrate =
            std::max(e->max_downrate, static_cast<double>(x.dst_bytes) * 8.0 / delta_us * 1000.);
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
    // "%s\t%llu\t%llu\t%llu\t%llu\n" with to_chars: tens of thousands of subnets a window.
    t.for_each([&](const AdxEntry& e) {
        char line[128];
        uint8_t b[4];
        std::memcpy(b, &e.key, 4);
        char* p = line;
        for (int i = 0; i < 4; ++i) {
            p = std::to_chars(p, p + 3, b[i]).ptr;
            *p++ = i < 3 ? '.' : '\t';
        }
        for (uint64_t v : {e.src_hits, e.dst_hits, e.src_bytes, e.dst_bytes}) {
            p = std::to_chars(p, p + 20, v).ptr;
            *p++ = '\t';
        }
        p[-1] = '\n';
        out.append(line, static_cast<size_t>(p - line));
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
