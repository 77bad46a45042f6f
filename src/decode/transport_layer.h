// Transport layer: the TCP or UDP header after the IP header(s), with Tstat's lengths.
// Internal to the decoder, inline for the hot path; Tstat facts in docs/decoding.md.
#pragma once

#include <algorithm>
#include <cstdint>

#include "common/byte_reader.h"
#include "decode/decoded_packet.h"
#include "decode/link_layer.h"

namespace tstat::decode {

inline constexpr uint32_t kTcpMinHeader = 20;
inline constexpr uint32_t kUdpHeader = 8;

// Fills the l4/tcp/udp/payload fields from the IP fields already in `out` (ip, ip_caplen,
// ip_header_len, ip_total_len, protocol, tstat_ip_caplen). `l4_len` is Tstat's
// getpayloadlength(): IPv4 ip_len - 4*IHL, IPv6 payload_len + 40 - (40 + extension headers);
// it may be negative on garbage and the payload length keeps Tstat's signed arithmetic.
inline void decode_transport(DecodedPacket& out, int32_t l4_len) {
    const uint32_t hdr = out.ip_header_len;
    const uint32_t caplen = out.ip_caplen;
    const uint32_t avail = out.tstat_ip_caplen;  // Tstat's view, <= caplen
    out.l4_len = l4_len > 0 ? static_cast<uint32_t>(l4_len) : 0;
    if (hdr > caplen) return;
    out.l4 = out.ip + hdr;
    // The IP packet ends at ip_total_len inside the capture (trailing Ethernet padding or FCS
    // is not payload); a total length shorter than the header (TSO captures write 0) gives no
    // bound, so the capture decides.
    const uint32_t ip_end = out.ip_total_len >= hdr ? std::min(out.ip_total_len, caplen) : caplen;
    out.l4_caplen = ip_end - hdr;

    if (out.protocol == ip_proto::kTcp) {
        if (!has_bytes(caplen, hdr, kTcpMinHeader)) return;
        const uint8_t* t = out.l4;
        TcpHeader& tcp = out.tcp;
        tcp.src_port = load_be16(t);
        tcp.dst_port = load_be16(t + 2);
        tcp.seq = load_be32(t + 4);
        tcp.ack = load_be32(t + 8);
        tcp.data_offset = t[12] >> 4;
        tcp.flags = t[13];
        tcp.window = load_be16(t + 14);
        // tcp_flow_stat(): "truncated too short" unless the 20 bytes end within plast.
        out.transport_ok = has_bytes(avail, hdr, kTcpMinHeader);
        const uint32_t th_len = uint32_t{tcp.data_offset} * 4;
        tcp.options = t + kTcpMinHeader;
        tcp.options_len = th_len > kTcpMinHeader ? th_len - kTcpMinHeader : 0;
        // ParseOptions() stops at plast, so the option bytes it can see end there too.
        const uint32_t opt_visible = out.transport_ok ? avail - hdr - kTcpMinHeader : 0;
        tcp.options_caplen = std::min(tcp.options_len, opt_visible);
        // A data offset below 5 is passed through: Tstat subtracts 4*th_off all the same.
        out.payload_len = l4_len - static_cast<int32_t>(th_len);
        const uint32_t payload_off = hdr + th_len;
        if (payload_off <= caplen) out.payload = out.ip + payload_off;
        if (out.payload_len > 0 && payload_off < ip_end) {
            out.payload_caplen =
                std::min(static_cast<uint32_t>(out.payload_len), ip_end - payload_off);
        }
    } else if (out.protocol == ip_proto::kUdp) {
        if (!has_bytes(caplen, hdr, kUdpHeader)) return;
        const uint8_t* u = out.l4;
        out.udp.src_port = load_be16(u);
        out.udp.dst_port = load_be16(u + 2);
        out.udp.length = load_be16(u + 4);
        // udp_flow_stat(): same "truncated too short" test with 8 bytes.
        out.transport_ok = has_bytes(avail, hdr, kUdpHeader);
        // Tstat counts UDP bytes from the UDP length field (uh_ulen - 8), not the IP length.
        out.payload_len = static_cast<int32_t>(out.udp.length) - static_cast<int32_t>(kUdpHeader);
        const uint32_t payload_off = hdr + kUdpHeader;
        out.payload = out.ip + payload_off;
        if (out.payload_len > 0 && payload_off < ip_end) {
            out.payload_caplen =
                std::min(static_cast<uint32_t>(out.payload_len), ip_end - payload_off);
        }
    }
}

}  // namespace tstat::decode
