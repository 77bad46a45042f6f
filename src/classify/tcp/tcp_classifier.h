// Tstat's TCP application layer (spec §9.1-§9.5, §9.9): the plugin chain Tstat runs on every
// TCP segment, in its order — P2P (IPP2P matchers), TCPL7 (the con_t state machine: HTTP,
// TLS, mail, SSH, chat, RTMP, Facebook Zero, entropy-based MSE), STREAMING (video formats),
// HTTP (request/response counts, Host, log_http_complete) and BEHAVIORAL (MSE on FIN) —
// then the RTMP check Tstat's rate statistics make after each segment. Each stage keeps
// Tstat's packet budget; per-flow state lives in pools reached through the flow's `ext`.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "classify/protocols/http/http_content.h"
#include "classify/protocols/tls/tls_parser.h"
#include "classify/tcp/payload.h"
#include "classify/tcp/string_table.h"
#include "classify/tcp/tcp_events.h"
#include "classify/tcp/tcp_state.h"
#include "classify/tcp_l7.h"
#include "decode/decoded_packet.h"
#include "flow/flow_key.h"
#include "flow/pool.h"
#include "flow/tcp/tcp_flow.h"

namespace tstat::classify::tcp {

struct TcpClassifierConfig {
    bool http_log = false;           // log_http_complete is written: the header parser runs
    int httplog_full_url = 0;        // 0, 1 or 2 (-0 forces 0)
    bool chat_messages = true;       // log_chat_messages is written
    bool strict_privacy = false;     // -0: YouTube ids print as XXX
    bool video_rates = false;        // videolog_advanced: rate samples for every flow
    uint32_t entropy_sample = 60;    // bytes per packet in the nibble entropy (globals)
    double entropy_threshold = 3.7;
    int64_t rate_sampling_us = 1'000'000;
};

class TcpClassifier {
public:
    explicit TcpClassifier(const TcpClassifierConfig& cfg = {});
    ~TcpClassifier();
    TcpClassifier(const TcpClassifier&) = delete;
    TcpClassifier& operator=(const TcpClassifier&) = delete;

    void configure(const TcpClassifierConfig& cfg) { cfg_ = cfg; }
    void set_sink(TcpEventSink* sink) { sink_ = sink; }

    void opened(flow::tcp::TcpFlow& flow) noexcept;
    // At Tstat's proto_analyzer() call: after the segment updated the flow (RST included).
    void packet(flow::tcp::TcpFlow& flow, flow::Dir dir, const decode::DecodedPacket& pkt) noexcept;
    // Fills `l7` and releases the flow's state. `now` is Tstat's current_time.
    void closed(flow::tcp::TcpFlow& flow, Timestamp now, TcpL7& l7) noexcept;

    // A live flow's classification so far, for the dump engine (stop_dumping_mask and
    // tcp_videostreaming, spec §12): con_t, and whether the streaming DPI found a video
    // content or payload format.
    struct LiveView {
        uint32_t con_type = 0;
        bool video = false;
    };
    LiveView live_view(const flow::tcp::TcpFlow& flow) const noexcept;

    // What Tstat's rate and flow-count histograms read from a live flow after each segment
    // (make_tcpL7_rate_stats, map_flow_type, map_tls_service, VIDEO_MAP; spec §10).
    struct HistoView {
        uint32_t con_type = 0;
        int32_t p2p_type = 0;
        int32_t http_data = 0;
        bool rtmp_handshake = false;   // both sides' first messages have the handshake sizes
        uint8_t video_content = 0;     // streaming DPI: format from the Content-Type
        uint8_t video_payload = 0;     // and from the body
    };
    // Inline: the histograms ask it at every segment.
    HistoView histo_view(const flow::tcp::TcpFlow& flow) const noexcept {
        HistoView v;
        if (flow.ext == flow::kNil) return v;
        const FlowDpi& s = flows_[flow.ext];
        v.con_type = s.con_type;
        v.p2p_type = s.p2p_type;
        v.http_data = s.http_data;
        v.video_content = s.stream_content;
        v.video_payload = s.stream_payload;
        // map_flow_type(): RTMP only once both sides sent a message of the handshake's sizes.
        if ((s.con_type & con::kRtmp) && flow.c2s.msg_count > 0 && flow.s2c.msg_count > 0)
            [[unlikely]] v.rtmp_handshake = rtmp_handshake(s);
        return v;
    }
    // The ClientHello's server name (Tstat's client subject), empty if none: asked apart, as
    // the histograms need it once a flow.
    std::string_view sni(const flow::tcp::TcpFlow& flow) const noexcept;

    // Per-flow records alive (for tests and memory reports).
    struct Usage {
        uint32_t flows = 0, tls = 0, http = 0, work = 0, extra = 0, hello = 0, strings = 0;
    };
    Usage usage() const;
    size_t memory_bytes() const;

private:
    struct Seg;   // one segment as the stages see it

    // The plugin chain
    void p2p_stage(flow::tcp::TcpFlow& f, FlowDpi& s, const Seg& g) noexcept;
    void l7_stage(flow::tcp::TcpFlow& f, FlowDpi& s, const Seg& g) noexcept;
    void l7_unknown(flow::tcp::TcpFlow& f, FlowDpi& s, const Seg& g, bool& stop) noexcept;
    void l7_http_response(flow::tcp::TcpFlow& f, FlowDpi& s, const Seg& g) noexcept;
    void l7_ssl_handshake(flow::tcp::TcpFlow& f, FlowDpi& s, const Seg& g) noexcept;
    void l7_ssl_data(flow::tcp::TcpFlow& f, FlowDpi& s, const Seg& g) noexcept;
    void stream_stage(flow::tcp::TcpFlow& f, FlowDpi& s, const Seg& g) noexcept;
    void http_stage(flow::tcp::TcpFlow& f, FlowDpi& s, const Seg& g) noexcept;
    void http_log_request(flow::tcp::TcpFlow& f, FlowDpi& s, const Seg& g) noexcept;
    void http_log_request_continued(flow::tcp::TcpFlow& f, FlowDpi& s, const Seg& g) noexcept;
    void http_log_response(flow::tcp::TcpFlow& f, FlowDpi& s, const Seg& g) noexcept;
    void http_log_response_continued(flow::tcp::TcpFlow& f, FlowDpi& s, const Seg& g) noexcept;

    // TCPL7 helpers
    bool client_hello(flow::tcp::TcpFlow& f, FlowDpi& s, const Seg& g) noexcept;
    void continue_hello(FlowDpi& s, const Seg& g) noexcept;
    void apply_client_hello(TlsInfo& t, const tls::ClientHello& h) noexcept;
    void classify_request(FlowDpi& s, const Seg& g, bool post, bool first) noexcept;
    void msn_server_update(FlowDpi& s, const Seg& g, int command, bool tunneling) noexcept;
    void msn_packet(flow::tcp::TcpFlow& f, FlowDpi& s, const Seg& g) noexcept;
    void ymsg_packet(flow::tcp::TcpFlow& f, FlowDpi& s, const Seg& g) noexcept;
    void jabber_packet(flow::tcp::TcpFlow& f, FlowDpi& s, const Seg& g) noexcept;
    void chat_message(const flow::tcp::TcpFlow& f, const FlowDpi& s, const Seg& g,
                      std::string_view type, bool length_known, int32_t length) noexcept;

    // MSE / RTMP
    void track_messages(const flow::tcp::TcpFlow& f, FlowDpi& s, const Seg& g) noexcept;
    void add_nibbles(DpiWork& w, const Payload& p) noexcept;
    bool entropy_above(const DpiWork& w) const noexcept;
    static bool mse_length_test(const DpiWork& w) noexcept;
    static bool rtmp_size_test(const DpiWork& w) noexcept;
    // histo_view()'s RTMP handshake test of a flow that sent messages both ways.
    bool rtmp_handshake(const FlowDpi& s) const noexcept;
    void mse_check(const flow::tcp::TcpFlow& f, FlowDpi& s) noexcept;
    void rtmp_map(const flow::tcp::TcpFlow& f, FlowDpi& s) noexcept;
    void settle_work(FlowDpi& s) noexcept;

    // Video Advanced set
    void rate_packet(flow::tcp::TcpFlow& f, const Seg& g) noexcept;

    // Records
    TlsInfo& tls(FlowDpi& s);
    HttpInfo& http(FlowDpi& s);
    FlowExtra& extra(FlowDpi& s);
    void set_string(uint32_t& id, std::string_view v);
    void release(FlowDpi& s) noexcept;

    TcpClassifierConfig cfg_;
    TcpEventSink* sink_ = nullptr;
    flow::Pool<FlowDpi, 12> flows_;
    flow::Pool<TlsInfo, 10> tls_;
    flow::Pool<HttpInfo, 10> http_;
    flow::Pool<DpiWork, 10> work_;
    flow::Pool<FlowExtra, 6> extra_;
    flow::Pool<HelloBuffer, 2> hello_;
    // RateState of flow h lives at index h (only with video_rates): chunks as the flow pool's.
    RateState& rates(uint32_t flow_handle);
    std::vector<std::unique_ptr<RateState[]>> rate_chunks_;
    StringTable strings_;
    std::unique_ptr<struct HttpScratch> http_scratch_;   // Tstat's global header buffers
};

}  // namespace tstat::classify::tcp
