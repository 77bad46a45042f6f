#include "decode/decoder.h"

#include <algorithm>

#include "decode/link_layer.h"
#include "decode/network_layer.h"

namespace tstat::decode {

namespace {

// Tstat copies at most IP_MAXPACKET bytes of a frame (tcpdump.c callback), so nothing past
// byte 65535 of a frame is ever looked at. Kept so payload budgets match on huge frames.
constexpr uint32_t kMaxFrameBytes = 65535;

// Every field of `out` back to its default, the capture fields from `raw`. Field by field on
// purpose: `out = DecodedPacket{}` compiles to a `rep stos` whose start-up cost was a third of
// a whole Ethernet/IPv4/TCP decode. A field added to DecodedPacket must be added here (the
// size check below is the reminder; DecodePacket.ReusedOutputIsFullyReset tests the result).
void reset(DecodedPacket& out, const capture::RawPacket& raw) {
    static_assert(sizeof(void*) != 8 || sizeof(DecodedPacket) == 200,
                  "DecodedPacket changed: reset the new field in reset() (decoder.cc)");
    out.ts = raw.ts;
    out.caplen = raw.caplen;
    out.wire_len = raw.wire_len;
    out.src_mac = nullptr;
    out.dst_mac = nullptr;
    out.vlan_id = 0;
    out.vlan_count = 0;
    out.mpls_count = 0;
    out.pppoe = false;
    out.outer_ip = nullptr;
    out.ip_version = 0;
    out.src = IpAddress{};
    out.dst = IpAddress{};
    out.ttl = 0;
    out.tos = 0;
    out.ip_id = 0;
    out.protocol = 0;
    out.ip = nullptr;
    out.ip_caplen = 0;
    out.ip_header_len = 0;
    out.ip_total_len = 0;
    out.ecn_ce = false;
    out.more_fragments = false;
    out.fragment_offset = 0;
    out.tstat_ip_caplen = 0;
    out.transport_ok = false;
    out.l4 = nullptr;
    out.l4_len = 0;
    out.l4_caplen = 0;
    out.tcp = TcpHeader{};
    out.udp = UdpHeader{};
    out.payload = nullptr;
    out.payload_len = 0;
    out.payload_caplen = 0;
}

}  // namespace

const char* to_string(DecodeStatus s) noexcept {
    switch (s) {
        case DecodeStatus::kOk:
            return "ok";
        case DecodeStatus::kNotIp:
            return "not_ip";
        case DecodeStatus::kUnsupportedLink:
            return "unsupported_link";
        case DecodeStatus::kTruncated:
            return "truncated";
        case DecodeStatus::kMalformed:
            return "malformed";
        case DecodeStatus::kFragment:
            return "fragment";
        case DecodeStatus::kCount:
            break;
    }
    return "unknown";
}

DecodeStatus decode_packet(const capture::RawPacket& raw, DecodedPacket& out,
                           const DecodeOptions& options) noexcept {
    reset(out, raw);
    if (raw.data == nullptr) return DecodeStatus::kTruncated;
    const uint32_t len = std::min(raw.caplen, kMaxFrameBytes);

    LinkResult link;
    const DecodeStatus link_status =
        decode_link(raw.data, len, raw.link_type, options.tstat_compat, out, link);
    if (link_status != DecodeStatus::kOk) return link_status;
    if (link.l3_offset > len) return DecodeStatus::kTruncated;
    return decode_ip(raw.data + link.l3_offset, len - link.l3_offset, link.required_version,
                     // Tstat's reader hands over whatever sits where its link layer says IP is; a
                     // bad version there is a damaged IP packet to it, not a non-IP frame.
                     link.claims_ip || options.tstat_compat, options.tstat_compat, out);
}

DecodeStatus decode_packet(const capture::RawPacket& raw, DecodedPacket& out) noexcept {
    return decode_packet(raw, out, DecodeOptions{});
}

}  // namespace tstat::decode
