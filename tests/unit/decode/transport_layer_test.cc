// TCP and UDP headers: fields, options pointer/length/caplen, payload lengths as Tstat counts.
#include <gtest/gtest.h>

#include <cstring>

#include "decode_test_util.h"

namespace tstat::decode {
namespace {

using testing::Bytes;
using testing::PacketBuilder;

constexpr DecodeStatus kOk = DecodeStatus::kOk;

PacketBuilder eth_tcp(bool v6 = false) {
    PacketBuilder b;
    b.ethernet();
    if (v6) {
        b.ipv6("2001:db8::1", "2001:db8::2");
    } else {
        b.ipv4("10.0.0.1", "10.0.0.2");
    }
    b.tcp(12345, 80);
    return b;
}

TEST(Tcp, HeaderFields) {
    for (bool v6 : {false, true}) {
        PacketBuilder b = eth_tcp(v6);
        b.seq(0xdeadbeef).ack(0x01020304).window(0xfedc).flags(0xff).payload("hello");
        const Decoded d = decode_built(b);
        ASSERT_EQ(d.status, kOk);
        ASSERT_TRUE(d.pkt.transport_ok);
        const TcpHeader& t = d.pkt.tcp;
        EXPECT_EQ(t.src_port, 12345);
        EXPECT_EQ(t.dst_port, 80);
        EXPECT_EQ(t.seq, 0xdeadbeefu);
        EXPECT_EQ(t.ack, 0x01020304u);
        EXPECT_EQ(t.window, 0xfedc);
        EXPECT_EQ(t.flags, 0xff);
        EXPECT_TRUE(t.syn() && t.ack_set() && t.fin() && t.rst() && t.psh());
        EXPECT_EQ(t.data_offset, 5);
        EXPECT_EQ(t.options_len, 0u);
        EXPECT_EQ(t.options_caplen, 0u);
        EXPECT_EQ(d.offset(t.options), d.offset(d.pkt.l4) + 20);
        EXPECT_EQ(d.pkt.payload_len, 5);
        EXPECT_EQ(d.pkt.payload_caplen, 5u);
        EXPECT_EQ(d.offset(d.pkt.payload), d.offset(d.pkt.l4) + 20);
        EXPECT_EQ(std::memcmp(d.pkt.payload, "hello", 5), 0);
        EXPECT_EQ(d.pkt.l4_len, 25u);
        EXPECT_EQ(d.pkt.l4_caplen, 25u);
    }
}

TEST(Tcp, FlagHelpers) {
    PacketBuilder b = eth_tcp();
    b.flags(tcp_flag::kSyn | tcp_flag::kEce | tcp_flag::kCwr);
    const TcpHeader t = decode_built(b).pkt.tcp;
    EXPECT_TRUE(t.syn());
    EXPECT_FALSE(t.ack_set());
    EXPECT_FALSE(t.fin());
    EXPECT_FALSE(t.rst());
    EXPECT_EQ(t.flags, 0xc2);
}

TEST(Tcp, OptionsPointerAndLength) {
    PacketBuilder b = eth_tcp();
    b.flags(tcp_flag::kSyn).mss(1460).sack_permitted().timestamps(111, 0).nop().window_scale(7);
    const Bytes frame = b.build();
    const Decoded d = decode_frame(frame, b.link_type());
    ASSERT_EQ(d.status, kOk);
    const TcpHeader& t = d.pkt.tcp;
    EXPECT_EQ(t.data_offset, 10);
    EXPECT_EQ(t.options_len, 20u);
    EXPECT_EQ(t.options_caplen, 20u);
    const Bytes expected = {2, 4, 0x05, 0xb4, 4, 2, 8, 10, 0, 0, 0, 111, 0, 0, 0, 0, 1, 3, 3, 7};
    EXPECT_EQ(Bytes(t.options, t.options + t.options_len), expected);
    EXPECT_EQ(d.pkt.payload_len, 0);
}

TEST(Tcp, SackBlocks) {
    PacketBuilder b = eth_tcp(true);
    b.flags(tcp_flag::kAck).nop().nop().sack({{100, 200}, {300, 400}, {500, 600}});
    const Decoded d = decode_built(b);
    ASSERT_EQ(d.status, kOk);
    EXPECT_EQ(d.pkt.tcp.options_len, 28u);
    EXPECT_EQ(d.pkt.tcp.options[2], 5);
    EXPECT_EQ(d.pkt.tcp.options[3], 26);
}

TEST(Tcp, OptionsCutBySnaplen) {
    PacketBuilder b = eth_tcp();
    b.flags(tcp_flag::kSyn).mss(1400).timestamps(1, 2).window_scale(2).sack_permitted();
    const Bytes frame = b.build();
    const size_t tcp_start = 14 + 20;
    for (size_t extra = 0; extra <= 20; ++extra) {
        const Decoded d = decode_frame(frame, b.link_type(), {}, tcp_start + 20 + extra);
        ASSERT_EQ(d.status, kOk);
        ASSERT_TRUE(d.pkt.transport_ok);
        EXPECT_EQ(d.pkt.tcp.options_len, 20u);
        EXPECT_EQ(d.pkt.tcp.options_caplen, extra) << extra;
        EXPECT_EQ(d.pkt.payload_len, 0);
    }
}

TEST(Tcp, OptionsBeyondIpLengthFollowTstatsEndPointer) {
    // ip_len stops 3 bytes into the options, padding follows: ParseOptions sees up to ip + ip_len
    // inclusive, i.e. one byte more than ip_len.
    PacketBuilder b = eth_tcp();
    b.mss(1400).timestamps(1, 2).ip_total_length(20 + 20 + 3).pad_to(14 + 20 + 32 + 10);
    const Decoded d = decode_built(b);
    ASSERT_TRUE(d.pkt.transport_ok);
    EXPECT_EQ(d.pkt.tcp.options_len, 16u);
    EXPECT_EQ(d.pkt.tcp.options_caplen, 4u);
    EXPECT_EQ(d.pkt.payload_len, 23 - 36);
}

TEST(Tcp, DataOffsetBelowFiveIsPassedThrough) {
    // Tstat subtracts 4*th_off whatever it is; ParseOptions sees no options.
    PacketBuilder b = eth_tcp();
    b.data_offset(2).payload("0123456789");
    const Decoded d = decode_built(b);
    ASSERT_EQ(d.status, kOk);
    EXPECT_TRUE(d.pkt.transport_ok);
    EXPECT_EQ(d.pkt.tcp.data_offset, 2);
    EXPECT_EQ(d.pkt.tcp.options_len, 0u);
    EXPECT_EQ(d.pkt.payload_len, 30 - 8);
    EXPECT_EQ(d.offset(d.pkt.payload), d.offset(d.pkt.l4) + 8);
    EXPECT_EQ(d.pkt.payload_caplen, 22u);
}

TEST(Tcp, DataOffsetBeyondPacket) {
    PacketBuilder b = eth_tcp();
    b.data_offset(15).payload("abc");
    const Decoded d = decode_built(b);
    ASSERT_EQ(d.status, kOk);
    EXPECT_TRUE(d.pkt.transport_ok);
    EXPECT_EQ(d.pkt.tcp.options_len, 40u);
    EXPECT_EQ(d.pkt.tcp.options_caplen, 3u);
    EXPECT_EQ(d.pkt.payload_len, 23 - 60);
    EXPECT_EQ(d.pkt.payload, nullptr) << "would point past the frame";
    EXPECT_EQ(d.pkt.payload_caplen, 0u);
}

TEST(Tcp, HeaderCutBySnaplen) {
    PacketBuilder b = eth_tcp();
    b.flags(tcp_flag::kSyn);
    const Bytes frame = b.build();
    for (size_t cut = 34; cut < 54; ++cut) {
        const Decoded d = decode_frame(frame, b.link_type(), {}, cut);
        ASSERT_EQ(d.status, kOk) << cut;
        EXPECT_FALSE(d.pkt.transport_ok) << cut;
        EXPECT_EQ(d.pkt.tcp.src_port, 0) << "not captured: not filled";
        EXPECT_EQ(d.pkt.l4_caplen, cut - 34);
    }
    EXPECT_TRUE(decode_frame(frame, b.link_type(), {}, 54).pkt.transport_ok);
}

TEST(Tcp, Ipv6PayloadLengthDecidesPayload) {
    PacketBuilder b = eth_tcp(true);
    b.payload(Bytes(100, 7)).ipv6_payload_length(20 + 60);
    const Decoded d = decode_built(b);
    ASSERT_EQ(d.status, kOk);
    EXPECT_EQ(d.pkt.payload_len, 60);
    EXPECT_EQ(d.pkt.payload_caplen, 60u);
    EXPECT_EQ(d.pkt.l4_caplen, 80u);
}

TEST(Udp, HeaderFieldsAndPayload) {
    for (bool v6 : {false, true}) {
        PacketBuilder b;
        b.ethernet();
        if (v6) {
            b.ipv6("2001:db8::1", "2001:db8::2");
        } else {
            b.ipv4("10.0.0.1", "10.0.0.2");
        }
        b.udp(53, 33333).payload("response");
        const Decoded d = decode_built(b);
        ASSERT_EQ(d.status, kOk);
        ASSERT_TRUE(d.pkt.transport_ok);
        EXPECT_EQ(d.pkt.udp.src_port, 53);
        EXPECT_EQ(d.pkt.udp.dst_port, 33333);
        EXPECT_EQ(d.pkt.udp.length, 16);
        EXPECT_EQ(d.pkt.payload_len, 8);
        EXPECT_EQ(d.pkt.payload_caplen, 8u);
        EXPECT_EQ(std::memcmp(d.pkt.payload, "response", 8), 0);
    }
}

TEST(Udp, PayloadLengthComesFromTheUdpLengthField) {
    // udp_flow_stat: data_bytes += uh_ulen - 8, whatever the IP header says.
    PacketBuilder longer;
    longer.ethernet().ipv4("10.0.0.1", "10.0.0.2").udp(1, 2).payload(Bytes(10, 0)).udp_length(100);
    Decoded d = decode_built(longer);
    EXPECT_EQ(d.pkt.payload_len, 92);
    EXPECT_EQ(d.pkt.payload_caplen, 10u) << "bounded by the IP packet";
    PacketBuilder shorter;
    shorter.ethernet().ipv4("10.0.0.1", "10.0.0.2").udp(1, 2).payload(Bytes(10, 0)).udp_length(12);
    d = decode_built(shorter);
    EXPECT_EQ(d.pkt.payload_len, 4);
    EXPECT_EQ(d.pkt.payload_caplen, 4u);
    PacketBuilder tiny;
    tiny.ethernet().ipv4("10.0.0.1", "10.0.0.2").udp(1, 2).udp_length(0);
    d = decode_built(tiny);
    EXPECT_TRUE(d.pkt.transport_ok);
    EXPECT_EQ(d.pkt.payload_len, -8);
    EXPECT_EQ(d.pkt.payload_caplen, 0u);
}

TEST(Udp, HeaderCutBySnaplen) {
    PacketBuilder b;
    b.ethernet().ipv6("2001:db8::1", "2001:db8::2").udp(1, 2).payload("x");
    const Bytes frame = b.build();
    for (size_t cut = 54; cut < 62; ++cut) {
        const Decoded d = decode_frame(frame, b.link_type(), {}, cut);
        ASSERT_EQ(d.status, kOk);
        EXPECT_FALSE(d.pkt.transport_ok) << cut;
    }
    const Decoded d = decode_frame(frame, b.link_type(), {}, 62);
    EXPECT_TRUE(d.pkt.transport_ok);
    EXPECT_EQ(d.pkt.payload_len, 1);
    EXPECT_EQ(d.pkt.payload_caplen, 0u);
}

TEST(Transport, HugeFramesAreSeenUpTo65535BytesLikeTstat) {
    PacketBuilder b;
    b.ethernet().ipv4("10.0.0.1", "10.0.0.2").ip_total_length(0).tcp(1, 2);
    b.payload(Bytes(70000, 'x'));
    const Decoded d = decode_built(b);
    EXPECT_EQ(d.pkt.caplen, 14u + 20 + 20 + 70000);
    EXPECT_EQ(d.pkt.ip_caplen, 65535u - 14);
}

}  // namespace
}  // namespace tstat::decode
