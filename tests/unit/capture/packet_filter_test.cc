// -f on trace files: the BPF filter is applied per packet, compiled per link type.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "capture/raw_packet.h"
#include "capture_test_util.h"
#include "support/pcap_writer.h"

namespace tstat::capture::test {
namespace {

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
            w.enhanced(1, 10 + i, std::span(frame).subspan(14));   // raw IP: no Ethernet
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

}  // namespace
}  // namespace tstat::capture::test
