// Per-flow UDP state: Tstat's udp_pair with its two ucb directions (spec §6.2, §7.2).
#pragma once

#include <cstdint>

#include "common/timestamp.h"
#include "flow/flow_key.h"
#include "flow/pool.h"

namespace tstat::flow::udp {

struct UdpDirection {
    Timestamp first_pkt_time;
    Timestamp last_pkt_time;
    uint64_t data_bytes = 0;     // UDP length - 8, summed as Tstat does (wraps on garbage)
    uint32_t packets = 0;
    uint8_t ttl_min = 0;
    uint8_t ttl_max = 0;
    uint8_t type = 0;            // UDP class (spec §9.6), set by the classifiers
    bool seen = false;           // Tstat marks "no packet yet" with last_pkt_time.tv_sec = -1
};

struct UdpFlow {
    Timestamp first_time;
    Timestamp last_time;
    FlowKey key;
    // (The flags fill the 2 bytes the key leaves before the next 4-byte field.)
    bool internal_src : 1 = false;
    bool internal_dst : 1 = false;
    bool cloud_src : 1 = false;
    bool cloud_dst : 1 = false;
    bool crypto_src : 1 = false;
    bool crypto_dst : 1 = false;
    uint32_t slot = kNil;
    uint32_t ext = kNil;         // classification state owned by classify/
    UdpDirection c2s;
    UdpDirection s2c;

    // Datagrams of the flow: each counts in exactly one direction (same u32 wrap).
    uint32_t packets() const { return c2s.packets + s2c.packets; }

    UdpDirection& dir(Dir d) { return d == Dir::kC2S ? c2s : s2c; }
    const UdpDirection& dir(Dir d) const { return d == Dir::kC2S ? c2s : s2c; }
};
static_assert(sizeof(UdpFlow) == 128);   // a worker keeps millions

}  // namespace tstat::flow::udp
