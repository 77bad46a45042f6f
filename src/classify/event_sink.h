// Where classification reports events that become rows of event logs (log_dns_complete):
// implemented by the app, which hands them to the output stage. classify/ cannot see the log
// writer (dependencies run one way, DESIGN.md).
#pragma once

#include <cstdint>
#include <span>

#include "classify/protocols/dns/dns_message.h"
#include "common/timestamp.h"
#include "flow/udp/udp_flow.h"

namespace tstat::classify {

// One DNS message ldns would parse (spec §7.4): valid for the duration of the call.
struct DnsEvent {
    std::span<const uint8_t> msg;
    const dns::MessageInfo* info = nullptr;
    const flow::udp::UdpFlow* flow = nullptr;
    bool from_client = true;   // sent by the flow's client (c2s)
    Timestamp time;
};

class EventSink {
public:
    virtual ~EventSink() = default;
    virtual void dns_message(const DnsEvent& ev) = 0;
};

}  // namespace tstat::classify
