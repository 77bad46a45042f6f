#include "output/logs/tcp_log.h"

#include <cstdio>

#include "flow/tcp/seq_tracker.h"

namespace tstat::output {

namespace {

using flow::tcp::DirectionAnomalies;
using flow::tcp::TcpDirection;

double elapsed_ms(Timestamp from, Timestamp to) {
    return static_cast<double>(elapsed_us(from, to)) / 1000.0;
}

double offset_ms(uint32_t narrow, uint64_t wide) {
    return static_cast<double>(flow::tcp::widen(narrow, wide)) / 1000.0;
}

// A per-direction column is written once and expanded into c_<name> (client->server) and
// s_<name> (server->client).
struct DirColumn {
    const char* name;
    const char* doc;
    void (*print)(const TcpDirection&, const DirectionAnomalies&, LineBuffer&);
};

template <bool kClient>
const TcpDirection& side(const TcpRecord& r) {
    return kClient ? r.flow.c2s : r.flow.s2c;
}
template <bool kClient>
const DirectionAnomalies& side_anomalies(const TcpRecord& r) {
    return kClient ? r.anomalies.c2s : r.anomalies.s2c;
}

const std::vector<DirColumn>& core_dir_columns() {
    static const std::vector<DirColumn> cols = {
        {"pkts_all", "all segments sent by this endpoint",
         [](const TcpDirection& d, const DirectionAnomalies&, LineBuffer& o) { o.num(d.packets); }},
        {"rst_cnt", "RST segments sent (8-bit counter, as in Tstat)",
         [](const TcpDirection& d, const DirectionAnomalies&, LineBuffer& o) { o.num(unsigned{d.reset_count}); }},
        {"ack_cnt", "segments with the ACK flag",
         [](const TcpDirection& d, const DirectionAnomalies&, LineBuffer& o) { o.num(d.ack_pkts); }},
        {"ack_cnt_p", "pure ACKs: ACK set, no payload, no SYN/FIN/RST",
         [](const TcpDirection& d, const DirectionAnomalies&, LineBuffer& o) { o.num(d.pureack_pkts); }},
        {"bytes_uniq", "unique payload bytes (new sequence space, SYN/FIN excluded)",
         [](const TcpDirection& d, const DirectionAnomalies&, LineBuffer& o) { o.num(d.unique_bytes); }},
        {"pkts_data", "segments with payload",
         [](const TcpDirection& d, const DirectionAnomalies&, LineBuffer& o) { o.num(d.data_pkts); }},
        {"bytes_all", "payload bytes including retransmissions",
         [](const TcpDirection& d, const DirectionAnomalies&, LineBuffer& o) { o.num(d.data_bytes); }},
        {"pkts_retx", "segments carrying already-seen sequence numbers",
         [](const TcpDirection&, const DirectionAnomalies& a, LineBuffer& o) { o.num(a.rexmit_pkts); }},
        {"bytes_retx", "retransmitted payload bytes",
         [](const TcpDirection&, const DirectionAnomalies& a, LineBuffer& o) { o.num(a.rexmit_bytes); }},
        {"pkts_ooo", "segments out of sequence",
         [](const TcpDirection&, const DirectionAnomalies& a, LineBuffer& o) { o.num(a.out_order_pkts); }},
        {"syn_cnt", "SYN segments, retransmissions included",
         [](const TcpDirection& d, const DirectionAnomalies&, LineBuffer& o) { o.num(unsigned{d.syn_count}); }},
        {"fin_cnt", "FIN segments, retransmissions included",
         [](const TcpDirection& d, const DirectionAnomalies&, LineBuffer& o) { o.num(unsigned{d.fin_count}); }},
    };
    return cols;
}

void rtt_avg(const TcpDirection& d, const DirectionAnomalies&, LineBuffer& o) {
    o.fixed(flow::tcp::tstat_average(d.rtt_sum, d.rtt_count) / 1000.0);
}
void rtt_std(const TcpDirection& d, const DirectionAnomalies&, LineBuffer& o) {
    o.fixed(flow::tcp::tstat_stdev(d.rtt_sum, d.rtt_sum2, d.rtt_count) / 1000.0);
}

const std::vector<DirColumn>& e2e_dir_columns() {
    static const std::vector<DirColumn> cols = {
        {"rtt_avg", "average RTT of this side's segments [ms] (Tstat divides by count+0.0001)",
         rtt_avg},
        {"rtt_min", "minimum RTT [ms]",
         [](const TcpDirection& d, const DirectionAnomalies& a, LineBuffer& o) {
             o.fixed(static_cast<double>(flow::tcp::rtt_min_of(d.rtt_min, a)) / 1000.0);
         }},
        {"rtt_max", "maximum RTT [ms]",
         [](const TcpDirection& d, const DirectionAnomalies& a, LineBuffer& o) {
             o.fixed(static_cast<double>(flow::tcp::rtt_max_of(d.rtt_max, a)) / 1000.0);
         }},
        {"rtt_std", "RTT standard deviation [ms] (0 below three samples)", rtt_std},
        {"rtt_cnt", "valid RTT samples",
         [](const TcpDirection& d, const DirectionAnomalies&, LineBuffer& o) { o.num(d.rtt_count); }},
        {"ttl_min", "minimum TTL / hop limit",
         [](const TcpDirection& d, const DirectionAnomalies&, LineBuffer& o) { o.num(unsigned{d.ttl_min}); }},
        {"ttl_max", "maximum TTL / hop limit",
         [](const TcpDirection& d, const DirectionAnomalies&, LineBuffer& o) { o.num(unsigned{d.ttl_max}); }},
    };
    return cols;
}

const std::vector<DirColumn>& options_dir_columns() {
    static const std::vector<DirColumn> cols = {
        {"f1323_opt", "window scale option seen",
         [](const TcpDirection& d, const DirectionAnomalies&, LineBuffer& o) { o.num(int{d.f1323_ws}); }},
        {"tm_opt", "timestamp option seen",
         [](const TcpDirection& d, const DirectionAnomalies&, LineBuffer& o) { o.num(int{d.f1323_ts}); }},
        {"win_scl", "window scale factor (0 unless both sides announced one)",
         [](const TcpDirection& d, const DirectionAnomalies&, LineBuffer& o) { o.num(int{d.window_scale}); }},
        {"sack_opt", "SACK-permitted option seen",
         [](const TcpDirection& d, const DirectionAnomalies&, LineBuffer& o) { o.num(int{d.fsack_req}); }},
        {"sack_cnt", "segments carrying SACK blocks",
         [](const TcpDirection&, const DirectionAnomalies& a, LineBuffer& o) {
             o.num(static_cast<int32_t>(a.sacks_sent));
         }},
        {"mss", "MSS option, read as a signed 16-bit number as Tstat does",
         [](const TcpDirection& d, const DirectionAnomalies&, LineBuffer& o) { o.num(d.mss); }},
        {"mss_max", "largest payload sent",
         [](const TcpDirection& d, const DirectionAnomalies&, LineBuffer& o) { o.num(d.max_seg_size); }},
        {"mss_min", "smallest payload sent",
         [](const TcpDirection& d, const DirectionAnomalies&, LineBuffer& o) { o.num(d.min_seg_size); }},
        {"win_max", "largest advertised window (scaled)",
         [](const TcpDirection& d, const DirectionAnomalies&, LineBuffer& o) { o.num(d.win_max); }},
        {"win_min", "smallest non-zero advertised window (scaled)",
         [](const TcpDirection& d, const DirectionAnomalies&, LineBuffer& o) { o.num(d.win_min); }},
        {"win_0", "segments advertising a zero window",
         [](const TcpDirection&, const DirectionAnomalies& a, LineBuffer& o) {
             o.num(static_cast<int32_t>(a.win_zero_ct));
         }},
        {"cwin_max", "largest in-flight size",
         [](const TcpDirection& d, const DirectionAnomalies&, LineBuffer& o) { o.num(d.cwin_max); }},
        {"cwin_min", "smallest positive in-flight size",
         [](const TcpDirection& d, const DirectionAnomalies&, LineBuffer& o) { o.num(d.cwin_min); }},
        {"cwin_ini", "payload bytes sent before the first ACK of data",
         [](const TcpDirection& d, const DirectionAnomalies&, LineBuffer& o) { o.num(d.initialwin_bytes); }},
        {"pkts_rto", "retransmissions by RTO",
         [](const TcpDirection&, const DirectionAnomalies& a, LineBuffer& o) { o.num(a.rtx_rto); }},
        {"pkts_fs", "retransmissions by fast retransmit",
         [](const TcpDirection&, const DirectionAnomalies& a, LineBuffer& o) { o.num(a.rtx_fr); }},
        {"pkts_reor", "reordered segments",
         [](const TcpDirection&, const DirectionAnomalies& a, LineBuffer& o) { o.num(a.reordering); }},
        {"pkts_dup", "network duplicates",
         [](const TcpDirection&, const DirectionAnomalies& a, LineBuffer& o) { o.num(a.net_dup); }},
        {"pkts_unk", "anomalies of unknown kind",
         [](const TcpDirection&, const DirectionAnomalies& a, LineBuffer& o) { o.num(a.unknown); }},
        {"pkts_fc", "flow-control window probes",
         [](const TcpDirection&, const DirectionAnomalies& a, LineBuffer& o) { o.num(a.flow_control); }},
        {"pkts_unrto", "unnecessary retransmissions by RTO",
         [](const TcpDirection&, const DirectionAnomalies& a, LineBuffer& o) { o.num(a.unnecessary_rtx_rto); }},
        {"pkts_unfs", "unnecessary retransmissions by fast retransmit",
         [](const TcpDirection&, const DirectionAnomalies& a, LineBuffer& o) { o.num(a.unnecessary_rtx_fr); }},
        {"syn_retx", "1 if a retransmitted SYN or FIN changed its sequence number",
         [](const TcpDirection& d, const DirectionAnomalies&, LineBuffer& o) { o.num(int{d.bad_behavior}); }},
    };
    return cols;
}

// The direction tables, indexed so that print_dir<> can find a column without capturing.
const std::vector<DirColumn>* dir_table(size_t t) {
    switch (t) {
        case 0: return &core_dir_columns();
        case 1: return &e2e_dir_columns();
        default: return &options_dir_columns();
    }
}

// Column printers for direction tables: one instantiation per (side, table, index).
template <bool kClient, size_t kTable, size_t kIndex>
void print_dir(const TcpRecord& r, LineBuffer& out) {
    (*dir_table(kTable))[kIndex].print(side<kClient>(r), side_anomalies<kClient>(r), out);
}

template <bool kClient, size_t kTable, size_t... kIdx>
void expand(ColumnSet<TcpRecord>& set, std::index_sequence<kIdx...>) {
    const auto& cols = *dir_table(kTable);
    (set.push_back({std::string(kClient ? "c_" : "s_") + cols[kIdx].name, cols[kIdx].doc,
                    &print_dir<kClient, kTable, kIdx>}),
     ...);
}

constexpr size_t kCoreDir = 12, kE2eDir = 7, kOptionsDir = 23;

}  // namespace

const ColumnSet<TcpRecord>& tcp_core_columns() {
    static const ColumnSet<TcpRecord> set = [] {
        ColumnSet<TcpRecord> s;
        s.push_back({"c_ip", "client address (sender of the SYN)",
                     [](const TcpRecord& r, LineBuffer& o) {
                         o.ip(r.flow.key.a, r.flow.crypto_src);
                     }});
        s.push_back({"c_port", "client port",
                     [](const TcpRecord& r, LineBuffer& o) { o.num(r.flow.key.a_port); }});
        expand<true, 0>(s, std::make_index_sequence<kCoreDir>{});
        s.push_back({"s_ip", "server address",
                     [](const TcpRecord& r, LineBuffer& o) {
                         o.ip(r.flow.key.b, r.flow.crypto_dst);
                     }});
        s.push_back({"s_port", "server port",
                     [](const TcpRecord& r, LineBuffer& o) { o.num(r.flow.key.b_port); }});
        expand<false, 0>(s, std::make_index_sequence<kCoreDir>{});
        s.push_back({"first", "first packet, absolute time [ms]",
                     [](const TcpRecord& r, LineBuffer& o) { o.fixed(r.flow.first_time.as_double_ms()); }});
        s.push_back({"last", "last packet, absolute time [ms]",
                     [](const TcpRecord& r, LineBuffer& o) { o.fixed(r.flow.last_time.as_double_ms()); }});
        s.push_back({"durat", "last - first [ms]", [](const TcpRecord& r, LineBuffer& o) {
                         o.fixed(elapsed_ms(r.flow.first_time, r.flow.last_time));
                     }});
        s.push_back({"c_first", "client's first payload, from first [ms] (0 if none)",
                     [](const TcpRecord& r, LineBuffer& o) {
                         o.fixed(offset_ms(r.flow.c2s.payload_start_us, r.anomalies.c2s.payload_start_wide));
                     }});
        s.push_back({"s_first", "server's first payload, from first [ms] (0 if none)",
                     [](const TcpRecord& r, LineBuffer& o) {
                         o.fixed(offset_ms(r.flow.s2c.payload_start_us, r.anomalies.s2c.payload_start_wide));
                     }});
        s.push_back({"c_last", "client's last payload, from first [ms]",
                     [](const TcpRecord& r, LineBuffer& o) {
                         o.fixed(offset_ms(r.flow.c2s.payload_end_us, r.anomalies.c2s.payload_end_wide));
                     }});
        s.push_back({"s_last", "server's last payload, from first [ms]",
                     [](const TcpRecord& r, LineBuffer& o) {
                         o.fixed(offset_ms(r.flow.s2c.payload_end_us, r.anomalies.s2c.payload_end_wide));
                     }});
        s.push_back({"c_first_ack", "client's first ACK without SYN, from first [ms]",
                     [](const TcpRecord& r, LineBuffer& o) {
                         o.fixed(offset_ms(r.flow.c2s.ack_start_us, r.anomalies.c2s.ack_start_wide));
                     }});
        s.push_back({"s_first_ack", "server's first ACK without SYN, from first [ms]",
                     [](const TcpRecord& r, LineBuffer& o) {
                         o.fixed(offset_ms(r.flow.s2c.ack_start_us, r.anomalies.s2c.ack_start_wide));
                     }});
        s.push_back({"c_isint", "1 if the client is internal (-N)",
                     [](const TcpRecord& r, LineBuffer& o) { o.num(int{r.flow.internal_src}); }});
        s.push_back({"s_isint", "1 if the server is internal (-N)",
                     [](const TcpRecord& r, LineBuffer& o) { o.num(int{r.flow.internal_dst}); }});
        s.push_back({"c_iscrypto", "1 if the client address is Crypto-PAn anonymized",
                     [](const TcpRecord& r, LineBuffer& o) { o.num(int{r.flow.crypto_src}); }});
        s.push_back({"s_iscrypto", "1 if the server address is Crypto-PAn anonymized",
                     [](const TcpRecord& r, LineBuffer& o) { o.num(int{r.flow.crypto_dst}); }});
        s.push_back({"con_t", "connection type bitmask (spec 9.1)",
                     [](const TcpRecord& r, LineBuffer& o) { o.num(r.l7.con_type); }});
        s.push_back({"p2p_t", "IPP2P protocol id (p2p_type / 100)",
                     [](const TcpRecord& r, LineBuffer& o) { o.num(r.l7.p2p_type / 100); }});
        s.push_back({"http_t", "HTTP content class + 1 when con_t has HTTP, else 0",
                     [](const TcpRecord& r, LineBuffer& o) {
                         o.num((r.l7.con_type & 1u) ? r.l7.http_data + 1 : 0);
                     }});
        return s;
    }();
    return set;
}

const ColumnSet<TcpRecord>& tcp_e2e_columns() {
    static const ColumnSet<TcpRecord> set = [] {
        ColumnSet<TcpRecord> s;
        expand<true, 1>(s, std::make_index_sequence<kE2eDir>{});
        expand<false, 1>(s, std::make_index_sequence<kE2eDir>{});
        return s;
    }();
    return set;
}

const ColumnSet<TcpRecord>& tcp_p2p_columns() {
    static const ColumnSet<TcpRecord> set = {
        {"p2p_st", "IPP2P message subtype (p2p_type % 100)",
         [](const TcpRecord& r, LineBuffer& o) { o.num(r.l7.p2p_type % 100); }},
        {"ed2k_data", "eDonkey data messages",
         [](const TcpRecord& r, LineBuffer& o) { o.num(r.l7.p2p_data_count); }},
        {"ed2k_sig", "eDonkey signalling messages",
         [](const TcpRecord& r, LineBuffer& o) { o.num(r.l7.p2p_sig_count); }},
        {"ed2k_c2s", "eDonkey client-server messages",
         [](const TcpRecord& r, LineBuffer& o) { o.num(r.l7.p2p_c2s_count); }},
        {"ed2k_c2c", "eDonkey client-client messages",
         [](const TcpRecord& r, LineBuffer& o) { o.num(r.l7.p2p_c2c_count); }},
        {"ed2k_chat", "eDonkey chat messages",
         [](const TcpRecord& r, LineBuffer& o) { o.num(r.l7.p2p_msg_count); }},
    };
    return set;
}

const ColumnSet<TcpRecord>& tcp_options_columns() {
    static const ColumnSet<TcpRecord> set = [] {
        ColumnSet<TcpRecord> s;
        expand<true, 2>(s, std::make_index_sequence<kOptionsDir>{});
        expand<false, 2>(s, std::make_index_sequence<kOptionsDir>{});
        return s;
    }();
    return set;
}

namespace {
constexpr uint32_t kSslProtocol = 8192;  // con_t bit of TLS (spec 9.1)

void dns_cols(const TcpRecord& r, LineBuffer& o, int which) {
    if (r.dns.name.empty()) {
        static const char* kNone[] = {"-", "-", "0.0", "0.0"};
        o.str(kNone[which]);
        return;
    }
    switch (which) {
        case 0: o.name_or_dash(r.dns.name); break;
        case 1: o.ip(r.dns.resolver, r.dns.resolver_crypto); break;
        case 2: o.fixed(r.dns.request_time.as_double_ms()); break;
        default: o.fixed(r.dns.response_time.as_double_ms()); break;
    }
}
}  // namespace

const ColumnSet<TcpRecord>& tcp_layer7_columns() {
    static const ColumnSet<TcpRecord> set = {
        {"http_req_cnt", "client segments starting like an HTTP request",
         [](const TcpRecord& r, LineBuffer& o) { o.num(r.l7.http_request_count); }},
        {"http_res_cnt", "server segments starting with HTTP",
         [](const TcpRecord& r, LineBuffer& o) { o.num(r.l7.http_response_count); }},
        {"http_res", "first HTTP status code, --- if not HTTP",
         [](const TcpRecord& r, LineBuffer& o) {
             o.str((r.l7.con_type & 1u) ? std::string_view(r.l7.http_response) : "---");
         }},
        {"c_pkts_push", "client PSH-delimited messages",
         [](const TcpRecord& r, LineBuffer& o) { o.num(static_cast<int32_t>(r.flow.c2s.msg_count)); }},
        {"s_pkts_push", "server PSH-delimited messages",
         [](const TcpRecord& r, LineBuffer& o) { o.num(static_cast<int32_t>(r.flow.s2c.msg_count)); }},
        {"c_tls_SNI", "TLS ClientHello server name",
         [](const TcpRecord& r, LineBuffer& o) { o.name_or_dash(r.l7.tls_sni); }},
        {"s_tls_SCN", "server certificate common name",
         [](const TcpRecord& r, LineBuffer& o) { o.name_or_dash(r.l7.tls_scn); }},
        {"c_npnalpn", "client NPN/ALPN bitmap",
         [](const TcpRecord& r, LineBuffer& o) { o.num(r.l7.client_npnalpn); }},
        {"s_npnalpn", "server NPN/ALPN bitmap",
         [](const TcpRecord& r, LineBuffer& o) { o.num(r.l7.server_npnalpn); }},
        {"tls_session_stat", "TLS session id / PSK / early data / HRR bitmap",
         [](const TcpRecord& r, LineBuffer& o) { o.num(unsigned{r.l7.tls_session_stat}); }},
        {"c_last_handshakeT", "client's last handshake packet, from first [ms]",
         [](const TcpRecord& r, LineBuffer& o) {
             o.fixed((r.l7.con_type & kSslProtocol)
                         ? elapsed_ms(r.flow.first_time, r.l7.client_before_data_time)
                         : 0.0);
         }},
        {"s_last_handshakeT", "server's last handshake packet, from first [ms]",
         [](const TcpRecord& r, LineBuffer& o) {
             o.fixed((r.l7.con_type & kSslProtocol)
                         ? elapsed_ms(r.flow.first_time, r.l7.server_before_data_time)
                         : 0.0);
         }},
        {"c_appdataT", "client's first TLS application data, from first [ms]",
         [](const TcpRecord& r, LineBuffer& o) {
             o.fixed(r.l7.client_data_seen ? elapsed_ms(r.flow.first_time, r.l7.client_data_time)
                                           : 0.0);
         }},
        {"s_appdataT", "server's first TLS application data, from first [ms]",
         [](const TcpRecord& r, LineBuffer& o) {
             o.fixed(r.l7.server_data_seen ? elapsed_ms(r.flow.first_time, r.l7.server_data_time)
                                           : 0.0);
         }},
        {"c_appdataB", "client sequence offset of its first application data",
         [](const TcpRecord& r, LineBuffer& o) {
             o.num(r.l7.client_data_seen ? r.l7.client_data_byte : 0);
         }},
        {"s_appdataB", "server sequence offset of its first application data",
         [](const TcpRecord& r, LineBuffer& o) {
             o.num(r.l7.server_data_seen ? r.l7.server_data_byte : 0);
         }},
        {"fqdn", "name the client resolved for the server (DN-Hunter)",
         [](const TcpRecord& r, LineBuffer& o) { dns_cols(r, o, 0); }},
        {"dns_rslv", "resolver that answered",
         [](const TcpRecord& r, LineBuffer& o) { dns_cols(r, o, 1); }},
        {"req_tm", "DNS request time [ms]",
         [](const TcpRecord& r, LineBuffer& o) { dns_cols(r, o, 2); }},
        {"res_tm", "DNS response time [ms]",
         [](const TcpRecord& r, LineBuffer& o) { dns_cols(r, o, 3); }},
        {"http_hostname", "first HTTP Host: header",
         [](const TcpRecord& r, LineBuffer& o) { o.name_or_dash(r.l7.http_hostname); }},
        {"c_TLSvers", "client TLS versions",
         [](const TcpRecord& r, LineBuffer& o) { o.str_or_dash(r.l7.client_tls_version); }},
        {"s_TLSvers", "server TLS version",
         [](const TcpRecord& r, LineBuffer& o) { o.str_or_dash(r.l7.server_tls_version); }},
        {"dns_enc", "1 if the resolver address is Crypto-PAn encrypted",
         [](const TcpRecord& r, LineBuffer& o) {
             o.num(!r.dns.name.empty() && r.dns.resolver_crypto ? 1 : 0);
         }},
    };
    return set;
}

TcpSets tcp_complete_sets(int level) {
    TcpSets s;
    s.sets[s.count++] = &tcp_core_columns();
    if (level & tcp_set::kEndToEnd) s.sets[s.count++] = &tcp_e2e_columns();
    if (level & tcp_set::kP2p) s.sets[s.count++] = &tcp_p2p_columns();
    if (level & tcp_set::kOptions) s.sets[s.count++] = &tcp_options_columns();
    if (level & tcp_set::kLayer7) s.sets[s.count++] = &tcp_layer7_columns();
    return s;
}

namespace {
TcpSets core_only() {
    TcpSets s;
    s.sets[s.count++] = &tcp_core_columns();
    return s;
}
}  // namespace

std::string tcp_log_header(int level, bool complete) {
    char magic[8];
    std::snprintf(magic, sizeof magic, "#%02d#", level);
    std::vector<std::string> names;
    const TcpSets sets = complete ? tcp_complete_sets(level) : core_only();
    for (const auto* s : sets)
        for (const auto& c : *s) names.push_back(c.name);
    std::string out = magic;
    append_header_names(out, names);
    return out;
}

void format_tcp_row(const TcpRecord& r, int level, LineBuffer& out) {
    const TcpSets sets = r.complete ? tcp_complete_sets(level) : core_only();
    bool first = true;
    for (const auto* s : sets) {
        for (const auto& c : *s) {
            if (!first) out.sep();
            first = false;
            c.print(r, out);
        }
    }
}

}  // namespace tstat::output
