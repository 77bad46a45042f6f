#include "classify/classifier.h"

#include <algorithm>

#include "classify/tcp/tcp_state.h"
#include "classify/udp/udp_types.h"

namespace tstat::classify {

namespace {
// The Skype handle of a flow's ext, the table grown as the classifiers' pools grow.
void remember(std::vector<uint32_t>& by_ext, uint32_t ext, uint32_t handle) {
    if (ext == flow::kNil) return;
    if (ext >= by_ext.size()) by_ext.resize(std::max<size_t>(ext + 1, by_ext.size() * 2), flow::kNil);
    by_ext[ext] = handle;
}
uint32_t skype_of(const std::vector<uint32_t>& by_ext, uint32_t ext) {
    return ext < by_ext.size() ? by_ext[ext] : flow::kNil;
}
}  // namespace

// DN-Hunter: one lookup when a flow opens (spec §9.10); the answer is kept until it closes.
void Classifier::tcp_opened(flow::tcp::TcpFlow& flow) {
    tcp_.opened(flow);
    if (skype_) remember(skype_tcp_, flow.ext, skype_->open());
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
void Classifier::enable_skype(std::shared_ptr<const skype::SkypeConfig> cfg,
                              skype::SkypeSink* sink) {
    skype_ = std::make_unique<skype::SkypeEngine>(std::move(cfg));
    skype_->set_sink(sink);
}


uint32_t Classifier::take_skype(std::vector<uint32_t>& by_ext, uint32_t ext) {
    const uint32_t h = skype_of(by_ext, ext);
    if (h != flow::kNil) by_ext[ext] = flow::kNil;
    return h;
}

void Classifier::tcp_packet(flow::tcp::TcpFlow& flow, flow::Dir dir,
                            const decode::DecodedPacket& pkt) {
    if (skype_) {   // SKYPE is the first plugin Tstat calls
        const uint32_t h = skype_of(skype_tcp_, flow.ext);
        if (h != flow::kNil) skype_->tcp_packet(h, flow, dir, pkt);
    }
    tcp_.packet(flow, dir, pkt);
}
void Classifier::tcp_closed(flow::tcp::TcpFlow& flow, TcpL7& l7, DnsLabel& dns, bool complete) {
    bool is_skype = false;
    if (skype_) {
        const uint32_t h = take_skype(skype_tcp_, flow.ext);
        if (h != flow::kNil) is_skype = skype_->tcp_closed(h, flow, complete);
    }
    tcp_.closed(flow, now_, l7);
    if (is_skype) {
        l7.con_type |= tcp::con::kSkype;
        l7.con_type &= ~(tcp::con::kObf | tcp::con::kMse);
    }
    if (const uint32_t* name = http_names_.find(flow.slot)) {
        udp_.dn_hunter()->names().unref(*name);
        http_names_.erase(flow.slot);
    }
    if (const uint32_t* label = tcp_labels_.find(flow.slot)) {
        udp_.take_label(*label, dns);
        tcp_labels_.erase(flow.slot);
    }
}

void Classifier::udp_opened(flow::udp::UdpFlow& flow) {
    udp_.opened(flow);
    if (skype_) remember(skype_udp_, flow.ext, skype_->open());
}
void Classifier::udp_packet(flow::udp::UdpFlow& flow, flow::Dir dir,
                            const decode::DecodedPacket& pkt) {
    if (skype_) {
        const uint32_t h = skype_of(skype_udp_, flow.ext);
        if (h != flow::kNil) skype_->udp_packet(h, flow, dir, pkt);
    }
    udp_.packet(flow, dir, pkt);
}
bool Classifier::udp_skype_confirmed(const flow::udp::UdpFlow& flow, flow::Dir dir) const {
    if (!skype_) return false;
    const uint32_t h = skype_of(skype_udp_, flow.ext);
    if (h == flow::kNil) return false;
    const uint8_t raw = flow.dir(dir).type;
    const int confirmed = skype_->udp_confirmed_type(h, dir);
    // (skype_type holds the same numbers as the UDP classes 5 and 6.)
    return (raw == udp_type::kSkypeE2e || raw == udp_type::kSkypeOut) && confirmed == raw;
}

void Classifier::udp_closed(flow::udp::UdpFlow& flow, UdpL7& l7, DnsLabel& dns) {
    skype::SkypeEngine::UdpVerdict verdict;
    if (skype_) {
        const uint32_t h = take_skype(skype_udp_, flow.ext);
        // Tstat's plugins see the end of a UDP flow only when it has an internal end.
        if (h != flow::kNil)
            verdict = skype_->udp_closed(h, flow, flow.internal_src || flow.internal_dst);
    }
    udp_.closed(flow, l7, dns);
    // SKYPE_E2E / SKYPE_OUT are printed only when the Bayesian engine confirmed them (§7.2).
    if (verdict.confirmed[0]) l7.c_type = flow.c2s.type;
    if (verdict.confirmed[1]) l7.s_type = flow.s2c.type;
}

}  // namespace tstat::classify
