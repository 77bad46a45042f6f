// Where classification reports events that become rows of event logs (log_dns_complete,
// log_mm_complete): implemented by the app, which hands them to the output stage. classify/
// cannot see the log writer (dependencies run one way, DESIGN.md).
#pragma once

#include <cstdint>
#include <span>

#include "classify/protocols/dns/dns_message.h"
#include "common/timestamp.h"
#include "flow/udp/udp_flow.h"

namespace tstat::classify {

namespace rtp {
class RtpClassifier;
}

// One DNS message ldns would parse (spec §7.4): valid for the duration of the call.
struct DnsEvent {
    std::span<const uint8_t> msg;
    const dns::MessageInfo* info = nullptr;
    const flow::udp::UdpFlow* flow = nullptr;
    bool from_client = true;   // sent by the flow's client (c2s)
    Timestamp time;
};

// A closing UDP flow with an RTP_PLUS direction (spec §7.6): its RTP/RTCP sub-flows, valid
// for the duration of the call.
struct MmEvent {
    const flow::udp::UdpFlow* flow = nullptr;
    const rtp::RtpClassifier* rtp = nullptr;
    uint32_t handle = 0;   // the flow's rtp::FlowRtp
};

class EventSink {
public:
    virtual ~EventSink() = default;
    virtual void dns_message(const DnsEvent& ev) = 0;
    virtual void mm_flow(const MmEvent& /*ev*/) {}
};

}  // namespace tstat::classify
