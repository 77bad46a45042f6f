#include "decode/decoder.h"

#include <algorithm>

#include "decode/link_layer.h"
#include "decode/network_layer.h"

namespace tstat::decode {

namespace {

// Tstat copies at most IP_MAXPACKET bytes of a frame (tcpdump.c callback), so nothing past
// byte 65535 of a frame is ever looked at. Kept so payload budgets match on huge frames.
constexpr uint32_t kMaxFrameBytes = 65535;

}  // namespace

const char* to_string(DecodeStatus s) noexcept {
    switch (s) {
        case DecodeStatus::kOk: return "ok";
        case DecodeStatus::kNotIp: return "not_ip";
        case DecodeStatus::kUnsupportedLink: return "unsupported_link";
        case DecodeStatus::kTruncated: return "truncated";
        case DecodeStatus::kMalformed: return "malformed";
        case DecodeStatus::kFragment: return "fragment";
        case DecodeStatus::kCount: break;
    }
    return "unknown";
}

DecodeStatus decode_packet(const capture::RawPacket& raw, DecodedPacket& out,
                           const DecodeOptions& options) noexcept {
    out = DecodedPacket{};
    out.ts = raw.ts;
    out.caplen = raw.caplen;
    out.wire_len = raw.wire_len;
    if (raw.data == nullptr) return DecodeStatus::kTruncated;
    const uint32_t len = std::min(raw.caplen, kMaxFrameBytes);

    LinkResult link;
    const DecodeStatus link_status =
        decode_link(raw.data, len, raw.link_type, options.tstat_compat, out, link);
    if (link_status != DecodeStatus::kOk) return link_status;
    if (link.l3_offset > len) return DecodeStatus::kTruncated;
    return decode_ip(raw.data + link.l3_offset, len - link.l3_offset, link.required_version,
                     link.claims_ip, options.tstat_compat, out);
}

DecodeStatus decode_packet(const capture::RawPacket& raw, DecodedPacket& out) noexcept {
    return decode_packet(raw, out, DecodeOptions{});
}

}  // namespace tstat::decode
