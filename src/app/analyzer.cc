#include "app/analyzer.h"

#include <cstdio>
#include <cstdlib>

#include "output/logs/chat_log.h"
#include "output/logs/classified_logs.h"
#include "output/logs/http_log.h"
#include "output/out_dir.h"

namespace tstat::app {

namespace pcap_dump = output::pcap_dump;

namespace {
classify::UdpClassifierConfig udp_config(const Globals& g, const RuntimeConfig& rc, bool dn) {
    classify::UdpClassifierConfig c;
    c.dns_log = rc.logs.enabled(output::log_bit::kDnsComplete);
    c.mm_log = rc.logs.enabled(output::log_bit::kMmComplete);
    c.dn_hunter = dn;
    c.dns_cache_size = g.dns_cache_size;
    c.dns_cache_size_ipv6 = g.dns_cache_size_ipv6;
    return c;
}
}  // namespace

Analyzer::Analyzer(const Globals& globals, const RuntimeConfig& runtime, const Networks& nets,
                   const decode::DecodeOptions& decode_options, output::LogWriter& writer,
                   bool dn_hunter)
    : globals_(globals),
      runtime_(runtime),
      nets_(nets),
      decode_options_(decode_options),
      writer_(writer),
      classifier_(udp_config(globals, runtime, dn_hunter)),
      dns_log_(std::make_unique<output::DnsLog>(&writer)),
      mm_log_(std::make_unique<output::MmLog>(&writer)),
      event_line_(std::make_unique<output::LineBuffer>()),
      dn_hunter_(dn_hunter) {
    classifier_.set_sink(this);
    classifier_.set_tcp_sink(this);
}

void Analyzer::dns_message(const classify::DnsEvent& ev) { dns_log_->write(ev); }

void Analyzer::mm_flow(const classify::MmEvent& ev) { mm_log_->write(ev); }

void Analyzer::enable_skype(std::shared_ptr<const classify::skype::SkypeConfig> cfg) {
    skype_log_ = std::make_unique<output::SkypeLog>(&writer_);
    classifier_.enable_skype(std::move(cfg), this);
    classifier_.set_skype_log(runtime_.logs.enabled(output::log_bit::kSkypeComplete));
}

void Analyzer::skype_row(const classify::skype::SkypeRow& row) { skype_log_->write(row); }

void Analyzer::skype_confirmed(const classify::skype::SkypeConfirmed& ev) {
    if (stats_) stats_->skype_confirmed(ev);
}

void Analyzer::http_request(const classify::tcp::HttpRequestRow& row) {
    event_line_->clear();
    output::format_http_request(row, *event_line_);
    writer_.write_line(output::LogId::kHttpComplete, event_line_->view());
}

void Analyzer::http_response(const classify::tcp::HttpResponseRow& row) {
    event_line_->clear();
    output::format_http_response(row, *event_line_);
    writer_.write_line(output::LogId::kHttpComplete, event_line_->view());
}

void Analyzer::chat_message(const classify::tcp::ChatMessageRow& row) {
    event_line_->clear();
    output::format_chat_message(row, *event_line_);
    writer_.write_line(output::LogId::kChatMessages, event_line_->view());
}

void Analyzer::begin(const std::string& root) {
    root_ = root;
    started_ = false;
    time_dir_.clear();
    engine_ = std::make_unique<flow::FlowEngine>(globals_.flow, *this);
    if (stats_) stats_->attach_flows(engine_.get());
    periodic_ = std::make_unique<output::PeriodicLog>(
        &writer_, runtime_.logs.enabled(output::log_bit::kTcpPeriodic),
        runtime_.logs.enabled(output::log_bit::kUdpPeriodic), globals_.log_periodic_interval_us);
    periodic_->reserve_slots(globals_.flow.max_tcp_pairs, globals_.flow.max_udp_pairs);
    if (dump_) {
        dump_->reserve_slots(globals_.flow.max_tcp_pairs, globals_.flow.max_udp_pairs);
        (void)dump_->configure(pcap_dump::DumpConfig::from_keys(runtime_.dump), false);
    }
}

flow::PacketContext Analyzer::context(const decode::DecodedPacket& pkt) const {
    flow::PacketContext ctx;
    if (nets_.use_macs && pkt.src_mac != nullptr) {
        ctx.internal_src = nets_.macs.contains(pkt.src_mac);
        ctx.internal_dst = nets_.macs.contains(pkt.dst_mac);
    } else {
        ctx.internal_src = nets_.internal.contains(pkt.src);
        ctx.internal_dst = nets_.internal.contains(pkt.dst);
    }
    ctx.cloud_src = nets_.cloud.contains(pkt.src);
    ctx.cloud_dst = nets_.cloud.contains(pkt.dst);
    // -Y/-W, on the addresses before -A changes them (Tstat's crypto_ip()).
    ctx.crypto_src = privacy_.crypto.contains(pkt.src);
    ctx.crypto_dst = privacy_.crypto.contains(pkt.dst);
    return ctx;
}

void Analyzer::on_first_packet(Timestamp ts) {
    started_ = true;
    first_packet_ = ts;
    auto dir = output::make_time_dir(root_, ts);
    if (!dir) {
        fatal_ = dir.error();
        return;
    }
    time_dir_ = *dir;
    dir_minute_ = output::time_dir_name(ts);
    dir_copies_ = 1;
    start_privacy();
    output::LogOptions logs = runtime_.logs;
    writer_.open_dir(time_dir_, logs);
    if (stats_) stats_->trace_started(ts, time_dir_);
    configure_tcp_classifier();
    if (dump_) {
        if (Status s = dump_->open_time_dir(time_dir_); !s) fatal_ = s.error();
    }
    engine_->start(ts);
}

// The TCP classifier follows the logs of the current time folder (log switches, -0).
void Analyzer::configure_tcp_classifier() {
    const output::LogOptions& logs = runtime_.logs;
    classify::tcp::TcpClassifierConfig tcp;
    tcp.http_log = logs.enabled(output::log_bit::kHttpComplete);
    tcp.httplog_full_url = strict_privacy_ ? 0 : logs.httplog_full_url;
    tcp.chat_messages = logs.enabled(output::log_bit::kChatMessages);
    tcp.strict_privacy = strict_privacy_;
    tcp.video_rates = logs.enabled(output::log_bit::kVideoComplete) &&
                      (logs.video_level & output::video_set::kAdvanced);
    tcp.entropy_sample = globals_.entropy_sample;
    tcp.entropy_threshold = globals_.entropy_threshold;
    tcp.rate_sampling_us = globals_.rate_sampling_us;
    classifier_.configure_tcp(tcp);
}

void Analyzer::process(const capture::RawPacket& raw) {
    ++counters_.frames;
    last_frame_ = raw.ts;
    decode::DecodedPacket pkt;
    const decode::DecodeStatus st = decode::decode_packet(raw, pkt, decode_options_);
    ++counters_.by_status[static_cast<int>(st)];
    using decode::DecodeStatus;
    // Tstat's reader hands over every frame whose link layer carries IP, damaged or not; the
    // first one names the output folder (spec §5).
    if (st == DecodeStatus::kNotIp || st == DecodeStatus::kUnsupportedLink) return;
    if (!started_) on_first_packet(raw.ts);
    if (!fatal_.empty()) return;
    if (st != DecodeStatus::kOk && st != DecodeStatus::kFragment) {
        if (warnings_)
            std::fprintf(stderr, "tstat: warning: frame %llu: %s packet ignored\n",
                         static_cast<unsigned long long>(counters_.frames),
                         decode::to_string(st));
        return;
    }
    ++counters_.ip_packets;
    if (raw.ts < last_packet_ && (warnings_ || !warned_out_of_order_)) {
        std::fprintf(stderr,
                     warnings_ ? "tstat: warning: frame %llu comes before the previous packet\n"
                               : "tstat: warning: packets are out of time order (first at frame "
                                 "%llu); timeouts follow the packet clock, so be careful\n",
                     static_cast<unsigned long long>(counters_.frames));
        warned_out_of_order_ = true;
    }
    last_packet_ = raw.ts;  // Tstat's current_time: the end of input is the last packet read
    const bool fragment = st != decode::DecodeStatus::kOk;  // non-initial: IP level only
    const flow::PacketContext ctx = context(pkt);
    uint32_t xor_src = 0, xor_dst = 0;
    if (privacy_.xor_mask != 0) apply_xor(pkt, ctx, xor_src, xor_dst);
    if (dump_) dump_->begin_packet(pkt, xor_src, xor_dst);   // ip_complete
    if (stats_) stats_->before_flows(pkt, fragment, ctx);
    if (fragment) {
        if (stats_) stats_->after_flows(pkt, true, nullptr);
    } else {
        const flow::PacketResult result = engine_->process(pkt, ctx);
        if (stats_) stats_->after_flows(pkt, false, &result);
    }
    if (dump_) dump_->end_packet();
}

void Analyzer::set_stats(std::unique_ptr<StatsTap> stats) {
    stats_ = std::move(stats);
    if (stats_) stats_->attach_flows(engine_.get());
    classifier_.set_mm_observer(stats_ && stats_->collecting() ? stats_.get() : nullptr);
    if (stats_) stats_->engine().set_rotate_handler([this](Timestamp t) { rotate_time_dir(t); });
}

void Analyzer::file_boundary() {
    if (stats_ && started_ && fatal_.empty()) stats_->file_boundary(last_packet_);
}

void Analyzer::end() {
    if (std::getenv("TSTAT_DEBUG_MEMORY")) {
        std::fprintf(stderr, "engine memory %zu bytes (%s), open tcp %u udp %u\n",
                     engine_->memory_bytes(), engine_->memory_breakdown().c_str(),
                     engine_->open_tcp(), engine_->open_udp());
        std::fprintf(stderr, "tcp classifier memory %zu bytes\n",
                     classifier_.tcp().memory_bytes());
    }
    if (started_ && fatal_.empty()) {
        finishing_ = true;
        engine_->finish(last_packet_);
        finishing_ = false;
        // The window engine closes LAST at the time of the last frame read, IP or not.
        if (stats_) stats_->end(last_frame_ < last_packet_ ? last_packet_ : last_frame_);
    }
    writer_.sync();
    if (dump_) {
        dump_->close_dir();
        dump_->sync();
    }
}

void Analyzer::flow_attempted(bool tcp, bool missed, Timestamp now) {
    if (stats_) stats_->flow_attempted(tcp, missed, now);
}

void Analyzer::tcp_trash() {
    if (stats_) stats_->tcp_trash();
}

void Analyzer::tcp_opened(flow::tcp::TcpFlow& flow) {
    periodic_->tcp_opened(flow, last_packet_);
    classifier_.tcp_opened(flow);
    if (dump_) dump_->tcp_opened(flow, tcp_dns_name(flow), dn_hunter_);
}

void Analyzer::tcp_before_update(flow::tcp::TcpFlow& flow, flow::Dir, Timestamp now) {
    if (periodic_->tcp_on()) periodic_->tcp_before_update(flow, engine_->anomalies(flow), now);
}

void Analyzer::tcp_cwin(flow::tcp::TcpFlow& flow, flow::Dir dir, uint32_t cwin) {
    periodic_->tcp_cwin(flow, dir, cwin);
}

void Analyzer::tcp_flight_sample(flow::tcp::TcpFlow&, flow::Dir, uint64_t flight) {
    if (stats_) stats_->flight(flight);
}

void Analyzer::tcp_segment_classes(flow::tcp::TcpFlow&, flow::Dir dir,
                                   const flow::tcp::AnomalyCounts& found) {
    if (stats_) stats_->segment_classes(dir, found);
}

void Analyzer::tcp_packet(flow::tcp::TcpFlow& flow, flow::Dir dir,
                          const decode::DecodedPacket& pkt) {
    classifier_.tcp_packet(flow, dir, pkt);
    // make_tcpL7_rate_stats(): the class after this segment's classification.
    if (stats_ && stats_->collecting())
        stats_->tcp_packet(flow, dir, pkt, classifier_.tcp());
    if (dump_) dump_->tcp_packet(flow, dir, tcp_dump_class(flow));   // DUMP: the last plugin
}

void Analyzer::udp_opened(flow::udp::UdpFlow& flow) {
    periodic_->udp_opened(flow, last_packet_);
    classifier_.udp_opened(flow);
    if (dump_) dump_->udp_opened(flow);
}

void Analyzer::udp_before_update(flow::udp::UdpFlow& flow, flow::Dir, Timestamp now) {
    periodic_->udp_before_update(flow, now);
}

void Analyzer::udp_packet(flow::udp::UdpFlow& flow, flow::Dir dir,
                          const decode::DecodedPacket& pkt) {
    classifier_.udp_packet(flow, dir, pkt);
    if (stats_) stats_->udp_packet(flow, dir, pkt);
    if (dump_) dump_->udp_packet(flow, dir, udp_dump_class(flow, dir));
}

void Analyzer::tcp_closed(flow::tcp::TcpFlow& flow, bool complete) {
    if (periodic_->tcp_on()) periodic_->tcp_closed(flow, engine_->anomalies(flow), last_packet_);
    output::TcpRecord r;
    classifier_.set_time(last_packet_);
    // map_flow_type()'s RTMP test needs the message sizes the classifier drops at close.
    const bool rtmp = stats_ && stats_->collecting() &&
                      classifier_.tcp().histo_view(flow).rtmp_handshake;
    classifier_.tcp_closed(flow, r.l7, r.dns, complete);
    if (stats_)
        stats_->tcp_closed(flow, engine_->anomalies(flow), complete, r.l7, rtmp, !finishing_,
                           last_packet_);
    // Tstat writes chat rows before it looks at the flow's direction (make_conn_stats).
    if (r.l7.chat.kind != classify::ChatSummary::Kind::kNone &&
        runtime_.logs.enabled(output::log_bit::kChatComplete)) {
        event_line_->clear();
        output::format_chat_flow(flow, r.l7.chat, r.l7.con_type, *event_line_);
        writer_.write_line(output::LogId::kChatComplete, event_line_->view());
    }
    if (!flow.internal_src && !flow.internal_dst) {  // external <-> external: never logged
        ++counters_.external_flows;
        return;
    }
    r.flow = flow;
    // Tstat's crypto_dns: the resolver's address is anonymized like the flow's (spec §13).
    r.dns.resolver_crypto = privacy_.crypto.contains(r.dns.resolver);
    r.anomalies = engine_->anomalies(flow);
    r.complete = complete;
    r.video = complete && r.l7.video.logged;
    writer_.write(std::move(r));
}

void Analyzer::udp_closed(flow::udp::UdpFlow& flow) {
    periodic_->udp_closed(flow, last_packet_);
    output::UdpRecord r;
    classifier_.udp_closed(flow, r.l7, r.dns);
    if (stats_) stats_->udp_closed(flow, r.l7, last_packet_);
    if (!flow.internal_src && !flow.internal_dst) {
        ++counters_.external_flows;
        return;
    }
    r.flow = flow;
    writer_.write(std::move(r));
}

}  // namespace tstat::app
