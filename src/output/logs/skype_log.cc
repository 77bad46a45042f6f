#include "output/logs/skype_log.h"

#include <deque>
#include <string>

#include "output/log_writer.h"

namespace tstat::output {

using classify::skype::SkypeDirRow;
using classify::skype::SkypeRow;

namespace {

std::vector<ColumnDoc> with_sides(const std::vector<ColumnDoc>& side,
                                  const std::vector<ColumnDoc>& flow) {
    static std::deque<std::string> names;   // storage for the c_/s_ names (stable addresses)
    std::vector<ColumnDoc> out;
    for (const char* prefix : {"c_", "s_"})
        for (const ColumnDoc& c : side) {
            names.push_back(prefix + std::string(c.name));
            out.push_back({names.back().c_str(), c.doc});
        }
    out.insert(out.end(), flow.begin(), flow.end());
    return out;
}

const std::vector<ColumnDoc>& address_columns() {
    static const std::vector<ColumnDoc> cols = {
        {"ip", "address"},
        {"port", "port"},
        {"internal", "1 if the address is internal"},
        {"iscrypto", "1 if the address is anonymized"},
    };
    return cols;
}

const std::vector<ColumnDoc>& flow_columns(const char* l4) {
    static const std::vector<ColumnDoc> udp = {
        {"first", "flow start [s since the epoch]"},
        {"durat", "flow duration [s]"},
        {"l4", "U: a UDP flow"},
    };
    static const std::vector<ColumnDoc> tcp = {
        {"first", "flow start [s since the epoch]"},
        {"durat", "flow duration [s]"},
        {"l4", "T: a TCP flow"},
    };
    return l4[0] == 'U' ? udp : tcp;
}

}  // namespace

const std::vector<ColumnDoc>& skype_udp_columns() {
    static const std::vector<ColumnDoc> cols = [] {
        std::vector<ColumnDoc> side = address_columns();
        const std::vector<ColumnDoc> rest = {
            {"bytes", "payload bytes"},
            {"pkts", "packets"},
            {"e2e_pkts", "end-to-end data packets (FUNC 13, more than 4 bytes)"},
            {"e2o_pkts", "SkypeOut packets (same 4 leading bytes as the previous one)"},
            {"sig_pkts", "signalling packets (NAK, FUNC 2, FUNC 3)"},
            {"unk_pkts", "other packets"},
            {"av_pkts", "audio or audio+video packets"},
            {"video_pkts", "video-only packets (400-490 or 800-980 bytes)"},
            {"avg_pktsize", "bytes / packets"},
            {"pktsize_mmb", "packet size: max mean belief (-100: no window)"},
            {"avg_ipg", "flow duration [ms] / packets"},
            {"ipg_mmb", "average IPG: max mean belief (-100: no window)"},
            {"chi_hdr_min", "chi-square on the header: min (nibbles 1-8)"},
            {"chi_hdr_max", "chi-square on the header: max (nibbles 1-4, 7, 8)"},
            {"chi_func_min", "chi-square on the header: min (nibbles 5, 6)"},
            {"chi_pay_max", "chi-square on the payload: max (nibbles 9-16)"},
            {"dft", "deterministic flow type: the UDP class (5 E2E, 6 SkypeOut, 7 signalling)"},
            {"bft", "Bayesian flow type: 1 both, 0 none, -1 packet size only, -2 IPG only"},
            {"csft", "chi-square flow type: 5 E2E, 6 SkypeOut, 0 not Skype"},
            {"video", "1 if more than 10% of the packets were video"},
        };
        side.insert(side.end(), rest.begin(), rest.end());
        return with_sides(side, flow_columns("U"));
    }();
    return cols;
}

const std::vector<ColumnDoc>& skype_tcp_columns() {
    static const std::vector<ColumnDoc> cols = [] {
        std::vector<ColumnDoc> side = address_columns();
        const std::vector<ColumnDoc> rest = {
            {"bytes", "unique bytes"},
            {"pkts", "packets"},
            {"av_pkts", "packets with payload"},
            {"video_pkts", "0 (video is told apart on UDP only)"},
            {"avg_pktsize", "unique bytes / data packets"},
            {"pktsize_mmb", "packet size: max mean belief (-100: no window)"},
            {"avg_ipg", "flow duration [ms] / data packets (server: / packets)"},
            {"ipg_mmb", "average IPG: max mean belief (-100: no window)"},
            {"chi_hdr_max", "chi-square on the header: max (nibbles 1-8)"},
            {"chi_pay_max", "chi-square on the payload: max (nibbles 9-16)"},
            {"bft", "Bayesian flow type: 1 both, 0 none, -1 packet size only, -2 IPG only"},
            {"csft", "chi-square flow type: 7 Skype over TCP, 0 not Skype"},
            {"video", "1 if more than 10% of the packets were video"},
        };
        side.insert(side.end(), rest.begin(), rest.end());
        return with_sides(side, flow_columns("T"));
    }();
    return cols;
}

void SkypeLog::write(const SkypeRow& row) noexcept {
    LineBuffer& o = line_;
    o.clear();
    for (int d = 0; d < 2; ++d) {
        const SkypeDirRow& r = row.dir[d];
        if (d == 1) o.sep();
        o.ip(d == 0 ? row.key.a : row.key.b, row.crypto[d]);
        o.sep();
        o.num(d == 0 ? row.key.a_port : row.key.b_port);
        o.sep();
        o.num(int{row.internal[d]});
        o.sep();
        o.num(int{row.crypto[d]});
        o.sep();
        o.num(r.bytes);
        o.sep();
        o.num(r.packets);
        if (!row.tcp) {
            for (uint32_t v : {r.e2e_packets, r.out_packets, r.signalling_packets,
                               r.unknown_packets}) {
                o.sep();
                o.num(v);
            }
        }
        o.sep();
        o.num(r.audiovideo_packets);
        o.sep();
        o.num(r.video_packets);
        o.sep();
        o.fixed(r.avg_pktsize);
        o.sep();
        o.fixed(r.pktsize_belief, 3);
        o.sep();
        o.fixed(r.avg_ipg);
        o.sep();
        o.fixed(r.ipg_belief, 3);
        if (row.tcp) {
            for (float v : r.tcp_chi) {
                o.sep();
                o.fixed(static_cast<double>(v), 3);
            }
        } else {
            for (double v : r.udp_chi) {
                o.sep();
                o.fixed(v, 3);
            }
            o.sep();
            o.num(r.deterministic_type);
        }
        o.sep();
        o.num(r.bayes_type);
        o.sep();
        o.num(r.chi_type);
        o.sep();
        o.num(int{r.video_present});
    }
    o.sep();
    o.fixed(static_cast<double>(row.first_time.us) * 1e-6);
    o.sep();
    o.fixed(static_cast<double>(elapsed_us(row.first_time, row.last_time)) / 1000.0 / 1000.0, 3);
    o.str(row.tcp ? " T" : " U");
    if (writer_ != nullptr) writer_->write_line(LogId::kSkypeComplete, o.view());
}

}  // namespace tstat::output
