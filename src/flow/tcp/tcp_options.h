// TCP options as tcptrace's ParseOptions() reads them (Tstat quirks included: the MSS is a
// signed 16-bit value and 0xffff means "absent"; a window scale of 255 means "absent").
#pragma once

#include <cstdint>

#include "decode/decoded_packet.h"

namespace tstat::flow::tcp {

struct TcpOptions {
    bool has_mss = false;
    int16_t mss = -1;
    bool has_ws = false;
    uint8_t ws = 0;
    bool has_ts = false;
    bool sack_permitted = false;
    int sack_blocks = -1;       // -1: no SACK option; else complete blocks present
    bool mptcp = false;
};

TcpOptions parse_tcp_options(const decode::TcpHeader& tcp) noexcept;

}  // namespace tstat::flow::tcp
