#include "output/logs/mm_log.h"

#include <charconv>
#include <cmath>
#include <limits>

#include "classify/protocols/rtp/rtp_classifier.h"
#include "output/log_writer.h"

namespace tstat::output {

namespace rtp = classify::rtp;
using flow::udp::UdpDirection;
using flow::udp::UdpFlow;

const std::vector<ColumnDoc>& mm_log_columns() {
    static const std::vector<ColumnDoc> cols = {
        {"a_proto", "R: an RTP SSRC, T: an RTCP SSRC"},
        {"direction", "C: sent by the client, S: by the server"},
        {"c_proto", "UDP class of the client direction (spec 9.6)"},
        {"c_ip", "client address"},
        {"c_port", "client port"},
        {"c_internal", "1 if the client is internal"},
        {"c_iscrypto", "1 if the client address is anonymized"},
        {"c_mux_prot",
         "RFC 7983 classes the client sent: 1 RTP, 2 RTCP, 4 DTLS, 8 STUN, 16 TURN, "
         "32 ZRTP, 64 MTURN"},
        {"s_proto", "UDP class of the server direction"},
        {"s_ip", "server address"},
        {"s_port", "server port"},
        {"s_internal", "1 if the server is internal"},
        {"s_iscrypto", "1 if the server address is anonymized"},
        {"s_mux_prot", "RFC 7983 classes the server sent"},
        {"packets", "packets of the SSRC"},
        {"ipg", "mean inter-packet gap [ms] (RTP: between in-sequence packets)"},
        {"jitter_avg", "RTP: RFC 3550 jitter at the end [ms]; RTCP: mean reported jitter"},
        {"jitter_max", "maximum jitter"},
        {"jitter_min", "minimum jitter"},
        {"ttl_avg", "mean TTL of the whole direction"},
        {"ttl_max", "maximum TTL of the direction"},
        {"ttl_min", "minimum TTL of the direction"},
        {"starttime", "first packet of the SSRC [s]"},
        {"duration", "first to last packet [s] (RTCP: [ms], as Tstat prints it)"},
        {"databytes", "RTP payload bytes / RTCP bytes"},
        {"speed", "databytes * 8 / duration"},
        {"SSRC", "synchronization source, 0x%x"},
        {"losses", "RTP packets lost (16-packet window)"},
        {"oos", "RTP packets out of sequence"},
        {"dup", "RTP duplicate packets"},
        {"late", "RTP late packets"},
        {"pt_id", "payload types seen, comma separated (- if none)"},
        {"pt_counters", "packets per payload type"},
        {"bogus", "1 if the RTP sequence numbering restarted"},
        {"rtcp_losses", "RTCP: cumulative packets lost reported"},
        {"rtcp_fraclost", "RTCP: mean fraction lost reported [%]"},
        {"rtcp_lenpack", "RTCP: sender's packet count"},
        {"rtcp_lenbytes", "RTCP: sender's octet count"},
        {"rtt_avg", "RTCP: mean RTT from LSR/DLSR [ms]"},
        {"rtt_max", "RTCP: maximum RTT [ms]"},
        {"rtt_min", "RTCP: minimum RTT [ms]"},
        {"rtt_samples", "RTCP: RTT samples"},
        {"rtcp_trunc", "RTCP: 1 truncated report, 2 more than one report block"},
        {"rtp_max_payload", "RTP: largest payload [bytes]"},
        {"rtp_min_payload", "RTP: smallest payload [bytes]"},
        {"rtp_avg_payload", "RTP: mean payload [bytes]"},
        {"rtp_stdev_payload", "RTP: payload spread, Tstat's formula"},
        {"jitter8k_avg", "RTP: jitter with an 8 kHz clock [ms]"},
        {"jitter8k_max", "maximum of it"},
        {"jitter8k_min", "minimum of it"},
        {"jitter90k_avg", "RTP: jitter with a 90 kHz clock [ms]"},
        {"jitter90k_max", "maximum of it"},
        {"jitter90k_min", "minimum of it"},
    };
    return cols;
}

namespace {

constexpr float kMaxFloat = std::numeric_limits<float>::max();  // MAXFLOAT

// printf("%g").
void general(LineBuffer& o, double v) {
    char buf[64];
    const auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::general, 6);
    o.str(std::string_view(buf, static_cast<size_t>(r.ptr - buf)));
}

// C's a / b at run time: x86 yields a negative NaN ("-nan") for 0/0.
double divide(double a, double b) {
    if (b == 0 && (a == 0 || std::isnan(a))) return -std::numeric_limits<double>::quiet_NaN();
    return a / b;
}
float divide(float a, float b) {
    if (b == 0 && (a == 0 || std::isnan(a))) return -std::numeric_limits<float>::quiet_NaN();
    return a / b;
}

void hex(LineBuffer& o, uint32_t v) {
    char buf[16];
    const auto r = std::to_chars(buf, buf + sizeof buf, v, 16);
    o.str("0x");
    o.str(std::string_view(buf, static_cast<size_t>(r.ptr - buf)));
}

// rtp_pt_lists()/rtcp_pt_lists(): "ids counters", or "- -".
template <class Sub>
void pt_lists(LineBuffer& o, const Sub& s, uint8_t free_id) {
    bool any = false;
    for (int k = 0; k < rtp::kMaxPayloadTypes; ++k) {
        if (s.pt_id[k] == free_id) continue;
        if (any) o.put(',');
        o.num(unsigned{s.pt_id[k]});
        any = true;
    }
    if (!any) {
        o.str("- -");
        return;
    }
    o.sep();
    bool first = true;
    for (int k = 0; k < rtp::kMaxPayloadTypes; ++k) {
        if (s.pt_id[k] == free_id) continue;
        if (!first) o.put(',');
        o.num(s.pt_counter[k]);
        first = false;
    }
}

double seconds(Timestamp t) {
    return static_cast<double>(t.sec()) + static_cast<double>(t.usec()) / 1000000.0;
}

}  // namespace

int MmLog::write(const classify::MmEvent& ev) noexcept {
    const UdpFlow& f = *ev.flow;
    const rtp::RtpClassifier& engine = *ev.rtp;
    const rtp::FlowRtp& fr = engine.flow_state(ev.handle);
    LineBuffer& o = line_;

    auto head = [&](char kind, int d) {
        o.clear();
        o.put(kind);
        o.sep();
        o.put(d == 0 ? 'C' : 'S');
        for (int side = 0; side < 2; ++side) {
            o.sep();
            o.num(unsigned{(side == 0 ? f.c2s : f.s2c).type});
            o.sep();
            o.ip(side == 0 ? f.key.a : f.key.b, side == 0 ? f.crypto_src : f.crypto_dst);
            o.sep();
            o.num(side == 0 ? f.key.a_port : f.key.b_port);
            o.sep();
            o.num(int{side == 0 ? f.internal_src : f.internal_dst});
            o.sep();
            o.num(int{side == 0 ? f.crypto_src : f.crypto_dst});
            o.sep();
            o.num(unsigned{fr.mux[side]});
        }
    };
    auto ttl = [&](int d) {
        const UdpDirection& u = d == 0 ? f.c2s : f.s2c;
        o.sep();
        general(o, static_cast<double>(fr.ttl_tot[d]) / static_cast<double>(u.packets));
        o.sep();
        o.num(unsigned{u.ttl_max});
        o.sep();
        o.num(unsigned{u.ttl_min});
    };
    auto emit = [&] {
        if (writer_ != nullptr) writer_->write_line(LogId::kMmComplete, o.view());
    };

    int rows = 0;
    for (int d = 0; d < 2; ++d) {
        for (uint32_t h = fr.rtp_head[d]; h != flow::kNil; h = engine.rtp(h).next) {
            const rtp::RtpSubflow& s = engine.rtp(h);
            const double etime =
                static_cast<double>(elapsed_us(s.first_time, s.last_time)) / 1000.0;  // ms
            head('R', d);
            o.sep();
            o.num(s.pnum);
            o.sep();
            general(o, divide(s.sum_delta_t, static_cast<double>(s.n_delta_t)));
            o.sep();
            general(o, s.jitter);
            o.sep();
            general(o, s.jitter_max);
            o.sep();
            general(o, s.jitter_min == kMaxFloat ? 0.0f : s.jitter_min);
            ttl(d);
            o.sep();
            o.fixed(seconds(s.first_time));
            o.sep();
            o.fixed(etime / 1000.0);
            o.sep();
            o.num(s.data_bytes);
            o.sep();
            general(o, divide(static_cast<double>(s.data_bytes), etime / 1000.0) * 8);
            o.sep();
            hex(o, s.ssrc);
            for (int64_t v : {s.n_lost, s.n_out_of_sequence, s.n_dup, s.n_late}) {
                o.sep();
                o.num(v);
            }
            o.sep();
            pt_lists(o, s, 255);
            o.sep();
            o.num(s.bogus_reset);
            o.str(" 0 0 0 0 0 0 0 0 0");
            o.sep();
            o.num(static_cast<int32_t>(s.max_payload));
            o.sep();
            o.num(static_cast<int32_t>(s.min_payload));
            o.sep();
            const double n = static_cast<double>(s.pnum);
            const double db = static_cast<double>(s.data_bytes);
            o.fixed(db * 1.0 / n);
            o.sep();
            o.fixed(s.pnum > 1 ? std::sqrt(s.squared_data_bytes - db * db / n) * 1.0 / (n - 1)
                               : 0.0);
            for (int k = 0; k < 2; ++k) {
                o.sep();
                general(o, s.av_jitter[k]);
                o.sep();
                general(o, s.av_jitter_max[k]);
                o.sep();
                general(o, s.av_jitter_min[k] == kMaxFloat ? 0.0f : s.av_jitter_min[k]);
            }
            emit();
            ++rows;
        }
        for (uint32_t h = fr.rtcp_head[d]; h != flow::kNil; h = engine.rtcp(h).next) {
            const rtp::RtcpSubflow& s = engine.rtcp(h);
            const double etime = static_cast<double>(elapsed_us(s.first_time, s.last_time)) /
                                 1000.0;  // ms, printed as is
            head('T', d);
            o.sep();
            o.num(s.pnum);
            o.sep();
            general(o, divide(static_cast<float>(s.sum_delta_t), static_cast<float>(s.pnum)));
            o.sep();
            general(o,
                    divide(static_cast<float>(s.jitter_sum), static_cast<float>(s.jitter_samples)));
            o.sep();
            general(o, s.jitter_max);
            o.sep();
            general(o, s.jitter_min);
            ttl(d);
            o.sep();
            o.fixed(seconds(s.first_time));
            o.sep();
            o.fixed(etime);
            o.sep();
            o.num(s.data_bytes);
            o.sep();
            general(o, divide(static_cast<double>(s.data_bytes), etime) * 8);
            o.sep();
            hex(o, s.ssrc);
            o.str(" 0 0 0 0 ");
            pt_lists(o, s, 0);
            o.str(" 0 ");
            o.num(s.c_lost);
            o.sep();
            general(o,
                    divide(static_cast<float>(s.f_lost_sum), static_cast<float>(s.jitter_samples)) *
                        100.0 / 256.0);
            o.sep();
            o.num(s.tx_p);
            o.sep();
            o.num(s.tx_b);
            o.sep();
            general(o, divide(static_cast<float>(s.rtt_sum), static_cast<float>(s.rtt_samples)));
            o.sep();
            general(o, s.rtt_max);
            o.sep();
            general(o, s.rtt_min);
            o.sep();
            o.num(s.rtt_samples);
            o.sep();
            o.num(s.header_error);
            o.str(" 0 0 0.0 0.0 0.0 0.0 0.0 0.0 0.0 0.0");
            emit();
            ++rows;
        }
    }
    return rows;
}

}  // namespace tstat::output
