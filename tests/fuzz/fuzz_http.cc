// libFuzzer target: the HTTP parsers — web.c's content classes of GET and POST requests (the
// input follows "GET " or "POST"), the header field searches of log_http_complete and the
// YouTube id conversions. The request is copied to its own buffer, sized exactly, so a read
// past it is a heap overflow for ASan.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string_view>

#include "classify/protocols/http/http_content.h"
#include "classify/protocols/http/http_header.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace tstat::classify::http;
    for (const char* method : {"GET ", "POST"}) {
        const size_t n = size + 4;
        std::unique_ptr<uint8_t[]> req(new uint8_t[n]);
        std::memcpy(req.get(), method, 4);
        if (size > 0) std::memcpy(req.get() + 4, data, size);
        YoutubeInfo yt;
        const Content c = method[0] == 'G' ? classify_get(req.get(), static_cast<int32_t>(n), yt)
                                           : classify_post(req.get(), static_cast<int32_t>(n), yt);
        if (static_cast<int>(c) > static_cast<int>(Content::kDropbox)) __builtin_trap();
        (void)id11_to_16(yt.id.view());
        (void)id16_to_11(yt.id.view());
    }
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    Match m, p;
    for (bool space : {true, false})
        if (request_line(text, space, m, p) && (m.end > text.size() || p.end > text.size()))
            __builtin_trap();
    for (std::string_view name : {"Host: ", "User-Agent: ", "Referer: ", "Cookie: ", "DNT: ",
                                  "Content-Length: ", "Content-Type: ", "Location: "})
        for (ValueKind k : {ValueKind::kToken, ValueKind::kText})
            if (header(text, name, k, m) && (m.begin > m.end || m.end > text.size()))
                __builtin_trap();
    std::string_view out;
    (void)url_before_query(text, out);
    (void)url_origin(text, out);
    (void)leading_text(text, out);
    if (const size_t at = protocol_suffix(text); at != std::string_view::npos && at > text.size())
        __builtin_trap();
    (void)id11_to_16(text.substr(0, 11));
    (void)id16_to_11(text.substr(0, 16));
    return 0;
}
