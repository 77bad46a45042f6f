// Per-flow TCP state: Tstat's tcp_pair with its two tcb directions (spec §7.1, §8). Field
// widths follow Tstat where a counter can wrap in the logs (u_char SYN/FIN/RST counts,
// u_int retransmitted bytes, signed 16-bit MSS).
#pragma once

#include <cstdint>

#include "common/timestamp.h"
#include "flow/flow_key.h"
#include "flow/pool.h"
#include "flow/tcp/segment.h"

namespace tstat::flow::tcp {

struct TcpDirection {
    SeqSpace ss;

    // Sequence bookkeeping
    uint32_t ack = 0;            // last ACK number sent by this side
    uint32_t seq = 0;            // end of the last in-sequence segment
    uint32_t syn = 0;
    uint32_t fin = 0;
    uint32_t fin_seqno = 0;
    uint32_t max_seq = 0;
    uint32_t msg_last_seq = 0;

    // Counters (Core set)
    uint64_t packets = 0;
    uint64_t ack_pkts = 0;
    uint64_t pureack_pkts = 0;
    uint64_t unique_bytes = 0;
    uint64_t data_pkts = 0;
    uint64_t data_bytes = 0;
    uint32_t rexmit_pkts = 0;
    uint32_t rexmit_bytes = 0;
    uint32_t out_order_pkts = 0;
    uint8_t syn_count = 0;
    uint8_t fin_count = 0;
    uint8_t reset_count = 0;

    // Flags
    bool closed = false;
    bool data_acked = false;
    bool cwnd_flag = false;
    bool bad_behavior = false;
    bool f1323_ws = false;
    bool f1323_ts = false;
    bool fsack_req = false;
    bool mptcp_req = false;
    uint8_t window_scale = 0;
    uint8_t ttl_min = 0;
    uint8_t ttl_max = 0;

    // Options set
    int32_t mss = 0;             // the option value as a signed 16-bit number (spec §7.1)
    uint32_t sacks_sent = 0;
    uint32_t max_seg_size = 0;
    uint32_t min_seg_size = 0;
    uint32_t win_max = 0;
    uint32_t win_min = 0;
    uint32_t win_curr = 0;
    uint32_t win_tot = 0;
    uint32_t win_zero_ct = 0;
    uint32_t cwin_max = 0;
    uint32_t cwin_min = 0;
    uint32_t initialwin_bytes = 0;
    uint32_t msg_count = 0;
    uint32_t data_pkts_push = 0;

    // Anomaly classes (spec §8.2)
    uint32_t rtx_rto = 0;
    uint32_t rtx_fr = 0;
    uint32_t reordering = 0;
    uint32_t net_dup = 0;
    uint32_t unknown = 0;
    uint32_t flow_control = 0;
    uint32_t unnecessary_rtx_fr = 0;
    uint32_t unnecessary_rtx_rto = 0;

    // RTT of segments sent by this side (microseconds)
    uint64_t rtt_min = 0;
    uint64_t rtt_max = 0;
    double rtt_sum = 0;
    double rtt_sum2 = 0;
    uint32_t rtt_count = 0;

    // Times
    Timestamp payload_start_time;
    Timestamp payload_end_time;
    Timestamp ack_start_time;
};

struct TcpFlow {
    FlowKey key;
    uint64_t hash = 0;
    uint32_t slot = kNil;        // Tstat slot (drives the garbage collector)
    uint32_t id = 0;             // Tstat's id_number: TCP flows created so far
    uint32_t ext = kNil;         // handle of classification state owned by classify/
    Timestamp first_time;
    Timestamp last_time;
    uint64_t packets = 0;
    bool internal_src = false;
    bool internal_dst = false;
    bool cloud_src = false;
    bool cloud_dst = false;
    bool crypto_src = false;
    bool crypto_dst = false;
    bool ignore_dpi = false;     // half-duplex client data seen (spec §6.1)
    TcpDirection c2s;
    TcpDirection s2c;

    TcpDirection& dir(Dir d) { return d == Dir::kC2S ? c2s : s2c; }
    const TcpDirection& dir(Dir d) const { return d == Dir::kC2S ? c2s : s2c; }
};

}  // namespace tstat::flow::tcp
