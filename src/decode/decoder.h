// Frame -> DecodedPacket: link layer, VLAN/MPLS/PPPoE, IPv4/IPv6, TCP/UDP headers.
// Never throws, never allocates; malformed input becomes a status the caller counts.
#pragma once

#include <cstdint>

#include "capture/raw_packet.h"
#include "decode/decoded_packet.h"

namespace tstat::decode {

enum class DecodeStatus : uint8_t {
    kOk,               // an IP packet; see DecodedPacket::protocol / transport_ok
    kNotIp,            // ARP, LLDP, STP, ... (Tstat ignores them)
    kUnsupportedLink,  // a link type we do not decode
    kTruncated,        // the captured bytes end inside a link or IP header
    kMalformed,        // a header contradicts itself (bad version, IHL < 5, ...)
    kFragment,         // a non-initial IP fragment (Tstat skips them, spec §3.4)
    kCount
};

// Counter-style name: "ok", "not_ip", "unsupported_link", "truncated", "malformed", "fragment".
const char* to_string(DecodeStatus s) noexcept;

struct DecodeOptions {
    // Reproduce Tstat 3.3's decisions, limits and bugs included (docs/decoding.md, "compat
    // mode"): one 802.1Q tag and one MPLS label only, PPPoE and PPP carry IPv4 only, no SLL2,
    // LOOP, 228/229, PPP_SERIAL or LLC/SNAP, protocol fields ignored where Tstat ignores them,
    // the IPv6 fragment-offset byte-order bug, IHL < 5 accepted. Meant for fidelity runs
    // against the original's logs; never reads past caplen all the same.
    bool tstat_compat = false;
};

// Decodes one frame; `out` is overwritten. On kOk the IP fields are valid and the transport
// fields too when transport_ok. On kFragment the IP fields are valid. On kTruncated and
// kMalformed the fields decoded before the problem are valid (ip_version != 0 once the fixed
// IP header was read), so IP-level counters can still use them, as Tstat does.
DecodeStatus decode_packet(const capture::RawPacket& raw, DecodedPacket& out) noexcept;
DecodeStatus decode_packet(const capture::RawPacket& raw, DecodedPacket& out,
                           const DecodeOptions& options) noexcept;

}  // namespace tstat::decode
