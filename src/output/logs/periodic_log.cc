#include "output/logs/periodic_log.h"

#include "flow/tcp/seq_tracker.h"
#include "output/log_schema.h"
#include "output/log_writer.h"

namespace tstat::output {

namespace {

using flow::tcp::DirectionAnomalies;
using flow::tcp::TcpDirection;

template <class T>
std::string header_of(const T& cols) {
    std::vector<std::string> names;
    for (const auto& c : cols) names.emplace_back(c.name);
    std::string out = "#";
    append_header_names(out, names);
    return out;
}

}  // namespace

const std::vector<ColumnDoc>& tcp_periodic_columns() {
    static const std::vector<ColumnDoc> cols = [] {
        std::vector<ColumnDoc> v = {
            {"c_ip", "client address"},
            {"c_port", "client port"},
            {"s_ip", "server address"},
            {"s_port", "server port"},
            {"time_abs_start", "bin start: flow start or the packet after the previous line [ms]"},
            {"time_rel_start", "bin start from the flow's first packet [ms]"},
            {"time_rel_end", "last packet of the bin from the flow's first packet [ms]"},
            {"bin_duration", "time_rel_end - time_rel_start [ms]"},
        };
        static const ColumnDoc kDir[2][12] = {
            {{"c_pkts_all", "client packets in the bin"},
             {"c_rst_cnt", "client RSTs"},
             {"c_ack_cnt", "client segments with ACK"},
             {"c_ack_cnt_p", "client pure ACKs"},
             {"c_bytes_uniq", "client unique payload bytes"},
             {"c_pkts_data", "client data segments"},
             {"c_bytes_all", "client payload bytes"},
             {"c_pkts_retx", "client retransmitted segments"},
             {"c_bytes_retx", "client retransmitted bytes"},
             {"c_pkts_ooo", "client out-of-sequence segments"},
             {"c_syn_cnt", "client SYNs"},
             {"c_fin_cnt", "client FINs"}},
            {{"s_pkts_all", "server packets in the bin"},
             {"s_rst_cnt", "server RSTs"},
             {"s_ack_cnt", "server segments with ACK"},
             {"s_ack_cnt_p", "server pure ACKs"},
             {"s_bytes_uniq", "server unique payload bytes"},
             {"s_pkts_data", "server data segments"},
             {"s_bytes_all", "server payload bytes"},
             {"s_pkts_retx", "server retransmitted segments"},
             {"s_bytes_retx", "server retransmitted bytes"},
             {"s_pkts_ooo", "server out-of-sequence segments"},
             {"s_syn_cnt", "server SYNs"},
             {"s_fin_cnt", "server FINs"}},
        };
        for (const auto& d : kDir)
            for (const auto& c : d) v.push_back(c);
        const ColumnDoc tail[] = {
            {"c_rtt_avg", "average RTT of the bin's client samples [ms] (Tstat's Average)"},
            {"c_rtt_cnt", "client RTT samples"},
            {"s_rtt_avg", "average RTT of the bin's server samples [ms]"},
            {"s_rtt_cnt", "server RTT samples"},
            {"c_cwin_min", "smallest client in-flight size of the bin [bytes]"},
            {"c_cwin_max", "largest client in-flight size of the bin [bytes]"},
            {"s_cwin_min", "smallest server in-flight size of the bin [bytes]"},
            {"s_cwin_max", "largest server in-flight size of the bin [bytes]"},
            {"c_sack_cnt", "client segments with SACK blocks"},
            {"s_sack_cnt", "server segments with SACK blocks"},
            {"c_isint", "1 if the client is internal"},
            {"s_isint", "1 if the server is internal"},
            {"c_iscrypto", "1 if the client address is anonymized"},
            {"s_iscrypto", "1 if the server address is anonymized"},
        };
        for (const auto& c : tail) v.push_back(c);
        return v;
    }();
    return cols;
}

const std::vector<ColumnDoc>& udp_periodic_columns() {
    static const std::vector<ColumnDoc> cols = {
        {"c_ip", "client address"},
        {"c_port", "client port"},
        {"c_isint", "1 if the client is internal"},
        {"c_iscrypto", "1 if the client address is anonymized"},
        {"s_ip", "server address"},
        {"s_port", "server port"},
        {"s_isint", "1 if the server is internal"},
        {"s_iscrypto", "1 if the server address is anonymized"},
        {"time_abs_start", "bin start: flow start or the packet after the previous line [ms]"},
        {"time_rel_start", "bin start from the flow's first packet [ms]"},
        {"time_rel_end", "last packet of the bin from the flow's first packet [ms]"},
        {"bin_duration", "time_rel_end - time_rel_start [ms]"},
        {"c_pkts_all", "client datagrams in the bin"},
        {"c_bytes_all", "client payload bytes in the bin"},
        {"s_pkts_all", "server datagrams in the bin"},
        {"s_bytes_all", "server payload bytes in the bin"},
    };
    return cols;
}

std::string tcp_periodic_header() { return header_of(tcp_periodic_columns()); }
std::string udp_periodic_header() { return header_of(udp_periodic_columns()); }

PeriodicLog::PeriodicLog(LogWriter* writer, bool tcp_on, bool udp_on, int64_t interval_us)
    : writer_(writer), tcp_on_(tcp_on), udp_on_(udp_on), interval_us_(interval_us) {}

void PeriodicLog::reserve_slots(uint32_t tcp_slots, uint32_t udp_slots) {
    if (tcp_on_) tcp_by_slot_.reserve(size_t{tcp_slots} + 1 + tcp_slots / 2);
    if (udp_on_) udp_by_slot_.reserve(size_t{udp_slots} + 1 + udp_slots / 2);
}

void PeriodicLog::enable(bool tcp, bool udp, uint32_t tcp_slots, uint32_t udp_slots) {
    tcp_on_ = tcp_on_ || tcp;
    udp_on_ = udp_on_ || udp;
    reserve_slots(tcp_slots, udp_slots);
}

namespace {
template <class Pool, class State>
State* state_at(std::vector<uint32_t>& by_slot, Pool& pool, uint32_t slot) {
    if (slot >= by_slot.size() || by_slot[slot] == flow::kNil) return nullptr;
    return &pool[by_slot[slot]];
}

template <class Pool>
uint32_t open_state(std::vector<uint32_t>& by_slot, Pool& pool, uint32_t slot) {
    if (slot >= by_slot.size()) {
        size_t want = size_t{slot} + 1 + slot / 2;
        if (want > by_slot.capacity() && slot < by_slot.capacity()) want = by_slot.capacity();
        by_slot.resize(want, flow::kNil);
    }
    if (by_slot[slot] == flow::kNil) by_slot[slot] = pool.alloc();
    return by_slot[slot];
}

template <class Pool>
void close_state(std::vector<uint32_t>& by_slot, Pool& pool, uint32_t slot) {
    if (slot < by_slot.size() && by_slot[slot] != flow::kNil) {
        pool.release(by_slot[slot]);
        by_slot[slot] = flow::kNil;
    }
}
}  // namespace

PeriodicLog::TcpState* PeriodicLog::tcp_state(uint32_t slot) noexcept {
    return state_at<decltype(tcp_pool_), TcpState>(tcp_by_slot_, tcp_pool_, slot);
}

PeriodicLog::UdpState* PeriodicLog::udp_state(uint32_t slot) noexcept {
    return state_at<decltype(udp_pool_), UdpState>(udp_by_slot_, udp_pool_, slot);
}

void PeriodicLog::tcp_opened(const flow::tcp::TcpFlow& f, Timestamp now) noexcept {
    if (!tcp_on_) return;
    TcpState& s = tcp_pool_[open_state(tcp_by_slot_, tcp_pool_, f.slot)];
    s = TcpState{};
    s.last_print = now;  // NewTTP_2: last_print_time = current_time
}

void PeriodicLog::tcp_before_update(const flow::tcp::TcpFlow& f,
                                    const flow::tcp::TcpAnomalies& an, Timestamp now) noexcept {
    if (!tcp_on_) return;
    TcpState* s = tcp_state(f.slot);
    if (s != nullptr && elapsed_us(s->last_print, now) > interval_us_) print_tcp(f, an, *s, now);
}

void PeriodicLog::tcp_cwin(const flow::tcp::TcpFlow& f, flow::Dir dir, uint32_t cwin) noexcept {
    if (!tcp_on_) return;
    TcpState* s = tcp_state(f.slot);
    if (s == nullptr) return;
    TcpCounters& c = dir == flow::Dir::kC2S ? s->c2s : s->s2c;
    if (cwin > c.cwin_max) c.cwin_max = cwin;
    if (c.cwin_min == 0 || cwin < c.cwin_min) c.cwin_min = cwin;
}

void PeriodicLog::tcp_closed(const flow::tcp::TcpFlow& f, const flow::tcp::TcpAnomalies& an,
                             Timestamp now) noexcept {
    if (!tcp_on_) return;
    if (TcpState* s = tcp_state(f.slot)) print_tcp(f, an, *s, now);
    close_state(tcp_by_slot_, tcp_pool_, f.slot);
}

void PeriodicLog::udp_opened(const flow::udp::UdpFlow& f, Timestamp now) noexcept {
    if (!udp_on_) return;
    UdpState& s = udp_pool_[open_state(udp_by_slot_, udp_pool_, f.slot)];
    s = UdpState{};
    s.last_print = now;
}

void PeriodicLog::udp_before_update(const flow::udp::UdpFlow& f, Timestamp now) noexcept {
    if (!udp_on_) return;
    UdpState* s = udp_state(f.slot);
    if (s != nullptr && elapsed_us(s->last_print, now) > interval_us_) print_udp(f, *s, now);
}

void PeriodicLog::udp_closed(const flow::udp::UdpFlow& f, Timestamp now) noexcept {
    if (!udp_on_) return;
    UdpState* s = udp_state(f.slot);
    if (s != nullptr && (f.internal_src || f.internal_dst)) print_udp(f, *s, now);
    close_state(udp_by_slot_, udp_pool_, f.slot);
}

void PeriodicLog::print_tcp(const flow::tcp::TcpFlow& f, const flow::tcp::TcpAnomalies& an,
                            TcpState& s, Timestamp now) noexcept {
    LineBuffer& o = line_;
    o.clear();
    o.ip(f.key.a, f.crypto_src);
    o.sep();
    o.num(f.key.a_port);
    o.sep();
    o.ip(f.key.b, f.crypto_dst);
    o.sep();
    o.num(f.key.b_port);
    o.sep();
    o.fixed(s.last_print.as_double_ms());
    o.sep();
    o.fixed(static_cast<double>(elapsed_us(f.first_time, s.last_print)) / 1000.0);
    o.sep();
    o.fixed(static_cast<double>(elapsed_us(f.first_time, f.last_time)) / 1000.0);
    o.sep();
    o.fixed(static_cast<double>(elapsed_us(s.last_print, f.last_time)) / 1000.0);

    // Tstat subtracts the previous copy field by field with the fields' own types: u_char
    // counts print as int differences (%d), the rest as unsigned.
    auto dir_counts = [&](const TcpDirection& d, const DirectionAnomalies& a, TcpCounters& p) {
        o.sep();
        o.num(d.packets - p.packets);
        o.sep();
        o.num(static_cast<uint32_t>(int{d.reset_count} - int{p.reset_count}));
        o.sep();
        o.num(d.ack_pkts - p.ack_pkts);
        o.sep();
        o.num(d.pureack_pkts - p.pureack_pkts);
        o.sep();
        o.num(d.unique_bytes - p.unique_bytes);
        o.sep();
        o.num(d.data_pkts - p.data_pkts);
        o.sep();
        o.num(d.data_bytes - p.data_bytes);
        o.sep();
        o.num(a.rexmit_pkts - p.rexmit_pkts);
        o.sep();
        o.num(a.rexmit_bytes - p.rexmit_bytes);
        o.sep();
        o.num(a.out_order_pkts - p.out_order_pkts);
        o.sep();
        o.num(int{d.syn_count} - int{p.syn_count});
        o.sep();
        o.num(int{d.fin_count} - int{p.fin_count});
    };
    dir_counts(f.c2s, an.c2s, s.c2s);
    dir_counts(f.s2c, an.s2c, s.s2c);
    auto rtt = [&](const TcpDirection& d, const TcpCounters& p) {
        const uint32_t n = d.rtt_count - p.rtt_count;
        o.sep();
        o.fixed(flow::tcp::tstat_average(d.rtt_sum - p.rtt_sum, n) / 1000.0);
        o.sep();
        o.num(n);
    };
    rtt(f.c2s, s.c2s);
    rtt(f.s2c, s.s2c);
    for (uint32_t v : {s.c2s.cwin_min, s.c2s.cwin_max, s.s2c.cwin_min, s.s2c.cwin_max}) {
        o.sep();
        o.num(v);
    }
    o.sep();
    o.num(an.c2s.sacks_sent - s.c2s.sacks_sent);
    o.sep();
    o.num(an.s2c.sacks_sent - s.s2c.sacks_sent);
    for (bool b : {bool{f.internal_src}, bool{f.internal_dst}, bool{f.crypto_src},
                   bool{f.crypto_dst}}) {
        o.sep();
        o.num(int{b});
    }
    emit(true);

    s.last_print = now;
    auto snap = [](const TcpDirection& d, const DirectionAnomalies& a, TcpCounters& p) {
        p.unique_bytes = d.unique_bytes;
        p.data_bytes = d.data_bytes;
        p.rtt_sum = d.rtt_sum;
        p.packets = d.packets;
        p.ack_pkts = d.ack_pkts;
        p.pureack_pkts = d.pureack_pkts;
        p.data_pkts = d.data_pkts;
        p.rexmit_pkts = a.rexmit_pkts;
        p.rexmit_bytes = a.rexmit_bytes;
        p.out_order_pkts = a.out_order_pkts;
        p.rtt_count = d.rtt_count;
        p.sacks_sent = a.sacks_sent;
        p.cwin_min = p.cwin_max = 0;
        p.reset_count = d.reset_count;
        p.syn_count = d.syn_count;
        p.fin_count = d.fin_count;
    };
    snap(f.c2s, an.c2s, s.c2s);
    snap(f.s2c, an.s2c, s.s2c);
}

void PeriodicLog::print_udp(const flow::udp::UdpFlow& f, UdpState& s, Timestamp now) noexcept {
    LineBuffer& o = line_;
    o.clear();
    o.ip(f.key.a, f.crypto_src);
    o.sep();
    o.num(f.key.a_port);
    o.sep();
    o.num(int{f.internal_src});
    o.sep();
    o.num(int{f.crypto_src});
    o.sep();
    o.ip(f.key.b, f.crypto_dst);
    o.sep();
    o.num(f.key.b_port);
    o.sep();
    o.num(int{f.internal_dst});
    o.sep();
    o.num(int{f.crypto_dst});
    o.sep();
    o.fixed(s.last_print.as_double_ms());
    o.sep();
    o.fixed(static_cast<double>(elapsed_us(f.first_time, s.last_print)) / 1000.0);
    o.sep();
    o.fixed(static_cast<double>(elapsed_us(f.first_time, f.last_time)) / 1000.0);
    o.sep();
    o.fixed(static_cast<double>(elapsed_us(s.last_print, f.last_time)) / 1000.0);
    o.sep();
    o.num(f.c2s.packets - s.c2s_packets);
    o.sep();
    o.num(f.c2s.data_bytes - s.c2s_bytes);
    o.sep();
    o.num(f.s2c.packets - s.s2c_packets);
    o.sep();
    o.num(f.s2c.data_bytes - s.s2c_bytes);
    emit(false);

    s.last_print = now;
    s.c2s_packets = f.c2s.packets;
    s.c2s_bytes = f.c2s.data_bytes;
    s.s2c_packets = f.s2c.packets;
    s.s2c_bytes = f.s2c.data_bytes;
}

void PeriodicLog::emit(bool tcp) noexcept {
    if (writer_ != nullptr)
        writer_->write_line(tcp ? LogId::kTcpPeriodic : LogId::kUdpPeriodic, line_.view());
}

}  // namespace tstat::output
