// decode_packet() as a whole: reusing one output object across packets, as workers do.
#include <gtest/gtest.h>

#include "decode_test_util.h"

namespace tstat::decode {
namespace {

using testing::Bytes;
using testing::PacketBuilder;

// Every field of DecodedPacket, compared one by one (the pointers by offset into their frame).
void expect_same(const DecodedPacket& a, const uint8_t* a_base, const DecodedPacket& b,
                 const uint8_t* b_base) {
    auto off = [](const uint8_t* p, const uint8_t* base) { return p ? p - base : -1; };
    EXPECT_EQ(a.ts, b.ts);
    EXPECT_EQ(a.caplen, b.caplen);
    EXPECT_EQ(a.wire_len, b.wire_len);
    EXPECT_EQ(off(a.src_mac, a_base), off(b.src_mac, b_base));
    EXPECT_EQ(off(a.dst_mac, a_base), off(b.dst_mac, b_base));
    EXPECT_EQ(a.vlan_id, b.vlan_id);
    EXPECT_EQ(a.vlan_count, b.vlan_count);
    EXPECT_EQ(a.mpls_count, b.mpls_count);
    EXPECT_EQ(a.pppoe, b.pppoe);
    EXPECT_EQ(off(a.outer_ip, a_base), off(b.outer_ip, b_base));
    EXPECT_EQ(a.ip_version, b.ip_version);
    EXPECT_EQ(a.src, b.src);
    EXPECT_EQ(a.dst, b.dst);
    EXPECT_EQ(a.ttl, b.ttl);
    EXPECT_EQ(a.tos, b.tos);
    EXPECT_EQ(a.ip_id, b.ip_id);
    EXPECT_EQ(a.protocol, b.protocol);
    EXPECT_EQ(off(a.ip, a_base), off(b.ip, b_base));
    EXPECT_EQ(a.ip_caplen, b.ip_caplen);
    EXPECT_EQ(a.ip_header_len, b.ip_header_len);
    EXPECT_EQ(a.ip_total_len, b.ip_total_len);
    EXPECT_EQ(a.ecn_ce, b.ecn_ce);
    EXPECT_EQ(a.more_fragments, b.more_fragments);
    EXPECT_EQ(a.fragment_offset, b.fragment_offset);
    EXPECT_EQ(a.tstat_ip_caplen, b.tstat_ip_caplen);
    EXPECT_EQ(a.transport_ok, b.transport_ok);
    EXPECT_EQ(off(a.l4, a_base), off(b.l4, b_base));
    EXPECT_EQ(a.l4_len, b.l4_len);
    EXPECT_EQ(a.l4_caplen, b.l4_caplen);
    EXPECT_EQ(a.tcp.src_port, b.tcp.src_port);
    EXPECT_EQ(a.tcp.dst_port, b.tcp.dst_port);
    EXPECT_EQ(a.tcp.seq, b.tcp.seq);
    EXPECT_EQ(a.tcp.ack, b.tcp.ack);
    EXPECT_EQ(a.tcp.data_offset, b.tcp.data_offset);
    EXPECT_EQ(a.tcp.flags, b.tcp.flags);
    EXPECT_EQ(a.tcp.window, b.tcp.window);
    EXPECT_EQ(off(a.tcp.options, a_base), off(b.tcp.options, b_base));
    EXPECT_EQ(a.tcp.options_len, b.tcp.options_len);
    EXPECT_EQ(a.tcp.options_caplen, b.tcp.options_caplen);
    EXPECT_EQ(a.udp.src_port, b.udp.src_port);
    EXPECT_EQ(a.udp.dst_port, b.udp.dst_port);
    EXPECT_EQ(a.udp.length, b.udp.length);
    EXPECT_EQ(off(a.payload, a_base), off(b.payload, b_base));
    EXPECT_EQ(a.payload_len, b.payload_len);
    EXPECT_EQ(a.payload_caplen, b.payload_caplen);
}

TEST(DecodePacket, ReusedOutputIsFullyReset) {
    PacketBuilder rich;
    rich.ethernet().vlan(3).pppoe().ipv4("1.1.1.1", "2.2.2.2").tos(3).fragment(0, true);
    rich.ipv4("10.0.0.1", "10.0.0.2").tcp(1, 2).flags(0xff).seq(9).ack(9).mss(1).payload("p");
    const Bytes rich_frame = rich.build();
    PacketBuilder udp;
    udp.raw_link().ipv6("::1", "::2").udp(7, 8).payload("u");
    PacketBuilder arp;
    arp.ethernet().payload(Bytes(28, 1)).ether_type(0x0806);
    for (const PacketBuilder* next : {&udp, &arp}) {
        const Bytes frame = next->build();
        DecodedPacket reused;
        ASSERT_EQ(decode_packet(testing::raw_packet(rich_frame, rich.link_type()), reused),
                  DecodeStatus::kOk);
        const capture::RawPacket raw = testing::raw_packet(frame, next->link_type(), Timestamp{5});
        DecodedPacket fresh;
        EXPECT_EQ(decode_packet(raw, reused), decode_packet(raw, fresh));
        expect_same(reused, frame.data(), fresh, frame.data());
    }
    // And nothing but the capture fields when the link type is unknown.
    DecodedPacket reused;
    ASSERT_EQ(decode_packet(testing::raw_packet(rich_frame, rich.link_type()), reused),
              DecodeStatus::kOk);
    const capture::RawPacket raw = testing::raw_packet(rich_frame, 9999, Timestamp{6});
    EXPECT_EQ(decode_packet(raw, reused), DecodeStatus::kUnsupportedLink);
    DecodedPacket expected;
    expected.ts = Timestamp{6};
    expected.caplen = expected.wire_len = static_cast<uint32_t>(rich_frame.size());
    expect_same(reused, rich_frame.data(), expected, rich_frame.data());
}

}  // namespace
}  // namespace tstat::decode
