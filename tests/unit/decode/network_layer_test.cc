// IPv4 (options, IHL, lengths, fragments, ECN, IP-in-IP) and IPv6 (extension header chains,
// fragments, Tstat's fragment-offset bug in compat mode).
#include <gtest/gtest.h>

#include <initializer_list>

#include "decode_test_util.h"

namespace tstat::decode {
namespace {

using testing::Bytes;
using testing::PacketBuilder;

constexpr DecodeStatus kOk = DecodeStatus::kOk;

PacketBuilder eth_v4() {
    PacketBuilder b;
    b.ethernet().ipv4("10.1.2.3", "10.4.5.6");
    return b;
}
PacketBuilder eth_v6() {
    PacketBuilder b;
    b.ethernet().ipv6("fe80::1", "2001:db8::99");
    return b;
}

// ---- IPv4 ----

TEST(Ipv4, HeaderFields) {
    PacketBuilder b = eth_v4();
    b.ttl(42).tos(0xb8).ip_id(0xbeef).dont_fragment().udp(1000, 2000).payload("xyz");
    const Decoded d = decode_built(b);
    ASSERT_EQ(d.status, kOk);
    EXPECT_EQ(d.pkt.ip_version, 4);
    EXPECT_EQ(d.pkt.ttl, 42);
    EXPECT_EQ(d.pkt.tos, 0xb8);
    EXPECT_EQ(d.pkt.ip_id, 0xbeef);
    EXPECT_EQ(d.pkt.protocol, ip_proto::kUdp);
    EXPECT_EQ(d.pkt.ip_header_len, 20u);
    EXPECT_EQ(d.pkt.ip_total_len, 20u + 8 + 3);
    EXPECT_EQ(d.pkt.ip_caplen, 31u);
    EXPECT_EQ(d.pkt.tstat_ip_caplen, 31u);
    EXPECT_EQ(d.pkt.l4_len, 11u);
    EXPECT_FALSE(d.pkt.ecn_ce);
    EXPECT_FALSE(d.pkt.more_fragments);
    EXPECT_EQ(d.pkt.fragment_offset, 0);
    EXPECT_EQ(d.pkt.src.v4_host(), 0x0A010203u);
    EXPECT_EQ(d.pkt.dst.to_string(), "10.4.5.6");
    EXPECT_EQ(d.pkt.outer_ip, nullptr);
}

TEST(Ipv4, EcnCe) {
    for (uint8_t ecn = 0; ecn < 4; ++ecn) {
        PacketBuilder b = eth_v4();
        b.tos(static_cast<uint8_t>(0x20 | ecn)).tcp(1, 2);
        EXPECT_EQ(decode_built(b).pkt.ecn_ce, ecn == 3) << int{ecn};
    }
}

TEST(Ipv4, OptionsMoveTheTransportHeader) {
    for (size_t words = 1; words <= 10; ++words) {
        PacketBuilder b = eth_v4();
        Bytes options(words * 4, 0x01);  // NOPs
        b.ip_options(options).tcp(80, 8080).flags(tcp_flag::kSyn);
        const Decoded d = decode_built(b);
        ASSERT_EQ(d.status, kOk) << words;
        EXPECT_EQ(d.pkt.ip_header_len, 20 + words * 4);
        EXPECT_EQ(d.offset(d.pkt.l4), static_cast<long>(14 + 20 + words * 4));
        EXPECT_TRUE(d.pkt.transport_ok);
        EXPECT_EQ(d.pkt.tcp.src_port, 80);
        EXPECT_EQ(d.pkt.payload_len, 0);
    }
}

TEST(Ipv4, IhlBelowFiveIsMalformed) {
    for (uint8_t ihl = 0; ihl < 5; ++ihl) {
        PacketBuilder b = eth_v4();
        b.ihl(ihl).tcp(1, 2).flags(tcp_flag::kSyn);
        const Decoded d = decode_built(b);
        EXPECT_EQ(d.status, DecodeStatus::kMalformed) << int{ihl};
        EXPECT_EQ(d.pkt.ip_version, 4) << "IP fields are still filled";
    }
}

TEST(Ipv4, IhlBelowFiveInCompatModeLooksForTcpAt4TimesIhl) {
    // Tstat never checks the IHL: with IHL 0 the "TCP header" is the IP header itself.
    PacketBuilder b = eth_v4();
    b.ihl(0).tcp(1, 2).flags(tcp_flag::kSyn);
    const Decoded d = decode_built(b, compat());
    ASSERT_EQ(d.status, kOk);
    EXPECT_EQ(d.pkt.ip_header_len, 0u);
    EXPECT_EQ(d.pkt.l4, d.pkt.ip);
    EXPECT_TRUE(d.pkt.transport_ok);
    EXPECT_EQ(d.pkt.payload_len,
              static_cast<int32_t>(d.pkt.ip_total_len) - 4 * d.pkt.tcp.data_offset);
}

TEST(Ipv4, IhlBeyondCaptureIsTruncated) {
    PacketBuilder b = eth_v4();
    b.ihl(15).payload(Bytes(10, 0));
    const Decoded d = decode_built(b);
    EXPECT_EQ(d.status, DecodeStatus::kTruncated);
    EXPECT_EQ(d.pkt.src.to_string(), "10.1.2.3");
}

TEST(Ipv4, BadVersion) {
    PacketBuilder b = eth_v4();
    b.ip_version(5).tcp(1, 2);
    EXPECT_EQ(decode_built(b).status, DecodeStatus::kMalformed);
    PacketBuilder null;
    null.null_link().ipv4("10.0.0.1", "10.0.0.2").ip_version(0).tcp(1, 2);
    EXPECT_EQ(decode_built(null).status, DecodeStatus::kNotIp) << "no protocol field claimed IP";
}

TEST(Ipv4, TotalLengthBeyondCaptureCountsTheHeaderLength) {
    // Snaplen-truncated: Tstat's lengths come from ip_len, not from what was captured.
    PacketBuilder b = eth_v4();
    b.tcp(1, 2).flags(tcp_flag::kAck).payload(Bytes(1400, 'a'));
    const Decoded d = decode_frame(b.build(), b.link_type(), {}, 14 + 20 + 20 + 100);
    ASSERT_EQ(d.status, kOk);
    EXPECT_EQ(d.pkt.ip_total_len, 1440u);
    EXPECT_EQ(d.pkt.l4_len, 1420u);
    EXPECT_EQ(d.pkt.payload_len, 1400);
    EXPECT_EQ(d.pkt.payload_caplen, 100u);
    EXPECT_EQ(d.pkt.l4_caplen, 120u);
    EXPECT_EQ(d.pkt.ip_caplen, 140u);
    EXPECT_EQ(d.pkt.tstat_ip_caplen, 140u);
    EXPECT_TRUE(d.pkt.transport_ok);
}

TEST(Ipv4, ZeroTotalLengthLikeTsoCaptures) {
    // Tstat clips its end pointer to ip_len: with 0 the TCP header is "too short", no flow.
    PacketBuilder b = eth_v4();
    b.ip_total_length(0).tcp(1, 2).flags(tcp_flag::kAck).payload(Bytes(3000, 'z'));
    const Decoded d = decode_built(b);
    ASSERT_EQ(d.status, kOk);
    EXPECT_EQ(d.pkt.ip_total_len, 0u);
    EXPECT_EQ(d.pkt.l4_len, 0u);
    EXPECT_EQ(d.pkt.tstat_ip_caplen, 1u);
    EXPECT_FALSE(d.pkt.transport_ok);
    EXPECT_EQ(d.pkt.tcp.src_port, 1) << "header bytes captured: fields filled anyway";
    EXPECT_EQ(d.pkt.l4_caplen, 3020u) << "no sane IP length: the capture bounds l4";
    PacketBuilder u = eth_v4();
    u.ip_total_length(0).udp(1, 2).payload("q");
    EXPECT_FALSE(decode_built(u).pkt.transport_ok);
}

TEST(Ipv4, TotalLengthShorterThanTransportHeader) {
    // Tstat's end pointer is ip + ip_len (one past the last byte): a TCP header that ends one
    // byte after ip_len still passes its "too short" test when padding follows.
    for (int missing : {0, 1, 2}) {
        PacketBuilder b = eth_v4();
        b.ip_total_length(static_cast<uint16_t>(40 - missing)).tcp(1, 2).pad_to(60);
        const Decoded d = decode_built(b);
        ASSERT_EQ(d.status, kOk);
        EXPECT_EQ(d.pkt.transport_ok, missing <= 1) << missing;
        EXPECT_EQ(d.pkt.payload_len, -missing);
        EXPECT_EQ(d.pkt.payload_caplen, 0u);
    }
    PacketBuilder u = eth_v4();
    u.ip_total_length(27).udp(1, 2).pad_to(60);
    EXPECT_TRUE(decode_built(u).pkt.transport_ok);
    u.ip_total_length(26);
    EXPECT_FALSE(decode_built(u).pkt.transport_ok);
}

TEST(Ipv4, EthernetPaddingIsNotPayload) {
    PacketBuilder b = eth_v4();
    b.tcp(1, 2).flags(tcp_flag::kAck).pad_to(60);
    const Decoded d = decode_built(b);
    ASSERT_EQ(d.status, kOk);
    EXPECT_EQ(d.pkt.ip_caplen, 46u);
    EXPECT_EQ(d.pkt.tstat_ip_caplen, 41u) << "Tstat's ip_len + 1";
    EXPECT_EQ(d.pkt.l4_caplen, 20u);
    EXPECT_EQ(d.pkt.payload_len, 0);
    EXPECT_EQ(d.pkt.payload_caplen, 0u);
    PacketBuilder u = eth_v4();
    u.udp(1, 2).payload("ab").pad_to(60);
    const Decoded du = decode_built(u);
    EXPECT_EQ(du.pkt.payload_len, 2);
    EXPECT_EQ(du.pkt.payload_caplen, 2u);
}

TEST(Ipv4, FirstFragmentIsDecoded) {
    PacketBuilder b = eth_v4();
    b.fragment(0, true).udp(53, 5353).payload(Bytes(100, 1)).udp_length(3000);
    const Decoded d = decode_built(b);
    ASSERT_EQ(d.status, kOk);
    EXPECT_TRUE(d.pkt.more_fragments);
    EXPECT_EQ(d.pkt.fragment_offset, 0);
    EXPECT_TRUE(d.pkt.transport_ok);
    EXPECT_EQ(d.pkt.payload_len, 2992) << "UDP length field, as Tstat counts it";
    EXPECT_EQ(d.pkt.payload_caplen, 100u);
}

TEST(Ipv4, NonInitialFragmentsAreSkipped) {
    for (bool more : {true, false}) {
        PacketBuilder b = eth_v4();
        b.fragment(1480, more).udp(53, 5353).payload("data");
        const Decoded d = decode_built(b);
        EXPECT_EQ(d.status, DecodeStatus::kFragment);
        EXPECT_EQ(d.pkt.fragment_offset, 185);
        EXPECT_EQ(d.pkt.more_fragments, more);
        EXPECT_EQ(d.pkt.protocol, ip_proto::kUdp);
        EXPECT_EQ(d.pkt.src.to_string(), "10.1.2.3") << "IP fields valid for IP counters";
        EXPECT_FALSE(d.pkt.transport_ok);
        EXPECT_EQ(decode_built(b, compat()).status, DecodeStatus::kFragment);
    }
    PacketBuilder smallest = eth_v4();
    smallest.fragment(8, false).tcp(1, 2);
    EXPECT_EQ(decode_built(smallest).status, DecodeStatus::kFragment);
}

TEST(Ipv4, OtherProtocolsGetIpFieldsOnly) {
    PacketBuilder b = eth_v4();
    b.icmp(8, 0).payload("ping");
    const Decoded d = decode_built(b);
    ASSERT_EQ(d.status, kOk);
    EXPECT_EQ(d.pkt.protocol, ip_proto::kIcmp);
    EXPECT_FALSE(d.pkt.transport_ok);
    EXPECT_EQ(d.offset(d.pkt.l4), 34);
    EXPECT_EQ(d.pkt.l4_len, 12u);
    EXPECT_EQ(d.pkt.payload, nullptr);
    PacketBuilder gre = eth_v4();
    gre.ip_protocol(47).payload(Bytes(24, 0));
    EXPECT_EQ(decode_built(gre).pkt.protocol, 47);
}

// ---- IP-in-IP / 6in4 ----

TEST(Tunnel, Ipv4InIpv4) {
    PacketBuilder b;
    b.ethernet().ipv4("1.1.1.1", "2.2.2.2").ttl(10).ipv4("10.0.0.1", "10.0.0.2").ttl(20);
    b.tcp(1111, 80).flags(tcp_flag::kSyn);
    const Decoded d = decode_built(b);
    ASSERT_EQ(d.status, kOk);
    EXPECT_EQ(d.offset(d.pkt.outer_ip), 14);
    EXPECT_EQ(d.offset(d.pkt.ip), 34);
    EXPECT_EQ(d.pkt.src.to_string(), "10.0.0.1");
    EXPECT_EQ(d.pkt.ttl, 20);
    EXPECT_EQ(d.pkt.ip_total_len, 40u);
    EXPECT_EQ(d.pkt.ip_caplen, 40u);
    EXPECT_TRUE(d.pkt.transport_ok);
    EXPECT_EQ(d.pkt.tcp.src_port, 1111);
    EXPECT_EQ(d.offset(d.pkt.src_mac), 6) << "link fields survive the restart";
}

TEST(Tunnel, Ipv6InIpv4) {
    PacketBuilder b;
    b.ethernet().vlan(9).ipv4("1.1.1.1", "2.2.2.2").ipv6("2001:db8::a", "2001:db8::b");
    b.hop_by_hop().udp(500, 4500).payload("ike");
    const Decoded d = decode_built(b);
    ASSERT_EQ(d.status, kOk);
    EXPECT_EQ(d.pkt.ip_version, 6);
    EXPECT_EQ(d.pkt.vlan_id, 9);
    EXPECT_EQ(d.offset(d.pkt.outer_ip), 18);
    EXPECT_EQ(d.pkt.src.to_string(), "2001:db8::a");
    EXPECT_EQ(d.pkt.ip_header_len, 48u);
    EXPECT_EQ(d.pkt.udp.dst_port, 4500);
    EXPECT_EQ(d.pkt.payload_len, 3);
}

TEST(Tunnel, OnlyOneLevelIsSkipped) {
    PacketBuilder b;
    b.raw_link().ipv4("1.1.1.1", "2.2.2.2").ipv4("3.3.3.3", "4.4.4.4").ipv4("5.5.5.5", "6.6.6.6");
    b.tcp(1, 2);
    const Decoded d = decode_built(b);
    ASSERT_EQ(d.status, kOk);
    EXPECT_EQ(d.pkt.src.to_string(), "3.3.3.3");
    EXPECT_EQ(d.pkt.protocol, ip_proto::kIpInIp);
    EXPECT_FALSE(d.pkt.transport_ok);
}

TEST(Tunnel, Ipv6OuterHeaderIsNotUnwrapped) {
    // Tstat only unwraps an IPv4 outer header: 4in6 / 6in6 stay protocol 4 / 41.
    PacketBuilder b;
    b.raw_link().ipv6("2001:db8::1", "2001:db8::2").ipv4("10.0.0.1", "10.0.0.2").tcp(1, 2);
    const Decoded d = decode_built(b);
    ASSERT_EQ(d.status, kOk);
    EXPECT_EQ(d.pkt.protocol, ip_proto::kIpInIp);
    EXPECT_EQ(d.pkt.outer_ip, nullptr);
    EXPECT_FALSE(d.pkt.transport_ok);
}

TEST(Tunnel, InnerHeaderProblems) {
    PacketBuilder junk;
    junk.raw_link().ipv4("1.1.1.1", "2.2.2.2").ip_protocol(4).payload(Bytes{0x35, 1, 2, 3});
    EXPECT_EQ(decode_built(junk).status, DecodeStatus::kMalformed);
    PacketBuilder empty;
    empty.raw_link().ipv4("1.1.1.1", "2.2.2.2").ip_protocol(41);
    EXPECT_EQ(decode_built(empty).status, DecodeStatus::kTruncated);
    PacketBuilder short_inner;
    short_inner.raw_link().ipv4("1.1.1.1", "2.2.2.2").ipv4("3.3.3.3", "4.4.4.4").tcp(1, 2);
    const Bytes frame = short_inner.build();
    const Decoded d = decode_frame(frame, short_inner.link_type(), {}, 30);
    EXPECT_EQ(d.status, DecodeStatus::kTruncated);
    EXPECT_EQ(d.offset(d.pkt.ip), 20);
    EXPECT_EQ(d.pkt.ip_version, 4);
    EXPECT_EQ(d.pkt.src.version(), 0) << "outer addresses are not left behind";
}

TEST(Tunnel, FragmentedOuterHeader) {
    // First fragment: unwrapped like Tstat. Later fragment: Tstat unwraps payload bytes
    // anyway; we call it a fragment unless in compat mode.
    PacketBuilder first;
    first.raw_link().ipv4("1.1.1.1", "2.2.2.2").fragment(0, true);
    first.ipv4("10.0.0.1", "10.0.0.2").udp(1, 2).payload(Bytes(50, 0));
    EXPECT_EQ(decode_built(first).status, kOk);
    PacketBuilder later;
    later.raw_link().ipv4("1.1.1.1", "2.2.2.2").fragment(1480, false);
    later.ipv4("10.0.0.1", "10.0.0.2").udp(1, 2).payload(Bytes(50, 0));
    EXPECT_EQ(decode_built(later).status, DecodeStatus::kFragment);
    const Decoded c = decode_built(later, compat());
    EXPECT_EQ(c.status, kOk);
    EXPECT_EQ(c.pkt.src.to_string(), "10.0.0.1");
}

// ---- IPv6 ----

TEST(Ipv6, HeaderFields) {
    PacketBuilder b = eth_v6();
    b.ttl(255).tos(0x2e).flow_label(0xabcde).tcp(443, 50000).flags(tcp_flag::kAck).payload("hi");
    const Decoded d = decode_built(b);
    ASSERT_EQ(d.status, kOk);
    EXPECT_EQ(d.pkt.ip_version, 6);
    EXPECT_EQ(d.pkt.ttl, 255);
    EXPECT_EQ(d.pkt.tos, 0x2e);
    EXPECT_EQ(d.pkt.ip_id, 0);
    EXPECT_EQ(d.pkt.ip_header_len, 40u);
    EXPECT_EQ(d.pkt.ip_total_len, 62u);
    EXPECT_EQ(d.pkt.l4_len, 22u);
    EXPECT_EQ(d.pkt.payload_len, 2);
    EXPECT_EQ(d.pkt.src.to_string(), "fe80::1");
    EXPECT_EQ(d.pkt.dst.to_string(), "2001:db8::99");
    EXPECT_FALSE(d.pkt.ecn_ce) << "Tstat's ECN test is IPv4 only";
}

TEST(Ipv6, ExtensionHeaderChain) {
    PacketBuilder b = eth_v6();
    b.hop_by_hop(Bytes{0x05, 0x02, 0x00, 0x00})  // router alert
        .destination_options(Bytes(10, 0))
        .routing(4, 1, Bytes(20, 0))
        .mobility(Bytes{0x3b})
        .destination_options()
        .tcp(1, 2)
        .flags(tcp_flag::kSyn)
        .payload("abc");
    const Decoded d = decode_built(b);
    ASSERT_EQ(d.status, kOk);
    EXPECT_EQ(d.pkt.protocol, ip_proto::kTcp);
    EXPECT_EQ(d.pkt.ip_header_len, 40u + 8 + 16 + 24 + 8 + 8);
    EXPECT_EQ(d.offset(d.pkt.l4), static_cast<long>(14 + d.pkt.ip_header_len));
    EXPECT_EQ(d.pkt.l4_len, 23u) << "40 + payload length - headers (Tstat's getpayloadlength)";
    EXPECT_EQ(d.pkt.ip_total_len, 40u + 64 + 23);
    EXPECT_TRUE(d.pkt.transport_ok);
    EXPECT_EQ(d.pkt.payload_len, 3);
    EXPECT_EQ(d.pkt.payload_caplen, 3u);
}

TEST(Ipv6, AuthenticationHeaderLength) {
    // AH length is in 4-byte units minus 2.
    PacketBuilder b = eth_v6();
    b.ah(Bytes(12, 0xaa)).udp(1, 2).payload("p");
    const Decoded d = decode_built(b);
    ASSERT_EQ(d.status, kOk);
    EXPECT_EQ(d.pkt.ip_header_len, 40u + 24);
    EXPECT_EQ(d.pkt.udp.src_port, 1);
    EXPECT_EQ(d.pkt.payload_len, 1);
}

TEST(Ipv6, WalkStopsWhereTstatStops) {
    struct Case {
        uint8_t type;
        const char* name;
    };
    for (Case c :
         {Case{50, "ESP"}, Case{59, "no next header"}, Case{139, "HIP"}, Case{140, "Shim6"},
          Case{253, "experimental"}, Case{41, "IPv6-in-IPv6"}, Case{58, "ICMPv6"}}) {
        PacketBuilder b = eth_v6();
        b.hop_by_hop().payload(Bytes{6, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 2}).ip_protocol(c.type);
        const Decoded d = decode_built(b);
        ASSERT_EQ(d.status, kOk) << c.name;
        EXPECT_EQ(d.pkt.protocol, c.type) << c.name;
        EXPECT_EQ(d.pkt.ip_header_len, 48u) << c.name;
        EXPECT_FALSE(d.pkt.transport_ok) << c.name;
    }
}

TEST(Ipv6, Icmpv6) {
    PacketBuilder b = eth_v6();
    b.icmp(128, 0).payload("echo");
    const Decoded d = decode_built(b);
    ASSERT_EQ(d.status, kOk);
    EXPECT_EQ(d.pkt.protocol, ip_proto::kIcmpv6);
    EXPECT_EQ(d.pkt.l4_len, 12u);
    EXPECT_FALSE(d.pkt.transport_ok);
}

TEST(Ipv6, ExtensionHeaderCutByTheCapture) {
    PacketBuilder b = eth_v6();
    b.hop_by_hop(Bytes(30, 0)).tcp(1, 2);
    const Bytes frame = b.build();
    for (size_t cut : {54u, 55u, 56u, 60u, 85u}) {
        const Decoded d = decode_frame(frame, b.link_type(), {}, cut);
        EXPECT_EQ(d.status, DecodeStatus::kTruncated) << cut;
        EXPECT_EQ(d.pkt.ip_version, 6) << cut;
    }
    // Headers complete, TCP header missing: an IP packet without a usable transport header.
    const Decoded d = decode_frame(frame, b.link_type(), {}, 14 + 72);
    EXPECT_EQ(d.status, kOk);
    EXPECT_EQ(d.pkt.protocol, ip_proto::kTcp);
    EXPECT_FALSE(d.pkt.transport_ok);
}

TEST(Ipv6, FirstFragmentIsDecoded) {
    PacketBuilder b = eth_v6();
    b.fragment(0, true, 77).udp(53, 9999).payload(Bytes(200, 0)).udp_length(1500);
    const Decoded d = decode_built(b);
    ASSERT_EQ(d.status, kOk);
    EXPECT_TRUE(d.pkt.more_fragments);
    EXPECT_EQ(d.pkt.fragment_offset, 0);
    EXPECT_EQ(d.pkt.ip_header_len, 48u);
    EXPECT_EQ(d.pkt.protocol, ip_proto::kUdp);
    EXPECT_EQ(d.pkt.payload_len, 1492);
    EXPECT_EQ(d.pkt.payload_caplen, 200u);
}

TEST(Ipv6, NonInitialFragments) {
    for (uint16_t offset : std::initializer_list<uint16_t>{8, 16, 1016, 1024, 1232, 1448, 65528}) {
        PacketBuilder b = eth_v6();
        b.hop_by_hop().fragment(offset, true).udp(53, 9999).payload(Bytes(40, 0x11));
        const Decoded d = decode_built(b);
        EXPECT_EQ(d.status, DecodeStatus::kFragment) << offset;
        EXPECT_EQ(d.pkt.fragment_offset, offset / 8) << offset;
        EXPECT_EQ(d.pkt.protocol, ip_proto::kUdp) << "the fragment header's next header";
        EXPECT_EQ(d.pkt.ip_header_len, 56u);
        EXPECT_FALSE(d.pkt.transport_ok);
    }
}

TEST(Ipv6, CompatModeReproducesTstatFragmentOffsetBug) {
    // Tstat tests (offset field read little-endian) & 0xfc: fragments below 1024 bytes pass as
    // initial ones and the payload bytes after the fragment header become a "UDP header".
    for (uint16_t offset : std::initializer_list<uint16_t>{8, 120, 1016}) {
        PacketBuilder b = eth_v6();
        b.fragment(offset, true).udp(53, 9999).payload(Bytes(40, 0x11));
        const Decoded d = decode_built(b, compat());
        ASSERT_EQ(d.status, kOk) << offset;
        EXPECT_EQ(d.pkt.protocol, ip_proto::kUdp);
        EXPECT_TRUE(d.pkt.transport_ok);
        EXPECT_EQ(d.pkt.udp.src_port, 53) << "what follows the fragment header";
    }
    for (uint16_t offset : std::initializer_list<uint16_t>{1024, 1448, 2048}) {
        PacketBuilder b = eth_v6();
        b.fragment(offset, false).udp(53, 9999).payload(Bytes(40, 0x11));
        EXPECT_EQ(decode_built(b, compat()).status, DecodeStatus::kFragment) << offset;
    }
}

TEST(Ipv6, FragmentHeaderCut) {
    PacketBuilder b = eth_v6();
    b.fragment(0, true).udp(1, 2);
    const Bytes frame = b.build();
    for (size_t cut = 54; cut < 62; ++cut) {
        EXPECT_EQ(decode_frame(frame, b.link_type(), {}, cut).status, DecodeStatus::kTruncated)
            << cut;
    }
}

TEST(Ipv6, PayloadLengthZeroLikeJumbograms) {
    // Tstat's arithmetic: 0 + 40 - headers goes negative; we keep the signed payload length.
    PacketBuilder b = eth_v6();
    b.hop_by_hop(Bytes{0xc2, 0x04, 0, 1, 0, 0}).ipv6_payload_length(0).tcp(1, 2).payload("xy");
    const Decoded d = decode_built(b);
    ASSERT_EQ(d.status, kOk);
    EXPECT_TRUE(d.pkt.transport_ok) << "Tstat does not clip IPv6 to the payload length";
    EXPECT_EQ(d.pkt.l4_len, 0u);
    EXPECT_EQ(d.pkt.payload_len, -8 - 20);
    EXPECT_EQ(d.pkt.payload_caplen, 0u);
}

TEST(Ipv6, TrailerBytesBeyondPayloadLength) {
    PacketBuilder b = eth_v6();
    b.udp(1, 2).payload("abc").pad_to(14 + 40 + 8 + 3 + 4);  // e.g. an FCS
    const Decoded d = decode_built(b);
    ASSERT_EQ(d.status, kOk);
    EXPECT_EQ(d.pkt.ip_caplen, 55u);
    EXPECT_EQ(d.pkt.tstat_ip_caplen, 55u) << "Tstat keeps the trailer for IPv6";
    EXPECT_EQ(d.pkt.l4_caplen, 11u);
    EXPECT_EQ(d.pkt.payload_caplen, 3u);
}

TEST(Ipv6, TruncatedFixedHeader) {
    PacketBuilder b = eth_v6();
    b.udp(1, 2);
    const Bytes frame = b.build();
    for (size_t cut = 15; cut < 54; ++cut) {
        EXPECT_EQ(decode_frame(frame, b.link_type(), {}, cut).status, DecodeStatus::kTruncated);
    }
}

}  // namespace
}  // namespace tstat::decode
