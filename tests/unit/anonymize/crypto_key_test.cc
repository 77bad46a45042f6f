// Key sources and Base64 as Tstat reads and writes them (spec §13).
#include "output/anonymize/crypto_key.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "output/anonymize/base64.h"

namespace tstat::output::anonymize {
namespace {

std::string text_of(const Key& k, size_t n) { return std::string(k.begin(), k.begin() + n); }

TEST(Base64, Rfc4648Vectors) {
    const std::pair<std::string, std::string> cases[] = {
        {"", ""},
        {"f", "Zg=="},
        {"fo", "Zm8="},
        {"foo", "Zm9v"},
        {"foob", "Zm9vYg=="},
        {"fooba", "Zm9vYmE="},
        {"foobar", "Zm9vYmFy"},
    };
    for (const auto& [plain, encoded] : cases) {
        EXPECT_EQ(base64_encode(reinterpret_cast<const uint8_t*>(plain.data()), plain.size()),
                  encoded);
        if (encoded.size() >= 2) {
            auto d = base64_decode_lenient(encoded);
            ASSERT_TRUE(d);
            EXPECT_EQ(std::string(d->begin(), d->end()), plain);
        }
    }
}

TEST(Base64, TstatLeniency) {
    // Characters outside the alphabet read as 'A' (zero bits); too short is refused.
    auto d = base64_decode_lenient("Z!9v");
    ASSERT_TRUE(d);
    EXPECT_EQ(d->size(), 3u);
    EXPECT_EQ((*d)[0], 0x64);  // "ZA" -> 011001 000000
    EXPECT_FALSE(base64_decode_lenient("Z"));
    EXPECT_FALSE(base64_decode_lenient(""));
}

TEST(CryptoKey, CutAndPadAs32Bytes) {
    auto k = key_from_bytes("short");
    EXPECT_TRUE(k.padded);
    EXPECT_FALSE(k.truncated);
    EXPECT_EQ(text_of(k.key, 5), "short");
    EXPECT_EQ(k.key[5], 0);
    auto l = key_from_bytes(std::string(40, 'x') + "tail");
    EXPECT_TRUE(l.truncated);
    EXPECT_EQ(text_of(l.key, 32), std::string(32, 'x'));
}

TEST(CryptoKey, FileTakesTheFirstLine) {
    auto k = parse_key_text("tstat-reference-key-0123456789ab\nsecond line\n", false, "f");
    ASSERT_TRUE(k);
    EXPECT_EQ(text_of(k->key, 32), "tstat-reference-key-0123456789ab");
    EXPECT_FALSE(k->padded);
    EXPECT_FALSE(parse_key_text("\nkey on line two\n", false, "f"));  // empty first line
    EXPECT_FALSE(parse_key_text("", false, "f"));
}

TEST(CryptoKey, Base64FileRoundTripsTheCPanKeyFile) {
    // The CPanKey_* file of the anon reference runs.
    auto k = parse_key_text("dHN0YXQtcmVmZXJlbmNlLWtleS0wMTIzNDU2Nzg5YWI=\n", true, "f");
    ASSERT_TRUE(k);
    EXPECT_EQ(text_of(k->key, 32), "tstat-reference-key-0123456789ab");
}

TEST(CryptoKey, KeyFileIsWrittenInBase64UnderTheRoot) {
    const auto dir = std::filesystem::temp_directory_path() / "tstat_cpankey_test";
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    const Key key = key_from_bytes("tstat-reference-key-0123456789ab").key;
    setenv("TZ", "UTC", 1);
    tzset();
    ASSERT_TRUE(write_key_file(dir.string(), Timestamp::from_parts(1300475167, 0), key));
    std::ifstream in(dir / "CPanKey_2011_03_18_19_06");
    std::string line;
    ASSERT_TRUE(std::getline(in, line));
    EXPECT_EQ(line, "dHN0YXQtcmVmZXJlbmNlLWtleS0wMTIzNDU2Nzg5YWI=");
    std::filesystem::remove_all(dir);
}

TEST(CryptoKey, RandomKeysDiffer) {
    auto a = load_key(KeySource::kRandom, "");
    auto b = load_key(KeySource::kRandom, "");
    ASSERT_TRUE(a && b);
    EXPECT_NE(a->key, b->key);
}

}  // namespace
}  // namespace tstat::output::anonymize
