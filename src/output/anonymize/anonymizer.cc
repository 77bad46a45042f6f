#include "output/anonymize/anonymizer.h"

#include <bit>
#include <cstring>

#include "output/anonymize/base64.h"

namespace tstat::output::anonymize {

namespace {

uint64_t mix(uint64_t x) {
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    return x ^ (x >> 33);
}

uint64_t hash_of(uint32_t a) { return mix(a); }

uint64_t hash_of(const std::array<uint8_t, 16>& a) {
    uint64_t hi = 0, lo = 0;
    std::memcpy(&hi, a.data(), 8);
    std::memcpy(&lo, a.data() + 8, 8);
    return mix(hi ^ mix(lo));
}

uint32_t load_be(const uint8_t* p) {
    return uint32_t{p[0]} << 24 | uint32_t{p[1]} << 16 | uint32_t{p[2]} << 8 | p[3];
}

void store_be(uint8_t* p, uint32_t v) {
    p[0] = static_cast<uint8_t>(v >> 24);
    p[1] = static_cast<uint8_t>(v >> 16);
    p[2] = static_cast<uint8_t>(v >> 8);
    p[3] = static_cast<uint8_t>(v);
}

}  // namespace

template <class K, class V>
TranslationCache<K, V>::TranslationCache(uint32_t entries) {
    if (entries == 0) return;
    const uint64_t sets = std::bit_ceil((uint64_t{entries} + kWays - 1) / kWays);
    sets_.resize(sets);
    mask_ = sets - 1;
}

template <class K, class V>
const V* TranslationCache<K, V>::find(const K& key, uint64_t hash) const noexcept {
    const Set& s = sets_[hash & mask_];
    for (int w = 0; w < kWays; ++w)
        if ((s.valid >> w & 1) && s.keys[w] == key) return &s.values[w];
    return nullptr;
}

template <class K, class V>
void TranslationCache<K, V>::insert(const K& key, const V& value, uint64_t hash) noexcept {
    Set& s = sets_[hash & mask_];
    const int w = s.next;
    s.next = static_cast<uint8_t>((s.next + 1) % kWays);
    s.keys[w] = key;
    s.values[w] = value;
    s.valid = static_cast<uint8_t>(s.valid | 1 << w);
}

template class TranslationCache<uint32_t, uint32_t>;
template class TranslationCache<std::array<uint8_t, 16>, std::array<uint8_t, 16>>;

Anonymizer::Anonymizer(const Settings& settings)
    : settings_(settings),
      pan_(settings.key),
      name_in_(kMaxName + 16),
      name_out_(base64_size(kMaxName + 16)) {}

uint32_t Anonymizer::v4(uint32_t host_order) noexcept {
    if (settings_.cache_size == 0) {
        ++stats_.v4_misses;
        return pan_.anonymize(host_order);
    }
    if (!cache4_)
        cache4_ = std::make_unique<TranslationCache<uint32_t, uint32_t>>(settings_.cache_size);
    const uint64_t h = hash_of(host_order);
    if (const uint32_t* hit = cache4_->find(host_order, h)) {
        ++stats_.v4_hits;
        return *hit;
    }
    ++stats_.v4_misses;
    const uint32_t out = pan_.anonymize(host_order);
    cache4_->insert(host_order, out, h);
    return out;
}

IpAddress Anonymizer::address(const IpAddress& a) noexcept {
    if (a.is_v4()) return IpAddress::v4(v4(a.v4_host()));
    if (!a.is_v6()) return a;
    V6 in;
    std::memcpy(in.data(), a.bytes(), 16);
    const bool cached = settings_.cache_size != 0;
    if (cached && !cache6_)
        cache6_ = std::make_unique<TranslationCache<V6, V6>>(settings_.cache_size);
    const uint64_t h = hash_of(in);
    if (cached) {
        if (const V6* hit = cache6_->find(in, h)) {
            ++stats_.v6_hits;
            return IpAddress::v6(hit->data());
        }
    }
    ++stats_.v6_misses;
    // Tstat XORs each word as loaded on a little-endian host (s6_addr32[i] ^ mask, then
    // htonl): on the big-endian word that is a XOR with the byte-swapped mask.
    V6 out;
    for (int i = 0; i < 4; ++i) {
        const uint32_t word =
            load_be(in.data() + i * 4) ^ __builtin_bswap32(settings_.ipv6_masks[i]);
        store_be(out.data() + i * 4, pan_.anonymize(word));
    }
    if (cached) cache6_->insert(in, out, h);
    return IpAddress::v6(out.data());
}

std::string_view Anonymizer::name(std::string_view plain) noexcept {
    const size_t n = plain.size() < kMaxName ? plain.size() : kMaxName;
    // Tstat encrypts the zero-padded C string: the padded length is the next multiple of 16
    // (none added when the length already is one).
    const size_t padded = (n + 15) / 16 * 16;
    std::memset(name_in_.data(), 0, padded);
    std::memcpy(name_in_.data(), plain.data(), n);
    pan_.cipher().encrypt(name_in_.data(), name_in_.data(), padded / 16);
    const size_t len = base64_encode(name_in_.data(), padded, name_out_.data());
    return {name_out_.data(), len};
}

}  // namespace tstat::output::anonymize
