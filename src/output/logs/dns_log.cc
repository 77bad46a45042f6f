#include "output/logs/dns_log.h"

#include "classify/protocols/dns/dns_presentation.h"
#include "classify/protocols/dns/dns_types.h"
#include "output/log_schema.h"
#include "output/log_writer.h"

namespace tstat::output {

namespace dns = classify::dns;

const std::vector<ColumnDoc>& dns_log_columns() {
    static const std::vector<ColumnDoc> cols = {
        {"c_ip", "client (querier) address"},
        {"c_port", "client port"},
        {"c_isint", "1 if the client is internal"},
        {"c_iscrypto", "1 if the client address is anonymized"},
        {"s_ip", "server (resolver) address"},
        {"s_port", "server port"},
        {"s_isint", "1 if the server is internal"},
        {"s_iscrypto", "1 if the server address is anonymized"},
        {"time", "packet time [ms]"},
        {"entry", "REQ (a question), RESP (an answer record) or RESP_ERR (error code)"},
        {"trans_id", "transaction id, 0x%04x"},
        {"query", "question name or answer owner, fully qualified"},
        {"ttl", "answer TTL, - for questions"},
        {"class", "record class"},
        {"type", "record type"},
        {"answer", "answer data in ldns presentation format (spaces as tabs), rcode for "
                   "RESP_ERR, - for questions"},
        {"flags", "AA<<5 | TC<<4 | RD<<3 | RA<<2 | AD<<1 | CD, 0x%02x"},
        {"qdcount", "questions"},
        {"ancount", "answers"},
        {"nscount", "authority records"},
        {"arcount", "additional records (OPT and TSIG not counted, as ldns)"},
        {"pkt_size", "DNS message bytes"},
    };
    return cols;
}

std::string dns_log_header() {
    std::vector<std::string> names;
    for (const auto& c : dns_log_columns()) names.emplace_back(c.name);
    std::string out = "#";
    append_header_names(out, names);
    return out;
}

namespace {

// Tstat's conversion of a question name: label lengths become dots, printed from the second
// character as a C string ("-" for the root).
void question_name(const dns::WireName& n, LineBuffer& o) {
    char q[dns::kMaxName + 2];
    size_t size = n.size;
    for (size_t i = 0; i < size; ++i) q[i] = static_cast<char>(n.bytes[i]);
    q[size] = 0;
    size_t index = 0;
    while (index < size) {
        const auto len = static_cast<signed char>(q[index]);
        q[index] = '.';
        index += static_cast<size_t>(static_cast<int>(len) + 1);
        if (len < 0) break;
    }
    if (q[1] == 0) {
        o.put('-');
        return;
    }
    o.str(std::string_view(q + 1));
}

void hex_word(LineBuffer& o, unsigned v, int digits) {
    static const char kDigits[] = "0123456789abcdef";
    o.str("0x");
    for (int i = digits - 1; i >= 0; --i) o.put(kDigits[(v >> (i * 4)) & 0xf]);
}

}  // namespace

int DnsLog::write(const classify::DnsEvent& ev) noexcept {
    const dns::Header& h = ev.info->header;
    const flow::udp::UdpFlow& f = *ev.flow;
    // Client = the querier: swapped for a response the flow's client sent, and for a query
    // its server sent.
    const bool swap = h.qr ? ev.from_client : !ev.from_client;
    const IpAddress& c_ip = swap ? f.key.b : f.key.a;
    const IpAddress& s_ip = swap ? f.key.a : f.key.b;
    const uint16_t c_port = swap ? f.key.b_port : f.key.a_port;
    const uint16_t s_port = swap ? f.key.a_port : f.key.b_port;
    const int c_int = swap ? f.internal_dst : f.internal_src;
    const int s_int = swap ? f.internal_src : f.internal_dst;
    const int c_cry = swap ? f.crypto_dst : f.crypto_src;
    const int s_cry = swap ? f.crypto_src : f.crypto_dst;
    const unsigned flags = unsigned{h.cd} | unsigned{h.ad} << 1 | unsigned{h.ra} << 2 |
                           unsigned{h.rd} << 3 | unsigned{h.tc} << 4 | unsigned{h.aa} << 5;

    auto head = [&](std::string_view entry) {
        LineBuffer& o = line_;
        o.clear();
        o.ip(c_ip, c_cry != 0);
        o.sep();
        o.num(c_port);
        o.sep();
        o.num(c_int);
        o.sep();
        o.num(c_cry);
        o.sep();
        o.ip(s_ip, s_cry != 0);
        o.sep();
        o.num(s_port);
        o.sep();
        o.num(s_int);
        o.sep();
        o.num(s_cry);
        o.sep();
        o.fixed(ev.time.as_double_ms());
        o.sep();
        o.str(entry);
        o.sep();
        hex_word(o, h.id, 4);
        o.sep();
    };
    auto tail = [&] {
        LineBuffer& o = line_;
        o.sep();
        hex_word(o, flags, 2);
        for (unsigned v : {unsigned{h.qdcount}, unsigned{h.ancount}, unsigned{h.nscount},
                           unsigned{h.arcount}}) {
            o.sep();
            o.num(v);
        }
        o.sep();
        o.num(ev.info->size);
        emit();
    };

    int rows = 0;
    if (h.qr && h.rcode != 0) {
        head("RESP_ERR");
        bool have = false;
        uint16_t qtype = 0, qclass = 0;
        dns::for_each_record(ev.msg, ev.info->questions_pos, h.qdcount ? 1 : 0,
                             dns::Section::kQuestion, rr_, [&](const dns::Record& r) {
                                 question_name(r.owner, line_);
                                 qtype = r.type;
                                 qclass = r.rclass;
                                 have = true;
                                 return false;
                             });
        if (!have) line_.put('-');
        line_.str(" - ");
        line_.str(have ? dns::tstat_class_name(qclass) : "-");
        line_.sep();
        line_.str(have ? dns::tstat_type_name(qtype) : "-");
        line_.sep();
        line_.str(dns::tstat_rcode_name(h.rcode));
        tail();
        return 1;
    }
    if (!h.qr) {
        dns::for_each_record(ev.msg, ev.info->questions_pos, h.qdcount, dns::Section::kQuestion,
                             rr_, [&](const dns::Record& r) {
                                 head("REQ");
                                 question_name(r.owner, line_);
                                 line_.str(" - ");
                                 line_.str(dns::tstat_class_name(r.rclass));
                                 line_.sep();
                                 line_.str(dns::tstat_type_name(r.type));
                                 line_.str(" -");
                                 tail();
                                 ++rows;
                                 return true;
                             });
        return rows;
    }
    dns::for_each_record(
        ev.msg, ev.info->answers_pos, h.ancount, dns::Section::kAnswer, rr_,
        [&](const dns::Record& r) {
            dns::TextOut t(text_, 4096);
            dns::print_record(ev.msg, r, t);
            size_t n = t.size();
            // Tstat: the first four tabs become spaces (five columns), spaces after them
            // become tabs, and the final newline goes.
            int tabs = 0;
            size_t last = 0;
            for (size_t i = 0; i < n && tabs < 4; ++i)
                if (text_[i] == '\t') {
                    text_[i] = ' ';
                    ++tabs;
                    last = i;
                }
            for (size_t i = last + 1; i < n; ++i)
                if (text_[i] == ' ') text_[i] = '\t';
            if (n > 0) --n;
            head("RESP");
            line_.str(std::string_view(text_, n));
            tail();
            ++rows;
            return true;
        });
    return rows;
}

void DnsLog::emit() noexcept {
    if (writer_ != nullptr) writer_->write_line(LogId::kDnsComplete, line_.view());
}

}  // namespace tstat::output
