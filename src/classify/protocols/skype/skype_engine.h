// The Skype classifier of `-B dir` (spec §9.8; Tstat's skype.c): per flow direction, the
// deterministic packet types (UDP), the nibble histograms for the chi-square test and the two
// naive-Bayes beliefs (packet size, average inter-packet gap over windows of 30 packets).
// At the end of a flow (and once, mid-flow, for long UDP flows) the direction's UDP class
// becomes SKYPE_E2E/SKYPE_OUT/SKYPE_SIG, a TCP flow gets con_t SKYPE, and a log_skype_complete
// row is written when Bayes and chi-square agree on an E2E/SkypeOut (UDP) or TCP direction.
//
// State exists only when -B is on: the engine keeps it in its own pools, one entry per flow.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "classify/protocols/skype/bayes_config.h"
#include "classify/protocols/skype/naive_bayes.h"
#include "classify/protocols/skype/skype_checks.h"
#include "classify/protocols/skype/skype_row.h"
#include "common/result.h"
#include "decode/decoded_packet.h"
#include "flow/pool.h"
#include "flow/tcp/tcp_flow.h"
#include "flow/udp/udp_flow.h"

namespace tstat::classify::skype {

struct SkypeConfig {
    BayesSettings pktsize;   // dir/pktsize.conf
    BayesSettings avgipg;    // dir/avgipg.conf
};

// Reads dir/pktsize.conf and dir/avgipg.conf (and their .DAT files).
Result<SkypeConfig> load_skype_config(const std::string& dir);

inline constexpr uint32_t kMinUdpPackets = 10;    // MIN_SKYPE_PKTS
inline constexpr uint32_t kMinTcpSamples = 50;    // MIN_SKYPE_PKTS_TCP
inline constexpr uint32_t kMinDataPackets = 100;  // MIN_SKYPE_E2E_NUM, MIN_SKYPE_OUT_NUM
inline constexpr double kMinDataPercent = 90;     // MIN_SKYPE_E2E_PERC, MIN_SKYPE_OUT_PERC
inline constexpr uint64_t kMinSignallingPercent = 90;   // MIN_SKYPE_PERC
inline constexpr uint32_t kIpgWindow = 30;        // SKYPE_WINDOW_SIZE
inline constexpr int64_t kEarlyWindowUs = 5000000;   // SKYPE_EARLY_CLASSIF_WINDOW
inline constexpr uint32_t kEarlyPackets = 200;
inline constexpr double kUnsetBelief = -100;      // MIN_TH_VALID_PERC

// A direction Bayes and chi-square agree on (print_skype_conn_stats_*): Tstat counts it in the
// L7 histograms and bitrates right there, whether or not a row is written.
struct SkypeConfirmed {
    bool tcp = false;
    flow::Dir dir = flow::Dir::kC2S;
    uint8_t l7 = 0;            // 5 SKYPE_E2E, 6 SKYPE_E2O, 7 SKYPE_TCP
    uint64_t bytes = 0;        // the direction's data bytes
    bool internal_src = false;
    bool internal_dst = false;
    bool cloud_src = false;
    bool cloud_dst = false;
};

class SkypeSink {
public:
    virtual ~SkypeSink() = default;
    virtual void skype_row(const SkypeRow& row) = 0;
    virtual void skype_confirmed(const SkypeConfirmed& /*ev*/) {}
};

class SkypeEngine {
public:
    explicit SkypeEngine(std::shared_ptr<const SkypeConfig> cfg);
    ~SkypeEngine();
    SkypeEngine(const SkypeEngine&) = delete;
    SkypeEngine& operator=(const SkypeEngine&) = delete;

    void set_sink(SkypeSink* sink) { sink_ = sink; }
    // log_skype_complete on (runtime.conf may switch it while running).
    void set_log(bool on) { log_ = on; }

    // A new flow's state; released by the matching *_closed().
    uint32_t open();
    void udp_packet(uint32_t h, flow::udp::UdpFlow& f, flow::Dir dir,
                    const decode::DecodedPacket& pkt) noexcept;
    void tcp_packet(uint32_t h, const flow::tcp::TcpFlow& f, flow::Dir dir,
                    const decode::DecodedPacket& pkt) noexcept;

    // The flow ends: `logged` says whether Tstat's close reaches the plugins (UDP: an internal
    // end). Directions may become SKYPE_*; returns, per direction (c2s, s2c), whether the
    // SKYPE_E2E/SKYPE_OUT class was confirmed (log_udp_complete prints it only then).
    struct UdpVerdict {
        bool confirmed[2] = {false, false};
    };
    UdpVerdict udp_closed(uint32_t h, flow::udp::UdpFlow& f, bool logged) noexcept;
    // TCP: only complete flows are judged (make_proto_stat). Returns true when the flow is
    // Skype (con_t gets SKYPE, loses OBF and MSE).
    bool tcp_closed(uint32_t h, const flow::tcp::TcpFlow& f, bool complete) noexcept;

    // The confirmed Skype class (5 E2E, 6 SkypeOut, 0 none) of a live UDP direction.
    int udp_confirmed_type(uint32_t h, flow::Dir dir) const noexcept;

    size_t live() const { return pairs_.live(); }

private:
    struct DirState {
        NibbleHistogram random;
        uint32_t pkt_type[kPacketTypes] = {};
        uint32_t out_block = 0;
        uint32_t video_pkts = 0;
        uint32_t audiovideo_pkts = 0;
        Timestamp win_start;
        BayesState pktsize;
        BayesState avgipg;
        int8_t skype_type = 0;       // chi-square verdict once Bayes agreed
        bool first_pkt_done = false;
        bool early = false;
    };
    struct PairState {
        DirState dir[2];
        uint32_t beliefs = flow::kNil;   // block of belief doubles
    };
    class Beliefs;

    std::span<double> pktsize_beliefs(const PairState& p, int d);
    std::span<double> avgipg_beliefs(const PairState& p, int d);
    void bayes_packet(PairState& p, int d, int64_t pktsize, bool udp, Timestamp now) noexcept;
    // skype_conn_stats_UDP(): classes of the directions, and the row.
    void classify_udp(PairState& p, flow::udp::UdpFlow& f) noexcept;
    void print_udp(PairState& p, const flow::udp::UdpFlow& f) noexcept;
    void settle_beliefs(PairState& p) noexcept;
    int bayes_type(const DirState& s) const noexcept;
    void confirmed(bool tcp, bool internal_src, bool internal_dst, bool cloud_src, bool cloud_dst,
                   int d, uint8_t l7, uint64_t bytes) noexcept;
    void release(uint32_t h) noexcept;
    // Completes row_ with what the flow says of itself and hands it to the sink.
    template <class Flow>
    void emit_row(bool tcp, const Flow& f) noexcept {
        row_.tcp = tcp;
        row_.key = f.key;
        row_.internal[0] = f.internal_src;
        row_.internal[1] = f.internal_dst;
        row_.crypto[0] = f.crypto_src;
        row_.crypto[1] = f.crypto_dst;
        row_.first_time = f.first_time;
        row_.last_time = f.last_time;
        sink_->skype_row(row_);
    }

    std::shared_ptr<const SkypeConfig> cfg_;
    SkypeSink* sink_ = nullptr;
    bool log_ = true;
    flow::Pool<PairState, 6> pairs_;
    std::unique_ptr<Beliefs> beliefs_;
    SkypeRow row_;
};

}  // namespace tstat::classify::skype
