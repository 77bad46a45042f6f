#include "output/logs/udp_log.h"

namespace tstat::output {

namespace {

using flow::udp::UdpDirection;

template <bool kClient>
const UdpDirection& side(const UdpRecord& r) {
    return kClient ? r.flow.c2s : r.flow.s2c;
}

template <bool kClient>
void add_side(ColumnSet<UdpRecord>& s) {
    const std::string p = kClient ? "c_" : "s_";
    s.push_back({p + "ip", "address", [](const UdpRecord& r, LineBuffer& o) {
                     o.ip(kClient ? r.flow.key.a : r.flow.key.b,
                          kClient ? r.flow.crypto_src : r.flow.crypto_dst);
                 }});
    s.push_back({p + "port", "port", [](const UdpRecord& r, LineBuffer& o) {
                     o.num(kClient ? r.flow.key.a_port : r.flow.key.b_port);
                 }});
    s.push_back({p + "first_abs", "first packet of this direction, absolute [ms]",
                 [](const UdpRecord& r, LineBuffer& o) {
                     const UdpDirection& d = side<kClient>(r);
                     o.fixed(d.seen ? d.first_pkt_time.as_double_ms() : 0.0);
                 }});
    s.push_back({p + "durat", "last - first packet of this direction [s]",
                 [](const UdpRecord& r, LineBuffer& o) {
                     const UdpDirection& d = side<kClient>(r);
                     const int64_t e = d.seen ? elapsed_us(d.first_pkt_time, d.last_pkt_time) : 0;
                     o.fixed(static_cast<double>(e) / 1000.0 / 1000.0);
                 }});
    s.push_back({p + "bytes_all", "UDP payload bytes", [](const UdpRecord& r, LineBuffer& o) {
                     o.num(side<kClient>(r).data_bytes);
                 }});
    s.push_back({p + "pkts_all", "packets", [](const UdpRecord& r, LineBuffer& o) {
                     o.num(side<kClient>(r).packets);
                 }});
    s.push_back({p + "isint", "1 if internal (-N)", [](const UdpRecord& r, LineBuffer& o) {
                     o.num(int{kClient ? r.flow.internal_src : r.flow.internal_dst});
                 }});
    s.push_back({p + "iscrypto", "1 if Crypto-PAn anonymized",
                 [](const UdpRecord& r, LineBuffer& o) {
                     o.num(int{kClient ? r.flow.crypto_src : r.flow.crypto_dst});
                 }});
    s.push_back({p + "type", "UDP protocol class of this direction (spec 9.6)",
                 [](const UdpRecord& r, LineBuffer& o) {
                     o.num(unsigned{kClient ? r.l7.c_type : r.l7.s_type});
                 }});
}

}  // namespace

const ColumnSet<UdpRecord>& udp_columns() {
    static const ColumnSet<UdpRecord> set = [] {
        ColumnSet<UdpRecord> s;
        add_side<true>(s);
        add_side<false>(s);
        s.push_back({"fqdn", "name the client resolved for the server (DN-Hunter)",
                     [](const UdpRecord& r, LineBuffer& o) { o.name_or_dash(r.dns.name); }});
        s.push_back({"quic_SNI", "SNI of the QUIC client Initial",
                     [](const UdpRecord& r, LineBuffer& o) { o.name_or_dash(r.l7.quic_sni); }});
        s.push_back({"quic_UA", "gQUIC user agent",
                     [](const UdpRecord& r, LineBuffer& o) { o.name_or_dash(r.l7.quic_ua); }});
        s.push_back({"quic_c_vers", "client QUIC version, - unless both sides spoke QUIC",
                     [](const UdpRecord& r, LineBuffer& o) {
                         r.l7.quic_both ? o.hex8(r.l7.quic_c_vers) : o.put('-');
                     }});
        s.push_back({"quic_s_vers", "server QUIC version",
                     [](const UdpRecord& r, LineBuffer& o) {
                         r.l7.quic_both ? o.hex8(r.l7.quic_s_vers) : o.put('-');
                     }});
        s.push_back({"quic_zero_rtt", "0-RTT packets",
                     [](const UdpRecord& r, LineBuffer& o) {
                         o.num(r.l7.quic_both ? r.l7.quic_zero_rtt : 0);
                     }});
        s.push_back({"quic_ech", "length of the Encrypted Client Hello extension",
                     [](const UdpRecord& r, LineBuffer& o) {
                         o.num(r.l7.quic_both ? r.l7.quic_ech : 0);
                     }});
        return s;
    }();
    return set;
}

std::string udp_log_header() {
    std::vector<std::string> names;
    for (const auto& c : udp_columns()) names.push_back(c.name);
    std::string out = "#";
    append_header_names(out, names);
    return out;
}

void format_udp_row(const UdpRecord& r, LineBuffer& out) {
    bool first = true;
    for (const auto& c : udp_columns()) {
        if (!first) out.sep();
        first = false;
        c.print(r, out);
    }
}

}  // namespace tstat::output
