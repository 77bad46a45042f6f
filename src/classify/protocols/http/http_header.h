// The request/response field extraction of log_http_complete (spec §7.3; tstat/http.c). Tstat
// runs POSIX regular expressions over the segment as a C string; these functions give the same
// matches: header names are searched case-sensitively anywhere in the text (so "X-Host: " also
// holds "Host: "), values run to the first control character (tokens also stop at a space).
#pragma once

#include <cstddef>
#include <string_view>

namespace tstat::classify::http {

enum class ValueKind { kToken, kText };   // [^[:cntrl:][:space:]]+ or [^[:cntrl:]]+

struct Match {
    size_t begin = 0;   // group 1, as offsets into the searched text
    size_t end = 0;
    std::string_view value(std::string_view text) const {
        return text.substr(begin, end - begin);
    }
};

// "^([A-Z]+) ([^[:cntrl:][:space:]]+) ": method and path followed by a space. With
// `need_space` false, the truncated-line form without the final space.
bool request_line(std::string_view text, bool need_space, Match& method, Match& path);

// "<name>(value)" anywhere in `text` (name includes ": ").
bool header(std::string_view text, std::string_view name, ValueKind kind, Match& value);

// Privacy reductions of httplog_full_url: "^([^?]+)" (0: no match on a leading '?')...
bool url_before_query(std::string_view url, std::string_view& out);
// ...and "^(https?://[^/]+/?)".
bool url_origin(std::string_view url, std::string_view& out);

// "^([^[:cntrl:]]+)": the printable start of a continuation segment.
bool leading_text(std::string_view text, std::string_view& out);

// "([[:space:]]+HTTP/1\.[01])$": where the protocol suffix of a continued request line starts,
// or npos.
size_t protocol_suffix(std::string_view text);

bool is_cntrl(unsigned char c);
bool is_space(unsigned char c);

}  // namespace tstat::classify::http
