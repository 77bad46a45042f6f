// Classic pcap reading: formats, byte orders, Tstat's timestamp rules, damaged files.
#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "capture/raw_packet.h"
#include "capture_test_util.h"
#include "support/pcap_writer.h"

namespace tstat::capture::test {
namespace {

using tstat::testing::ByteOrder;
using tstat::testing::PcapWriter;
using tstat::testing::test_payload;

class PcapModes : public ::testing::TestWithParam<OpenMode> {};

INSTANTIATE_TEST_SUITE_P(Modes, PcapModes, ::testing::ValuesIn(kAllModes), mode_name);

TEST_P(PcapModes, ReadsEveryByteOrderAndResolution) {
    for (ByteOrder order : {ByteOrder::kLittle, ByteOrder::kBig}) {
        for (bool nano : {false, true}) {
            SCOPED_TRACE(std::string(order == ByteOrder::kLittle ? "LE" : "BE") +
                         (nano ? " ns" : " us"));
            PcapWriter::Options o;
            o.order = order;
            o.nanoseconds = nano;
            o.link_type = link::kRaw;
            PcapWriter w(o);
            auto a = test_payload(60, 1);
            auto b = test_payload(1514, 2);
            auto c = test_payload(1, 3);
            w.packet(1700000000, nano ? 123456789 : 123456, a);
            w.packet(1700000001, nano ? 999999999 : 999999, b, 9000);
            w.packet(1700000002, 0, c);
            auto src = open_bytes(w.bytes(), GetParam());
            ASSERT_TRUE(src->ok()) << src->source.error();
            Drained d = drain(**src);
            EXPECT_EQ(d.last, ReadStatus::kEnd) << d.error;
            ASSERT_EQ(d.packets.size(), 3u);
            EXPECT_EQ(d.packets[0].ts_us, 1700000000LL * 1000000 + 123456);
            EXPECT_EQ(d.packets[1].ts_us, 1700000001LL * 1000000 + 999999);
            EXPECT_EQ(d.packets[2].ts_us, 1700000002LL * 1000000);
            EXPECT_EQ(d.packets[0].data, a);
            EXPECT_EQ(d.packets[1].data, b);
            EXPECT_EQ(d.packets[2].data, c);
            EXPECT_EQ(d.packets[1].caplen, 1514u);
            EXPECT_EQ(d.packets[1].wire_len, 9000u);
            EXPECT_EQ(d.packets[0].link_type, link::kRaw);
            std::string desc = (*src)->describe();
            EXPECT_NE(desc.find(nano ? "ns" : "µs"), std::string::npos) << desc;
            EXPECT_NE(desc.find(order == ByteOrder::kLittle ? "little" : "big"), std::string::npos)
                << desc;
            EXPECT_NE(desc.find("raw IP"), std::string::npos) << desc;
        }
    }
}

TEST_P(PcapModes, HeaderOnlyIsACleanEmptyTrace) {
    PcapWriter w;
    auto src = open_bytes(w.bytes(), GetParam());
    ASSERT_TRUE(src->ok()) << src->source.error();
    Drained d = drain(**src);
    EXPECT_EQ(d.last, ReadStatus::kEnd);
    EXPECT_TRUE(d.packets.empty());
    // Further calls keep saying "end".
    PacketBatch batch;
    EXPECT_EQ((*src)->next_batch(batch), ReadStatus::kEnd);
}

// Tstat §3.3: a microsecond field >= 1e6 switches to "bogus nanoseconds" for the rest of the
// input (Tstat's flag is sticky), dividing the field by 1000.
TEST_P(PcapModes, BogusNanosecondsAreAdaptedFromTheFirstOneOn) {
    PcapWriter w;
    auto p = test_payload(40, 7);
    w.packet(10, 500000, p);
    w.packet(11, 2500000, p);  // bogus: 2.5e6 "µs" is 2500 µs
    w.packet(12, 999999, p);   // sticky: 999 µs
    auto src = open_bytes(w.bytes(), GetParam());
    ASSERT_TRUE(src->ok());
    Drained d = drain(**src);
    ASSERT_EQ(d.packets.size(), 3u);
    EXPECT_EQ(d.packets[0].ts_us, 10500000);
    EXPECT_EQ(d.packets[1].ts_us, 11002500);
    EXPECT_EQ(d.packets[2].ts_us, 12000999);
}

TEST_P(PcapModes, ZeroTimestampsAreSkippedOnlyAtTheStart) {
    PcapWriter w;
    w.packet(0, 0, test_payload(20, 1));
    w.packet(0, 0, test_payload(21, 2));
    w.packet(5, 1, test_payload(22, 3));
    w.packet(0, 0, test_payload(23, 4));
    w.packet(0, 7, test_payload(24, 5));
    auto src = open_bytes(w.bytes(), GetParam());
    ASSERT_TRUE(src->ok());
    Drained d = drain(**src);
    ASSERT_EQ(d.packets.size(), 3u);
    EXPECT_EQ(d.packets[0].ts_us, 5000001);
    EXPECT_EQ(d.packets[0].caplen, 22u);
    EXPECT_EQ(d.packets[1].ts_us, 0);
    EXPECT_EQ(d.packets[2].ts_us, 7);
    // The skipped records are still counted as read.
    EXPECT_EQ((*src)->progress().packets, 5u);
}

TEST_P(PcapModes, NanosecondFieldIsTruncatedToMicroseconds) {
    PcapWriter::Options o;
    o.nanoseconds = true;
    PcapWriter w(o);
    w.packet(1, 1999, test_payload(10, 1));
    auto src = open_bytes(w.bytes(), GetParam());
    ASSERT_TRUE(src->ok());
    Drained d = drain(**src);
    ASSERT_EQ(d.packets.size(), 1u);
    EXPECT_EQ(d.packets[0].ts_us, 1000001);
}

// Cut a trace at every byte: all records that are complete come out, then either a clean end
// (cut on a record boundary) or an error naming the broken record.
TEST_P(PcapModes, TruncatedAtEveryPointDeliversCompleteRecordsThenFails) {
    PcapWriter w;
    const size_t sizes[] = {60, 1, 300, 0, 77};
    for (size_t i = 0; i < std::size(sizes); ++i)
        w.packet(100 + static_cast<uint32_t>(i), 0,
                 test_payload(sizes[i], static_cast<uint32_t>(i)));
    const auto& full = w.bytes();
    const auto& offsets = w.record_offsets();
    for (size_t cut = 0; cut <= full.size(); ++cut) {
        SCOPED_TRACE("cut at " + std::to_string(cut));
        std::vector<uint8_t> bytes(full.begin(), full.begin() + static_cast<long>(cut));
        auto src = open_bytes(bytes, GetParam());
        if (cut < 24) {
            ASSERT_FALSE(src->ok());
            EXPECT_NE(src->source.error().find(cut == 0 ? "empty" : "t.pcap"), std::string::npos)
                << src->source.error();
            continue;
        }
        ASSERT_TRUE(src->ok()) << src->source.error();
        Drained d = drain(**src);
        size_t complete = 0;
        bool boundary = cut == full.size();
        for (size_t i = 0; i < offsets.size(); ++i) {
            size_t end = i + 1 < offsets.size() ? offsets[i + 1] : full.size();
            if (end <= cut) ++complete;
            if (offsets[i] == cut) boundary = true;
        }
        ASSERT_EQ(d.packets.size(), complete);
        for (size_t i = 0; i < complete; ++i)
            EXPECT_EQ(d.packets[i].data, test_payload(sizes[i], static_cast<uint32_t>(i)));
        if (boundary) {
            EXPECT_EQ(d.last, ReadStatus::kEnd) << d.error;
        } else {
            EXPECT_EQ(d.last, ReadStatus::kError);
            const std::string where = "record " + std::to_string(complete + 1) + " at offset " +
                                      std::to_string(offsets[complete]);
            EXPECT_NE(d.error.find(where), std::string::npos) << d.error;
            EXPECT_NE(d.error.find("file ends inside"), std::string::npos) << d.error;
            EXPECT_EQ(d.error.find('\n'), std::string::npos);
        }
    }
}

TEST_P(PcapModes, HugeCaplenIsAnErrorAfterTheGoodRecords) {
    PcapWriter w;
    w.packet(1, 0, test_payload(100, 1));
    w.packet(2, 0, test_payload(100, 2));
    w.record(3, 0, 4325376, 4325376, test_payload(100, 3));
    w.packet(4, 0, test_payload(100, 4));
    auto src = open_bytes(w.bytes(), GetParam());
    ASSERT_TRUE(src->ok());
    Drained d = drain(**src);
    EXPECT_EQ(d.packets.size(), 2u);
    EXPECT_EQ(d.last, ReadStatus::kError);
    const std::string expected = "t.pcap: record 3 at offset " +
                                 std::to_string(w.record_offsets()[2]) +
                                 ": caplen 4325376 exceeds 262144";
    EXPECT_NE(d.error.find(expected), std::string::npos) << d.error;
    // The error is sticky.
    PacketBatch batch;
    EXPECT_EQ((*src)->next_batch(batch), ReadStatus::kError);
    EXPECT_EQ(batch.count, 0u);
}

TEST_P(PcapModes, CaplenAboveSnaplenIsCutToTheSnaplenAsLibpcapDoes) {
    PcapWriter::Options o;
    o.snaplen = 64;
    PcapWriter w(o);
    auto big = test_payload(200, 9);
    w.packet(1, 0, big);
    w.packet(2, 0, test_payload(30, 10));
    auto src = open_bytes(w.bytes(), GetParam());
    ASSERT_TRUE(src->ok());
    Drained d = drain(**src);
    ASSERT_EQ(d.packets.size(), 2u);
    EXPECT_EQ(d.packets[0].caplen, 64u);
    EXPECT_EQ(d.packets[0].wire_len, 200u);
    EXPECT_EQ(d.packets[0].data, std::vector<uint8_t>(big.begin(), big.begin() + 64));
    EXPECT_EQ(d.packets[1].data, test_payload(30, 10));
}

TEST_P(PcapModes, WireLengthBelowCaplenIsRaisedToCaplen) {
    PcapWriter w;
    w.record(1, 0, 50, 20, test_payload(50, 1));
    auto src = open_bytes(w.bytes(), GetParam());
    ASSERT_TRUE(src->ok());
    Drained d = drain(**src);
    ASSERT_EQ(d.packets.size(), 1u);
    EXPECT_EQ(d.packets[0].caplen, 50u);
    EXPECT_EQ(d.packets[0].wire_len, 50u);
}

// Files older than 2.3 store the two lengths the other way round (libpcap swaps them back).
TEST_P(PcapModes, OldVersionsHaveTheLengthsInterchanged) {
    PcapWriter::Options o;
    o.version_minor = 2;
    PcapWriter w(o);
    w.record(1, 0, /*caplen field holds wire len*/ 1500, /*len field holds caplen*/ 40,
             test_payload(40, 1));
    auto src = open_bytes(w.bytes(), GetParam());
    ASSERT_TRUE(src->ok());
    Drained d = drain(**src);
    ASSERT_EQ(d.packets.size(), 1u) << d.error;
    EXPECT_EQ(d.packets[0].caplen, 40u);
    EXPECT_EQ(d.packets[0].wire_len, 1500u);

    // 2.3: swapped only when the first field is larger than the second.
    o.version_minor = 3;
    PcapWriter w3(o);
    w3.record(1, 0, 1500, 40, test_payload(40, 1));
    w3.record(2, 0, 40, 1500, test_payload(40, 2));
    auto src3 = open_bytes(w3.bytes(), GetParam());
    ASSERT_TRUE(src3->ok());
    Drained d3 = drain(**src3);
    ASSERT_EQ(d3.packets.size(), 2u) << d3.error;
    EXPECT_EQ(d3.packets[0].caplen, 40u);
    EXPECT_EQ(d3.packets[1].caplen, 40u);
    EXPECT_EQ(d3.packets[1].wire_len, 1500u);
}

TEST_P(PcapModes, KuznetzovRecordsHaveLongerHeaders) {
    PcapWriter::Options o;
    o.magic = 0xa1b2cd34;
    o.link_type = link::kRaw;
    PcapWriter w(o);
    auto a = test_payload(40, 1);
    w.record(7, 8, 40, 40, {});
    const uint8_t extra[8] = {1, 2, 3, 4, 5, 6, 7, 8};  // ifindex, protocol, pkt_type, pad
    w.raw(extra);
    w.raw(a);
    auto src = open_bytes(w.bytes(), GetParam());
    ASSERT_TRUE(src->ok());
    Drained d = drain(**src);
    ASSERT_EQ(d.packets.size(), 1u) << d.error;
    EXPECT_EQ(d.packets[0].ts_us, 7000008);
    EXPECT_EQ(d.packets[0].data, a);
}

TEST_P(PcapModes, LinkTypeFcsBitsAreIgnored) {
    PcapWriter::Options o;
    o.link_type = 0x14000001;  // Ethernet with "FCS present, 4 bytes" bits set
    PcapWriter w(o);
    w.packet(1, 0, test_payload(64, 1));
    auto src = open_bytes(w.bytes(), GetParam());
    ASSERT_TRUE(src->ok());
    Drained d = drain(**src);
    ASSERT_EQ(d.packets.size(), 1u);
    EXPECT_EQ(d.packets[0].link_type, link::kEthernet);
}

TEST_P(PcapModes, ManyPacketsComeInFullBatches) {
    PcapWriter w;
    constexpr uint32_t kCount = 1000;
    for (uint32_t i = 0; i < kCount; ++i) w.packet(1000 + i, i, test_payload(i % 300 + 14, i));
    auto src = open_bytes(w.bytes(), GetParam(), {}, size_t{1} << 20);
    ASSERT_TRUE(src->ok());
    Drained d = drain(**src);
    ASSERT_EQ(d.packets.size(), kCount);
    for (uint32_t i = 0; i < kCount; ++i) {
        ASSERT_EQ(d.packets[i].data, test_payload(i % 300 + 14, i)) << i;
        ASSERT_EQ(d.packets[i].ts_us, (1000 + int64_t{i}) * 1000000 + i);
    }
    // 1000 packets in a 1 MiB window: full batches of 256 except the last.
    EXPECT_EQ(d.batches, 4u);
    Progress p = (*src)->progress();
    EXPECT_EQ(p.packets, kCount);
    EXPECT_EQ(p.bytes_read, w.bytes().size());
}

TEST(PcapReader, UnsupportedVersionIsReportedAtOpen) {
    PcapWriter::Options o;
    o.version_major = 1;
    o.version_minor = 4;
    PcapWriter w(o);
    w.packet(1, 0, test_payload(10, 1));
    for (OpenMode mode : kAllModes) {
        auto src = open_bytes(w.bytes(), mode);
        ASSERT_FALSE(src->ok());
        EXPECT_NE(src->source.error().find("t.pcap: unsupported pcap version 1.4"),
                  std::string::npos)
            << src->source.error();
    }
}

TEST(PcapReader, GarbageIsNotATrace) {
    const std::string html = "<html><body>not a capture</body></html>\n";
    std::vector<uint8_t> bytes(html.begin(), html.end());
    for (OpenMode mode : kAllModes) {
        auto src = open_bytes(bytes, mode);
        ASSERT_FALSE(src->ok());
        EXPECT_NE(
            src->source.error().find("t.pcap: not a pcap or pcapng file (first bytes 3c 68 74 6d)"),
            std::string::npos)
            << src->source.error();
    }
}

TEST(PcapReader, EmptyFileIsReported) {
    for (OpenMode mode : kAllModes) {
        auto src = open_bytes({}, mode);
        ASSERT_FALSE(src->ok());
        EXPECT_NE(src->source.error().find("t.pcap: empty file"), std::string::npos)
            << src->source.error();
    }
}

TEST(PcapReader, MissingFileAndDirectoryAreReported) {
    SourceSpec spec;
    spec.path = "/nonexistent/dir/x.pcap";
    auto r = open_source(spec);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error(), "/nonexistent/dir/x.pcap: cannot open: No such file or directory");

    tstat::testing::ScratchDir dir;
    spec.path = dir.path();
    auto r2 = open_source(spec);
    ASSERT_FALSE(r2.ok());
    EXPECT_NE(r2.error().find("is a directory"), std::string::npos) << r2.error();
}

// Records crossing the chunk boundary of the default (large) buffer come out intact, and
// every packet of a batch is still valid when the batch is handed out.
TEST(PcapReader, RecordsStraddlingDefaultChunksAreIntact) {
    PcapWriter w;
    uint32_t i = 0;
    while (w.bytes().size() < (size_t{9} << 20)) {
        w.packet(1 + i, 0, test_payload(i * 37 % 1515, i));
        ++i;
    }
    tstat::testing::ScratchDir dir;
    SourceSpec spec;
    spec.path = dir.file("big.pcap");
    tstat::testing::write_file(spec.path, w.bytes());
    for (bool mapped : {false, true}) {
        pcap_file::ReaderOptions options;
        options.map_files = mapped;
        auto src = pcap_file::open_file_source(spec, options);
        ASSERT_TRUE(src.ok()) << src.error();
        Drained d = drain(**src);
        EXPECT_EQ(d.last, ReadStatus::kEnd);
        ASSERT_EQ(d.packets.size(), i);
        for (uint32_t k = 0; k < i; ++k)
            ASSERT_EQ(d.packets[k].data, test_payload(k * 37 % 1515, k)) << k;
        Progress p = (*src)->progress();
        EXPECT_EQ(p.bytes_read, w.bytes().size());
        EXPECT_EQ(p.total_bytes, w.bytes().size());
    }
}

TEST(PcapReader, DescribeNamesTheFormat) {
    PcapWriter w;
    w.packet(1, 0, test_payload(10, 1));
    auto src = open_bytes(w.bytes(), OpenMode::kMemory);
    ASSERT_TRUE(src->ok());
    EXPECT_EQ((*src)->describe(), "pcap (µs, little-endian, Ethernet)");
    EXPECT_EQ((*src)->stats(), "");
}

}  // namespace
}  // namespace tstat::capture::test
