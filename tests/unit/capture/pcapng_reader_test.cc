// pcapng reading: interfaces with their own link types and clocks, all packet block kinds,
// sections in both byte orders, skipped blocks, damaged files.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "capture/raw_packet.h"
#include "capture_test_util.h"
#include "support/pcap_writer.h"

namespace tstat::capture::test {
namespace {

using tstat::testing::ByteOrder;
using tstat::testing::PcapngOption;
using tstat::testing::PcapngWriter;
using tstat::testing::test_payload;

class PcapngModes : public ::testing::TestWithParam<OpenMode> {};

INSTANTIATE_TEST_SUITE_P(Modes, PcapngModes, ::testing::ValuesIn(kAllModes), mode_name);

constexpr int64_t kSec = 1000000;

TEST_P(PcapngModes, InterfacesKeepTheirOwnLinkTypeAndClock) {
    for (ByteOrder order : {ByteOrder::kLittle, ByteOrder::kBig}) {
        SCOPED_TRACE(order == ByteOrder::kLittle ? "LE" : "BE");
        PcapngWriter w(order);
        w.section({{1, {'h', 'i'}}});
        const uint32_t eth = w.interface(link::kEthernet, 0);               // default µs
        const uint32_t raw = w.interface(link::kRaw, 65535, 9);             // ns
        const uint32_t sll = w.interface(link::kLinuxSll, 0, 3);            // ms
        const uint32_t bin = w.interface(link::kIpv4, 0, 0x80 | 20, 1000);  // 2^-20 s, +1000 s
        const uint32_t sec = w.interface(link::kIpv6, 0, 0, -5);            // s, -5 s
        const uint32_t tenth = w.interface(link::kEthernet, 0, 7);          // 100 ns
        auto a = test_payload(60, 1);
        w.enhanced(eth, 1700000000ULL * 1000000 + 123456, a);
        w.enhanced(raw, 1700000000ULL * 1000000000 + 987654321, a, 100);
        w.enhanced(sll, 1700000000ULL * 1000 + 5, a);
        w.enhanced(bin, (uint64_t{1700000000} << 20) | (1u << 19), a);  // +0.5 s
        w.enhanced(sec, 1700000000ULL, a);
        w.enhanced(tenth, 17000000001234567ULL, a);
        auto src = open_bytes(w.bytes(), GetParam());
        ASSERT_TRUE(src->ok()) << src->source.error();
        Drained d = drain(**src);
        EXPECT_EQ(d.last, ReadStatus::kEnd) << d.error;
        ASSERT_EQ(d.packets.size(), 6u);
        EXPECT_EQ(d.packets[0].link_type, link::kEthernet);
        EXPECT_EQ(d.packets[0].ts_us, 1700000000 * kSec + 123456);
        EXPECT_EQ(d.packets[1].link_type, link::kRaw);
        EXPECT_EQ(d.packets[1].ts_us, 1700000000 * kSec + 987654);
        EXPECT_EQ(d.packets[1].wire_len, 100u);
        EXPECT_EQ(d.packets[2].link_type, link::kLinuxSll);
        EXPECT_EQ(d.packets[2].ts_us, 1700000000 * kSec + 5000);
        EXPECT_EQ(d.packets[3].link_type, link::kIpv4);
        EXPECT_EQ(d.packets[3].ts_us, 1700001000 * kSec + 500000);
        EXPECT_EQ(d.packets[4].ts_us, 1699999995 * kSec);
        EXPECT_EQ(d.packets[5].ts_us, 1700000000 * kSec + 123456);
        for (const Captured& c : d.packets) EXPECT_EQ(c.data, a);
        std::string desc = (*src)->describe();
        EXPECT_NE(desc.find("pcapng"), std::string::npos) << desc;
        EXPECT_NE(desc.find("6 interfaces"), std::string::npos) << desc;
        EXPECT_NE(desc.find("Linux cooked"), std::string::npos) << desc;
    }
}

// Binary resolutions are converted by truncation: frac * 1e6 / 2^k, rounded down.
TEST_P(PcapngModes, BinaryResolutionTruncates) {
    PcapngWriter w;
    w.section();
    const uint32_t i = w.interface(link::kEthernet, 0, 0x80 | 10);  // 1/1024 s
    w.enhanced(i, (uint64_t{100} << 10) | 1, test_payload(10, 1));  // 100 s + 976.5625 µs
    w.enhanced(i, (uint64_t{100} << 10) | 1023, test_payload(10, 2));
    auto src = open_bytes(w.bytes(), GetParam());
    ASSERT_TRUE(src->ok());
    Drained d = drain(**src);
    ASSERT_EQ(d.packets.size(), 2u);
    EXPECT_EQ(d.packets[0].ts_us, 100 * kSec + 976);
    EXPECT_EQ(d.packets[1].ts_us, 100 * kSec + 999023);
}

TEST_P(PcapngModes, SimpleAndObsoletePacketBlocks) {
    PcapngWriter w;
    w.section();
    w.interface(link::kEthernet, 64);
    const uint32_t second = w.interface(link::kRaw, 0);
    auto a = test_payload(100, 1);
    w.enhanced(0, 5 * kSec, test_payload(30, 0));
    w.simple(a);  // cut to interface 0's snaplen, no timestamp
    w.obsolete(static_cast<uint16_t>(second), 6 * kSec + 1, a, 1500);
    auto src = open_bytes(w.bytes(), GetParam());
    ASSERT_TRUE(src->ok());
    Drained d = drain(**src);
    ASSERT_EQ(d.packets.size(), 3u) << d.error;
    EXPECT_EQ(d.packets[1].ts_us, 0);
    EXPECT_EQ(d.packets[1].caplen, 64u);
    EXPECT_EQ(d.packets[1].wire_len, 100u);
    EXPECT_EQ(d.packets[1].data, std::vector<uint8_t>(a.begin(), a.begin() + 64));
    EXPECT_EQ(d.packets[2].link_type, link::kRaw);
    EXPECT_EQ(d.packets[2].ts_us, 6 * kSec + 1);
    EXPECT_EQ(d.packets[2].wire_len, 1500u);
    EXPECT_EQ(d.packets[2].data, a);
}

// Simple packet blocks carry no time; at the start of a file that makes them "timestamp 0"
// packets, which Tstat skips (spec §3.3).
TEST_P(PcapngModes, LeadingSimplePacketsAreSkippedAsZeroTimestamps) {
    PcapngWriter w;
    w.section();
    w.interface(link::kEthernet, 0);
    w.simple(test_payload(50, 1));
    w.enhanced(0, 0, test_payload(50, 2));
    w.enhanced(0, 9, test_payload(50, 3));
    auto src = open_bytes(w.bytes(), GetParam());
    ASSERT_TRUE(src->ok());
    Drained d = drain(**src);
    ASSERT_EQ(d.packets.size(), 1u);
    EXPECT_EQ(d.packets[0].ts_us, 9);
    EXPECT_EQ((*src)->progress().packets, 3u);
}

TEST_P(PcapngModes, UnknownBlocksAndPacketOptionsAreSkipped) {
    PcapngWriter w;
    w.section();
    const std::vector<uint8_t> body = test_payload(37, 5);
    w.block(4, body);  // name resolution
    w.interface(link::kEthernet, 0, std::nullopt, std::nullopt,
                {{2, {'e', 't', 'h', '0'}}, {8, {0, 0, 0, 0, 0, 0, 0, 1}}});
    w.block(0x0BAD, body);  // custom
    w.enhanced(0, 1, test_payload(33, 1), 0, {{1, {'c', 'o', 'm', 'm', 'e', 'n', 't'}}});
    w.block(5, body);           // interface statistics
    w.block(0x0A, body);        // decryption secrets
    w.block(0x40000BAD, body);  // custom, not to be copied
    w.enhanced(0, 2, test_payload(34, 2));
    auto src = open_bytes(w.bytes(), GetParam());
    ASSERT_TRUE(src->ok());
    Drained d = drain(**src);
    EXPECT_EQ(d.last, ReadStatus::kEnd) << d.error;
    ASSERT_EQ(d.packets.size(), 2u);
    EXPECT_EQ(d.packets[0].data, test_payload(33, 1));
    EXPECT_EQ(d.packets[1].data, test_payload(34, 2));
}

TEST_P(PcapngModes, SectionsMayChangeByteOrderAndRestartInterfaces) {
    PcapngWriter w(ByteOrder::kLittle);
    w.section();
    w.interface(link::kEthernet, 0);
    w.enhanced(0, 10, test_payload(40, 1));
    w.section_in(ByteOrder::kBig);
    w.interface(link::kRaw, 0, 9);
    w.enhanced(0, 20000, test_payload(41, 2));
    w.section_in(ByteOrder::kLittle);
    w.interface(link::kLinuxSll2, 0);
    w.enhanced(0, 30, test_payload(42, 3));
    auto src = open_bytes(w.bytes(), GetParam());
    ASSERT_TRUE(src->ok());
    Drained d = drain(**src);
    EXPECT_EQ(d.last, ReadStatus::kEnd) << d.error;
    ASSERT_EQ(d.packets.size(), 3u);
    EXPECT_EQ(d.packets[0].link_type, link::kEthernet);
    EXPECT_EQ(d.packets[1].link_type, link::kRaw);
    EXPECT_EQ(d.packets[1].ts_us, 20);
    EXPECT_EQ(d.packets[2].link_type, link::kLinuxSll2);
    EXPECT_EQ(d.packets[2].data, test_payload(42, 3));
    EXPECT_NE((*src)->describe().find("3 sections"), std::string::npos);
}

// Damage in the middle: what came before is delivered, then one line naming the block.
struct Damage {
    const char* name;
    void (*apply)(PcapngWriter& w, std::vector<uint8_t>& bytes, size_t block_offset);
    const char* message;
};

void expect_damage(const Damage& dmg, OpenMode mode) {
    SCOPED_TRACE(dmg.name);
    PcapngWriter w;
    w.section();
    w.interface(link::kEthernet, 0);
    w.enhanced(0, 1, test_payload(40, 1));
    w.enhanced(0, 2, test_payload(40, 2));
    const size_t offset = w.bytes().size();  // the damaged block is the 5th
    std::vector<uint8_t> bytes = w.bytes();
    dmg.apply(w, bytes, offset);
    auto src = open_bytes(bytes, mode);
    ASSERT_TRUE(src->ok()) << src->source.error();
    Drained d = drain(**src);
    EXPECT_EQ(d.packets.size(), 2u);
    EXPECT_EQ(d.last, ReadStatus::kError);
    const std::string where = "t.pcap: block 5 at offset " + std::to_string(offset) + ": ";
    EXPECT_NE(d.error.find(where + dmg.message), std::string::npos) << d.error;
}

void append(std::vector<uint8_t>& bytes, const std::vector<uint8_t>& more) {
    bytes.insert(bytes.end(), more.begin(), more.end());
}

TEST_P(PcapngModes, DamagedBlocksAreReportedAfterTheGoodOnes) {
    const Damage cases[] = {
        {"absurd length",
         [](PcapngWriter&, std::vector<uint8_t>& b, size_t) {
             append(b, {6, 0, 0, 0, 0, 0, 0, 0x40, 0, 0, 0, 0});
         },
         "block length 1073741824 exceeds 16777216"},
        {"length not a multiple of 4",
         [](PcapngWriter&, std::vector<uint8_t>& b, size_t) {
             append(b, {6, 0, 0, 0, 33, 0, 0, 0, 0, 0, 0, 0});
         },
         "invalid block length 33"},
        {"length below 12",
         [](PcapngWriter&, std::vector<uint8_t>& b, size_t) {
             append(b, {6, 0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0});
         },
         "invalid block length 8"},
        {"trailer mismatch",
         [](PcapngWriter& w, std::vector<uint8_t>& b, size_t at) {
             w.enhanced(0, 3, test_payload(40, 3));
             b = w.bytes();
             b[b.size() - 4] ^= 0x10;
             (void)at;
         },
         "block length 72 in the header but 88 in the trailer"},
        {"caplen beyond the block",
         [](PcapngWriter& w, std::vector<uint8_t>& b, size_t at) {
             w.enhanced(0, 3, test_payload(40, 3));
             b = w.bytes();
             b[at + 20] = 200;  // caplen 200 in a 72-byte block
         },
         "caplen 200 exceeds the block (length 72)"},
        {"unknown interface",
         [](PcapngWriter& w, std::vector<uint8_t>& b, size_t) {
             w.enhanced(3, 3, test_payload(40, 3));
             b = w.bytes();
         },
         "packet on interface 3, but the section describes 1"},
        {"bad byte-order magic",
         [](PcapngWriter& w, std::vector<uint8_t>& b, size_t at) {
             w.section();
             b = w.bytes();
             b[at + 8] = 0x77;
         },
         "section header with a bad byte-order magic 0x1a2b3c77"},
        {"packet before the new section's interfaces",
         [](PcapngWriter& w, std::vector<uint8_t>& b, size_t) {
             w.section();
             w.enhanced(0, 3, test_payload(40, 3));
             b = w.bytes();
         },
         ""},
        {"too fine if_tsresol",
         [](PcapngWriter& w, std::vector<uint8_t>& b, size_t) {
             w.interface(link::kEthernet, 0, 20);
             b = w.bytes();
         },
         "if_tsresol 10^-20 is too fine"},
        {"interface option overrun",
         [](PcapngWriter& w, std::vector<uint8_t>& b, size_t at) {
             w.interface(link::kEthernet, 0, std::nullopt, std::nullopt, {{2, {'a', 'b'}}});
             b = w.bytes();
             b[at + 18] = 0x40;  // option length 64 in a 32-byte block
         },
         "interface option 2 of length 64 overruns the block"},
    };
    for (const Damage& dmg : cases) {
        if (std::string(dmg.name) == "packet before the new section's interfaces") {
            // The section header is block 5, the packet block 6.
            PcapngWriter w;
            w.section();
            w.interface(link::kEthernet, 0);
            w.enhanced(0, 1, test_payload(40, 1));
            w.section();
            const size_t at = w.bytes().size();
            w.enhanced(0, 3, test_payload(40, 3));
            auto src = open_bytes(w.bytes(), GetParam());
            ASSERT_TRUE(src->ok());
            Drained d = drain(**src);
            EXPECT_EQ(d.packets.size(), 1u);
            EXPECT_NE(d.error.find("block 5 at offset " + std::to_string(at) +
                                   ": packet on interface 0, but the section describes 0"),
                      std::string::npos)
                << d.error;
            continue;
        }
        expect_damage(dmg, GetParam());
    }
}

TEST_P(PcapngModes, TruncatedAtEveryPointDeliversCompleteBlocksThenFails) {
    PcapngWriter w;
    w.section();
    w.interface(link::kEthernet, 0);
    const size_t sizes[] = {60, 1, 0, 150};
    for (size_t i = 0; i < std::size(sizes); ++i)
        w.enhanced(0, 1000 + i, test_payload(sizes[i], static_cast<uint32_t>(i)));
    const auto& full = w.bytes();
    const auto& offsets = w.block_offsets();  // SHB, IDB, then the packets
    for (size_t cut = offsets[2]; cut <= full.size(); ++cut) {
        SCOPED_TRACE("cut at " + std::to_string(cut));
        std::vector<uint8_t> bytes(full.begin(), full.begin() + static_cast<long>(cut));
        auto src = open_bytes(bytes, GetParam());
        ASSERT_TRUE(src->ok()) << src->source.error();
        Drained d = drain(**src);
        size_t complete = 0;
        bool boundary = cut == full.size();
        for (size_t i = 2; i < offsets.size(); ++i) {
            size_t end = i + 1 < offsets.size() ? offsets[i + 1] : full.size();
            if (end <= cut) ++complete;
            if (offsets[i] == cut) boundary = true;
        }
        ASSERT_EQ(d.packets.size(), complete);
        if (boundary) {
            EXPECT_EQ(d.last, ReadStatus::kEnd) << d.error;
        } else {
            EXPECT_EQ(d.last, ReadStatus::kError);
            const std::string where = "block " + std::to_string(complete + 3) + " at offset " +
                                      std::to_string(offsets[complete + 2]) +
                                      ": file ends inside the block";
            EXPECT_NE(d.error.find(where), std::string::npos) << d.error;
        }
    }
}

TEST(PcapngReader, ProblemsBeforeTheFirstInterfaceFailTheOpen) {
    struct Case {
        const char* name;
        std::vector<uint8_t> bytes;
        const char* message;
    };
    std::vector<Case> cases;
    {
        PcapngWriter w;
        w.section({}, 0, 1);
        w.interface(link::kEthernet);
        cases.push_back({"version", w.bytes(), "unsupported pcapng version 0.1"});
    }
    {
        PcapngWriter w;
        w.section({{4, {'a', 'b', 'c', 'd'}}});
        std::vector<uint8_t> b = w.bytes();
        b[26] = 0x30;  // option length 0x3004: far beyond the block
        b[27] = 0x30;
        cases.push_back({"option overrun", b, "section header option 4 of length 12336 overruns"});
    }
    {
        PcapngWriter w;
        w.section();
        cases.push_back({"no interface", w.bytes(), "without an Interface Description Block"});
    }
    {
        PcapngWriter w;
        w.section();
        w.enhanced(0, 1, test_payload(10, 1));
        cases.push_back({"packet first", w.bytes(), "packet on interface 0, but the section"});
    }
    {
        PcapngWriter w;
        w.section();
        std::vector<uint8_t> b = w.bytes();
        b.resize(b.size() - 6);
        cases.push_back({"cut SHB", b, "block 1 at offset 0: file ends inside the block"});
    }
    for (const Case& c : cases) {
        SCOPED_TRACE(c.name);
        for (OpenMode mode : kAllModes) {
            auto src = open_bytes(c.bytes, mode);
            ASSERT_FALSE(src->ok());
            EXPECT_NE(src->source.error().find(c.message), std::string::npos)
                << src->source.error();
        }
    }
}

TEST(PcapngReader, LargeTraceWithDefaultChunksIsIntact) {
    PcapngWriter w(ByteOrder::kBig);
    w.section();
    w.interface(link::kEthernet, 0);
    w.interface(link::kRaw, 0, 9);
    uint32_t i = 0;
    while (w.bytes().size() < (size_t{9} << 20)) {
        w.enhanced(i % 2, 1000000 + i, test_payload(i * 53 % 1600, i));
        ++i;
    }
    tstat::testing::ScratchDir dir;
    SourceSpec spec;
    spec.path = dir.file("big.pcapng");
    tstat::testing::write_file(spec.path, w.bytes());
    auto src = open_source(spec);
    ASSERT_TRUE(src.ok()) << src.error();
    Drained d = drain(**src);
    EXPECT_EQ(d.last, ReadStatus::kEnd) << d.error;
    ASSERT_EQ(d.packets.size(), i);
    for (uint32_t k = 0; k < i; ++k) {
        ASSERT_EQ(d.packets[k].data, test_payload(k * 53 % 1600, k)) << k;
        ASSERT_EQ(d.packets[k].link_type, k % 2 == 0 ? link::kEthernet : link::kRaw);
    }
    EXPECT_EQ((*src)->progress().bytes_read, w.bytes().size());
}

}  // namespace
}  // namespace tstat::capture::test
