// Test frames built layer by layer, outermost first:
//
//   Bytes f = PacketBuilder().ethernet().vlan(100).ipv4("10.0.0.1", "10.0.0.2").ttl(63)
//                 .tcp(40000, 80).flags(tcp_flag::kSyn).seq(1000).mss(1460).sack_permitted()
//                 .build();
//
// Lengths, next-protocol fields (ethertypes, PPP protocols, IP protocols, IPv6 next headers,
// MPLS bottom-of-stack) and checksums are computed at build(); the override setters (ihl,
// ip_total_length, data_offset, udp_length, ether_type, ...) are there to make malformed
// frames. A setter applies to the last layer of its kind and throws std::logic_error if there
// is none. For whole conversations see TcpSession at the end of this file.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "capture/raw_packet.h"
#include "common/ip_address.h"
#include "common/timestamp.h"

namespace tstat::testing {

using Bytes = std::vector<uint8_t>;

// "GET / HTTP/1.1" -> its bytes.
Bytes to_bytes(std::string_view text);
// "de ad be:ef" -> {0xde, 0xad, 0xbe, 0xef}; spaces and colons are ignored.
Bytes from_hex(std::string_view hex);
// {0xde, 0xad} -> "dead" (handy in failure messages).
std::string to_hex(const Bytes& bytes);

// A view of `frame` as the capture layer would hand it over (the frame must outlive it).
capture::RawPacket raw_packet(const Bytes& frame, uint32_t link_type = capture::link::kEthernet,
                              Timestamp ts = {});

struct SackBlock {
    uint32_t left = 0;
    uint32_t right = 0;
};

namespace packet_builder_detail {
using Mac = std::array<uint8_t, 6>;
struct Ethernet {
    Mac src{};
    Mac dst{};
    std::optional<uint16_t> type;
};
struct Vlan {
    uint16_t tpid = 0;
    uint16_t tci = 0;
    std::optional<uint16_t> type;
};
struct Mpls {
    uint32_t label = 0;
    uint8_t tc = 0;
    uint8_t ttl = 0;
    std::optional<bool> bottom;
};
struct Pppoe {
    uint16_t session = 0;
    std::optional<uint16_t> proto;
};
struct Snap {
    std::optional<uint16_t> type;
};
struct Sll {
    uint16_t packet_type = 0;
    std::optional<uint16_t> proto;
};
struct Sll2 {
    uint32_t ifindex = 0;
    std::optional<uint16_t> proto;
};
struct NullLink {
    bool loop = false;
    bool big_endian = false;
    uint32_t inet6 = 24;
    std::optional<uint32_t> family;
};
struct RawLink {
    uint32_t link_type = 0;
};
struct Ppp {
    bool hdlc = true;
    bool compressed = false;
    std::optional<uint16_t> proto;
};
struct CiscoHdlc {
    std::optional<uint16_t> type;
};
struct Ipv6Ext {
    uint8_t type = 0;
    Bytes header;
};  // whole header; byte 0 (next) is patched
struct Ipv4 {
    IpAddress src, dst;
    uint8_t tos = 0, ttl = 64;
    uint16_t id = 0x1234;
    bool df = false, mf = false;
    uint16_t frag_units = 0;
    Bytes options;
    std::optional<uint8_t> version, ihl, proto;
    std::optional<uint16_t> total_len;
};
struct Ipv6 {
    IpAddress src, dst;
    uint8_t tclass = 0, hop_limit = 64;
    uint32_t flow = 0;
    std::vector<Ipv6Ext> ext;
    std::optional<uint8_t> version, next;
    std::optional<uint16_t> payload_len;
};
struct Tcp {
    uint16_t sport = 0, dport = 0;
    uint32_t seq = 0, ack = 0;
    uint8_t flags = 0;
    uint16_t window = 65535, urgent = 0;
    Bytes options;
    std::optional<uint8_t> data_offset;
};
struct Udp {
    uint16_t sport = 0, dport = 0;
    std::optional<uint16_t> length;
};
struct Icmp {
    uint8_t type = 0, code = 0;
};
struct Payload {
    Bytes data;
};
using Layer = std::variant<Ethernet, Vlan, Mpls, Pppoe, Snap, Sll, Sll2, NullLink, RawLink, Ppp,
                           CiscoHdlc, Ipv4, Ipv6, Tcp, Udp, Icmp, Payload>;
}  // namespace packet_builder_detail

class PacketBuilder {
  public:
    static constexpr std::string_view kDefaultSrcMac = "02:00:00:00:00:01";
    static constexpr std::string_view kDefaultDstMac = "02:00:00:00:00:02";

    // ---- link layers (the first layer decides link_type(); an IP first layer means raw IP) --
    PacketBuilder& ethernet(std::string_view src_mac = kDefaultSrcMac,
                            std::string_view dst_mac = kDefaultDstMac);
    PacketBuilder& vlan(uint16_t vid, uint16_t tpid = 0x8100, uint8_t pcp = 0);
    PacketBuilder& mpls(uint32_t label, uint8_t ttl = 64, uint8_t tc = 0);
    PacketBuilder& pppoe(uint16_t session_id = 1);
    // 802.3 framing: the preceding Ethernet type field becomes a length, then LLC/SNAP.
    PacketBuilder& llc_snap();
    PacketBuilder& linux_sll(uint16_t packet_type = 0);
    PacketBuilder& linux_sll2(uint32_t ifindex = 1);
    // DLT_NULL: address family in host order (little-endian unless big_endian).
    PacketBuilder& null_link(uint32_t inet6_family = 24, bool big_endian = false);
    // DLT_LOOP (108): address family in network order.
    PacketBuilder& loop_link(uint32_t inet6_family = 24);
    // No link header; link_type is 101 (LINKTYPE_RAW) unless given (12, 14, 228, 229).
    PacketBuilder& raw_link(uint32_t link_type = capture::link::kRaw);
    // DLT_PPP: HDLC-like framing FF 03 + protocol, or a bare (optionally 1-byte) protocol.
    PacketBuilder& ppp(bool hdlc_framing = true, bool compressed_protocol = false);
    // Cisco HDLC (104): 0F 00 + ethertype.
    PacketBuilder& cisco_hdlc();
    PacketBuilder& link_type(uint32_t link_type);
    // Override the type/protocol field of the last Ethernet, VLAN, LLC/SNAP, SLL, SLL2,
    // Cisco HDLC, PPP or PPPoE layer (e.g. 0x0806 for an ARP-looking frame).
    PacketBuilder& ether_type(uint16_t type);
    // Override the address family of the last null/loop layer.
    PacketBuilder& address_family(uint32_t family);

    // ---- network ----
    PacketBuilder& ipv4(std::string_view src, std::string_view dst);
    PacketBuilder& ipv6(std::string_view src, std::string_view dst);
    PacketBuilder& ttl(uint8_t ttl);               // IPv4 TTL / IPv6 hop limit
    PacketBuilder& tos(uint8_t tos);               // IPv4 TOS / IPv6 traffic class
    PacketBuilder& ip_id(uint16_t id);             // IPv4
    PacketBuilder& dont_fragment(bool df = true);  // IPv4
    // IPv4: flags and offset. IPv6: appends a fragment extension header.
    PacketBuilder& fragment(uint16_t offset_bytes, bool more_fragments, uint32_t id = 0x0badcafe);
    PacketBuilder& ip_options(Bytes options);   // IPv4, zero-padded to 4 bytes
    PacketBuilder& flow_label(uint32_t label);  // IPv6
    // IPv6 extension headers, in call order. Bodies are padded to the header's unit.
    PacketBuilder& hop_by_hop(Bytes options = {});
    PacketBuilder& destination_options(Bytes options = {});
    PacketBuilder& routing(uint8_t routing_type = 0, uint8_t segments_left = 0, Bytes data = {});
    PacketBuilder& mobility(Bytes data = {});
    PacketBuilder& ah(Bytes icv = Bytes(4, 0));
    // Any header: `header` is complete (next-header byte first, patched at build()).
    PacketBuilder& ipv6_extension(uint8_t type, Bytes header);
    // Overrides for malformed packets.
    PacketBuilder& ip_version(uint8_t version);
    PacketBuilder& ihl(uint8_t words);
    PacketBuilder& ip_total_length(uint16_t length);
    PacketBuilder& ipv6_payload_length(uint16_t length);
    PacketBuilder& ip_protocol(uint8_t proto);  // IPv4 protocol / last IPv6 next header

    // ---- transport ----
    PacketBuilder& tcp(uint16_t src_port, uint16_t dst_port);
    PacketBuilder& seq(uint32_t seq);
    PacketBuilder& ack(uint32_t ack);  // the number only; set the ACK flag with flags()
    PacketBuilder& flags(uint8_t flags);
    PacketBuilder& window(uint16_t window);
    PacketBuilder& urgent(uint16_t pointer);
    // TCP options, in call order; the block is padded with EOL to 4 bytes.
    PacketBuilder& mss(uint16_t mss);
    PacketBuilder& window_scale(uint8_t shift);
    PacketBuilder& sack_permitted();
    PacketBuilder& sack(const std::vector<SackBlock>& blocks);
    PacketBuilder& timestamps(uint32_t value, uint32_t echo_reply);
    PacketBuilder& nop();
    PacketBuilder& eol();
    PacketBuilder& tcp_option(uint8_t kind, const Bytes& data);  // kind, length, data
    PacketBuilder& tcp_raw_options(const Bytes& bytes);          // appended verbatim
    PacketBuilder& data_offset(uint8_t words);                   // override
    PacketBuilder& udp(uint16_t src_port, uint16_t dst_port);
    PacketBuilder& udp_length(uint16_t length);           // override
    PacketBuilder& icmp(uint8_t type, uint8_t code = 0);  // ICMP or ICMPv6
    PacketBuilder& payload(std::string_view text);
    PacketBuilder& payload(const Bytes& bytes);
    // Zero bytes after the packet up to this frame length (Ethernet minimum frame, trailers).
    PacketBuilder& pad_to(size_t frame_len);

    Bytes build() const;
    uint32_t link_type() const;

  private:
    template <class L>
    L& last(const char* what);
    packet_builder_detail::Ipv4* last_ipv4();
    packet_builder_detail::Ipv6* last_ipv6();
    void require_ip(const char* what);
    Bytes& tcp_options(const char* what);

    std::vector<packet_builder_detail::Layer> layers_;
    std::optional<uint32_t> link_type_;
    size_t pad_to_ = 0;
};

// Ethernet + IPv4 or IPv6 (by the address syntax) + TCP, ready for more chained setters.
struct Endpoint {
    std::string ip;
    uint16_t port = 0;
};
PacketBuilder tcp_builder(const Endpoint& src, const Endpoint& dst);
PacketBuilder udp_builder(const Endpoint& src, const Endpoint& dst);
Bytes tcp_packet(const Endpoint& src, const Endpoint& dst, uint8_t flags, uint32_t seq = 0,
                 uint32_t ack = 0, std::string_view payload = {});
Bytes udp_packet(const Endpoint& src, const Endpoint& dst, std::string_view payload = {});

// A frame with its capture time, as a capture source would deliver it.
struct TimedFrame {
    Timestamp ts;
    uint32_t link_type = capture::link::kEthernet;
    Bytes bytes;
    capture::RawPacket raw() const { return raw_packet(bytes, link_type, ts); }
};

// A TCP conversation with automatic sequence/ack numbers and timestamps:
//
//   TcpSession s({"10.0.0.1", 40000}, {"10.0.0.2", 80});
//   s.handshake().client_send("GET / HTTP/1.0\r\n\r\n").server_send(body).close();
//   for (const TimedFrame& f : s.frames()) ...
//
// Every packet advances the clock by step_us (default 1 ms); wait() adds idle time. The link
// layers default to Ethernet; over() replaces them (e.g. PacketBuilder().ethernet().vlan(7)).
class TcpSession {
  public:
    static constexpr Timestamp kDefaultStart = Timestamp::from_parts(1600000000, 0);

    TcpSession(Endpoint client, Endpoint server, Timestamp start = kDefaultStart);

    TcpSession& over(const PacketBuilder& link_layers, uint32_t link_type);
    TcpSession& step_us(int64_t us);
    TcpSession& wait(int64_t us);
    TcpSession& isn(uint32_t client_isn, uint32_t server_isn);

    // Any segment: sequence number from the sender's state, ack = the peer's next byte when
    // the ACK flag is set; SYN, FIN and payload advance the sender's sequence. `extra` may add
    // options or override fields of the TCP layer (it is the last layer when called).
    TcpSession& segment(bool from_client, uint8_t flags, std::string_view payload = {},
                        const std::function<void(PacketBuilder&)>& extra = {});

    TcpSession& handshake(uint16_t mss = 1460);  // SYN (MSS, SACK-perm), SYN/ACK, ACK
    TcpSession& client_send(std::string_view data, bool acked = true);  // data (+ server ACK)
    TcpSession& server_send(std::string_view data, bool acked = true);  // data (+ client ACK)
    TcpSession& close();  // client FIN/ACK, server FIN/ACK, client ACK
    TcpSession& client_reset();
    TcpSession& server_reset();

    const std::vector<TimedFrame>& frames() const { return frames_; }
    Timestamp now() const { return now_; }

  private:
    struct Side {
        Endpoint ep;
        uint32_t next_seq = 0;
    };

    Side client_;
    Side server_;
    Timestamp now_;
    int64_t step_us_ = 1000;
    std::optional<PacketBuilder> link_;
    uint32_t link_type_ = capture::link::kEthernet;
    std::vector<TimedFrame> frames_;
};

}  // namespace tstat::testing
