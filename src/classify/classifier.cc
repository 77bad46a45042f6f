#include "classify/classifier.h"

namespace tstat::classify {

// DN-Hunter: one lookup when a flow opens (spec §9.10); the answer is kept until it closes.
void Classifier::tcp_opened(flow::tcp::TcpFlow& flow) {
    tcp_.opened(flow);
    const uint32_t label = udp_.label_flow(flow.key.a, flow.key.b);
    if (label != flow::kNil) tcp_labels_.put(flow.slot, label);
    if (http_log_ && label != flow::kNil) {
        dn_hunter::Answer a;
        if (udp_.dn_hunter()->lookup(flow.key.a, flow.key.b, a)) http_names_.put(flow.slot, a.name);
    }
}

std::string_view Classifier::tcp_dns_name(const flow::tcp::TcpFlow& flow) {
    const uint32_t* label = tcp_labels_.find(flow.slot);
    return label != nullptr ? udp_.label_name(*label) : std::string_view();
}

void Classifier::http_request(const tcp::HttpRequestRow& row) {
    if (const uint32_t* name = http_names_.find(row.flow->slot)) {
        tcp::HttpRequestRow named = row;
        named.fqdn = udp_.dn_hunter()->names().get(*name);
        tcp_sink_->http_request(named);
        return;
    }
    tcp_sink_->http_request(row);
}
void Classifier::tcp_packet(flow::tcp::TcpFlow& flow, flow::Dir dir,
                            const decode::DecodedPacket& pkt) {
    tcp_.packet(flow, dir, pkt);
}
void Classifier::tcp_closed(flow::tcp::TcpFlow& flow, TcpL7& l7, DnsLabel& dns) {
    tcp_.closed(flow, now_, l7);
    if (const uint32_t* name = http_names_.find(flow.slot)) {
        udp_.dn_hunter()->names().unref(*name);
        http_names_.erase(flow.slot);
    }
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
