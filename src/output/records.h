// What the worker hands to the writer thread when a flow ends: a copy of the flow's
// statistics plus what classification and DN-Hunter found. By value: the worker reuses the
// flow slot at once.
#pragma once

#include "classify/tcp_l7.h"
#include "classify/udp_l7.h"
#include "flow/tcp/tcp_flow.h"
#include "flow/udp/udp_flow.h"

namespace tstat::output {

struct TcpRecord {
    flow::tcp::TcpFlow flow;
    flow::tcp::TcpAnomalies anomalies;
    bool complete = false;
    bool video = false;      // also a row of log_video_complete (spec §7.5)
    classify::TcpL7 l7;
    classify::DnsLabel dns;
};

struct UdpRecord {
    flow::udp::UdpFlow flow;
    classify::UdpL7 l7;
    classify::DnsLabel dns;
};

}  // namespace tstat::output
