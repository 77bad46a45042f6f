#include "output/logs/chat_log.h"

namespace tstat::output {

using classify::ChatSummary;

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
    o.ip(f.key.a);
    o.sep();
    o.num(f.key.a_port);
    o.sep();
    side(0);
    o.sep();
    o.ip(f.key.b);
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
