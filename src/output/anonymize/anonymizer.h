// Print-time anonymization (spec §13): Crypto-PAn for the addresses of -Y networks (IPv4
// directly; IPv6 as Tstat does it, each 32-bit word XORed with its Crypto_IPv6_Mask and
// encrypted as an IPv4 address) and, with --enc, host names replaced by the Base64 of their
// AES-ECB encryption. Translations are kept in a fixed-size cache made once, so printing a row
// never allocates. Tstat's cache is sized by Max_Crypto_Cache_Size, whose default is 0 (§17.6):
// its cache never works; ours does, and the output is the same either way.
//
// One Anonymizer per thread (its AES context and cache are not shared).
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "common/ip_address.h"
#include "output/anonymize/crypto_pan.h"

namespace tstat::output::anonymize {

struct Settings {
    Key key{};
    // Crypto_IPv6_Mask_0..3 (globals.conf).
    std::array<uint32_t, 4> ipv6_masks{0xffffffffu, 0xf0f0f0f0u, 0x0f0f0f0fu, 0x00000000u};
    uint32_t cache_size = 130000;  // translations kept per family (0: no cache)
    bool names = false;            // --enc
};

// A set-associative table of recent translations (4 ways, round-robin replacement).
template <class K, class V>
class TranslationCache {
  public:
    explicit TranslationCache(uint32_t entries);
    bool enabled() const { return !sets_.empty(); }
    const V* find(const K& key, uint64_t hash) const noexcept;
    void insert(const K& key, const V& value, uint64_t hash) noexcept;

  private:
    static constexpr int kWays = 4;
    struct Set {
        K keys[kWays];
        V values[kWays];
        uint8_t valid = 0;
        uint8_t next = 0;
    };
    std::vector<Set> sets_;
    uint64_t mask_ = 0;
};

struct AnonymizerStats {
    uint64_t v4_hits = 0;
    uint64_t v4_misses = 0;
    uint64_t v6_hits = 0;
    uint64_t v6_misses = 0;
};

class Anonymizer {
  public:
    explicit Anonymizer(const Settings& settings);

    // The Crypto-PAn image of `a` (IPv4 or IPv6).
    IpAddress address(const IpAddress& a) noexcept;
    uint32_t v4(uint32_t host_order) noexcept;

    bool encrypts_names() const { return settings_.names; }
    // --enc: Base64(AES-128-ECB(name zero-padded to 16 bytes)), in a buffer of this object
    // that the next call reuses. Names longer than kMaxName are cut first.
    std::string_view name(std::string_view plain) noexcept;
    static constexpr size_t kMaxName = 4096;

    const AnonymizerStats& stats() const { return stats_; }
    const Settings& settings() const { return settings_; }

  private:
    using V6 = std::array<uint8_t, 16>;

    Settings settings_;
    CryptoPan pan_;
    // Made on first use: a run without IPv6 never pays for the IPv6 table.
    std::unique_ptr<TranslationCache<uint32_t, uint32_t>> cache4_;
    std::unique_ptr<TranslationCache<V6, V6>> cache6_;
    AnonymizerStats stats_;
    std::vector<uint8_t> name_in_;
    std::vector<char> name_out_;
};

}  // namespace tstat::output::anonymize
