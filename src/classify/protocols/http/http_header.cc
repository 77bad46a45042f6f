#include "classify/protocols/http/http_header.h"

namespace tstat::classify::http {

bool is_cntrl(unsigned char c) { return c < 0x20 || c == 0x7f; }
bool is_space(unsigned char c) { return c == ' ' || (c >= 0x09 && c <= 0x0d); }

namespace {
bool value_char(unsigned char c, ValueKind kind) {
    return !is_cntrl(c) && (kind == ValueKind::kText || !is_space(c));
}
unsigned char at(std::string_view s, size_t i) {
    return i < s.size() ? static_cast<unsigned char>(s[i]) : 0;
}
}  // namespace

bool request_line(std::string_view text, bool need_space, Match& method, Match& path) {
    size_t i = 0;
    while (at(text, i) >= 'A' && at(text, i) <= 'Z') ++i;
    if (i == 0 || at(text, i) != ' ') return false;
    method = {0, i};
    const size_t p = i + 1;
    size_t e = p;
    while (e < text.size() && value_char(at(text, e), ValueKind::kToken)) ++e;
    if (e == p) return false;
    if (need_space && at(text, e) != ' ') return false;
    path = {p, e};
    return true;
}

bool header(std::string_view text, std::string_view name, ValueKind kind, Match& value) {
    for (size_t p = text.find(name); p != std::string_view::npos; p = text.find(name, p + 1)) {
        const size_t b = p + name.size();
        size_t e = b;
        while (e < text.size() && value_char(at(text, e), kind)) ++e;
        if (e > b) {
            value = {b, e};
            return true;
        }
    }
    return false;
}

bool url_before_query(std::string_view url, std::string_view& out) {
    const size_t q = url.find('?');
    const size_t n = q == std::string_view::npos ? url.size() : q;
    if (n == 0) return false;
    out = url.substr(0, n);
    return true;
}

bool url_origin(std::string_view url, std::string_view& out) {
    size_t p;
    if (url.substr(0, 7) == "http://") {
        p = 7;
    } else if (url.substr(0, 8) == "https://") {
        p = 8;
    } else {
        return false;
    }
    size_t e = p;
    while (e < url.size() && url[e] != '/') ++e;
    if (e == p) return false;
    if (e < url.size()) ++e;   // the optional '/'
    out = url.substr(0, e);
    return true;
}

bool leading_text(std::string_view text, std::string_view& out) {
    size_t e = 0;
    while (e < text.size() && !is_cntrl(at(text, e))) ++e;
    if (e == 0) return false;
    out = text.substr(0, e);
    return true;
}

size_t protocol_suffix(std::string_view t) {
    // The text has no control characters, so [[:space:]] can only be ' '.
    if (t.size() < 9) return std::string_view::npos;
    const std::string_view tail = t.substr(t.size() - 8);
    if (tail != "HTTP/1.0" && tail != "HTTP/1.1") return std::string_view::npos;
    size_t s = t.size() - 8;
    if (s == 0 || !is_space(at(t, s - 1))) return std::string_view::npos;
    while (s > 0 && is_space(at(t, s - 1))) --s;
    return s;
}

}  // namespace tstat::classify::http
