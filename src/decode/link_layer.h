// Link layer: from the first byte of a frame to the first byte of the IP header.
// Internal to the decoder (inline for the hot path); facts about Tstat in docs/decoding.md.
#pragma once

#include <cstdint>

#include "capture/raw_packet.h"
#include "common/byte_reader.h"
#include "decode/decoded_packet.h"
#include "decode/decoder.h"

namespace tstat::decode {

namespace ether_type {
inline constexpr uint16_t kIpv4 = 0x0800;
inline constexpr uint16_t kIpv6 = 0x86DD;
inline constexpr uint16_t kVlan = 0x8100;        // 802.1Q
inline constexpr uint16_t kQinQ = 0x88A8;        // 802.1ad service tag
inline constexpr uint16_t kQinQLegacy = 0x9100;  // pre-standard QinQ
inline constexpr uint16_t kMplsUnicast = 0x8847;
inline constexpr uint16_t kMplsMulticast = 0x8848;
inline constexpr uint16_t kPppoeSession = 0x8864;
inline constexpr uint16_t kMaxLength = 1500;  // <= this: an 802.3 length, not a type
}  // namespace ether_type

namespace ppp_proto {
inline constexpr uint16_t kIpv4 = 0x0021;
inline constexpr uint16_t kIpv6 = 0x0057;
}  // namespace ppp_proto

// Where the IP header starts and how its version is decided.
struct LinkResult {
    uint32_t l3_offset = 0;
    // 0: the version nibble decides (Tstat's rule on every link); 4 or 6: the link type fixes it.
    uint8_t required_version = 0;
    // A protocol field said "IP": a bad version nibble is then kMalformed rather than kNotIp.
    bool claims_ip = false;
};

// Nested tags and labels beyond these are treated as garbage (each costs 4 bytes, so the loops
// are bounded anyway; this only stops a crafted frame from spinning through thousands).
inline constexpr uint8_t kMaxVlanTags = 8;
inline constexpr uint8_t kMaxMplsLabels = 16;

inline bool has_bytes(uint32_t len, uint32_t off, uint32_t n) {
    return off <= len && n <= len - off;
}

inline DecodeStatus ip_at(uint32_t off, bool claims_ip, LinkResult& link) {
    link.l3_offset = off;
    link.claims_ip = claims_ip;
    return DecodeStatus::kOk;
}

// The ethertype chain after an Ethernet, SLL or SLL2 header: any number of VLAN tags (802.1Q,
// 802.1ad, 0x9100), an MPLS label stack, a PPPoE session (PPP IPv4 or IPv6), one LLC/SNAP
// header. Tstat itself knows one 802.1Q tag, one MPLS label and PPPoE-IPv4 (ethernet_tstat).
inline DecodeStatus walk_ether_types(const uint8_t* f, uint32_t len, uint32_t off, uint16_t type,
                                     DecodedPacket& out, LinkResult& link) {
    bool snap_seen = false;
    for (;;) {
        switch (type) {
            case ether_type::kIpv4:
            case ether_type::kIpv6:
                return ip_at(off, true, link);
            case ether_type::kVlan:
            case ether_type::kQinQ:
            case ether_type::kQinQLegacy:
                if (!has_bytes(len, off, 4)) return DecodeStatus::kTruncated;
                if (out.vlan_count == kMaxVlanTags) return DecodeStatus::kMalformed;
                if (out.vlan_count++ == 0) out.vlan_id = load_be16(f + off) & 0x0FFF;
                type = load_be16(f + off + 2);
                off += 4;
                continue;
            case ether_type::kMplsUnicast:
            case ether_type::kMplsMulticast:
                for (;;) {
                    if (!has_bytes(len, off, 4)) return DecodeStatus::kTruncated;
                    if (out.mpls_count == kMaxMplsLabels) return DecodeStatus::kMalformed;
                    ++out.mpls_count;
                    const bool bottom = (f[off + 2] & 0x01) != 0;
                    off += 4;
                    if (bottom) break;
                }
                // MPLS has no payload type: IPv4/IPv6 by the version nibble, as Tstat does.
                return ip_at(off, false, link);
            case ether_type::kPppoeSession: {
                // 6-byte PPPoE header, then the 2-byte PPP protocol. Like Tstat we do not check
                // the PPPoE version/type/code or its length field.
                if (!has_bytes(len, off, 8)) return DecodeStatus::kTruncated;
                out.pppoe = true;
                const uint16_t proto = load_be16(f + off + 6);
                if (proto != ppp_proto::kIpv4 && proto != ppp_proto::kIpv6) {
                    return DecodeStatus::kNotIp;
                }
                return ip_at(off + 8, true, link);
            }
            default:
                // 802.3 length field followed by LLC/SNAP with an Ethernet OUI: the SNAP
                // protocol is an ethertype. Anything else (STP, plain LLC, ...) is not IP.
                if (type <= ether_type::kMaxLength && !snap_seen) {
                    if (!has_bytes(len, off, 8)) return DecodeStatus::kTruncated;
                    const uint8_t* s = f + off;
                    if (s[0] != 0xAA || s[1] != 0xAA || s[2] != 0x03 || s[3] != 0 || s[4] != 0 ||
                        s[5] != 0) {
                        return DecodeStatus::kNotIp;
                    }
                    snap_seen = true;
                    type = load_be16(s + 6);
                    off += 8;
                    continue;
                }
                return DecodeStatus::kNotIp;
        }
    }
}

// Tstat's find_ip_eth() (tcpdump.c): 0x0800/0x86DD at 14; PPPoE session with PPP 0x0021 at 22;
// one 802.1Q tag at 18 whose inner type is NOT checked (the version nibble decides), plus one
// MPLS label (22) when the inner type is 0x8847; one MPLS label (0x8847) at 18. Anything else
// is not IP. Where Tstat would read past the captured bytes we report kTruncated instead.
inline DecodeStatus ethernet_tstat(const uint8_t* f, uint32_t len, DecodedPacket& out,
                                   LinkResult& link) {
    const uint16_t type = load_be16(f + 12);
    switch (type) {
        case ether_type::kIpv4:
        case ether_type::kIpv6:
            return ip_at(14, true, link);
        case ether_type::kPppoeSession:
            if (!has_bytes(len, 20, 2)) return DecodeStatus::kTruncated;
            out.pppoe = true;
            if (load_be16(f + 20) != ppp_proto::kIpv4) return DecodeStatus::kNotIp;
            return ip_at(22, true, link);
        case ether_type::kVlan:
            if (!has_bytes(len, 14, 4)) return DecodeStatus::kTruncated;
            out.vlan_count = 1;
            out.vlan_id = load_be16(f + 14) & 0x0FFF;
            if (load_be16(f + 16) == ether_type::kMplsUnicast) {
                out.mpls_count = 1;
                return ip_at(22, false, link);
            }
            return ip_at(18, false, link);
        case ether_type::kMplsUnicast:
            out.mpls_count = 1;
            return ip_at(18, false, link);
        default:
            return DecodeStatus::kNotIp;
    }
}

// PPP as Tstat's find_ip_ppp() sees it (DLT_PPP): 0xFF = HDLC-like framing (address, control,
// 2-byte protocol); 0x0F = Cisco HDLC framing; 0x21 = compressed 1-byte protocol; 0x00 =
// uncompressed protocol. We also accept IPv6 (0x0057 / compressed 0x57) and the 0x8F Cisco
// broadcast address, and check the Cisco protocol field; compat mode does exactly what Tstat
// does (IPv4 only, Cisco framing at offset 4 whatever its protocol).
inline DecodeStatus decode_ppp(const uint8_t* f, uint32_t len, bool compat, LinkResult& link) {
    if (len < 1) return DecodeStatus::kTruncated;
    auto ppp_ip = [&](uint16_t proto, uint32_t off) {
        if (proto == ppp_proto::kIpv4 || (!compat && proto == ppp_proto::kIpv6)) {
            return ip_at(off, true, link);
        }
        return DecodeStatus::kNotIp;
    };
    switch (f[0]) {
        case 0xFF:
            if (len < 4) return DecodeStatus::kTruncated;
            return ppp_ip(load_be16(f + 2), 4);
        case 0x0F:
        case 0x8F: {
            if (compat && f[0] == 0x8F) return DecodeStatus::kNotIp;
            if (len < 4) return DecodeStatus::kTruncated;
            if (compat) return ip_at(4, false, link);
            const uint16_t type = load_be16(f + 2);
            if (type != ether_type::kIpv4 && type != ether_type::kIpv6) return DecodeStatus::kNotIp;
            return ip_at(4, true, link);
        }
        case 0x21:
            return ip_at(1, true, link);
        case 0x57:
            if (compat) return DecodeStatus::kNotIp;
            return ip_at(1, true, link);
        case 0x00:
            if (len < 2) return DecodeStatus::kTruncated;
            return ppp_ip(load_be16(f), 2);
        default:
            return DecodeStatus::kNotIp;
    }
}

// Dispatch on the pcap link type (LINKTYPE_ numbers, see capture/raw_packet.h).
inline DecodeStatus decode_link(const uint8_t* f, uint32_t len, uint32_t link_type, bool compat,
                                DecodedPacket& out, LinkResult& link) {
    namespace lt = capture::link;
    switch (link_type) {
        case lt::kEthernet:
            if (len < 14) return DecodeStatus::kTruncated;
            out.dst_mac = f;
            out.src_mac = f + 6;
            if (compat) return ethernet_tstat(f, len, out, link);
            return walk_ether_types(f, len, 14, load_be16(f + 12), out, link);
        case lt::kLinuxSll:
            // 16-byte cooked header, protocol at 14. Tstat skips 16 bytes and lets the version
            // nibble decide; we follow the protocol field (so VLAN/PPPoE inside SLL work too).
            if (len < 16) return DecodeStatus::kTruncated;
            if (compat) return ip_at(16, false, link);
            return walk_ether_types(f, len, 16, load_be16(f + 14), out, link);
        case lt::kLinuxSll2:
            // 20-byte cooked header v2, protocol at 0. Tstat cannot read this link type.
            if (compat) return DecodeStatus::kUnsupportedLink;
            if (len < 20) return DecodeStatus::kTruncated;
            return walk_ether_types(f, len, 20, load_be16(f), out, link);
        case lt::kNull:
        case lt::kLoop:
            // 4-byte address family (host order for NULL, network order for LOOP). AF_INET6
            // differs between systems (10, 23, 24, 28, 30), so like Tstat we let the version
            // nibble decide. Tstat has no LOOP (108).
            if (compat && link_type == lt::kLoop) return DecodeStatus::kUnsupportedLink;
            if (len < 4) return DecodeStatus::kTruncated;
            return ip_at(4, false, link);
        case lt::kRaw:
        case lt::kRawDlt12:
        case lt::kRawDlt14:
            return ip_at(0, true, link);
        case lt::kIpv4:
        case lt::kIpv6:
            if (compat) return DecodeStatus::kUnsupportedLink;
            link.required_version = link_type == lt::kIpv4 ? 4 : 6;
            return ip_at(0, true, link);
        case lt::kPpp:
            return decode_ppp(f, len, compat, link);
        case lt::kPppHdlc:
            if (compat) return DecodeStatus::kUnsupportedLink;
            return decode_ppp(f, len, compat, link);
        case lt::kCiscoHdlc: {
            // Address, control, 2-byte ethertype. Tstat skips 4 bytes whatever the type.
            if (len < 4) return DecodeStatus::kTruncated;
            if (compat) return ip_at(4, false, link);
            const uint16_t type = load_be16(f + 2);
            if (type != ether_type::kIpv4 && type != ether_type::kIpv6) return DecodeStatus::kNotIp;
            return ip_at(4, true, link);
        }
        default:
            return DecodeStatus::kUnsupportedLink;
    }
}

}  // namespace tstat::decode
