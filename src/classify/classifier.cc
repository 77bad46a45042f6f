#include "classify/classifier.h"

namespace tstat::classify {

// No application-layer engine is built yet: every flow reports what Tstat prints when
// nothing is detected (TcpL7/UdpL7/DnsLabel defaults).

// DN-Hunter: one lookup when a flow opens (spec §9.10); the answer is kept until it closes.
void Classifier::tcp_opened(flow::tcp::TcpFlow& flow) {
    const uint32_t label = udp_.label_flow(flow.key.a, flow.key.b);
    if (label != flow::kNil) tcp_labels_.put(flow.slot, label);
}
void Classifier::tcp_packet(flow::tcp::TcpFlow&, flow::Dir, const decode::DecodedPacket&) {}
void Classifier::tcp_closed(flow::tcp::TcpFlow& flow, TcpL7&, DnsLabel& dns) {
    if (const uint32_t* label = tcp_labels_.find(flow.slot)) {
        udp_.take_label(*label, dns);
        tcp_labels_.erase(flow.slot);
    }
}

void Classifier::udp_opened(flow::udp::UdpFlow& flow) { udp_.opened(flow); }
void Classifier::udp_packet(flow::udp::UdpFlow& flow, flow::Dir dir,
                            const decode::DecodedPacket& pkt) {
    udp_.packet(flow, dir, pkt);
}
void Classifier::udp_closed(flow::udp::UdpFlow& flow, UdpL7& l7, DnsLabel& dns) {
    udp_.closed(flow, l7, dns);
}

}  // namespace tstat::classify
