// gzip-compressed traces: recognised by the 1f 8b magic, several members, damage.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "capture/raw_packet.h"
#include "capture_test_util.h"
#include "support/pcap_writer.h"

namespace tstat::capture::test {
namespace {

using tstat::testing::gzip_compress;
using tstat::testing::PcapngWriter;
using tstat::testing::PcapWriter;
using tstat::testing::test_payload;

std::vector<uint8_t> sample_pcap(uint32_t count, uint32_t seed = 0) {
    PcapWriter w;
    for (uint32_t i = 0; i < count; ++i)
        w.packet(100 + i, i, test_payload((i * 97 + seed) % 1400 + 20, i + seed));
    return w.bytes();
}

void expect_sample(const Drained& d, uint32_t count) {
    ASSERT_EQ(d.packets.size(), count);
    for (uint32_t i = 0; i < count; ++i) {
        ASSERT_EQ(d.packets[i].data, test_payload((i * 97) % 1400 + 20, i)) << i;
        ASSERT_EQ(d.packets[i].ts_us, (100 + int64_t{i}) * 1000000 + i);
    }
}

class GzipModes : public ::testing::TestWithParam<OpenMode> {};

INSTANTIATE_TEST_SUITE_P(Modes, GzipModes, ::testing::ValuesIn(kAllModes), mode_name);

TEST_P(GzipModes, CompressedPcapAndPcapng) {
    auto plain = sample_pcap(300);
    auto gz = gzip_compress(plain);
    auto src = open_bytes(gz, GetParam());
    ASSERT_TRUE(src->ok()) << src->source.error();
    EXPECT_EQ((*src)->describe(), "gzip pcap (µs, little-endian, Ethernet)");
    Drained d = drain(**src);
    EXPECT_EQ(d.last, ReadStatus::kEnd) << d.error;
    expect_sample(d, 300);
    Progress p = (*src)->progress();
    EXPECT_EQ(p.bytes_read, gz.size());
    EXPECT_EQ(p.total_bytes, gz.size());

    PcapngWriter w;
    w.section();
    w.interface(link::kRaw, 0, 9);
    w.enhanced(0, 5000000001, test_payload(99, 1));
    auto src2 = open_bytes(gzip_compress(w.bytes()), GetParam());
    ASSERT_TRUE(src2->ok()) << src2->source.error();
    Drained d2 = drain(**src2);
    ASSERT_EQ(d2.packets.size(), 1u);
    EXPECT_EQ(d2.packets[0].ts_us, 5000000);
    EXPECT_EQ(d2.packets[0].data, test_payload(99, 1));
}

// `cat a.gz b.gz` is a valid gzip file; records may even cross the member boundary.
TEST_P(GzipModes, ConcatenatedMembersAreOneStream) {
    auto plain = sample_pcap(200);
    const size_t split = plain.size() / 2 + 7;  // inside some record
    auto gz = gzip_compress(std::span(plain).first(split));
    auto second = gzip_compress(std::span(plain).subspan(split), 1);
    gz.insert(gz.end(), second.begin(), second.end());
    auto src = open_bytes(gz, GetParam());
    ASSERT_TRUE(src->ok()) << src->source.error();
    Drained d = drain(**src);
    EXPECT_EQ(d.last, ReadStatus::kEnd) << d.error;
    expect_sample(d, 200);
}

// gunzip ignores bytes after the last member that are not another member (Tstat 3.3 read .gz
// through `gunzip -c`).
TEST_P(GzipModes, TrailingNonGzipBytesAreIgnored) {
    auto gz = gzip_compress(sample_pcap(10));
    for (const std::vector<uint8_t>& tail :
         {std::vector<uint8_t>(512, 0), std::vector<uint8_t>{'j', 'u', 'n', 'k'},
          std::vector<uint8_t>{0x1f}}) {
        auto bytes = gz;
        bytes.insert(bytes.end(), tail.begin(), tail.end());
        auto src = open_bytes(bytes, GetParam());
        ASSERT_TRUE(src->ok());
        Drained d = drain(**src);
        EXPECT_EQ(d.last, ReadStatus::kEnd) << d.error;
        expect_sample(d, 10);
    }
}

TEST_P(GzipModes, TruncatedGzipDeliversWhatInflatesThenFails) {
    auto plain = sample_pcap(400);
    auto gz = gzip_compress(plain);
    for (size_t cut : {gz.size() - 1, gz.size() - 8, gz.size() / 2, size_t{40}}) {
        SCOPED_TRACE("cut at " + std::to_string(cut));
        std::vector<uint8_t> bytes(gz.begin(), gz.begin() + static_cast<long>(cut));
        auto src = open_bytes(bytes, GetParam());
        if (cut == 40) {
            // Not even the pcap file header inflates from so little.
            ASSERT_FALSE(src->ok());
            EXPECT_NE(src->source.error().find("t.pcap: gzip data cut short at compressed "
                                               "offset 40 (member 1 has no end)"),
                      std::string::npos)
                << src->source.error();
            continue;
        }
        ASSERT_TRUE(src->ok()) << src->source.error();
        Drained d = drain(**src);
        EXPECT_EQ(d.last, ReadStatus::kError);
        EXPECT_NE(d.error.find("gzip data cut short"), std::string::npos) << d.error;
        EXPECT_NE(d.error.find("t.pcap: record "), std::string::npos) << d.error;
        // Everything inflated before the cut is delivered, in order and intact.
        for (size_t i = 0; i < d.packets.size(); ++i)
            ASSERT_EQ(d.packets[i].data,
                      test_payload((i * 97) % 1400 + 20, static_cast<uint32_t>(i)));
        if (cut >= gz.size() - 8) {
            EXPECT_EQ(d.packets.size(), 400u);  // only the trailer is lost
        }
    }
}

// Reading through a tiny buffer must not lose what zlib still holds when the compressed
// input is cut: at every cut point, a 64-byte window and a 4 MiB one see the same packets and
// the same error.
TEST(GzipInput, CutStreamReadsTheSameThroughAnyBufferSize) {
    // Small, repetitive records: long matches whose output exceeds the 64-byte window.
    PcapWriter w;
    for (uint32_t i = 0; i < 60; ++i) w.packet(10, i % 3, std::vector<uint8_t>(20 + i % 2, 0));
    auto gz = gzip_compress(w.bytes(), 9);
    for (size_t cut = 30; cut < gz.size(); ++cut) {
        SCOPED_TRACE("cut at " + std::to_string(cut));
        std::vector<uint8_t> bytes(gz.begin(), gz.begin() + static_cast<long>(cut));
        auto big = open_bytes(bytes, OpenMode::kMemory);
        auto small = open_bytes(bytes, OpenMode::kStreamed, {}, 64);
        ASSERT_EQ(big->ok(), small->ok());
        if (!big->ok()) {
            EXPECT_EQ(big->source.error(), small->source.error());
            continue;
        }
        Drained a = drain(**big);
        Drained b = drain(**small);
        EXPECT_EQ(a.packets.size(), b.packets.size());
        EXPECT_EQ(a.error, b.error);
    }
}

TEST_P(GzipModes, CrcErrorIsReported) {
    auto gz = gzip_compress(sample_pcap(50));
    gz[gz.size() - 6] ^= 0xff;  // inside the CRC-32 of the trailer
    auto src = open_bytes(gz, GetParam());
    ASSERT_TRUE(src->ok());
    Drained d = drain(**src);
    EXPECT_EQ(d.packets.size(), 50u);
    EXPECT_EQ(d.last, ReadStatus::kError);
    EXPECT_NE(d.error.find("incorrect data check"), std::string::npos) << d.error;
}

// A second member whose first deflate block has the reserved type 3: zlib stops right there.
TEST_P(GzipModes, CorruptDeflateDataIsReported) {
    auto plain = sample_pcap(300);
    const size_t split = plain.size() / 2;
    auto gz = gzip_compress(std::span(plain).first(split));
    const size_t second = gz.size();
    auto rest = gzip_compress(std::span(plain).subspan(split));
    rest[10] = 0x07;  // BFINAL=1, BTYPE=11
    gz.insert(gz.end(), rest.begin(), rest.end());
    auto src = open_bytes(gz, GetParam());
    ASSERT_TRUE(src->ok());
    Drained d = drain(**src);
    EXPECT_EQ(d.last, ReadStatus::kError);
    EXPECT_GT(d.packets.size(), 100u);
    EXPECT_LT(d.packets.size(), 200u);
    EXPECT_NE(d.error.find("gzip data corrupt at compressed offset " + std::to_string(second + 11) +
                           ": invalid block type"),
              std::string::npos)
        << d.error;
}

TEST(GzipInput, CompressedGarbageIsNotATrace) {
    const std::string text = "hello, world";
    auto gz = gzip_compress(std::span(reinterpret_cast<const uint8_t*>(text.data()), text.size()));
    for (OpenMode mode : kAllModes) {
        auto src = open_bytes(gz, mode);
        ASSERT_FALSE(src->ok());
        EXPECT_NE(src->source.error().find(
                      "gzip data is not a pcap or pcapng file (first bytes 68 65 6c 6c)"),
                  std::string::npos)
            << src->source.error();
    }
    auto empty = gzip_compress({});
    auto src = open_bytes(empty, OpenMode::kFile);
    ASSERT_FALSE(src->ok());
    EXPECT_NE(src->source.error().find("empty gzip data"), std::string::npos)
        << src->source.error();
}

}  // namespace
}  // namespace tstat::capture::test
