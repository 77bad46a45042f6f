// What the layers above flow/ see of a flow's life: opening, each packet at the point where
// Tstat runs its plugin chain (proto_analyzer), and closing. Implemented by the app, which
// forwards to classification, statistics and the log writer.
#pragma once

#include "decode/decoded_packet.h"
#include "flow/flow_key.h"
#include "flow/tcp/seq_tracker.h"
#include "flow/tcp/tcp_flow.h"
#include "flow/udp/udp_flow.h"

namespace tstat::flow {

class FlowObserver {
public:
    virtual ~FlowObserver() = default;

    // A packet tried to open a flow (`missed`: the table was full), or a TCP segment had no
    // flow to go to (Tstat's f_TCP_count / L4_flow_number and profile_trash moments).
    virtual void flow_attempted(bool /*tcp*/, bool /*missed*/, Timestamp /*now*/) {}
    virtual void tcp_trash() {}

    virtual void tcp_opened(tcp::TcpFlow& /*flow*/) {}
    // Before the segment updates any counter (where Tstat emits its periodic log line).
    virtual void tcp_before_update(tcp::TcpFlow& /*flow*/, Dir /*dir*/, Timestamp /*now*/) {}
    virtual void tcp_packet(tcp::TcpFlow& /*flow*/, Dir /*dir*/,
                            const decode::DecodedPacket& /*pkt*/) {}
    // A positive in-flight size sample of `dir` (spec §8.4): log_tcp_periodic keeps each
    // bin's min/max of these (Tstat's cwin_min_periodic/cwin_max_periodic).
    virtual void tcp_cwin(tcp::TcpFlow& /*flow*/, Dir /*dir*/, uint32_t /*cwin*/) {}
    // An ACK from `dir` after new data of the other side: Tstat's tcp_cwnd histogram sample,
    // the other side's sequence minus this side's last ACK (u_long arithmetic).
    virtual void tcp_flight_sample(tcp::TcpFlow& /*flow*/, Dir /*dir*/, uint64_t /*flight*/) {}
    // How rexmit() classified the ranges of one SYN/FIN/data segment (tcp_anomalies_*).
    virtual void tcp_segment_classes(tcp::TcpFlow& /*flow*/, Dir /*dir*/,
                                     const tcp::AnomalyCounts& /*found*/) {}
    // `complete`: Tstat's make_conn_stats(complete) (spec §6.1). Called for every flow,
    // external ones included; the observer decides what is logged.
    virtual void tcp_closed(tcp::TcpFlow& flow, bool complete) = 0;

    virtual void udp_opened(udp::UdpFlow& /*flow*/) {}
    virtual void udp_before_update(udp::UdpFlow& /*flow*/, Dir /*dir*/, Timestamp /*now*/) {}
    virtual void udp_packet(udp::UdpFlow& /*flow*/, Dir /*dir*/,
                            const decode::DecodedPacket& /*pkt*/) {}
    virtual void udp_closed(udp::UdpFlow& flow) = 0;
};

}  // namespace tstat::flow
