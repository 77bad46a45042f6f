// One row of log_skype_complete (spec §7.8; print_skype_conn_stats_UDP/_TCP in tstat/skype.c):
// the values of both directions, computed; the log only formats them.
#pragma once

#include <cstdint>

#include "common/timestamp.h"
#include "flow/flow_key.h"

namespace tstat::classify::skype {

struct SkypeDirRow {
    uint64_t bytes = 0;            // UDP data bytes / TCP unique bytes
    uint32_t packets = 0;
    // UDP only: packets by deterministic type.
    uint32_t e2e_packets = 0;
    uint32_t out_packets = 0;
    uint32_t signalling_packets = 0;   // NAK + FUN2 + FUN3
    uint32_t unknown_packets = 0;
    uint32_t audiovideo_packets = 0;
    uint32_t video_packets = 0;
    double avg_pktsize = 0;        // bytes / packets (TCP: / data packets)
    double pktsize_belief = 0;     // max mean belief of the packet-size classifier
    double avg_ipg = 0;            // flow duration [ms] / packets
    double ipg_belief = 0;
    // UDP: min E2O header, max E2E header, min E2E header, max payload.
    double udp_chi[4] = {0, 0, 0, 0};
    // TCP: max header, max payload (floats in Tstat).
    float tcp_chi[2] = {0, 0};
    int deterministic_type = 0;    // UDP class of the direction (spec §9.6)
    int bayes_type = 0;            // 1 both features, 0 none, -1 packet size only, -2 IPG only
    int chi_type = 0;              // 5 E2E, 6 SkypeOut, 7 TCP, 0 not Skype
    bool video_present = false;
};

struct SkypeRow {
    bool tcp = false;
    flow::FlowKey key;             // a = client, b = server
    bool internal[2] = {false, false};
    bool crypto[2] = {false, false};
    Timestamp first_time;
    Timestamp last_time;
    SkypeDirRow dir[2];            // c2s, s2c
};

}  // namespace tstat::classify::skype
