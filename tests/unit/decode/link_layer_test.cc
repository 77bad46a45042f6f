// Every link type and encapsulation the decoder knows, in the default mode and in Tstat compat
// mode (docs/decoding.md).
#include <gtest/gtest.h>

#include <initializer_list>

#include "decode_test_util.h"

namespace tstat::decode {
namespace {

using testing::Bytes;
using testing::PacketBuilder;
namespace lt = capture::link;

constexpr DecodeStatus kOk = DecodeStatus::kOk;
constexpr DecodeStatus kNotIp = DecodeStatus::kNotIp;

// The common tail of most tests: an IPv4 TCP SYN or an IPv6 UDP datagram.
PacketBuilder& v4_tcp(PacketBuilder& b) {
    return b.ipv4("192.0.2.1", "198.51.100.2").tcp(40000, 443).flags(tcp_flag::kSyn).seq(7);
}
PacketBuilder& v6_udp(PacketBuilder& b) {
    return b.ipv6("2001:db8::1", "2001:db8::2").udp(5353, 53).payload("abcd");
}

void expect_v4_tcp(const Decoded& d, long ip_offset) {
    ASSERT_EQ(d.status, kOk);
    EXPECT_EQ(d.offset(d.pkt.ip), ip_offset);
    EXPECT_EQ(d.pkt.ip_version, 4);
    EXPECT_EQ(d.pkt.src.to_string(), "192.0.2.1");
    EXPECT_EQ(d.pkt.dst.to_string(), "198.51.100.2");
    EXPECT_EQ(d.pkt.protocol, ip_proto::kTcp);
    ASSERT_TRUE(d.pkt.transport_ok);
    EXPECT_EQ(d.pkt.tcp.src_port, 40000);
    EXPECT_EQ(d.pkt.tcp.dst_port, 443);
    EXPECT_TRUE(d.pkt.tcp.syn());
    EXPECT_EQ(d.pkt.tcp.seq, 7u);
}

void expect_v6_udp(const Decoded& d, long ip_offset) {
    ASSERT_EQ(d.status, kOk);
    EXPECT_EQ(d.offset(d.pkt.ip), ip_offset);
    EXPECT_EQ(d.pkt.ip_version, 6);
    EXPECT_EQ(d.pkt.src.to_string(), "2001:db8::1");
    EXPECT_EQ(d.pkt.protocol, ip_proto::kUdp);
    ASSERT_TRUE(d.pkt.transport_ok);
    EXPECT_EQ(d.pkt.udp.src_port, 5353);
    EXPECT_EQ(d.pkt.udp.dst_port, 53);
    EXPECT_EQ(d.pkt.payload_len, 4);
}

TEST(LinkLayer, EthernetIpv4AndMacs) {
    PacketBuilder b;
    b.ethernet("00:11:22:33:44:55", "66:77:88:99:aa:bb");
    const Decoded d = decode_built(v4_tcp(b));
    expect_v4_tcp(d, 14);
    EXPECT_EQ(d.offset(d.pkt.dst_mac), 0);
    EXPECT_EQ(d.offset(d.pkt.src_mac), 6);
    EXPECT_EQ(d.pkt.src_mac[0], 0x00);
    EXPECT_EQ(d.pkt.dst_mac[5], 0xbb);
    EXPECT_EQ(d.pkt.vlan_count, 0);
    EXPECT_FALSE(d.pkt.pppoe);
}

TEST(LinkLayer, EthernetIpv6) {
    PacketBuilder b;
    b.ethernet();
    expect_v6_udp(decode_built(v6_udp(b)), 14);
}

TEST(LinkLayer, EthertypeIpv4CarryingIpv6FollowsTheVersionNibble) {
    // Tstat decides v4/v6 by the version nibble only (PIP_ISV4/PIP_ISV6).
    PacketBuilder b;
    b.ethernet();
    v6_udp(b).ether_type(0x0800);
    expect_v6_udp(decode_built(b), 14);
}

TEST(LinkLayer, NonIpEthertypes) {
    for (uint16_t type : std::initializer_list<uint16_t>{0x0806, 0x88cc, 0x8863, 0x88b5, 0}) {
        PacketBuilder b;
        b.ethernet().payload(Bytes(46, 0x45)).ether_type(type);
        EXPECT_EQ(decode_built(b).status, kNotIp) << std::hex << type;
        EXPECT_EQ(decode_built(b, compat()).status, kNotIp) << std::hex << type;
    }
}

TEST(LinkLayer, Vlan8021Q) {
    PacketBuilder b;
    b.ethernet().vlan(100, 0x8100, 5);
    const Decoded d = decode_built(v4_tcp(b));
    expect_v4_tcp(d, 18);
    EXPECT_EQ(d.pkt.vlan_id, 100);
    EXPECT_EQ(d.pkt.vlan_count, 1);
    expect_v4_tcp(decode_built(b, compat()), 18);
}

TEST(LinkLayer, VlanCarryingIpv6) {
    PacketBuilder b;
    b.ethernet().vlan(7);
    expect_v6_udp(decode_built(v6_udp(b)), 18);
    expect_v6_udp(decode_built(b, compat()), 18);
}

TEST(LinkLayer, QinQAllTpids) {
    for (uint16_t outer : std::initializer_list<uint16_t>{0x88a8, 0x9100, 0x8100}) {
        PacketBuilder b;
        b.ethernet().vlan(10, outer).vlan(20);
        const Decoded d = decode_built(v4_tcp(b));
        expect_v4_tcp(d, 22);
        EXPECT_EQ(d.pkt.vlan_id, 10) << "outermost tag";
        EXPECT_EQ(d.pkt.vlan_count, 2);
        // Tstat: 0x88a8/0x9100 are not IP; 0x8100 then the inner tag read as an IP header.
        EXPECT_NE(decode_built(b, compat()).status, kOk) << std::hex << outer;
    }
}

TEST(LinkLayer, VlanNonIpInner) {
    PacketBuilder b;
    b.ethernet().vlan(5).payload(Bytes{0x00, 0x01, 0x08, 0x00, 0x06, 0x04}).ether_type(0x0806);
    EXPECT_EQ(decode_built(b).status, kNotIp);
    // Tstat does not check the inner type: the ARP bytes fail the version check.
    // Tstat's reader hands it over as a damaged IP packet.
    EXPECT_EQ(decode_built(b, compat()).status, DecodeStatus::kMalformed);
}

TEST(LinkLayer, VlanInnerTypeIgnoredInCompatMode) {
    // An IPv4 packet behind a VLAN tag whose inner type is wrong: Tstat still decodes it.
    PacketBuilder b;
    b.ethernet().vlan(5);
    v4_tcp(b).ether_type(0x88b5);
    EXPECT_EQ(decode_built(b).status, kNotIp);
    expect_v4_tcp(decode_built(b, compat()), 18);
}

TEST(LinkLayer, TooManyVlanTagsIsMalformed) {
    PacketBuilder b;
    b.ethernet();
    for (int i = 0; i < 9; ++i) b.vlan(static_cast<uint16_t>(i + 1));
    v4_tcp(b);
    EXPECT_EQ(decode_built(b).status, DecodeStatus::kMalformed);
}

TEST(LinkLayer, MplsSingleLabel) {
    PacketBuilder b;
    b.ethernet().mpls(1000);
    const Decoded d = decode_built(v4_tcp(b));
    expect_v4_tcp(d, 18);
    EXPECT_EQ(d.pkt.mpls_count, 1);
    expect_v4_tcp(decode_built(b, compat()), 18);
}

TEST(LinkLayer, MplsLabelStack) {
    PacketBuilder b;
    b.ethernet().mpls(16).mpls(17).mpls(18);
    const Decoded d = decode_built(v6_udp(b));
    expect_v6_udp(d, 26);
    EXPECT_EQ(d.pkt.mpls_count, 3);
    // Tstat skips one label and reads the second as the IP header.
    // Tstat's reader hands it over as a damaged IP packet.
    EXPECT_EQ(decode_built(b, compat()).status, DecodeStatus::kMalformed);
}

TEST(LinkLayer, MplsMulticastEthertype) {
    PacketBuilder b;
    b.ethernet().mpls(20);
    v4_tcp(b).ether_type(0x8848);
    expect_v4_tcp(decode_built(b), 18);
    EXPECT_EQ(decode_built(b, compat()).status, kNotIp);
}

TEST(LinkLayer, VlanThenMpls) {
    PacketBuilder b;
    b.ethernet().vlan(3).mpls(99);
    const Decoded d = decode_built(v4_tcp(b));
    expect_v4_tcp(d, 22);
    EXPECT_EQ(d.pkt.vlan_count, 1);
    EXPECT_EQ(d.pkt.mpls_count, 1);
    expect_v4_tcp(decode_built(b, compat()), 22);
}

TEST(LinkLayer, MplsWithNonIpPayload) {
    // Ethernet pseudowire with a control word: first nibble 0, not IP.
    PacketBuilder b;
    b.ethernet().mpls(30).payload(Bytes{0, 0, 0, 0, 0x02, 0, 0, 0, 0, 1});
    EXPECT_EQ(decode_built(b).status, kNotIp);
}

TEST(LinkLayer, PppoeIpv4) {
    PacketBuilder b;
    b.ethernet().pppoe(0x1234);
    const Decoded d = decode_built(v4_tcp(b));
    expect_v4_tcp(d, 22);
    EXPECT_TRUE(d.pkt.pppoe);
    expect_v4_tcp(decode_built(b, compat()), 22);
}

TEST(LinkLayer, PppoeIpv6) {
    PacketBuilder b;
    b.ethernet().pppoe();
    expect_v6_udp(decode_built(v6_udp(b)), 22);
    EXPECT_EQ(decode_built(b, compat()).status, kNotIp);
}

TEST(LinkLayer, PppoeControlProtocolIsNotIp) {
    PacketBuilder b;
    b.ethernet().pppoe().payload(Bytes{1, 1, 0, 10, 1, 4, 5, 0xd4});  // LCP
    EXPECT_EQ(decode_built(b).status, kNotIp);
    EXPECT_EQ(decode_built(b, compat()).status, kNotIp);
}

TEST(LinkLayer, PppoeOverQinQ) {
    PacketBuilder b;
    b.ethernet().vlan(100, 0x88a8).vlan(200).pppoe(7);
    const Decoded d = decode_built(v4_tcp(b));
    expect_v4_tcp(d, 30);
    EXPECT_TRUE(d.pkt.pppoe);
    EXPECT_EQ(d.pkt.vlan_count, 2);
}

TEST(LinkLayer, LlcSnap) {
    PacketBuilder b;
    b.ethernet().llc_snap();
    expect_v4_tcp(decode_built(v4_tcp(b)), 22);
    EXPECT_EQ(decode_built(b, compat()).status, kNotIp);
}

TEST(LinkLayer, Plain8023LlcIsNotIp) {
    // Spanning tree: 802.3 length, LLC 42 42 03.
    PacketBuilder b;
    b.ethernet().payload(Bytes{0x42, 0x42, 0x03, 0, 0, 0, 0, 0}).ether_type(38);
    EXPECT_EQ(decode_built(b).status, kNotIp);
}

TEST(LinkLayer, LinuxSll) {
    PacketBuilder b;
    b.linux_sll();
    const Decoded d = decode_built(v4_tcp(b));
    expect_v4_tcp(d, 16);
    EXPECT_EQ(d.pkt.src_mac, nullptr);
    expect_v4_tcp(decode_built(b, compat()), 16);
    PacketBuilder b6;
    b6.linux_sll(4);
    expect_v6_udp(decode_built(v6_udp(b6)), 16);
}

TEST(LinkLayer, LinuxSllProtocolField) {
    PacketBuilder arp;
    arp.linux_sll().payload(Bytes{0x00, 0x01, 0x08, 0x00, 0x06, 0x04, 0, 1}).ether_type(0x0806);
    EXPECT_EQ(decode_built(arp).status, kNotIp);
    // Tstat's reader hands it over as a damaged IP packet.
    EXPECT_EQ(decode_built(arp, compat()).status, DecodeStatus::kMalformed);
    // Tstat ignores the protocol field: an IP-looking payload under a foreign protocol counts.
    PacketBuilder odd;
    odd.linux_sll();
    v4_tcp(odd).ether_type(0x0004);
    EXPECT_EQ(decode_built(odd).status, kNotIp);
    expect_v4_tcp(decode_built(odd, compat()), 16);
    // VLAN inside a cooked capture.
    PacketBuilder vlan;
    vlan.linux_sll().vlan(12);
    expect_v4_tcp(decode_built(v4_tcp(vlan)), 20);
}

TEST(LinkLayer, LinuxSll2) {
    PacketBuilder b;
    b.linux_sll2(3);
    expect_v4_tcp(decode_built(v4_tcp(b)), 20);
    EXPECT_EQ(decode_built(b, compat()).status, DecodeStatus::kUnsupportedLink);
    PacketBuilder b6;
    b6.linux_sll2();
    expect_v6_udp(decode_built(v6_udp(b6)), 20);
}

TEST(LinkLayer, NullLoopbackAllFamilies) {
    for (bool big_endian : {false, true}) {
        PacketBuilder b;
        b.null_link(24, big_endian);
        expect_v4_tcp(decode_built(v4_tcp(b)), 4);
        expect_v4_tcp(decode_built(b, compat()), 4);
        for (uint32_t inet6 : {10u, 23u, 24u, 28u, 30u}) {
            PacketBuilder b6;
            b6.null_link(inet6, big_endian);
            expect_v6_udp(decode_built(v6_udp(b6)), 4);
        }
    }
}

TEST(LinkLayer, NullFamilyIsIgnoredLikeTstat) {
    PacketBuilder b;
    b.null_link();
    v4_tcp(b).address_family(99);
    expect_v4_tcp(decode_built(b), 4);
    PacketBuilder junk;
    junk.null_link().payload(Bytes{0x11, 0x22, 0x33}).address_family(2);
    EXPECT_EQ(decode_built(junk).status, kNotIp);
}

TEST(LinkLayer, Loop) {
    PacketBuilder b;
    b.loop_link(28);
    expect_v6_udp(decode_built(v6_udp(b)), 4);
    EXPECT_EQ(decode_built(b, compat()).status, DecodeStatus::kUnsupportedLink);
}

TEST(LinkLayer, RawIpLinkTypes) {
    for (uint32_t type : {lt::kRaw, lt::kRawDlt12, lt::kRawDlt14}) {
        PacketBuilder b;
        b.raw_link(type);
        expect_v4_tcp(decode_built(v4_tcp(b)), 0);
        PacketBuilder b6;
        b6.raw_link(type);
        expect_v6_udp(decode_built(v6_udp(b6)), 0);
        expect_v6_udp(decode_built(b6, compat()), 0);
    }
    PacketBuilder junk;
    junk.raw_link().payload(Bytes{0x55, 0, 0, 0});
    EXPECT_EQ(decode_built(junk).status, DecodeStatus::kMalformed);
}

TEST(LinkLayer, IpFirstLayerMeansRawIp) {
    PacketBuilder b;
    EXPECT_EQ(v4_tcp(b).link_type(), lt::kRaw);
    expect_v4_tcp(decode_built(b), 0);
}

TEST(LinkLayer, Ipv4AndIpv6LinkTypes) {
    PacketBuilder b4;
    b4.raw_link(lt::kIpv4);
    expect_v4_tcp(decode_built(v4_tcp(b4)), 0);
    EXPECT_EQ(decode_built(b4, compat()).status, DecodeStatus::kUnsupportedLink);
    PacketBuilder b6;
    b6.raw_link(lt::kIpv6);
    expect_v6_udp(decode_built(v6_udp(b6)), 0);
    // The link type fixes the version.
    PacketBuilder wrong;
    wrong.raw_link(lt::kIpv4);
    v6_udp(wrong);
    EXPECT_EQ(decode_built(wrong).status, DecodeStatus::kMalformed);
}

TEST(LinkLayer, PppHdlcFraming) {
    PacketBuilder b;
    b.ppp(true);
    expect_v4_tcp(decode_built(v4_tcp(b)), 4);
    expect_v4_tcp(decode_built(b, compat()), 4);
    PacketBuilder b6;
    b6.ppp(true);
    expect_v6_udp(decode_built(v6_udp(b6)), 4);
    EXPECT_EQ(decode_built(b6, compat()).status, kNotIp);
}

TEST(LinkLayer, PppBareProtocol) {
    PacketBuilder full;
    full.ppp(false, false);
    expect_v4_tcp(decode_built(v4_tcp(full)), 2);
    expect_v4_tcp(decode_built(full, compat()), 2);
    PacketBuilder compressed;
    compressed.ppp(false, true);
    expect_v4_tcp(decode_built(v4_tcp(compressed)), 1);
    expect_v4_tcp(decode_built(compressed, compat()), 1);
    PacketBuilder compressed6;
    compressed6.ppp(false, true);
    expect_v6_udp(decode_built(v6_udp(compressed6)), 1);
    EXPECT_EQ(decode_built(compressed6, compat()).status, kNotIp);
}

TEST(LinkLayer, PppControlProtocols) {
    PacketBuilder lcp;
    lcp.ppp(true).payload(Bytes{1, 1, 0, 4});
    EXPECT_EQ(decode_built(lcp).status, kNotIp);
    PacketBuilder ipcp;
    ipcp.ppp(true).payload(Bytes{1, 1, 0, 4}).ether_type(0x8021);
    EXPECT_EQ(decode_built(ipcp).status, kNotIp);
    PacketBuilder junk;
    junk.raw_link(lt::kPpp).payload(Bytes{0x42, 0x00, 0x21});
    EXPECT_EQ(decode_built(junk).status, kNotIp);
}

TEST(LinkLayer, PppWithCiscoFraming) {
    // PPP_SERIAL and some DLT_PPP captures use Cisco HDLC framing (0x0F / 0x8F, 0x00, type).
    Bytes cisco = {0x0F, 0x00, 0x08, 0x00};
    PacketBuilder ip;
    v4_tcp(ip);
    Bytes frame = cisco;
    const Bytes packet = ip.build();
    frame.insert(frame.end(), packet.begin(), packet.end());
    expect_v4_tcp(decode_frame(frame, lt::kPpp), 4);
    expect_v4_tcp(decode_frame(frame, lt::kPpp, compat()), 4);
    expect_v4_tcp(decode_frame(frame, lt::kPppHdlc), 4);
    EXPECT_EQ(decode_frame(frame, lt::kPppHdlc, compat()).status, DecodeStatus::kUnsupportedLink);
    frame[0] = 0x8F;
    expect_v4_tcp(decode_frame(frame, lt::kPpp), 4);
    EXPECT_EQ(decode_frame(frame, lt::kPpp, compat()).status, kNotIp);
    frame[2] = 0x80;  // SLARP-ish type: Tstat skips 4 bytes whatever the type
    frame[0] = 0x0F;
    frame[3] = 0x35;
    EXPECT_EQ(decode_frame(frame, lt::kPpp).status, kNotIp);
    expect_v4_tcp(decode_frame(frame, lt::kPpp, compat()), 4);
}

TEST(LinkLayer, PppSerialLinkType) {
    PacketBuilder b;
    b.ppp(true).link_type(lt::kPppHdlc);
    expect_v6_udp(decode_built(v6_udp(b)), 4);
}

TEST(LinkLayer, CiscoHdlc) {
    PacketBuilder b;
    b.cisco_hdlc();
    expect_v4_tcp(decode_built(v4_tcp(b)), 4);
    expect_v4_tcp(decode_built(b, compat()), 4);
    PacketBuilder b6;
    b6.cisco_hdlc();
    expect_v6_udp(decode_built(v6_udp(b6)), 4);
    PacketBuilder slarp;
    slarp.cisco_hdlc().payload(Bytes(20, 0)).ether_type(0x8035);
    EXPECT_EQ(decode_built(slarp).status, kNotIp);
    // Tstat's reader hands it over as a damaged IP packet.
    EXPECT_EQ(decode_built(slarp, compat()).status, DecodeStatus::kMalformed);
}

TEST(LinkLayer, UnsupportedLinkTypes) {
    PacketBuilder b;
    b.ethernet();
    const Bytes frame = v4_tcp(b).build();
    for (uint32_t type : {105u, 127u, 147u, 253u, 0xFFFFFFFFu}) {
        EXPECT_EQ(decode_frame(frame, type).status, DecodeStatus::kUnsupportedLink) << type;
    }
}

TEST(LinkLayer, NullDataIsTruncated) {
    capture::RawPacket raw;
    raw.caplen = 100;
    raw.link_type = lt::kEthernet;
    DecodedPacket out;
    EXPECT_EQ(decode_packet(raw, out), DecodeStatus::kTruncated);
}

TEST(LinkLayer, CopiesCaptureMetadata) {
    PacketBuilder b;
    b.ethernet();
    const Bytes frame = v4_tcp(b).build();
    capture::RawPacket raw = testing::raw_packet(frame, lt::kEthernet, Timestamp{1234567});
    raw.wire_len = 1500;
    DecodedPacket out;
    ASSERT_EQ(decode_packet(raw, out), kOk);
    EXPECT_EQ(out.ts.us, 1234567);
    EXPECT_EQ(out.caplen, frame.size());
    EXPECT_EQ(out.wire_len, 1500u);
}

TEST(LinkLayer, StatusNames) {
    EXPECT_STREQ(to_string(DecodeStatus::kOk), "ok");
    EXPECT_STREQ(to_string(DecodeStatus::kNotIp), "not_ip");
    EXPECT_STREQ(to_string(DecodeStatus::kUnsupportedLink), "unsupported_link");
    EXPECT_STREQ(to_string(DecodeStatus::kTruncated), "truncated");
    EXPECT_STREQ(to_string(DecodeStatus::kMalformed), "malformed");
    EXPECT_STREQ(to_string(DecodeStatus::kFragment), "fragment");
    EXPECT_STREQ(to_string(DecodeStatus::kCount), "unknown");
}

}  // namespace
}  // namespace tstat::decode
