// log_tcp_periodic (46 columns) and log_udp_periodic (16 columns), spec §7.9: a line for a
// flow when a packet arrives more than Log_Periodic_Interval after the previous line (the line
// covers the packets before it), and a final line when the flow closes. Counters are deltas
// since the previous line. Tstat keeps a copy of the whole flow at each line; we keep only the
// counters the lines subtract, in a pool, and only while a periodic log is on.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/timestamp.h"
#include "flow/flow_key.h"
#include "flow/pool.h"
#include "flow/tcp/tcp_flow.h"
#include "flow/udp/udp_flow.h"
#include "output/line_buffer.h"

namespace tstat::output {

class LogWriter;

struct ColumnDoc {
    const char* name;
    const char* doc;
};

const std::vector<ColumnDoc>& tcp_periodic_columns();
const std::vector<ColumnDoc>& udp_periodic_columns();
std::string tcp_periodic_header();
std::string udp_periodic_header();

class PeriodicLog {
public:
    // `writer` may be null (the lines are then built but dropped: tests use line()).
    PeriodicLog(LogWriter* writer, bool tcp_on, bool udp_on, int64_t interval_us);

    bool tcp_on() const { return tcp_on_; }
    bool udp_on() const { return udp_on_; }
    // The flow tables' slot limits: the per-slot index then never moves once the trace has
    // warmed up (reserved, so untouched pages cost no memory).
    void reserve_slots(uint32_t tcp_slots, uint32_t udp_slots);
    // runtime.conf turned a periodic log on: flows opened from now on are followed. Once on,
    // a log stays followed (its lines are dropped by the writer while it is off), so a flow's
    // state never goes missing half-way.
    void enable(bool tcp, bool udp, uint32_t tcp_slots, uint32_t udp_slots);

    void tcp_opened(const flow::tcp::TcpFlow& f, Timestamp now) noexcept;
    // Before the packet changes any counter (Tstat's tcp_flow_stat / udp_flow_stat).
    void tcp_before_update(const flow::tcp::TcpFlow& f, const flow::tcp::TcpAnomalies& an,
                           Timestamp now) noexcept;
    // In-flight size sample of `dir` (spec §8.4), the bin's min/max.
    void tcp_cwin(const flow::tcp::TcpFlow& f, flow::Dir dir, uint32_t cwin) noexcept;
    // Every closing flow gets its last line, external ones too (print_periodic_log comes
    // before make_conn_stats' internal/external test).
    void tcp_closed(const flow::tcp::TcpFlow& f, const flow::tcp::TcpAnomalies& an,
                    Timestamp now) noexcept;

    void udp_opened(const flow::udp::UdpFlow& f, Timestamp now) noexcept;
    void udp_before_update(const flow::udp::UdpFlow& f, Timestamp now) noexcept;
    // make_udp_conn_stats returns before the last line for external <-> external flows.
    void udp_closed(const flow::udp::UdpFlow& f, Timestamp now) noexcept;

    // The last line built (tests).
    std::string_view line() const { return line_.view(); }

private:
    struct TcpCounters {
        uint64_t unique_bytes = 0;
        uint64_t data_bytes = 0;
        double rtt_sum = 0;
        uint32_t packets = 0;
        uint32_t ack_pkts = 0;
        uint32_t pureack_pkts = 0;
        uint32_t data_pkts = 0;
        uint32_t rexmit_pkts = 0;
        uint32_t rexmit_bytes = 0;
        uint32_t out_order_pkts = 0;
        uint32_t rtt_count = 0;
        uint32_t sacks_sent = 0;
        uint32_t cwin_min = 0;   // of the current bin
        uint32_t cwin_max = 0;
        uint8_t reset_count = 0;
        uint8_t syn_count = 0;
        uint8_t fin_count = 0;
    };
    struct TcpState {
        Timestamp last_print;
        TcpCounters c2s;
        TcpCounters s2c;
    };
    struct UdpState {
        Timestamp last_print;
        uint64_t c2s_bytes = 0;
        uint64_t s2c_bytes = 0;
        uint32_t c2s_packets = 0;
        uint32_t s2c_packets = 0;
    };

    TcpState* tcp_state(uint32_t slot) noexcept;
    UdpState* udp_state(uint32_t slot) noexcept;
    void print_tcp(const flow::tcp::TcpFlow& f, const flow::tcp::TcpAnomalies& an, TcpState& s,
                   Timestamp now) noexcept;
    void print_udp(const flow::udp::UdpFlow& f, UdpState& s, Timestamp now) noexcept;
    void emit(bool tcp) noexcept;

    LogWriter* writer_;
    bool tcp_on_;
    bool udp_on_;
    int64_t interval_us_;
    // Flow slot -> state handle (slots are unique among open flows).
    std::vector<uint32_t> tcp_by_slot_;
    std::vector<uint32_t> udp_by_slot_;
    flow::Pool<TcpState, 10> tcp_pool_;
    flow::Pool<UdpState, 10> udp_pool_;
    LineBuffer line_;
};

}  // namespace tstat::output
