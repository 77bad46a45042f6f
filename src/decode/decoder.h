// Frame -> DecodedPacket: link layer, VLAN/MPLS/PPPoE, IPv4/IPv6, TCP/UDP headers.
// Never throws, never allocates; malformed input becomes a status the caller counts.
#pragma once

#include <cstdint>

#include "capture/raw_packet.h"
#include "decode/decoded_packet.h"

namespace tstat::decode {

enum class DecodeStatus : uint8_t {
    kOk,                // an IP packet; see DecodedPacket::protocol / transport_ok
    kNotIp,             // ARP, LLDP, STP, ... (Tstat ignores them)
    kUnsupportedLink,   // a link type we do not decode
    kTruncated,         // the captured bytes end inside a link or IP header
    kMalformed,         // a header contradicts itself (bad version, IHL < 5, ...)
    kFragment,          // a non-initial IP fragment (Tstat skips them, spec §3.4)
    kCount
};

const char* to_string(DecodeStatus s);


DecodeStatus decode_packet(const capture::RawPacket& raw, DecodedPacket& out) noexcept;

}  // namespace tstat::decode
