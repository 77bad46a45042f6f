// Per-flow TCP state: Tstat's tcp_pair with its two tcb directions (spec §7.1, §8). Field
// widths follow Tstat where a counter can wrap in the logs (u_char SYN/FIN/RST counts,
// u_int retransmitted bytes, signed 16-bit MSS). Kept compact: a worker holds millions.
#pragma once

#include <cstdint>

#include "common/timestamp.h"
#include "flow/flow_key.h"
#include "flow/pool.h"
#include "flow/tcp/segment.h"

namespace tstat::flow::tcp {

// Counters that stay zero in most flows (retransmissions and anomalies, spec §8.2; SACKs;
// zero windows) and RTTs longer than 71 minutes: they live in a record of their own,
// allocated the first time one is needed.
struct DirectionAnomalies {
    uint32_t rexmit_pkts = 0;
    uint32_t rexmit_bytes = 0;   // u_int in Tstat
    uint32_t out_order_pkts = 0;
    uint32_t rtx_rto = 0;
    uint32_t rtx_fr = 0;
    uint32_t reordering = 0;
    uint32_t net_dup = 0;
    uint32_t unknown = 0;
    uint32_t flow_control = 0;
    uint32_t unnecessary_rtx_fr = 0;
    uint32_t unnecessary_rtx_rto = 0;
    uint32_t sacks_sent = 0;
    uint32_t win_zero_ct = 0;
    uint64_t rtt_min_wide = 0;   // valid when TcpDirection::rtt_min == kWide
    uint64_t rtt_max_wide = 0;   // valid when TcpDirection::rtt_max == kWide
    uint64_t payload_start_wide = 0;  // valid when the 32-bit offsets hold kWide
    uint64_t payload_end_wide = 0;
    uint64_t ack_start_wide = 0;
};

// A 32-bit microsecond value that did not fit (71 minutes or more) is kept in the flow's
// DirectionAnomalies record and marked kWide here.
inline constexpr uint32_t kWide = 0xffffffffu;

inline uint64_t widen(uint32_t narrow, uint64_t wide) { return narrow == kWide ? wide : narrow; }
inline uint64_t rtt_min_of(uint32_t narrow, const DirectionAnomalies& a) {
    return widen(narrow, a.rtt_min_wide);
}
inline uint64_t rtt_max_of(uint32_t narrow, const DirectionAnomalies& a) {
    return widen(narrow, a.rtt_max_wide);
}

struct TcpAnomalies {
    DirectionAnomalies c2s;
    DirectionAnomalies s2c;
};

// (Fields ordered by size: a worker keeps millions of these. Not packed: its 64-bit counters
// are read through references, which must stay aligned.)
struct TcpDirection {
    // Counters of the Core set
    uint64_t unique_bytes = 0;
    uint64_t data_bytes = 0;
    // RTT of segments sent by this side (microseconds)
    double rtt_sum = 0;
    double rtt_sum2 = 0;

    // Sequence bookkeeping
    uint32_t ack = 0;            // last ACK number sent by this side
    uint32_t seq = 0;            // end of the last in-sequence segment
    uint32_t syn = 0;
    uint32_t fin = 0;
    uint32_t fin_seqno = 0;
    uint32_t max_seq = 0;
    uint32_t msg_last_seq = 0;

    uint32_t packets = 0;
    uint32_t ack_pkts = 0;
    uint32_t pureack_pkts = 0;
    uint32_t data_pkts = 0;

    // Options set
    uint32_t win_max = 0;
    uint32_t win_min = 0;
    uint32_t win_curr = 0;
    uint32_t cwin_max = 0;
    uint32_t cwin_min = 0;
    uint32_t initialwin_bytes = 0;
    uint32_t msg_count = 0;
    uint32_t rtt_count = 0;
    uint32_t rtt_min = 0;        // kWide: see DirectionAnomalies
    uint32_t rtt_max = 0;

    // Times, as Tstat prints them: µs from the flow's first packet (0 if never; kWide: see
    // DirectionAnomalies). First/last payload segment, first ACK without SYN.
    uint32_t payload_start_us = 0;
    uint32_t payload_end_us = 0;
    uint32_t ack_start_us = 0;

    uint16_t max_seg_size = 0;   // payload sizes: the IP length field bounds them
    uint16_t min_seg_size = 0;
    int16_t mss = 0;             // the option value as a signed 16-bit number (spec §7.1)
    uint8_t syn_count = 0;       // u_char counters, as Tstat's (they wrap)
    uint8_t fin_count = 0;
    uint8_t reset_count = 0;
    uint8_t window_scale = 0;
    uint8_t ttl_min = 0;
    uint8_t ttl_max = 0;

    // Flags
    bool closed : 1 = false;
    bool data_acked : 1 = false;
    bool cwnd_flag : 1 = false;
    bool bad_behavior : 1 = false;   // a retransmitted SYN/FIN changed its sequence number
    bool f1323_ws : 1 = false;
    bool f1323_ts : 1 = false;
    bool fsack_req : 1 = false;
    bool mptcp_req : 1 = false;
    bool has_payload : 1 = false;
    bool has_ack_start : 1 = false;

    SeqSpace ss;
};
static_assert(sizeof(TcpDirection) == 168);

// Tstat's win_tot of each direction (u_long: sums of 64 KiB windows pass 2^32 quickly). Only
// the histograms read it, so they keep it (FlowEngine::window_sample() gives each term).
struct WindowTotals {
    uint64_t c2s = 0;
    uint64_t s2c = 0;

    // By table, not by a branch: a flow's directions alternate, and a branch on them is
    // mispredicted half the time.
    uint64_t& of(Dir d) { return this->*kByDir[static_cast<size_t>(d)]; }

private:
    static constexpr uint64_t WindowTotals::*kByDir[2] = {&WindowTotals::c2s, &WindowTotals::s2c};
};

struct TcpFlow {
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
    bool ignore_dpi : 1 = false; // half-duplex client data seen (spec §6.1)
    uint32_t slot = kNil;        // Tstat slot (drives the garbage collector)
    uint32_t id = 0;             // Tstat's id_number: TCP flows created so far
    uint32_t ext = kNil;         // classification state owned by classify/
    uint32_t anomalies = kNil;   // TcpAnomalies record, once there is one
    TcpDirection c2s;
    TcpDirection s2c;

    // Packets of the flow: each counts in exactly one direction (same u32 wrap as a counter).
    uint32_t packets() const { return c2s.packets + s2c.packets; }

    TcpDirection& dir(Dir d) { return d == Dir::kC2S ? c2s : s2c; }
    const TcpDirection& dir(Dir d) const { return d == Dir::kC2S ? c2s : s2c; }
};
static_assert(sizeof(TcpFlow) == 408);

}  // namespace tstat::flow::tcp
