// UDP classification (spec §9.6, §9.10, §9.11, §7.4): Tstat's UDP plugin chain run per
// datagram — IPP2P matchers, RTP+, DN-Hunter, the ldns DNS log, then the behavioural engines
// (SYE, uTP, QUIC, VOD, obfuscated KAD) — with per-flow state in pools reached by the flow's
// `ext`.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "classify/dn_hunter/dn_hunter.h"
#include "classify/event_sink.h"
#include "classify/protocols/dns/dns_message.h"
#include "classify/protocols/quic/quic_header.h"
#include "classify/protocols/rtp/rtp_classifier.h"
#include "classify/tcp_l7.h"
#include "classify/udp_l7.h"
#include "decode/decoded_packet.h"
#include "flow/pool.h"
#include "flow/udp/udp_flow.h"

namespace tstat::classify {

struct UdpClassifierConfig {
    bool dns_log = false;          // log_dns_complete on (LOG_DNS also classes DNS then)
    bool mm_log = false;           // log_mm_complete on (RTP+ classifies either way)
    bool dn_hunter = true;         // -X turns it off
    uint32_t dns_cache_size = 100000;
    uint32_t dns_cache_size_ipv6 = 1000;
};

class QuicEngine;
struct QuicDetails;

class UdpClassifier {
public:
    explicit UdpClassifier(const UdpClassifierConfig& cfg);
    ~UdpClassifier();
    UdpClassifier(const UdpClassifier&) = delete;
    UdpClassifier& operator=(const UdpClassifier&) = delete;

    void set_sink(EventSink* sink) { sink_ = sink; }
    // runtime.conf switched log_dns_complete / log_mm_complete while running (Tstat tests
    // them packet by packet, so the change applies from the next packet on).
    void set_logs(bool dns_log, bool mm_log) {
        cfg_.dns_log = dns_log;
        cfg_.mm_log = mm_log;
    }
    void set_mm_observer(rtp::MmObserver* o) { rtp_.set_observer(o); }
    dn_hunter::DnHunter* dn_hunter() { return cfg_.dn_hunter ? &hunter_ : nullptr; }

    void opened(flow::udp::UdpFlow& flow) noexcept;
    void packet(flow::udp::UdpFlow& flow, flow::Dir dir,
                const decode::DecodedPacket& pkt) noexcept;
    void closed(flow::udp::UdpFlow& flow, UdpL7& l7, DnsLabel& dns) noexcept;

    // DN-Hunter label of a new flow (TCP or UDP): handle into labels_, or kNil.
    uint32_t label_flow(const IpAddress& client, const IpAddress& server) noexcept;
    void take_label(uint32_t handle, DnsLabel& out) noexcept;
    // The name of a label (empty for kNil).
    std::string_view label_name(uint32_t handle) noexcept;

    // A live direction's class as log_udp_complete would print it now, and whether the uTP,
    // QUIC and SYE engines are past their first state: what the dump engine needs (spec §12).
    struct LiveView {
        uint8_t log_type = 0;
        bool utp_pending = false;
        bool quic_pending = false;   // either direction
        bool sye_pending = false;    // either direction sent a SYE command
    };
    LiveView live_view(const flow::udp::UdpFlow& f, flow::Dir dir) const noexcept;

    size_t live_states() const { return states_.live(); }
    size_t live_rtp() const { return rtp_.live(); }
    // ClientHello reassembly buffers held (tests, memory reports).
    size_t live_quic_hellos() const noexcept;

private:
    // Behavioural-engine state of one direction, packed: every UDP flow has two.
    struct DirState {
        uint16_t utp_conn_id = 0;
        uint16_t utp_syn_seq = 0;
        uint8_t obf_last_len = 0;      // u_short in Tstat, only compared with lengths below 71
        uint8_t vod_sig[2] = {0, 0};   // scrambled TS signature bytes
        uint8_t utp_state : 3 = 0;
        uint8_t kad_state : 3 = 0;
        uint8_t quic_state : 2 = 0;
        uint8_t vod_count : 2 = 0;     // reaches 3 at most
        bool vod_one_pes : 1 = false;  // Tstat's signature -1: the datagram held one TS packet
        bool is_utp : 1 = false;
        bool is_quic : 1 = false;
        bool is_vod : 1 = false;
        bool first_vod : 1 = false;
        bool obf_state : 1 = false;
        // In the byte the struct's alignment pads anyway.
        bool sye_command : 1 = false;  // this direction sent a SYE command
        bool is_sye : 1 = false;
    };
    struct State {
        DirState c2s;
        DirState s2c;
        uint32_t label = flow::kNil;   // DN-Hunter answer at creation
        uint32_t quic = flow::kNil;    // QUIC details, once an Initial was seen
        uint32_t rtp = flow::kNil;     // RTP/RTCP sub-flows, once a datagram looked like RTP
        uint8_t kad_state = 0;         // the pair's obfuscated-KAD verdict
        DirState& dir(flow::Dir d) { return d == flow::Dir::kC2S ? c2s : s2c; }
    };
    // Every UDP flow has one State (docs/udp_classification.md): keep an eye on growth.
    static_assert(sizeof(DirState) == 10);
    static_assert(sizeof(State) == 36);
    struct Label {
        uint32_t name = flow::kNil;
        IpAddress resolver;
        Timestamp request_time;
        Timestamp response_time;
    };

    void p2p(flow::udp::UdpDirection& d, const flow::udp::UdpFlow& f,
             std::span<const uint8_t> udp, std::span<const uint8_t> frame,
             std::span<const uint8_t> stale, uint16_t udp_len) noexcept;
    void dns_log(flow::udp::UdpFlow& f, flow::Dir dir, flow::udp::UdpDirection& d,
                 const decode::DecodedPacket& pkt, std::span<const uint8_t> udp) noexcept;
    void dn_hunter_feed(const flow::udp::UdpFlow& f, const decode::DecodedPacket& pkt,
                        std::span<const uint8_t> udp) noexcept;
    static void sye(flow::udp::UdpFlow& f, State& s, flow::Dir dir,
                    std::span<const uint8_t> udp, uint16_t udp_len) noexcept;
    void behaviour(flow::udp::UdpFlow& f, State& s, flow::Dir dir,
                   std::span<const uint8_t> udp, std::span<const uint8_t> frame,
                   uint16_t udp_len) noexcept;
    void quic_initial(QuicDetails& q, const quic::LongHeader& h,
                      std::span<const uint8_t> udp) noexcept;
    static uint8_t log_type(const flow::udp::UdpFlow& f, const flow::udp::UdpDirection& d,
                            uint8_t kad_state) noexcept;

    UdpClassifierConfig cfg_;
    EventSink* sink_ = nullptr;
    flow::Pool<State, 10> states_;
    flow::Pool<Label, 10> labels_;
    dn_hunter::DnHunter hunter_;
    std::unique_ptr<QuicEngine> quic_;
    rtp::RtpClassifier rtp_;
    dns::MessageInfo dns_info_;
    // Tstat's packet buffer as the UDP datagrams left it: whole packets while log_dns_complete
    // is on, else their first kShadowPrefix bytes (as far as the IPP2P matchers read).
    static constexpr size_t kShadowPrefix = 256;
    std::vector<uint8_t> ip_shadow_ = std::vector<uint8_t>(65536 + 64);
    dn_hunter::Response response_;
};

}  // namespace tstat::classify
