// One worker's pipeline: decode -> direction -> flows -> records for the writer. Owns all
// per-flow state (no globals), so several analyzers can later run side by side.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "app/config_files.h"
#include "app/privacy.h"
#include "app/stats_tap.h"
#include "capture/raw_packet.h"
#include "classify/classifier.h"
#include "common/net_list.h"
#include "decode/decoder.h"
#include "flow/flow_engine.h"
#include "output/log_writer.h"
#include "output/logs/dns_log.h"
#include "output/logs/mm_log.h"
#include "output/logs/periodic_log.h"
#include "output/logs/skype_log.h"
#include "output/pcap_dump/dump_engine.h"

namespace tstat::app {

struct Networks {
    NetList internal = NetList::everything();
    NetList cloud;
    MacList macs;            // -M: when not empty, direction comes from MAC addresses
    bool use_macs = false;
};

struct AnalyzerCounters {
    uint64_t frames = 0;             // frames handed to the analyzer
    uint64_t ip_packets = 0;         // Tstat's pnum
    uint64_t by_status[static_cast<int>(decode::DecodeStatus::kCount)] = {};
    uint64_t external_flows = 0;     // flows not logged: both ends external (spec §4.2)
};

class Analyzer final : public flow::FlowObserver,
                       public classify::EventSink,
                       public classify::tcp::TcpEventSink,
                       public classify::skype::SkypeSink {
public:
    // `dn_hunter` false: -X, no DN-Hunter labels.
    Analyzer(const Globals& globals, const RuntimeConfig& runtime, const Networks& nets,
             const decode::DecodeOptions& decode_options, output::LogWriter& writer,
             bool dn_hunter = true);
    ~Analyzer() override;
    Analyzer(const Analyzer&) = delete;
    Analyzer& operator=(const Analyzer&) = delete;

    // -A, -Y/-W, the key and --enc (spec §13); before begin().
    void set_privacy(const Privacy& privacy) { privacy_ = privacy; }
    // -T: the packet dump engine (spec §12) with -P and -F; before begin().
    void enable_dump(bool gzip, std::optional<output::pcap_dump::DnsFilter> filter);
    output::pcap_dump::DumpEngine* dump() { return dump_.get(); }
    // runtime.conf was read again: the RuntimeConfig given at construction now holds the new
    // values, `previous` the old ones. A change of [log] or [options] starts a new time
    // folder (spec §14.1), a change of [dump] the next tracesNN folder.
    void runtime_changed(const RuntimeConfig& previous);

    // -B: the Skype classifier and log_skype_complete (spec §9.8, §7.8); before begin().
    void enable_skype(std::shared_ptr<const classify::skype::SkypeConfig> cfg);

    // -0: YouTube ids hidden, HTTP URLs reduced (spec §13).
    void set_strict_privacy(bool strict) { strict_privacy_ = strict; }

    // The histogram engine (spec §10); none: no histograms, no RRD. Before begin(): the flow
    // engine keeps the window sums the histograms need only if it knows they are on.
    void set_stats(std::unique_ptr<StatsTap> stats);
    StatsTap* stats() { return stats_.get(); }
    // Between two files of a -c group (Tstat closes the histogram window twice there).
    void file_boundary();

    // -w: a warning line for every damaged packet and every step back in time (otherwise
    // Tstat's single "out of order" notice).
    void set_warnings(bool all) { warnings_ = all; }

    // A new output root: the time folder is made at the first IP packet.
    void begin(const std::string& root);
    void process(const capture::RawPacket& raw);
    // End of input: remaining flows closed and written (spec §6.1). Returns the time folder.
    void end();

    bool started() const { return started_; }
    const std::string& time_dir() const { return time_dir_; }
    Timestamp first_packet() const { return first_packet_; }
    Timestamp last_packet() const { return last_packet_; }
    const AnalyzerCounters& counters() const { return counters_; }
    const flow::FlowEngine& engine() const { return *engine_; }
    // An error that stops this run (e.g. the output folder cannot be made).
    const std::string& fatal_error() const { return fatal_; }

    // FlowObserver: Tstat's plugin points, forwarded to classification and the writer.
    void flow_attempted(bool tcp, bool missed, Timestamp now) override;
    void tcp_trash() override;
    void tcp_opened(flow::tcp::TcpFlow& flow) override;
    void tcp_before_update(flow::tcp::TcpFlow& flow, flow::Dir dir, Timestamp now) override;
    void tcp_cwin(flow::tcp::TcpFlow& flow, flow::Dir dir, uint32_t cwin) override;
    void tcp_flight_sample(flow::tcp::TcpFlow& flow, flow::Dir dir, uint64_t flight) override;
    void tcp_segment_classes(flow::tcp::TcpFlow& flow, flow::Dir dir,
                             const flow::tcp::AnomalyCounts& found) override;
    void tcp_packet(flow::tcp::TcpFlow& flow, flow::Dir dir,
                    const decode::DecodedPacket& pkt) override;
    void tcp_closed(flow::tcp::TcpFlow& flow, bool complete) override;
    void udp_opened(flow::udp::UdpFlow& flow) override;
    void udp_before_update(flow::udp::UdpFlow& flow, flow::Dir dir, Timestamp now) override;
    void udp_packet(flow::udp::UdpFlow& flow, flow::Dir dir,
                    const decode::DecodedPacket& pkt) override;
    void udp_closed(flow::udp::UdpFlow& flow) override;

    // classify::EventSink: DNS messages become log_dns_complete rows.
    void dns_message(const classify::DnsEvent& ev) override;
    // ... and RTP+ flows rows of log_mm_complete.
    void mm_flow(const classify::MmEvent& ev) override;

    // classify::skype::SkypeSink: rows of log_skype_complete.
    void skype_row(const classify::skype::SkypeRow& row) override;
    // ... and directions it confirmed, for the L7 histograms and bitrates.
    void skype_confirmed(const classify::skype::SkypeConfirmed& ev) override;

    // classify::tcp::TcpEventSink: rows of log_http_complete and log_chat_messages.
    void http_request(const classify::tcp::HttpRequestRow& row) override;
    void http_response(const classify::tcp::HttpResponseRow& row) override;
    void chat_message(const classify::tcp::ChatMessageRow& row) override;

private:
    void on_first_packet(Timestamp ts);
    // A new time folder mid-trace: every Dirs windows on stdin/live input (spec §5).
    void rotate_time_dir(Timestamp now);
    void configure_tcp_classifier();
    // analyzer_control.cc: privacy, dumps and runtime changes.
    void start_privacy();
    void apply_xor(decode::DecodedPacket& pkt, const flow::PacketContext& ctx, uint32_t& xor_src,
                   uint32_t& xor_dst) const;
    std::string_view tcp_dns_name(const flow::tcp::TcpFlow& flow);
    output::pcap_dump::TcpDumpClass tcp_dump_class(const flow::tcp::TcpFlow& flow) const;
    output::pcap_dump::UdpDumpClass udp_dump_class(const flow::udp::UdpFlow& flow,
                                                   flow::Dir dir) const;
    flow::PacketContext context(const decode::DecodedPacket& pkt) const;

    const Globals& globals_;
    const RuntimeConfig& runtime_;
    const Networks& nets_;
    decode::DecodeOptions decode_options_;
    output::LogWriter& writer_;
    classify::Classifier classifier_;
    std::unique_ptr<flow::FlowEngine> engine_;
    std::unique_ptr<output::PeriodicLog> periodic_;  // log_tcp_periodic / log_udp_periodic
    std::unique_ptr<output::DnsLog> dns_log_;
    std::unique_ptr<output::MmLog> mm_log_;
    std::unique_ptr<output::SkypeLog> skype_log_;   // with -B only
    std::unique_ptr<output::LineBuffer> event_line_;   // TCP event rows (HTTP, chat)
    bool strict_privacy_ = false;
    std::unique_ptr<StatsTap> stats_;
    bool finishing_ = false;      // end of input: flows closed by trace_done()
    Timestamp last_frame_;        // any frame, IP or not: Tstat's current_time at the end
    std::string root_;
    std::string time_dir_;
    std::string dir_minute_;     // time_dir_name() of the current folder
    int dir_copies_ = 1;         // folders made for that minute
    std::string fatal_;
    bool started_ = false;
    bool warnings_ = false;
    bool dn_hunter_ = true;
    Privacy privacy_;
    std::unique_ptr<output::anonymize::Anonymizer> anonymizer_;   // the worker thread's own
    std::unique_ptr<output::pcap_dump::DumpEngine> dump_;         // with -T only
    bool warned_out_of_order_ = false;
    Timestamp first_packet_;
    Timestamp last_packet_;
    AnalyzerCounters counters_;
};

}  // namespace tstat::app
