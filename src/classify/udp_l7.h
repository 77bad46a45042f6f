// What classification found in a UDP flow: the values behind c_type/s_type and the QUIC
// columns of log_udp_complete (spec §7.2). Defaults are Tstat's "nothing found".
#pragma once

#include <cstdint>
#include <string>

#include "classify/bounded_string.h"

namespace tstat::classify {

struct UdpL7 {
    uint8_t c_type = 0;              // as printed (UDP_p2p_to_logtype applied)
    uint8_t s_type = 0;
    BoundedString<240> quic_sni;     // empty: "-" (URL-encoded, from at most 79 characters)
    BoundedString<240> quic_ua;      // (URL-encoded, at most 80 characters)
    bool quic_both = false;          // both directions recognised as QUIC
    uint32_t quic_c_vers = 0;
    uint32_t quic_s_vers = 0;
    int32_t quic_zero_rtt = 0;      // uint8_t in Tstat: wraps at 256
    int32_t quic_ech = 0;
};

}  // namespace tstat::classify
