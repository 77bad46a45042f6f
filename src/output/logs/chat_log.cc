#include "output/logs/chat_log.h"

namespace tstat::output {

using classify::ChatSummary;

const std::vector<ColumnDoc>& chat_complete_columns() {
    static const std::vector<ColumnDoc> cols = [] {
        std::vector<ColumnDoc> c;
        for (const char* p : {"c_", "s_"}) {
            const bool client = p[0] == 'c';
            c.push_back({client ? "c_ip" : "s_ip", client ? "client address" : "server address"});
            c.push_back({client ? "c_port" : "s_port", "port"});
            c.push_back({client ? "c_bytes_uniq" : "s_bytes_uniq", "unique bytes sent"});
            c.push_back({client ? "c_pkts_all" : "s_pkts_all", "packets sent"});
            c.push_back({client ? "c_msn" : "s_msn", "chat messages sent (MSN, Yahoo or XMPP)"});
            c.push_back({client ? "c_msn_a" : "s_msn_a", "MSN MSG type A (0 for Yahoo/XMPP)"});
            c.push_back({client ? "c_msn_d" : "s_msn_d", "MSN MSG type D"});
            c.push_back({client ? "c_msn_n" : "s_msn_n", "MSN MSG type N"});
            c.push_back({client ? "c_msn_u" : "s_msn_u", "MSN MSG type U"});
            c.push_back({client ? "c_msn_y" : "s_msn_y", "MSN MSG type Y"});
        }
        c.push_back({"first_tm", "first packet time, seconds since the epoch"});
        c.push_back({"durat", "flow duration, seconds"});
        c.push_back({"type", "chat flow type (MFT/YFT/JFT: 1 login, 2 presence, 3 chat, ...)"});
        c.push_back({"ver", "protocol version (MSNPxx, Yahoo number, UNK for XMPP)"});
        c.push_back({"c_isint", "1 if the server is internal (sic: the name says client)"});
        c.push_back({"flowid", "TCP flow id"});
        c.push_back({"T", "the letter T"});
        c.push_back({"con_t", "con_t bitmask of the flow"});
        c.push_back({"c_iscrypto", "client address encrypted"});
        c.push_back({"s_iscrypto", "server address encrypted"});
        return c;
    }();
    return cols;
}

const std::vector<ColumnDoc>& chat_messages_columns() {
    static const std::vector<ColumnDoc> cols = {
        {"idflow", "TCP flow id"},
        {"type", "message type (MSN MSG_A/D/N/U/Y, Yahoo and XMPP message kinds)"},
        {"dir", "1 client to server, -1 server to client"},
        {"paylen", "message length field (? when not given) and segment payload length"},
        {"first_tm", "flow's first packet time, seconds since the epoch"},
        {"durat", "message time from the flow's start, seconds"},
        {"con_t", "con_t bitmask of the flow"},
    };
    return cols;
}

void format_chat_flow(const flow::tcp::TcpFlow& f, const ChatSummary& c, uint32_t con_type,
                      LineBuffer& o) {
    auto side = [&](int d) {
        const auto& t = d == 0 ? f.c2s : f.s2c;
        o.num(t.unique_bytes);
        o.sep();
        o.num(t.packets);
        o.sep();
        o.num(c.messages[d]);
        for (int k = 0; k < 5; ++k) {
            o.sep();
            // Yahoo and XMPP print zeros where MSN counts its message types.
            o.num(c.kind == ChatSummary::Kind::kMsn ? c.by_type[d][k] : 0u);
        }
    };
    o.ip(f.key.a, f.crypto_src);
    o.sep();
    o.num(f.key.a_port);
    o.sep();
    side(0);
    o.sep();
    o.ip(f.key.b, f.crypto_dst);
    o.sep();
    o.num(f.key.b_port);
    o.sep();
    side(1);
    o.sep();
    o.fixed(f.first_time.as_double_us() * 1e-6);
    o.sep();
    o.fixed(static_cast<double>(elapsed_us(f.first_time, f.last_time)) / 1000.0 / 1000.0, 3);
    o.sep();
    o.num(c.flow_type);
    o.sep();
    o.str(c.version);   // MSN's may be empty (Tstat then prints two spaces)
    o.sep();
    // The column is called c_isint; msn.c/ymsg.c/jabber.c print the server's flag.
    o.num(int{f.internal_dst});
    o.sep();
    o.num(f.id);
    o.str(" T ");
    o.num(con_type);
    o.sep();
    o.num(int{f.crypto_src});
    o.sep();
    o.num(int{f.crypto_dst});
}

void format_chat_message(const classify::tcp::ChatMessageRow& r, LineBuffer& o) {
    o.num(r.flow->id);
    o.sep();
    o.str(r.type);
    o.sep();
    o.num(r.dir);
    o.sep();
    if (r.length_known)
        o.num(r.length);
    else
        o.put('?');
    o.sep();
    o.num(r.payload_len);
    o.sep();
    o.fixed(r.flow->first_time.as_double_us() / 1000.0 / 1000.0);
    o.sep();
    o.fixed(static_cast<double>(elapsed_us(r.flow->first_time, r.time)) / 1000.0 / 1000.0, 3);
    o.sep();
    o.num(r.con_type);
}

}  // namespace tstat::output
