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
    o.ip(f.key.a, f.crypto_src);
    tab(o);
    o.num(f.key.a_port);
    tab(o);
    o.ip(f.key.b, f.crypto_dst);
    tab(o);
    o.num(f.key.b_port);
    tab(o);
    o.fixed(t.as_double_us() / 1e6);   // seconds, unlike the other logs
}

}  // namespace

const std::vector<ColumnDoc>& http_request_columns() {
    static const std::vector<ColumnDoc> cols = {
        {"c_ip", "client address"},
        {"c_port", "client port"},
        {"s_ip", "server address"},
        {"s_port", "server port"},
        {"time_abs", "segment time, seconds since the epoch"},
        {"method", "request method, or REQ2 for the continuation segment of a header"},
        {"hostname", "Host: header, - if none"},
        {"fqdn", "DN-Hunter name of the server, - if none (never encrypted)"},
        {"path", "request path: - (httplog_full_url 0), cut at ? (1) or whole (2); [*] marks a "
                 "value cut by the segment end"},
        {"referer", "Referer: scheme://authority/ (0), cut at ? (1) or whole (2)"},
        {"user_agent", "User-Agent: header"},
        {"cookie", "Cookie: header (httplog_full_url 2 only)"},
        {"dnt", "DNT: header"},
    };
    return cols;
}

const std::vector<ColumnDoc>& http_response_columns() {
    static const std::vector<ColumnDoc> cols = {
        {"c_ip", "client address"},
        {"c_port", "client port"},
        {"s_ip", "server address"},
        {"s_port", "server port"},
        {"time_abs", "segment time, seconds since the epoch"},
        {"HTTP", "HTTP, or RES2 for the continuation segment of a header"},
        {"response", "status code"},
        {"content_len", "Content-Length: header"},
        {"content_type", "Content-Type: header"},
        {"server", "Server: header"},
        {"range", "Content-Range: header"},
        {"location", "Location: as the referer column"},
        {"set_cookie", "Set-Cookie: header (httplog_full_url 2 only)"},
    };
    return cols;
}

std::string http_log_header() {
    auto names = [](const std::vector<ColumnDoc>& cols) {
        std::vector<std::string> n;
        for (const auto& c : cols) n.emplace_back(c.name);
        return n;
    };
    std::string out = "#C#";
    append_header_names(out, names(http_request_columns()), '\t');
    out += "\n#S#";
    append_header_names(out, names(http_response_columns()), '\t');
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
