// Crypto-PAn: the original Tstat's own outputs (the anon reference runs), the algorithm's
// defining property (prefix preservation), AES itself against FIPS-197, and the cache.
#include "output/anonymize/crypto_pan.h"

#include <gtest/gtest.h>

#include <bit>
#include <cstring>
#include <random>
#include <string>

#include "output/anonymize/anonymizer.h"

namespace tstat::output::anonymize {
namespace {

Key key_of(const std::string& text) {
    Key k{};
    std::memcpy(k.data(), text.data(), text.size() < k.size() ? text.size() : k.size());
    return k;
}

uint32_t v4(const char* dotted) {
    IpAddress a;
    EXPECT_TRUE(IpAddress::parse(dotted, a)) << dotted;
    return a.v4_host();
}

std::string dotted(uint32_t a) { return IpAddress::v4(a).to_string(); }

TEST(Aes128Ecb, Fips197Vector) {
    // FIPS-197 appendix C.1.
    uint8_t key[16], plain[16];
    for (int i = 0; i < 16; ++i) {
        key[i] = static_cast<uint8_t>(i);
        plain[i] = static_cast<uint8_t>(i * 0x11);
    }
    Aes128Ecb aes(key);
    uint8_t out[16];
    aes.encrypt(plain, out, 1);
    const uint8_t expected[16] = {0x69, 0xc4, 0xe0, 0xd8, 0x6a, 0x7b, 0x04, 0x30,
                                  0xd8, 0xcd, 0xb7, 0x80, 0x70, 0xb4, 0xc5, 0x5a};
    EXPECT_EQ(0, std::memcmp(out, expected, 16));
}

TEST(CryptoPan, MatchesTstatReferenceRuns) {
    // Addresses as the original Tstat 3.3 printed them in the anon reference logs
    // (--keyvalue tstat-reference-key-0123456789ab).
    CryptoPan pan(key_of("tstat-reference-key-0123456789ab"));
    const std::pair<const char*, const char*> cases[] = {
        {"10.0.88.85", "10.35.161.4"},   {"192.168.0.27", "247.103.253.103"},
        {"10.0.0.1", "10.35.254.102"},   {"10.0.0.138", "10.35.254.137"},
        {"10.0.0.201", "10.35.254.233"}, {"10.0.2.15", "10.35.253.239"},
        {"10.0.0.80", "10.35.254.58"},
    };
    for (const auto& [in, out] : cases) EXPECT_EQ(dotted(pan.anonymize(v4(in))), out) << in;
}

TEST(CryptoPan, PreservesPrefixesExactly) {
    // Two addresses sharing exactly k leading bits map to two addresses sharing exactly k.
    CryptoPan pan(key_of("0123456789abcdef0123456789abcdef"));
    std::mt19937 rng(7);
    for (int i = 0; i < 2000; ++i) {
        const auto a = static_cast<uint32_t>(rng());
        const int k = static_cast<int>(rng() % 32);
        const uint32_t below = k == 31 ? 0u : 0xffffffffu >> (k + 1);
        const uint32_t b = a ^ (0x80000000u >> k) ^ (static_cast<uint32_t>(rng()) & below);
        const int shared = std::countl_zero(a ^ b);
        const uint32_t ea = pan.anonymize(a), eb = pan.anonymize(b);
        EXPECT_EQ(std::countl_zero(ea ^ eb), shared) << dotted(a) << " " << dotted(b);
    }
}

TEST(CryptoPan, DifferentKeysGiveDifferentImages) {
    CryptoPan a(key_of("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"));
    CryptoPan b(key_of("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab"));  // only the pad half differs
    int same = 0;
    for (uint32_t x = 0; x < 256; ++x)
        same += a.anonymize(x << 24 | 77) == b.anonymize(x << 24 | 77);
    EXPECT_LT(same, 8);
}

TEST(Anonymizer, CacheGivesTheSameAnswers) {
    Settings cached;
    cached.key = key_of("tstat-reference-key-0123456789ab");
    Settings uncached = cached;
    uncached.cache_size = 0;
    cached.cache_size = 64;  // small: lots of evictions
    Anonymizer a(cached), b(uncached);
    std::mt19937 rng(3);
    for (int i = 0; i < 20000; ++i) {
        const auto x = static_cast<uint32_t>(rng() % 300);  // repeats, so the cache hits
        ASSERT_EQ(a.v4(x), b.v4(x));
    }
    EXPECT_GT(a.stats().v4_hits, 0u);
    EXPECT_EQ(b.stats().v4_hits, 0u);
}

TEST(Anonymizer, Ipv6IsFourMaskedIpv4Words) {
    // Tstat's scheme: word i XORed with Crypto_IPv6_Mask_i, then Crypto-PAn as IPv4.
    Settings s;
    s.key = key_of("tstat-reference-key-0123456789ab");
    Anonymizer an(s);
    CryptoPan pan(s.key);
    IpAddress in;
    ASSERT_TRUE(IpAddress::parse("fd12:3456:789a:1::abcd", in));
    const IpAddress out = an.address(in);
    ASSERT_TRUE(out.is_v6());
    for (int i = 0; i < 4; ++i) {
        const uint8_t* w = in.bytes() + i * 4;
        const uint32_t word =
            uint32_t{w[0]} << 24 | uint32_t{w[1]} << 16 | uint32_t{w[2]} << 8 | w[3];
        const uint32_t expected = pan.anonymize(word ^ s.ipv6_masks[static_cast<size_t>(i)]);
        const uint8_t* o = out.bytes() + i * 4;
        EXPECT_EQ(uint32_t{o[0]} << 24 | uint32_t{o[1]} << 16 | uint32_t{o[2]} << 8 | o[3],
                  expected)
            << "word " << i;
    }
    // Cached the second time, same answer.
    EXPECT_EQ(an.address(in), out);
    EXPECT_EQ(an.stats().v6_hits, 1u);
}

TEST(Anonymizer, EncryptedNamesAreBase64OfAesEcbOfTheZeroPaddedName) {
    Settings s;
    s.key = key_of("tstat-reference-key-0123456789ab");
    s.names = true;
    Anonymizer an(s);
    // Independent computation: AES-128-ECB with the first 16 key bytes over 32 zero-padded
    // bytes ("www.example.org" + NUL is 16; 17 characters take two blocks).
    const std::string name = "www.example.orgXY";
    uint8_t block[32] = {};
    std::memcpy(block, name.data(), name.size());
    Aes128Ecb aes(s.key.data());
    aes.encrypt(block, block, 2);
    const std::string got(an.name(name));
    EXPECT_EQ(got.size(), 44u);
    static const char kB64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    // Compare the first 30 bytes (40 characters) bit by bit.
    for (int g = 0; g < 10; ++g) {
        const uint32_t v =
            uint32_t{block[g * 3]} << 16 | uint32_t{block[g * 3 + 1]} << 8 | block[g * 3 + 2];
        for (int k = 0; k < 4; ++k)
            EXPECT_EQ(got[static_cast<size_t>(g * 4 + k)], kB64[(v >> (18 - 6 * k)) & 63]);
    }
    EXPECT_EQ(got.back(), '=');  // 32 bytes: the last group holds two
    // A 16-character name is one block: no extra padding block.
    EXPECT_EQ(an.name("0123456789abcdef").size(), 24u);
}

}  // namespace
}  // namespace tstat::output::anonymize
