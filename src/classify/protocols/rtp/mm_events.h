// The RTP+ engine's per-packet samples for the histogram engine (spec §10.3 mm_*/rtcp_*,
// L7_UDP_num): Tstat's rtp.c calls add_histo() from inside rtp_flow_stat(), rtp_stat() and
// rtcp_stat(). The classifier reports what happened; whoever collects histograms (app) turns
// the direction into in/out/loc. Kept here so that classify does not depend on stats.
#pragma once

#include "flow/flow_key.h"
#include "flow/udp/udp_flow.h"

namespace tstat::classify::rtp {

enum class MmEvent : uint8_t {
    kRtpConfirmed,   // a direction confirmed as RTP (L7_UDP_num, L7_FLOW_RTP)
    kRtcpConfirmed,  // a direction confirmed as RTCP (L7_UDP_num, L7_FLOW_RTCP)
    kOutOfSequence,  // mm_oos_p (value 1)
    kReordered,      // mm_reord_p_n (1) and mm_reord_delay (value: delay, ms)
    kBurstEnd,       // mm_burst_loss (value: the burst length closed by an in-sequence packet)
    kRtcpMmBitrate,  // rtcp_mm_bt: sender report bits / ms since the previous one
};

// One receiver report block of rtcp_stat().
struct RtcpReportSample {
    double jitter = 0;
    double fraction_lost = 0;  // f_lost / 256 * 100
    bool lost_known = false;   // at least two reports: `delta_lost` is meaningful
    int32_t delta_lost = 0;
    double rtt = -1;           // < 0: none
};

class MmObserver {
public:
    virtual ~MmObserver() = default;
    // `dir`: the direction of `f` the datagram travelled in.
    virtual void mm_event(const flow::udp::UdpFlow& f, flow::Dir dir, MmEvent ev,
                          double value) = 0;
    virtual void rtcp_report(const flow::udp::UdpFlow& f, flow::Dir dir,
                             const RtcpReportSample& r) = 0;
};

}  // namespace tstat::classify::rtp
