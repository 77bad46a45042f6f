// What the decoder extracts from one frame: filled on the stack, views the frame's bytes.
#pragma once

#include <cstdint>

#include "common/ip_address.h"
#include "common/timestamp.h"

namespace tstat::decode {

namespace ip_proto {
inline constexpr uint8_t kIcmp = 1;
inline constexpr uint8_t kIpInIp = 4;
inline constexpr uint8_t kTcp = 6;
inline constexpr uint8_t kUdp = 17;
inline constexpr uint8_t kIpv6 = 41;
inline constexpr uint8_t kIcmpv6 = 58;
}  // namespace ip_proto

namespace tcp_flag {
inline constexpr uint8_t kFin = 0x01;
inline constexpr uint8_t kSyn = 0x02;
inline constexpr uint8_t kRst = 0x04;
inline constexpr uint8_t kPsh = 0x08;
inline constexpr uint8_t kAck = 0x10;
inline constexpr uint8_t kUrg = 0x20;
inline constexpr uint8_t kEce = 0x40;
inline constexpr uint8_t kCwr = 0x80;
}  // namespace tcp_flag

struct TcpHeader {
    uint16_t src_port = 0;
    uint16_t dst_port = 0;
    uint32_t seq = 0;
    uint32_t ack = 0;
    uint8_t data_offset = 0;    // header length in 32-bit words (th_off)
    uint8_t flags = 0;
    uint16_t window = 0;
    const uint8_t* options = nullptr;  // from byte 20 of the header
    uint32_t options_len = 0;          // bytes of options per th_off...
    uint32_t options_caplen = 0;       // ...of which captured

    bool syn() const { return flags & tcp_flag::kSyn; }
    bool ack_set() const { return flags & tcp_flag::kAck; }
    bool fin() const { return flags & tcp_flag::kFin; }
    bool rst() const { return flags & tcp_flag::kRst; }
    bool psh() const { return flags & tcp_flag::kPsh; }
};

struct UdpHeader {
    uint16_t src_port = 0;
    uint16_t dst_port = 0;
    uint16_t length = 0;   // UDP length field (header included)
};

struct DecodedPacket {
    Timestamp ts;
    uint32_t caplen = 0;    // bytes captured of the whole frame
    uint32_t wire_len = 0;

    // Link layer (Ethernet-like links only; null otherwise). Used by -M.
    const uint8_t* src_mac = nullptr;
    const uint8_t* dst_mac = nullptr;

    // Encapsulations crossed on the way to the IP header (all zero on a plain frame).
    uint16_t vlan_id = 0;         // VID of the outermost 802.1Q / 802.1ad tag
    uint8_t vlan_count = 0;       // VLAN tags skipped
    uint8_t mpls_count = 0;       // MPLS labels skipped
    bool pppoe = false;           // carried in a PPPoE session
    const uint8_t* outer_ip = nullptr;  // the IPv4 header skipped by IP-in-IP / 6in4, if any

    // Network layer: the (inner, after one IP-in-IP / 6in4 skip) IP header.
    uint8_t ip_version = 0;       // 4 or 6
    IpAddress src;
    IpAddress dst;
    uint8_t ttl = 0;              // IPv4 TTL or IPv6 hop limit
    uint8_t tos = 0;              // IPv4 TOS or IPv6 traffic class
    uint16_t ip_id = 0;           // IPv4 identification (0 for IPv6)
    uint8_t protocol = 0;         // final upper-layer protocol number (after v6 extension headers)
    const uint8_t* ip = nullptr;  // start of the IP header
    uint32_t ip_caplen = 0;       // bytes captured from `ip` to the end of the frame
    uint32_t ip_header_len = 0;   // IPv4 ihl*4; IPv6 40 + extension headers walked
    uint32_t ip_total_len = 0;    // from the header: IPv4 total length; IPv6 40 + payload length
    bool ecn_ce = false;          // IPv4 ECT and CE bits both set
    bool more_fragments = false;  // IPv4 MF flag, or M of the IPv6 fragment header
    uint16_t fragment_offset = 0; // in 8-byte units (IPv4 header or IPv6 fragment header)
    // Bytes from `ip` Tstat treats as present (its `plast`): for IPv4 with ip_total_len <
    // ip_caplen it is ip_total_len + 1 (sic, Tstat's off-by-one), else ip_caplen. Only for code
    // that must reproduce Tstat's byte budget exactly (docs/decoding.md); 0 if no IP header.
    uint32_t tstat_ip_caplen = 0;

    // Transport layer: lengths come from the IP header (Tstat counts what the header says,
    // not what was captured); *_caplen say how much is really there.
    // transport_ok is Tstat's own test (tcp_flow_stat/udp_flow_stat "truncated too short"):
    // the 20 (TCP) / 8 (UDP) header bytes lie within tstat_ip_caplen. The tcp/udp fields are
    // filled whenever the header bytes are captured, but use them only when transport_ok.
    bool transport_ok = false;    // TCP: >= 20 header bytes captured; UDP: >= 8
    const uint8_t* l4 = nullptr;
    uint32_t l4_len = 0;          // ip_total_len - ip_header_len (0 if that is negative)
    uint32_t l4_caplen = 0;       // captured bytes from l4 to the end of the IP packet
    TcpHeader tcp;                // valid when protocol == TCP
    UdpHeader udp;                // valid when protocol == UDP
    const uint8_t* payload = nullptr;
    int32_t payload_len = 0;      // TCP: l4_len - 4*th_off (may be negative on garbage); UDP: length-8
    uint32_t payload_caplen = 0;  // captured payload bytes (<= max(payload_len, 0))
};

}  // namespace tstat::decode
