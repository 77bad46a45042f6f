// -f on trace files: the BPF filter is applied per packet, compiled per link type.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "capture/raw_packet.h"
#include "capture_test_util.h"
#include "support/pcap_writer.h"

namespace tstat::capture::test {
namespace {

using tstat::testing::ByteOrder;
using tstat::testing::PcapngWriter;
using tstat::testing::PcapWriter;
using tstat::testing::udp_frame;

uint16_t dst_port(const Captured& c, size_t ip_offset) {
    return static_cast<uint16_t>(c.data[ip_offset + 22] << 8 | c.data[ip_offset + 23]);
}

TEST(PacketFilter, FiltersPcapRecords) {
    PcapWriter w;
    for (uint32_t i = 0; i < 40; ++i)
        w.packet(1 + i, 0, udp_frame(1000, static_cast<uint16_t>(i % 3 == 0 ? 53 : 80)));
    for (OpenMode mode : kAllModes) {
        SCOPED_TRACE(to_string(mode));
        auto src = open_bytes(w.bytes(), mode, "udp dst port 53");
        ASSERT_TRUE(src->ok()) << src->source.error();
        Drained d = drain(**src);
        EXPECT_EQ(d.last, ReadStatus::kEnd);
        ASSERT_EQ(d.packets.size(), 14u);
        for (const Captured& c : d.packets) EXPECT_EQ(dst_port(c, 14), 53);
        EXPECT_EQ(d.packets[1].ts_us, 4000000);
        EXPECT_EQ((*src)->progress().packets, 40u);
    }
}

// The same expression is compiled for each interface's link type.
TEST(PacketFilter, FiltersPcapngInterfacesOfDifferentLinkTypes) {
    PcapngWriter w;
    w.section();
    w.interface(link::kEthernet, 0);
    w.interface(link::kRaw, 0);
    for (uint32_t i = 0; i < 20; ++i) {
        auto frame = udp_frame(1000, static_cast<uint16_t>(i % 2 == 0 ? 53 : 80));
        if (i % 4 < 2) {
            w.enhanced(0, 10 + i, frame);
        } else {
            w.enhanced(1, 10 + i, std::span(frame).subspan(14));  // raw IP: no Ethernet
        }
    }
    auto src = open_bytes(w.bytes(), OpenMode::kStreamed, "udp port 53");
    ASSERT_TRUE(src->ok()) << src->source.error();
    Drained d = drain(**src);
    EXPECT_EQ(d.last, ReadStatus::kEnd) << d.error;
    ASSERT_EQ(d.packets.size(), 10u);
    for (const Captured& c : d.packets)
        EXPECT_EQ(dst_port(c, c.link_type == link::kEthernet ? 14 : 0), 53);
    EXPECT_EQ(d.packets[0].link_type, link::kEthernet);
    EXPECT_EQ(d.packets[1].link_type, link::kRaw);
}

// The filter runs before Tstat's zero-timestamp rule: a filtered-out packet does not end the
// leading run of zero timestamps.
TEST(PacketFilter, RunsBeforeTheZeroTimestampRule) {
    PcapWriter w;
    w.packet(0, 0, udp_frame(1, 53));
    w.packet(7, 0, udp_frame(1, 80));
    w.packet(0, 0, udp_frame(1, 53));
    w.packet(9, 0, udp_frame(1, 53));
    auto src = open_bytes(w.bytes(), OpenMode::kMemory, "udp port 53");
    ASSERT_TRUE(src->ok());
    Drained d = drain(**src);
    ASSERT_EQ(d.packets.size(), 1u);
    EXPECT_EQ(d.packets[0].ts_us, 9000000);
}

TEST(PacketFilter, BadExpressionFailsTheOpen) {
    PcapWriter w;
    w.packet(1, 0, udp_frame(1, 53));
    auto src = open_bytes(w.bytes(), OpenMode::kFile, "udp port");
    ASSERT_FALSE(src->ok());
    EXPECT_NE(src->source.error().find("t.pcap: filter \"udp port\" does not compile for "
                                       "Ethernet: "),
              std::string::npos)
        << src->source.error();
    EXPECT_EQ(src->source.error().find('\n'), std::string::npos);
}

// An Ethernet-only filter cannot apply to a raw-IP interface met later in a pcapng file.
TEST(PacketFilter, ExpressionInvalidForALaterLinkTypeStopsThere) {
    PcapngWriter w;
    w.section();
    w.interface(link::kEthernet, 0);
    w.enhanced(0, 1, udp_frame(1, 53));
    w.interface(link::kRaw, 0);
    auto frame = udp_frame(1, 53);
    w.enhanced(1, 2, std::span(frame).subspan(14));
    auto src = open_bytes(w.bytes(), OpenMode::kMemory, "ether src 04:04:04:04:04:04");
    ASSERT_TRUE(src->ok()) << src->source.error();
    Drained d = drain(**src);
    EXPECT_EQ(d.packets.size(), 1u);
    EXPECT_EQ(d.last, ReadStatus::kError);
    EXPECT_NE(d.error.find("does not compile for raw IP"), std::string::npos) << d.error;
}

// libpcap compiles against the file's byte order: the BSD loopback family field is in the
// writer's order, and the filter must compare it that way (a pcap_open_dead() handle would
// not); other link types must work in both orders too.
TEST(PacketFilter, WorksInBothByteOrdersIncludingBsdLoopback) {
    for (ByteOrder order : {ByteOrder::kLittle, ByteOrder::kBig}) {
        SCOPED_TRACE(order == ByteOrder::kLittle ? "LE" : "BE");
        PcapWriter::Options o;
        o.order = order;
        o.link_type = link::kNull;
        PcapWriter w(o);
        auto ip = udp_frame(1, 53);
        ip.erase(ip.begin(), ip.begin() + 14);
        for (uint32_t family : {2u, 24u, 2u}) {  // AF_INET, AF_INET6 (BSD), AF_INET
            tstat::testing::ByteSink fam(order);
            fam.u32(family);
            std::vector<uint8_t> frame = fam.bytes();
            frame.insert(frame.end(), ip.begin(), ip.end());
            w.packet(1, 0, frame);
        }
        auto src = open_bytes(w.bytes(), OpenMode::kMemory, "ip");
        ASSERT_TRUE(src->ok()) << src->source.error();
        EXPECT_EQ(drain(**src).packets.size(), 2u);

        o.link_type = link::kEthernet;
        PcapWriter e(o);
        e.packet(1, 0, udp_frame(1, 53));
        e.packet(2, 0, udp_frame(1, 80));
        auto src2 = open_bytes(e.bytes(), OpenMode::kMemory, "ip and udp port 53");
        ASSERT_TRUE(src2->ok()) << src2->source.error();
        EXPECT_EQ(drain(**src2).packets.size(), 1u);
    }
}

// The filter sees the lengths libpcap would give it (before wire_len is raised to caplen).
TEST(PacketFilter, SeesTheRecordedWireLength) {
    PcapWriter w;
    w.record(1, 0, 42, 40, udp_frame(1, 53, 0));  // wire length below caplen
    w.packet(2, 0, udp_frame(1, 53, 100));
    auto src = open_bytes(w.bytes(), OpenMode::kMemory, "less 41");
    ASSERT_TRUE(src->ok());
    Drained d = drain(**src);
    ASSERT_EQ(d.packets.size(), 1u);
    EXPECT_EQ(d.packets[0].wire_len, 42u);
}

}  // namespace
}  // namespace tstat::capture::test
