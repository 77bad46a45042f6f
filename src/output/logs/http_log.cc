#include "output/logs/http_log.h"

#include <vector>

#include "output/log_schema.h"

namespace tstat::output {

namespace {

void tab(LineBuffer& o) { o.put('\t'); }

void field(const classify::tcp::HttpField& f, LineBuffer& o) {
    tab(o);
    if (f.head) o.str("[*]");
    o.str(f.value);
    if (f.tail) o.str("[*]");
}

void endpoints(const flow::tcp::TcpFlow& f, Timestamp t, LineBuffer& o) {
    o.ip(f.key.a);
    tab(o);
    o.num(f.key.a_port);
    tab(o);
    o.ip(f.key.b);
    tab(o);
    o.num(f.key.b_port);
    tab(o);
    o.fixed(t.as_double_us() / 1e6);   // seconds, unlike the other logs
}

}  // namespace

std::string http_log_header() {
    std::string out = "#C#";
    append_header_names(out,
                        {"c_ip", "c_port", "s_ip", "s_port", "time_abs", "method", "hostname",
                         "fqdn", "path", "referer", "user_agent", "cookie", "dnt"},
                        '\t');
    out += "\n#S#";
    append_header_names(out,
                        {"c_ip", "c_port", "s_ip", "s_port", "time_abs", "HTTP", "response",
                         "content_len", "content_type", "server", "range", "location",
                         "set_cookie"},
                        '\t');
    return out;
}

void format_http_request(const classify::tcp::HttpRequestRow& r, LineBuffer& o) {
    endpoints(*r.flow, r.time, o);
    tab(o);
    o.str(r.method);
    tab(o);
    o.str(r.host);
    tab(o);
    o.str_or_dash(r.fqdn);   // DN-Hunter's name, never encrypted (spec §17.9)
    field(r.path, o);
    field(r.referer, o);
    field(r.user_agent, o);
    field(r.cookie, o);
    tab(o);
    o.str(r.dnt);
}

void format_http_response(const classify::tcp::HttpResponseRow& r, LineBuffer& o) {
    endpoints(*r.flow, r.time, o);
    tab(o);
    o.str(r.continuation ? "RES2" : "HTTP");
    tab(o);
    o.str(r.status);
    tab(o);
    o.str(r.content_length);
    tab(o);
    o.str(r.content_type);
    tab(o);
    o.str(r.server);
    tab(o);
    o.str(r.range);
    field(r.location, o);
    field(r.cookie, o);
}

}  // namespace tstat::output
