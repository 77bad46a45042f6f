// Application-layer analysis of flows: the facade the pipeline calls at Tstat's plugin points
// (flow opened, each packet, flow closed). Per-flow state lives in the classifiers' own pools,
// reached through the flow's `ext` handle; the flow records stay small.
//
//   TcpClassifier: con_t DPI, TLS, HTTP, P2P, video, chat (spec §9.1-§9.5, §9.9)
//   UdpClassifier: UDP classes, QUIC, DNS, RTP (spec §9.6, §9.11)
//   DnHunter:      the resolved-name cache behind fqdn/dns_rslv/req_tm/res_tm (§9.10)
//   SkypeEngine:   the Bayesian/chi-square Skype classifier, only with -B (§9.8)
#pragma once

#include <memory>

#include "classify/event_sink.h"
#include "classify/flat_map.h"
#include "classify/protocols/skype/skype_engine.h"
#include "classify/tcp/tcp_classifier.h"
#include "classify/tcp_l7.h"
#include "classify/udp/udp_classifier.h"
#include "classify/udp_l7.h"
#include "decode/decoded_packet.h"
#include "flow/flow_key.h"
#include "flow/tcp/tcp_flow.h"
#include "flow/udp/udp_flow.h"

namespace tstat::classify {

class Classifier : private tcp::TcpEventSink {
public:
    explicit Classifier(const UdpClassifierConfig& udp = {},
                        const tcp::TcpClassifierConfig& tcp = {})
        : udp_(udp), tcp_(tcp) {}

    // Where DNS messages for log_dns_complete go (none: not logged).
    void set_sink(EventSink* sink) { udp_.set_sink(sink); }
    // Where the RTP+ engine's histogram samples go (none: not collected).
    void set_mm_observer(rtp::MmObserver* o) { udp_.set_mm_observer(o); }
    // Where HTTP requests/responses and chat messages go (none: not logged).
    void set_tcp_sink(tcp::TcpEventSink* sink) {
        tcp_sink_ = sink;
        tcp_.set_sink(sink ? this : nullptr);
    }
    void set_udp_logs(bool dns_log, bool mm_log) { udp_.set_logs(dns_log, mm_log); }
    // -B: the Skype engine, first in Tstat's plugin chain; its rows go to `sink`.
    void enable_skype(std::shared_ptr<const skype::SkypeConfig> cfg, skype::SkypeSink* sink);
    // log_skype_complete switched by runtime.conf.
    void set_skype_log(bool on) {
        if (skype_) skype_->set_log(on);
    }
    const skype::SkypeEngine* skype() const { return skype_.get(); }
    // A live UDP direction whose SKYPE_E2E/SKYPE_OUT class the engine confirmed (it then
    // prints as such, not as 0; the dump engine's class follows, spec §12).
    bool udp_skype_confirmed(const flow::udp::UdpFlow& flow, flow::Dir dir) const;
    // Options read from runtime.conf when a time folder opens (log switches, -0).
    void configure_tcp(const tcp::TcpClassifierConfig& cfg) {
        tcp_.configure(cfg);
        http_log_ = cfg.http_log;
    }
    // Tstat's current_time: the packet being processed (flows closed by the collector or at
    // the end of input close at this time).
    void set_time(Timestamp now) { now_ = now; }
    const tcp::TcpClassifier& tcp() const { return tcp_; }
    const UdpClassifier& udp() const { return udp_; }
    // The DN-Hunter name a live TCP flow got when it opened (empty if none).
    std::string_view tcp_dns_name(const flow::tcp::TcpFlow& flow);

    void tcp_opened(flow::tcp::TcpFlow& flow);
    void tcp_packet(flow::tcp::TcpFlow& flow, flow::Dir dir, const decode::DecodedPacket& pkt);
    // Fills what was found; the flow's classification state is released. `complete`: Tstat
    // runs the plugins' end-of-flow step (the Skype verdict) for complete flows only.
    void tcp_closed(flow::tcp::TcpFlow& flow, TcpL7& l7, DnsLabel& dns, bool complete = true);

    void udp_opened(flow::udp::UdpFlow& flow);
    void udp_packet(flow::udp::UdpFlow& flow, flow::Dir dir, const decode::DecodedPacket& pkt);
    void udp_closed(flow::udp::UdpFlow& flow, UdpL7& l7, DnsLabel& dns);

private:
    // TcpEventSink: HTTP rows get the flow's DN-Hunter name (Tstat's ptp->dns_name).
    void http_request(const tcp::HttpRequestRow& row) override;
    void http_response(const tcp::HttpResponseRow& row) override { tcp_sink_->http_response(row); }
    void chat_message(const tcp::ChatMessageRow& row) override { tcp_sink_->chat_message(row); }

    struct SlotHash {
        size_t operator()(uint32_t k) const { return k * 0x9E3779B1u; }
    };
    UdpClassifier udp_;
    tcp::TcpClassifier tcp_;
    tcp::TcpEventSink* tcp_sink_ = nullptr;
    bool http_log_ = false;
    // With log_http_complete on: TCP flow slot -> DN-Hunter name reference, for its rows.
    FlatMap<uint32_t, uint32_t, SlotHash> http_names_;
    Timestamp now_;
    FlatMap<uint32_t, uint32_t, SlotHash> tcp_labels_;   // TCP flow slot -> DN-Hunter label
    // -B: Skype state of each live flow, by the flow's `ext` handle (kNil: none).
    std::unique_ptr<skype::SkypeEngine> skype_;
    std::vector<uint32_t> skype_tcp_;
    std::vector<uint32_t> skype_udp_;
    uint32_t take_skype(std::vector<uint32_t>& by_ext, uint32_t ext);
};

}  // namespace tstat::classify
