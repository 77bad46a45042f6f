// Network layer: IPv4 (options, fragments, one IP-in-IP / 6in4 skip) and IPv6 (extension header
// walk as Tstat's findheader_ipv6/gethdrlength do it). Internal to the decoder, inline for the
// hot path; the Tstat facts behind each rule are in docs/decoding.md.
#pragma once

#include <array>
#include <cstdint>
#include <cstring>

#include "common/byte_reader.h"
#include "common/ip_address.h"
#include "decode/decoded_packet.h"
#include "decode/decoder.h"
#include "decode/transport_layer.h"

namespace tstat::decode {

namespace ip_proto {
inline constexpr uint8_t kHopByHop = 0;
inline constexpr uint8_t kRouting = 43;
inline constexpr uint8_t kFragmentHeader = 44;
inline constexpr uint8_t kEsp = 50;
inline constexpr uint8_t kAh = 51;
inline constexpr uint8_t kNoNext = 59;
inline constexpr uint8_t kDestinationOptions = 60;
inline constexpr uint8_t kMobility = 135;
}  // namespace ip_proto

inline constexpr uint32_t kIpv4MinHeader = 20;
inline constexpr uint32_t kIpv6Header = 40;

// Writes an address in place: IpAddress::v4()/v6() build a zeroed temporary, patch it and copy
// it, and reloading the just-patched temporary stalls store forwarding (a third of the decode
// time on an IPv4/TCP frame). Here the template is copied first and the bytes land last.
inline void set_address(IpAddress& a, const uint8_t* bytes, bool v6) {
    static const IpAddress kV4 = IpAddress::v4(uint32_t{0});
    static const IpAddress kV6 = IpAddress::v6(std::array<uint8_t, 16>{}.data());
    a = v6 ? kV6 : kV4;
    std::memcpy(a.mutable_bytes(), bytes, v6 ? 16 : 4);
}

inline DecodeStatus decode_ipv6(const uint8_t* ip, uint32_t caplen, bool compat,
                                DecodedPacket& out);

// Before decoding the inner header of IP-in-IP: forget everything the outer one set, keep the
// link-layer fields (a field added to the link part of DecodedPacket must be listed here).
inline void restart_at_inner_header(DecodedPacket& out, const uint8_t* outer) {
    DecodedPacket fresh;
    fresh.ts = out.ts;
    fresh.caplen = out.caplen;
    fresh.wire_len = out.wire_len;
    fresh.src_mac = out.src_mac;
    fresh.dst_mac = out.dst_mac;
    fresh.vlan_id = out.vlan_id;
    fresh.vlan_count = out.vlan_count;
    fresh.mpls_count = out.mpls_count;
    fresh.pppoe = out.pppoe;
    fresh.outer_ip = outer;
    out = fresh;
}

// IPv4. `tunnel_allowed`: the outer header of IP-in-IP (4) or 6in4 (41) is skipped once,
// exactly like ProcessPacket does; the inner header is then decoded in its place.
inline DecodeStatus decode_ipv4(const uint8_t* ip, uint32_t caplen, bool compat,
                                bool tunnel_allowed, DecodedPacket& out) {
    out.ip_version = 4;
    out.ip = ip;
    out.ip_caplen = caplen;
    if (caplen < kIpv4MinHeader) return DecodeStatus::kTruncated;

    const uint32_t hdr_len = uint32_t{ip[0] & 0x0Fu} * 4;
    out.tos = ip[1];
    out.ecn_ce = (ip[1] & 0x03) == 0x03;
    out.ip_total_len = load_be16(ip + 2);
    out.ip_id = load_be16(ip + 4);
    const uint16_t frag = load_be16(ip + 6);
    out.more_fragments = (frag & 0x2000) != 0;
    out.fragment_offset = frag & 0x1FFF;
    out.ttl = ip[8];
    out.protocol = ip[9];
    set_address(out.src, ip + 12, false);
    set_address(out.dst, ip + 16, false);
    out.ip_header_len = hdr_len;
    // Tstat's findheader() clips `plast` to ip_len, one byte too far (sic).
    out.tstat_ip_caplen = out.ip_total_len < caplen ? out.ip_total_len + 1 : caplen;

    // Tstat never checks the IHL; a header shorter than 20 bytes is garbage we refuse, except
    // in compat mode where the transport header is looked for at 4*IHL as Tstat does.
    if (hdr_len < kIpv4MinHeader && !compat) return DecodeStatus::kMalformed;
    if (hdr_len > caplen) return DecodeStatus::kTruncated;

    if (tunnel_allowed && (out.protocol == ip_proto::kIpInIp || out.protocol == ip_proto::kIpv6)) {
        // Tstat skips the outer header even for a non-initial fragment (then the "inner header"
        // is payload bytes); we call that a fragment, except in compat mode.
        if (out.fragment_offset != 0 && !compat) return DecodeStatus::kFragment;
        const uint8_t* inner = ip + hdr_len;
        const uint32_t inner_caplen = caplen - hdr_len;
        if (inner_caplen < 1) return DecodeStatus::kTruncated;
        const uint8_t version = inner[0] >> 4;
        if (version != 4 && version != 6) return DecodeStatus::kMalformed;
        restart_at_inner_header(out, ip);
        if (version == 4) return decode_ipv4(inner, inner_caplen, compat, false, out);
        return decode_ipv6(inner, inner_caplen, compat, out);
    }

    // findheader(): a non-initial fragment has no transport header.
    if (out.fragment_offset != 0) return DecodeStatus::kFragment;
    decode_transport(out, static_cast<int32_t>(out.ip_total_len) - static_cast<int32_t>(hdr_len));
    return DecodeStatus::kOk;
}

// IPv6. The walk follows Tstat 3.3's findheader_ipv6()/gethdrlength(): hop-by-hop, routing,
// destination options and mobility ((len+1)*8 bytes), AH ((len+2)*4), fragment (8) are
// skipped; TCP, UDP, ICMPv6, no-next-header, ESP and anything else end it. A 6in6 / 4in6 inner
// header is not decapsulated (Tstat only unwraps an IPv4 outer header).
inline DecodeStatus decode_ipv6(const uint8_t* ip, uint32_t caplen, bool compat,
                                DecodedPacket& out) {
    out.ip_version = 6;
    out.ip = ip;
    out.ip_caplen = caplen;
    if (caplen < kIpv6Header) return DecodeStatus::kTruncated;

    out.tos = static_cast<uint8_t>(load_be16(ip) >> 4);
    const uint16_t payload_len = load_be16(ip + 4);
    out.ip_total_len = kIpv6Header + payload_len;
    out.ttl = ip[7];
    set_address(out.src, ip + 8, true);
    set_address(out.dst, ip + 24, true);
    // Tstat never clips `plast` for IPv6: everything captured counts.
    out.tstat_ip_caplen = caplen;

    uint8_t next = ip[6];
    uint32_t off = kIpv6Header;
    for (;;) {
        out.protocol = next;
        out.ip_header_len = off;
        uint32_t ext_len = 0;
        switch (next) {
            case ip_proto::kHopByHop:
            case ip_proto::kRouting:
            case ip_proto::kDestinationOptions:
            case ip_proto::kMobility:
                if (!has_bytes(caplen, off, 2)) return DecodeStatus::kTruncated;
                ext_len = (uint32_t{ip[off + 1]} + 1) * 8;
                break;
            case ip_proto::kAh:
                if (!has_bytes(caplen, off, 2)) return DecodeStatus::kTruncated;
                ext_len = (uint32_t{ip[off + 1]} + 2) * 4;
                break;
            case ip_proto::kFragmentHeader: {
                if (!has_bytes(caplen, off, 8)) return DecodeStatus::kTruncated;
                const uint16_t frag = load_be16(ip + off + 2);
                out.fragment_offset = frag >> 3;
                out.more_fragments = (frag & 0x0001) != 0;
                // Tstat tests `ip6ext_fr_offset & 0xfc` on the field read in host (little-
                // endian) order, i.e. only the top six bits of the offset's high byte: it
                // takes fragments at offsets below 1024 bytes for initial ones (and parses
                // payload bytes as a transport header). Compat mode reproduces that.
                const bool non_initial =
                    compat ? (ip[off + 2] & 0xFC) != 0 : out.fragment_offset != 0;
                if (non_initial) {
                    out.protocol = ip[off];
                    out.ip_header_len = off + 8;
                    return DecodeStatus::kFragment;
                }
                ext_len = 8;
                break;
            }
            default:
                // Upper layer reached (TCP, UDP, ICMPv6, ...) or a header Tstat does not walk.
                decode_transport(
                    out, static_cast<int32_t>(out.ip_total_len) - static_cast<int32_t>(off));
                return DecodeStatus::kOk;
        }
        next = ip[off];
        off += ext_len;
        if (off > caplen) {
            out.protocol = next;
            return DecodeStatus::kTruncated;
        }
    }
}

// The IP header at `ip`: version from the nibble, as Tstat's PIP_ISV4/PIP_ISV6 decide it.
inline DecodeStatus decode_ip(const uint8_t* ip, uint32_t caplen, uint8_t required_version,
                              bool claims_ip, bool compat, DecodedPacket& out) {
    if (caplen < 1) return DecodeStatus::kTruncated;
    const uint8_t version = ip[0] >> 4;
    if (required_version != 0 && version != required_version) return DecodeStatus::kMalformed;
    if (version == 4) return decode_ipv4(ip, caplen, compat, true, out);
    if (version == 6) return decode_ipv6(ip, caplen, compat, out);
    return claims_ip ? DecodeStatus::kMalformed : DecodeStatus::kNotIp;
}

}  // namespace tstat::decode
