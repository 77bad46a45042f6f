#include "classify/protocols/rtp/rtp_classifier.h"

#include <cfloat>

#include "classify/udp/udp_types.h"

namespace tstat::classify::rtp {

using flow::Dir;
using flow::udp::UdpDirection;
using flow::udp::UdpFlow;

namespace {

constexpr uint32_t kOverflow = 2000;  // OVERFLOW_TH

// A double stored into one of Tstat's int fields (x86 cvttsd2si: out of range is INT_MIN).
int32_t to_int(double v) {
    if (!(v > -2147483649.0 && v < 2147483648.0)) return INT32_MIN;
    return static_cast<int32_t>(v);
}

double elapsed_ms(Timestamp from, Timestamp to) {
    return static_cast<double>(elapsed_us(from, to)) / 1000.0;
}

bool ports_above_1024(const UdpFlow& f) { return f.key.a_port > 1024 && f.key.b_port > 1024; }

// The payload bytes after the RTP header (its CSRC list and extension included).
int32_t rtp_payload(int32_t udp_payload, const Header& h, Bytes b) {
    return udp_payload - 12 - h.csrc_count * 4 - extension_size(b, h);
}

// One RFC 3550 interarrival jitter step of `jitter` with a `period` ms clock tick.
void jitter_step(double t, double ts, int32_t& stored_transit, double& jitter, float& max,
                 float& min) {
    const double transit = t - ts;
    double d = transit - stored_transit;
    stored_transit = to_int(transit);
    if (d < 0) d = -d;
    jitter += (1. / 16.) * (d - jitter);
    if (max < jitter) max = static_cast<float>(jitter);
    if (min > jitter) min = static_cast<float>(jitter);
}

}  // namespace

bool RtpClassifier::logged(const UdpFlow& f) noexcept {
    return f.c2s.type == udp_type::kRtpPlus || f.s2c.type == udp_type::kRtpPlus;
}

uint32_t RtpClassifier::ensure(uint32_t& handle, const UdpFlow& f, Dir dir) noexcept {
    if (handle != flow::kNil) return handle;
    handle = flows_.alloc();
    // Tstat sums the TTL of every datagram; datagrams before this one are known by their
    // count and TTL range only: exact when the TTL never changed (the usual case).
    FlowRtp& fr = flows_[handle];
    for (int i = 0; i < 2; ++i) {
        const UdpDirection& d = i == 0 ? f.c2s : f.s2c;
        uint64_t before = d.packets;
        if (i == index(dir) && before > 0) --before;  // this datagram is counted by the caller
        const uint64_t ttl = d.ttl_min == d.ttl_max ? d.ttl_min : (d.ttl_min + d.ttl_max) / 2u;
        fr.ttl_tot[i] = before * ttl;
    }
    return handle;
}

void RtpClassifier::release(uint32_t handle) noexcept {
    if (handle == flow::kNil) return;
    FlowRtp& fr = flows_[handle];
    for (int d = 0; d < 2; ++d) {
        for (uint32_t h = fr.rtp_head[d]; h != flow::kNil;) {
            const uint32_t next = rtp_[h].next;
            rtp_.release(h);
            h = next;
        }
        for (uint32_t h = fr.rtcp_head[d]; h != flow::kNil;) {
            const uint32_t next = rtcp_[h].next;
            rtcp_.release(h);
            h = next;
        }
    }
    flows_.release(handle);
}

uint32_t RtpClassifier::find_rtp(const FlowRtp& fr, int d, uint32_t ssrc,
                                 uint32_t& length) const noexcept {
    length = fr.rtp_head[d] == flow::kNil ? 0 : fr.rtp_count[d] + 1u;
    for (uint32_t h = fr.rtp_head[d]; h != flow::kNil; h = rtp_[h].next)
        if (rtp_[h].ssrc == ssrc) return h;
    return flow::kNil;
}

uint32_t RtpClassifier::find_rtcp(const FlowRtp& fr, int d, uint32_t ssrc,
                                  uint32_t& length) const noexcept {
    length = fr.rtcp_head[d] == flow::kNil ? 0 : fr.rtcp_count[d] + 1u;
    for (uint32_t h = fr.rtcp_head[d]; h != flow::kNil; h = rtcp_[h].next)
        if (rtcp_[h].ssrc == ssrc) return h;
    return flow::kNil;
}

// new_rtp_subflow(): `payload` is Tstat's u_int32_t argument (a negative length wraps).
uint32_t RtpClassifier::new_rtp(FlowRtp& fr, int d, const Header& h, uint32_t payload,
                                Timestamp now) {
    const uint32_t handle = rtp_.alloc();
    RtpSubflow& s = rtp_[handle];
    s.initial_seqno = s.largest_seqno = h.seq;
    s.packets_win[0] = h.seq;
    s.pnum = 1;
    s.ssrc = h.ssrc;
    s.first_time = s.last_time = now;
    s.jitter_min = FLT_MAX;
    s.av_jitter_min[0] = s.av_jitter_min[1] = FLT_MAX;
    s.first_ts = s.largest_ts = h.timestamp;
    s.data_bytes = payload;
    s.max_payload = s.min_payload = payload;
    s.squared_data_bytes = static_cast<uint32_t>(payload * payload);
    for (uint8_t& id : s.pt_id) id = 255;
    s.pt_id[0] = h.payload_type;
    s.pt_counter[0] = 1;
    s.next = fr.rtp_head[d];
    fr.rtp_head[d] = handle;
    ++fr.rtp_count[d];
    return handle;
}

uint32_t RtpClassifier::new_rtcp(FlowRtp& fr, int d, const Header& h, Timestamp now) {
    const uint32_t handle = rtcp_.alloc();
    RtcpSubflow& s = rtcp_[handle];
    s.pnum = 1;
    s.first_time = s.last_time = now;
    s.ssrc = h.timestamp;  // the RTCP sender's SSRC sits where RTP has its timestamp
    s.pt_id[0] = h.rtcp_type;
    s.pt_counter[0] = 1;
    s.next = fr.rtcp_head[d];
    fr.rtcp_head[d] = handle;
    ++fr.rtcp_count[d];
    return handle;
}

void RtpClassifier::packet(uint32_t& handle, UdpFlow& f, Dir dir, const Datagram& dg) noexcept {
    UdpDirection& d = f.dir(dir);
    const Bytes b{dg.rtp};
    switch (d.type) {
        case udp_type::kUnknown:
        case udp_type::kDtls: {
            if (d.type == udp_type::kDtls)
                flows_[ensure(handle, f, dir)].mux[index(dir)] |= mux::kDtls;
            if (handle != flow::kNil) {
                const FlowRtp& fr = flows_[handle];
                const int i = index(dir);
                if (fr.rtp_head[i] != flow::kNil || fr.rtcp_head[i] != flow::kNil) break;
            }
            init(handle, f, dir, dg, read_header(b), classify(b));
            break;
        }
        case udp_type::kFirstRtpPlus:
            check(handle, f, dir, dg, read_header(b), classify(b));
            break;
        case udp_type::kRtpPlus:
            stat(handle, f, dir, dg, read_header(b), classify(b));
            break;
        default:
            break;
    }
}

// init_rtp(): a first RTCP or RTP datagram between unprivileged ports.
void RtpClassifier::init(uint32_t& handle, UdpFlow& f, Dir dir, const Datagram& dg, const Header& h,
                         uint8_t cls) noexcept {
    if (!ports_above_1024(f) || (cls != mux::kRtcp && cls != mux::kRtp)) return;
    FlowRtp& fr = flows_[ensure(handle, f, dir)];
    const int i = index(dir);
    if (cls == mux::kRtcp) {
        RtcpSubflow& s = rtcp_[new_rtcp(fr, i, h, dg.now)];
        s.data_bytes += static_cast<uint64_t>(int64_t{dg.udp_length} - 8);
        rtcp_init(s, fr, f, dir, h, dg);
    } else {
        new_rtp(fr, i, h,
                static_cast<uint32_t>(rtp_payload(int32_t{dg.udp_length} - 8, h, Bytes{dg.rtp})),
                dg.now);
    }
    f.dir(dir).type = udp_type::kFirstRtpPlus;
}

// rtp_plus_check(): a FIRST_RTP_PLUS direction waits for a second datagram of an SSRC.
void RtpClassifier::check(uint32_t handle, UdpFlow& f, Dir dir, const Datagram& dg, const Header& h,
                          uint8_t cls) noexcept {
    FlowRtp& fr = flows_[handle];
    UdpDirection& d = f.dir(dir);
    const int i = index(dir);
    uint32_t length = 0;
    switch (cls) {
        case mux::kRtp: {
            const uint32_t found = find_rtp(fr, i, h.ssrc, length);
            if (found != flow::kNil) {
                RtpSubflow& s = rtp_[found];
                // int arithmetic: an initial sequence number near 65535 never confirms.
                if (int{s.initial_seqno} + int{static_cast<uint16_t>(s.pnum)} == int{h.seq}) {
                    emit(f, dir, MmEvent::kRtpConfirmed, 0);
                    rtp_stat(s, f, dir, h, dg);
                    d.type = udp_type::kRtpPlus;
                    fr.mux[i] |= mux::kRtp;
                }
            } else if (length <= kMaxSsrc) {
                new_rtp(fr, i, h,
                        static_cast<uint32_t>(
                            rtp_payload(int32_t{dg.udp_length} - 8, h, Bytes{dg.rtp})),
                        dg.now);
                fr.mux[i] |= mux::kRtp;
            } else {
                d.type = udp_type::kUnknown;
            }
            break;
        }
        case mux::kRtcp: {
            const uint32_t found = find_rtcp(fr, i, h.timestamp, length);
            if (found != flow::kNil) {
                RtcpSubflow& s = rtcp_[found];
                if (s.pnum == 1) {
                    emit(f, dir, MmEvent::kRtcpConfirmed, 0);
                    rtcp_stat(s, fr, f, dir, h, dg);
                    d.type = udp_type::kRtpPlus;
                    fr.mux[i] |= mux::kRtcp;
                }
            } else if (length <= kMaxSsrc) {
                RtcpSubflow& s = rtcp_[new_rtcp(fr, i, h, dg.now)];
                s.data_bytes += static_cast<uint64_t>(int64_t{dg.udp_length} - 8);
                rtcp_init(s, fr, f, dir, h, dg);
                fr.mux[i] |= mux::kRtcp;
            } else {
                d.type = udp_type::kUnknown;
            }
            break;
        }
        case mux::kUnknown:
            d.type = udp_type::kUnknown;
            break;
        case mux::kMturn:
            // 0xff10, a length and a 64-bit id (US patent 20160380789).
            if (dg.udp_length == Bytes{dg.rtp}.be16(2) + 12)
                fr.mux[i] |= mux::kMturn;
            else
                d.type = udp_type::kUnknown;
            break;
        default:
            fr.mux[i] |= cls;
            break;  // STUN, ZRTP, DTLS, TURN ride along
    }
}

// rtp_plus_stat(): a confirmed direction; new SSRCs are added, unknown datagrams reset it.
void RtpClassifier::stat(uint32_t handle, UdpFlow& f, Dir dir, const Datagram& dg, const Header& h,
                         uint8_t cls) noexcept {
    FlowRtp& fr = flows_[handle];
    UdpDirection& d = f.dir(dir);
    const int i = index(dir);
    uint32_t length = 0;
    switch (cls) {
        case mux::kRtp: {
            if (!ports_above_1024(f)) {
                d.type = udp_type::kUnknown;
                break;
            }
            const uint32_t found = find_rtp(fr, i, h.ssrc, length);
            if (found != flow::kNil) {
                if (rtp_payload(dg.ip_payload - 8, h, Bytes{dg.rtp}) >= 0) {
                    rtp_stat(rtp_[found], f, dir, h, dg);
                    fr.mux[i] |= mux::kRtp;
                } else {
                    d.type = udp_type::kUnknown;
                }
            } else if (length <= kMaxSsrc) {
                new_rtp(fr, i, h,
                        static_cast<uint32_t>(
                            rtp_payload(int32_t{dg.udp_length} - 8, h, Bytes{dg.rtp})),
                        dg.now);
            } else {
                d.type = udp_type::kUnknown;
            }
            break;
        }
        case mux::kRtcp: {
            if (!ports_above_1024(f)) {
                d.type = udp_type::kUnknown;
                break;
            }
            const uint32_t found = find_rtcp(fr, i, h.timestamp, length);
            if (found != flow::kNil) {
                fr.mux[i] |= mux::kRtcp;
                rtcp_stat(rtcp_[found], fr, f, dir, h, dg);
            } else if (length <= kMaxSsrc) {
                RtcpSubflow& s = rtcp_[new_rtcp(fr, i, h, dg.now)];
                s.data_bytes += static_cast<uint64_t>(int64_t{dg.udp_length} - 8);
                rtcp_init(s, fr, f, dir, h, dg);
                fr.mux[i] |= mux::kRtcp;
            } else {
                d.type = udp_type::kUnknown;
            }
            break;
        }
        case mux::kUnknown:
            d.type = udp_type::kUnknown;
            break;
        case mux::kMturn:
            if (dg.udp_length == Bytes{dg.rtp}.be16(2) + 12)
                fr.mux[i] |= mux::kMturn;
            else
                d.type = udp_type::kUnknown;
            break;
        default:
            fr.mux[i] |= cls;
            break;
    }
}

void RtpClassifier::rtp_stat(RtpSubflow& s, const UdpFlow& f, Dir dir, const Header& h,
                             const Datagram& dg) noexcept {
    const Bytes b{dg.rtp};
    ++s.pnum;
    const int freq = clock_rate(h.payload_type);
    const double period = freq != 0 ? 1000. / freq : 1000.;
    s.pt = h.payload_type;
    for (int k = 0; k < kMaxPayloadTypes; ++k) {
        if (s.pt_id[k] == h.payload_type) {
            ++s.pt_counter[k];
            break;
        }
        if (s.pt_id[k] == 255) {  // a free slot; an eleventh type is ignored
            s.pt_id[k] = h.payload_type;
            s.pt_counter[k] = 1;
            break;
        }
    }

    int32_t payload = rtp_payload(dg.ip_payload - 8, h, b);
    if (payload < 0) payload = 0;
    const auto upayload = static_cast<uint32_t>(payload);
    s.data_bytes += upayload;
    if (upayload > s.max_payload) s.max_payload = upayload;
    if (upayload < s.min_payload) s.min_payload = upayload;
    s.squared_data_bytes +=
        static_cast<int32_t>(static_cast<uint32_t>(payload) * static_cast<uint32_t>(payload));

    // The window of the last kWindow sequence numbers: losses, duplicates, late packets.
    const uint16_t seq = h.seq;
    const uint32_t ts = h.timestamp;
    if (static_cast<uint16_t>(seq - s.initial_seqno) >= kWindow) s.window_full = true;
    int index = static_cast<uint16_t>(seq - s.initial_seqno) % kWindow;
    int delta_seq_win = static_cast<uint16_t>(seq - s.packets_win[index]);
    // Encoders that restart their numbering (and timestamps) mid-flow.
    if (delta_seq_win > kWindow * 5 && ts - s.largest_ts < 0xffff0000u && s.window_full) {
        s.window_full = false;
        s.largest_seqno = seq;
        s.initial_seqno = static_cast<uint16_t>(seq - 1);
        s.first_ts = ts - (s.largest_ts - s.first_ts);
        s.largest_ts = ts;
        s.bogus_reset = 1;
        for (uint16_t& w : s.packets_win) w = static_cast<uint16_t>(seq - 1);
        index = static_cast<uint16_t>(seq - s.initial_seqno) % kWindow;
        delta_seq_win = static_cast<uint16_t>(seq - s.packets_win[index]);
    }

    if (static_cast<uint16_t>(s.largest_seqno + 1) == seq) {
        s.sum_delta_t += elapsed_ms(s.last_time, dg.now);
        ++s.n_delta_t;
        const double t = elapsed_ms(s.first_time, dg.now);
        const double rel_ts = static_cast<double>(ts) - static_cast<double>(s.first_ts);
        if (freq != 0)
            jitter_step(t, rel_ts * period, s.transit, s.jitter, s.jitter_max, s.jitter_min);
        if (freq != 0 || (s.pt >= 96 && s.pt <= 127)) {
            // Dynamic types: the jitter with an audio (8 kHz) and a video (90 kHz) clock.
            jitter_step(t, rel_ts * (1000. / 8000.), s.av_transit[0], s.av_jitter[0],
                        s.av_jitter_max[0], s.av_jitter_min[0]);
            jitter_step(t, rel_ts * (1000. / 90000.), s.av_transit[1], s.av_jitter[1],
                        s.av_jitter_max[1], s.av_jitter_min[1]);
        }
    }

    if (ts - s.largest_ts < kOverflow) s.largest_ts = ts;

    if (!s.window_full) {
        if (delta_seq_win == 0) ++s.n_dup;
        s.packets_win[index] = seq;
    } else if (delta_seq_win >= static_cast<int>(kOverflow)) {
        ++s.n_late;
    } else if (delta_seq_win == 0) {
        ++s.n_dup;
    } else if (delta_seq_win > kWindow) {
        ++s.n_lost;
        ++s.burst;
        s.packets_win[index] = seq;
    } else if (delta_seq_win == kWindow) {
        emit(f, dir, MmEvent::kBurstEnd, s.burst);
        s.burst = 0;
        s.packets_win[index] = seq;
    }
    if (static_cast<uint16_t>(s.largest_seqno + 1) != seq) {
        ++s.n_out_of_sequence;
        out_of_sequence(s, f, dir, h, dg, delta_seq_win, period);
    }
    if (static_cast<uint16_t>(seq - s.largest_seqno) < kOverflow) s.largest_seqno = seq;
    s.last_time = dg.now;
}

void RtpClassifier::out_of_sequence(const RtpSubflow& s, const UdpFlow& f, Dir dir,
                                    const Header& h, const Datagram& dg, int delta_seq_win,
                                    double period) noexcept {
    if (observer_ == nullptr) return;
    emit(f, dir, MmEvent::kOutOfSequence, 1);
    if (static_cast<uint16_t>(h.seq - s.largest_seqno) <= kOverflow || delta_seq_win == 0) return;
    // Tstat byte-swaps the 4-bit CSRC count (ntohs) before multiplying it: kept as is. Its
    // byte period is a float.
    const int32_t csrc = static_cast<uint16_t>(h.csrc_count << 8);
    const auto byte_period = static_cast<float>(
        (dg.ip_payload - 8 - (12 + csrc * 4 + extension_size(Bytes{dg.rtp}, h))) * period);
    const double delay = static_cast<double>(int{s.largest_seqno} - int{h.seq}) * byte_period +
                         elapsed_ms(s.last_time, dg.now);
    emit(f, dir, MmEvent::kReordered, delay);
}

// The RTT from a receiver report: the other direction's sender report it echoes (LSR), less
// the delay the receiver says it held it (DLSR).
double RtpClassifier::rtcp_rtt(RtcpSubflow& s, const FlowRtp& fr, const UdpFlow& f, Dir dir,
                               const Report& r, Timestamp now) noexcept {
    const int other = 1 - index(dir);
    const uint8_t other_type = (other == 0 ? f.c2s : f.s2c).type;
    if (other_type != udp_type::kRtpPlus && other_type != udp_type::kFirstRtpPlus) return -1;
    if (fr.rtcp_head[other] == flow::kNil || r.lsr == 0) return -1;
    for (uint32_t h = fr.rtcp_head[other]; h != flow::kNil; h = rtcp_[h].next) {
        const RtcpSubflow& m = rtcp_[h];
        if (m.last_sr_id != r.lsr) continue;
        const double rtt = elapsed_ms(m.last_sr, now) - r.dlsr * 1000.0 / 65536.0;
        if (rtt >= 0) {
            if (s.rtt_min > rtt || s.rtt_sum == 0) s.rtt_min = rtt;
            if (s.rtt_max < rtt || s.rtt_sum == 0) s.rtt_max = rtt;
            s.rtt_sum += rtt;
            ++s.rtt_samples;
        }
        return rtt;
    }
    return -1;
}

// rtcp_init_stats(): the first datagram of an RTCP SSRC.
void RtpClassifier::rtcp_init(RtcpSubflow& s, const FlowRtp& fr, const UdpFlow& f, Dir dir,
                              const Header& h, const Datagram& dg) noexcept {
    const Report r = read_report(Bytes{dg.rtp}, h.rtcp_type, h.report_count);
    s.header_error |= r.header_error;
    if (r.sender) {
        s.last_sr = dg.now;
        s.last_sr_id = r.ntp_middle;
        s.tx_p = r.sent_packets;
        s.tx_b = r.sent_bytes;
    }
    if (!r.block) return;
    s.jitter_sum = s.jitter_max = s.jitter_min = r.jitter;
    ++s.jitter_samples;
    s.c_lost = r.cumulative_lost;
    s.f_lost = r.fraction_lost;
    s.f_lost_sum += r.fraction_lost;
    rtcp_rtt(s, fr, f, dir, r, dg.now);
}

void RtpClassifier::rtcp_stat(RtcpSubflow& s, const FlowRtp& fr, const UdpFlow& f, Dir dir,
                              const Header& h, const Datagram& dg) noexcept {
    ++s.pnum;
    s.sum_delta_t += elapsed_ms(s.last_time, dg.now);
    s.data_bytes += static_cast<uint64_t>(int64_t{dg.ip_payload} - 8);
    for (int k = 0; k < kMaxPayloadTypes; ++k) {
        if (s.pt_id[k] == h.rtcp_type) {
            ++s.pt_counter[k];
            break;
        }
        if (s.pt_id[k] == 0) {
            s.pt_id[k] = h.rtcp_type;
            s.pt_counter[k] = 1;
            break;
        }
    }
    const Report r = read_report(Bytes{dg.rtp}, h.rtcp_type, h.report_count);
    s.header_error |= r.header_error;
    if (r.sender) {
        // rtcp_mm_bt: the bits the sender reports since its previous report, per ms.
        const bool had_sr = !s.last_sr.is_zero();
        const double delta_sr = had_sr ? elapsed_ms(s.last_sr, dg.now) : 0;
        const uint32_t delta_b = (r.sent_bytes - s.tx_b) * 8;
        if (delta_sr != 0) emit(f, dir, MmEvent::kRtcpMmBitrate, delta_b / delta_sr);
        s.last_sr = dg.now;
        s.last_sr_id = r.ntp_middle;
        s.tx_p = r.sent_packets;
        s.tx_b = r.sent_bytes;
    }
    if (r.block) {
        const int32_t delta_lost = r.cumulative_lost - s.c_lost;
        s.jitter_sum += r.jitter;
        ++s.jitter_samples;
        if (s.jitter_max < r.jitter) s.jitter_max = r.jitter;
        if (s.jitter_min > r.jitter) s.jitter_min = r.jitter;
        s.c_lost = r.cumulative_lost;
        s.f_lost = r.fraction_lost;
        s.f_lost_sum += r.fraction_lost;
        const double rtt = rtcp_rtt(s, fr, f, dir, r, dg.now);
        if (observer_ != nullptr) {
            RtcpReportSample sample;
            sample.jitter = r.jitter;
            sample.fraction_lost = s.f_lost / 256.0 * 100.0;
            sample.lost_known = s.jitter_samples >= 2;
            sample.delta_lost = delta_lost;
            sample.rtt = rtt;
            observer_->rtcp_report(f, dir, sample);
        }
    }
    s.last_time = dg.now;
}

}  // namespace tstat::classify::rtp
