// A catalogue of valid frames, one per link type / encapsulation / header shape: swept by the
// truncation test and written out as the decoder's fuzz seed corpus.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "decode/decoded_packet.h"
#include "support/packet_builder.h"

namespace tstat::decode {

using NamedFrame = std::pair<std::string, testing::PacketBuilder>;

inline std::vector<NamedFrame> catalogue() {
    using testing::Bytes;
    using testing::PacketBuilder;
    std::vector<NamedFrame> c;
    auto add = [&c](std::string name, const PacketBuilder& b) {
        c.emplace_back(std::move(name), b);
    };
    auto v4 = [](PacketBuilder& b) -> PacketBuilder& {
        return b.ipv4("192.0.2.1", "192.0.2.2").ip_options(Bytes{0x94, 4, 0, 0});
    };
    auto v6 = [](PacketBuilder& b) -> PacketBuilder& {
        return b.ipv6("2001:db8::1", "2001:db8::2").hop_by_hop().destination_options(Bytes(9, 0));
    };
    auto tcp = [](PacketBuilder& b) -> PacketBuilder& {
        return b.tcp(1000, 80)
            .flags(tcp_flag::kSyn)
            .mss(1460)
            .sack_permitted()
            .timestamps(5, 6)
            .payload("tfo-data");
    };
    auto udp = [](PacketBuilder& b) -> PacketBuilder& { return b.udp(53, 53).payload("query"); };

    PacketBuilder b;
    add("eth v4 tcp", tcp(v4(b.ethernet())));
    b = {};
    add("eth v6 udp", udp(v6(b.ethernet())));
    b = {};
    add("eth v4 tcp padded", b.ethernet().ipv4("1.2.3.4", "5.6.7.8").tcp(1, 2).pad_to(60));
    b = {};
    add("vlan v4 udp", udp(v4(b.ethernet().vlan(5))));
    b = {};
    add("qinq v6 tcp", tcp(v6(b.ethernet().vlan(1, 0x88a8).vlan(2))));
    b = {};
    add("mpls stack v4 tcp", tcp(v4(b.ethernet().mpls(1).mpls(2).mpls(3))));
    b = {};
    add("vlan mpls v4 udp", udp(v4(b.ethernet().vlan(8).mpls(4))));
    b = {};
    add("pppoe v4 tcp", tcp(v4(b.ethernet().pppoe())));
    b = {};
    add("pppoe v6 udp", udp(v6(b.ethernet().vlan(3).pppoe())));
    b = {};
    add("snap v4 udp", udp(v4(b.ethernet().llc_snap())));
    b = {};
    add("sll v4 tcp", tcp(v4(b.linux_sll())));
    b = {};
    add("sll2 v6 udp", udp(v6(b.linux_sll2())));
    b = {};
    add("null v4 udp", udp(v4(b.null_link())));
    b = {};
    add("loop v6 tcp", tcp(v6(b.loop_link())));
    b = {};
    add("raw v6 tcp", tcp(v6(b.raw_link())));
    b = {};
    add("ipv4 link udp", udp(v4(b.raw_link(capture::link::kIpv4))));
    b = {};
    add("ppp hdlc v4 tcp", tcp(v4(b.ppp(true))));
    b = {};
    add("ppp compressed v6 udp", udp(v6(b.ppp(false, true))));
    b = {};
    add("ppp serial v4 udp", udp(v4(b.ppp(true).link_type(capture::link::kPppHdlc))));
    b = {};
    add("cisco hdlc v6 tcp", tcp(v6(b.cisco_hdlc())));
    b = {};
    add("ipip v4 tcp", tcp(v4(b.ethernet().ipv4("10.0.0.1", "10.0.0.2"))));
    b = {};
    add("6in4 udp", udp(v6(b.ethernet().ipv4("10.0.0.1", "10.0.0.2"))));
    b = {};
    add("v6 ah frag0 udp", udp(b.ethernet().ipv6("::1", "::2").ah().fragment(0, true)));
    b = {};
    add("v6 later fragment", udp(b.ethernet().ipv6("::1", "::2").fragment(64, false)));
    b = {};
    add("v4 later fragment", udp(b.ethernet().ipv4("1.1.1.1", "2.2.2.2").fragment(64, true)));
    b = {};
    add("v4 icmp", b.ethernet().ipv4("1.1.1.1", "2.2.2.2").icmp(8).payload("ping"));
    b = {};
    add("v6 routing mobility tcp",
        tcp(b.ethernet().ipv6("::1", "::2").routing(0, 0, Bytes(16, 0)).mobility()));
    return c;
}

}  // namespace tstat::decode
