// Application-layer analysis of flows: the facade the pipeline calls at Tstat's plugin points
// (flow opened, each packet, flow closed). Per-flow state lives in the classifiers' own pools,
// reached through the flow's `ext` handle; the flow records stay small.
//
//   TcpClassifier: con_t DPI, TLS, HTTP, P2P, video, chat (spec §9.1-§9.5, §9.9)
//   UdpClassifier: UDP classes, QUIC, DNS, RTP (spec §9.6, §9.11)
//   DnHunter:      the resolved-name cache behind fqdn/dns_rslv/req_tm/res_tm (§9.10)
#pragma once

#include <memory>

#include "classify/event_sink.h"
#include "classify/flat_map.h"
#include "classify/tcp_l7.h"
#include "classify/udp/udp_classifier.h"
#include "classify/udp_l7.h"
#include "decode/decoded_packet.h"
#include "flow/flow_key.h"
#include "flow/tcp/tcp_flow.h"
#include "flow/udp/udp_flow.h"

namespace tstat::classify {

class Classifier {
public:
    explicit Classifier(const UdpClassifierConfig& udp = {}) : udp_(udp) {}

    // Where DNS messages for log_dns_complete go (none: not logged).
    void set_sink(EventSink* sink) { udp_.set_sink(sink); }

    void tcp_opened(flow::tcp::TcpFlow& flow);
    void tcp_packet(flow::tcp::TcpFlow& flow, flow::Dir dir, const decode::DecodedPacket& pkt);
    // Fills what was found; the flow's classification state is released.
    void tcp_closed(flow::tcp::TcpFlow& flow, TcpL7& l7, DnsLabel& dns);

    void udp_opened(flow::udp::UdpFlow& flow);
    void udp_packet(flow::udp::UdpFlow& flow, flow::Dir dir, const decode::DecodedPacket& pkt);
    void udp_closed(flow::udp::UdpFlow& flow, UdpL7& l7, DnsLabel& dns);

private:
    struct SlotHash {
        size_t operator()(uint32_t k) const { return k * 0x9E3779B1u; }
    };
    UdpClassifier udp_;
    FlatMap<uint32_t, uint32_t, SlotHash> tcp_labels_;   // TCP flow slot -> DN-Hunter label
};

}  // namespace tstat::classify
