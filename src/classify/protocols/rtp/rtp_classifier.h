// Tstat's RTP+ engine (spec §9.6, §7.6; tstat/rtp.c rtp_flow_stat): RFC 7983 demultiplexing of
// a UDP direction, FIRST_RTP_PLUS (28) at its first RTP/RTCP datagram, RTP_PLUS (29) once a
// second datagram of the same SSRC confirms it, and per-SSRC statistics for log_mm_complete.
// State lives in pools: a small per-flow record (allocated at the first RTP-looking or DTLS
// datagram) and one record per SSRC, chained newest first as Tstat's lists are.
#pragma once

#include <cstdint>
#include <span>

#include "classify/protocols/rtp/mm_events.h"
#include "classify/protocols/rtp/rtp_parser.h"
#include "common/timestamp.h"
#include "flow/flow_key.h"
#include "flow/pool.h"
#include "flow/udp/udp_flow.h"

namespace tstat::classify::rtp {

inline constexpr int kWindow = 16;           // RTP_WIN
inline constexpr int kMaxPayloadTypes = 10;  // MAX_COUNT_RTP_PT
inline constexpr uint32_t kMaxSsrc = 1000;   // MAX_COUNT_RTP_SSRC

// struct rtp: one RTP SSRC of a direction.
struct RtpSubflow {
    uint32_t next = flow::kNil;
    uint32_t ssrc = 0;
    Timestamp first_time;
    Timestamp last_time;
    uint64_t pnum = 0;
    uint64_t data_bytes = 0;
    double squared_data_bytes = 0;
    double sum_delta_t = 0;        // ms
    double jitter = 0;             // RFC 3550, ms
    double av_jitter[2] = {0, 0};  // the same with an 8 kHz and a 90 kHz clock
    int64_t n_out_of_sequence = 0;
    int64_t n_dup = 0;
    int64_t n_late = 0;
    int64_t n_lost = 0;
    int32_t n_delta_t = 0;
    int32_t transit = 0;  // int in Tstat: the double transit time truncated
    int32_t av_transit[2] = {0, 0};
    int32_t burst = 0;
    int32_t bogus_reset = 0;
    uint32_t first_ts = 0;
    uint32_t largest_ts = 0;
    uint32_t max_payload = 0;
    uint32_t min_payload = 0;
    float jitter_max = 0;
    float jitter_min = 0;
    float av_jitter_max[2] = {0, 0};
    float av_jitter_min[2] = {0, 0};
    int32_t pt_counter[kMaxPayloadTypes] = {};
    uint8_t pt_id[kMaxPayloadTypes] = {};  // 255: free
    uint16_t packets_win[kWindow] = {};
    uint16_t initial_seqno = 0;
    uint16_t largest_seqno = 0;
    uint8_t pt = 0;
    bool window_full = false;  // Tstat's w
};

// struct rtcp: one RTCP SSRC of a direction.
struct RtcpSubflow {
    uint32_t next = flow::kNil;
    uint32_t ssrc = 0;
    Timestamp first_time;
    Timestamp last_time;
    Timestamp last_sr;
    uint64_t pnum = 0;
    uint64_t data_bytes = 0;  // rtcp_data_bytes
    double sum_delta_t = 0;
    double jitter_sum = 0;
    double jitter_max = 0;
    double jitter_min = 0;
    double rtt_sum = 0;
    double rtt_max = 0;
    double rtt_min = 0;
    double f_lost_sum = 0;
    uint32_t last_sr_id = 0;
    uint32_t tx_p = 0;
    uint32_t tx_b = 0;
    uint32_t jitter_samples = 0;
    uint32_t rtt_samples = 0;
    int32_t c_lost = 0;
    int32_t header_error = 0;
    int32_t pt_counter[kMaxPayloadTypes] = {};
    uint8_t pt_id[kMaxPayloadTypes] = {};  // 0: free
    uint8_t f_lost = 0;
};

// The RTP+ view of one UDP flow; index 0 is the client-to-server direction.
struct FlowRtp {
    uint32_t rtp_head[2] = {flow::kNil, flow::kNil};
    uint32_t rtcp_head[2] = {flow::kNil, flow::kNil};
    uint16_t rtp_count[2] = {0, 0};
    uint16_t rtcp_count[2] = {0, 0};
    uint16_t mux[2] = {0, 0};      // multiplexed_protocols
    uint64_t ttl_tot[2] = {0, 0};  // the direction's TTL sum (log_mm_complete ttl_avg)
};

// What rtp_flow_stat() needs of one datagram.
struct Datagram {
    std::span<const uint8_t> rtp;  // from the RTP header, Tstat's captured view (>= 12 bytes)
    uint16_t udp_length = 0;       // UDP length field
    int32_t ip_payload = 0;        // getpayloadlength(): IP payload length from the header
    Timestamp now;
};

class RtpClassifier {
  public:
    // One datagram of `dir` (Tstat calls the engine whenever 12 bytes follow the UDP header).
    // `handle` is the flow's FlowRtp, allocated here when first needed.
    void packet(uint32_t& handle, flow::udp::UdpFlow& f, flow::Dir dir,
                const Datagram& dg) noexcept;
    // The direction's TTL, for every datagram once the flow has RTP+ state.
    void count_ttl(uint32_t handle, flow::Dir dir, uint8_t ttl) noexcept {
        flows_[handle].ttl_tot[index(dir)] += ttl;
    }
    // Whether log_mm_complete has rows for the flow (update_conn_log_v3's test).
    static bool logged(const flow::udp::UdpFlow& f) noexcept;
    // Who receives the per-packet histogram samples (none: nobody collects histograms).
    void set_observer(MmObserver* o) { observer_ = o; }
    void release(uint32_t handle) noexcept;

    const FlowRtp& flow_state(uint32_t h) const { return flows_[h]; }
    const RtpSubflow& rtp(uint32_t h) const { return rtp_[h]; }
    const RtcpSubflow& rtcp(uint32_t h) const { return rtcp_[h]; }
    size_t live() const { return flows_.live(); }

  private:
    static int index(flow::Dir d) { return d == flow::Dir::kC2S ? 0 : 1; }
    uint32_t ensure(uint32_t& handle, const flow::udp::UdpFlow& f, flow::Dir dir) noexcept;
    void init(uint32_t& handle, flow::udp::UdpFlow& f, flow::Dir dir, const Datagram& dg,
              const Header& h, uint8_t cls) noexcept;
    void check(uint32_t handle, flow::udp::UdpFlow& f, flow::Dir dir, const Datagram& dg,
               const Header& h, uint8_t cls) noexcept;
    void stat(uint32_t handle, flow::udp::UdpFlow& f, flow::Dir dir, const Datagram& dg,
              const Header& h, uint8_t cls) noexcept;
    // Searches a direction's list: the sub-flow, or kNil with `length` Tstat's list length
    // count (items + 1, or 0 for an empty list).
    uint32_t find_rtp(const FlowRtp& fr, int d, uint32_t ssrc, uint32_t& length) const noexcept;
    uint32_t find_rtcp(const FlowRtp& fr, int d, uint32_t ssrc, uint32_t& length) const noexcept;
    uint32_t new_rtp(FlowRtp& fr, int d, const Header& h, uint32_t payload, Timestamp now);
    uint32_t new_rtcp(FlowRtp& fr, int d, const Header& h, Timestamp now);
    void rtp_stat(RtpSubflow& s, const flow::udp::UdpFlow& f, flow::Dir dir, const Header& h,
                  const Datagram& dg) noexcept;
    // An out-of-sequence datagram: mm_oos_p, and mm_reord_* when it is an older one.
    void out_of_sequence(const RtpSubflow& s, const flow::udp::UdpFlow& f, flow::Dir dir,
                         const Header& h, const Datagram& dg, int delta_seq_win,
                         double period) noexcept;
    void emit(const flow::udp::UdpFlow& f, flow::Dir dir, MmEvent ev, double v) noexcept {
        if (observer_ != nullptr) observer_->mm_event(f, dir, ev, v);
    }
    void rtcp_init(RtcpSubflow& s, const FlowRtp& fr, const flow::udp::UdpFlow& f, flow::Dir dir,
                   const Header& h, const Datagram& dg) noexcept;
    void rtcp_stat(RtcpSubflow& s, const FlowRtp& fr, const flow::udp::UdpFlow& f, flow::Dir dir,
                   const Header& h, const Datagram& dg) noexcept;
    // The RTT sample taken (< 0: none).
    double rtcp_rtt(RtcpSubflow& s, const FlowRtp& fr, const flow::udp::UdpFlow& f, flow::Dir dir,
                  const Report& r, Timestamp now) noexcept;

    flow::Pool<FlowRtp, 8> flows_;
    flow::Pool<RtpSubflow, 8> rtp_;
    flow::Pool<RtcpSubflow, 8> rtcp_;
    MmObserver* observer_ = nullptr;
};

}  // namespace tstat::classify::rtp
