#include "output/anonymize/base64.h"

namespace tstat::output::anonymize {

namespace {
constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

uint8_t value_of(char c) {
    if (c >= 'A' && c <= 'Z') return static_cast<uint8_t>(c - 'A');
    if (c >= 'a' && c <= 'z') return static_cast<uint8_t>(c - 'a' + 26);
    if (c >= '0' && c <= '9') return static_cast<uint8_t>(c - '0' + 52);
    if (c == '+') return 62;
    if (c == '/') return 63;
    return 0;  // Tstat trusts its input: anything else reads as 'A'
}
}  // namespace

size_t base64_encode(const uint8_t* in, size_t n, char* out) noexcept {
    size_t o = 0;
    for (size_t i = 0; i < n; i += 3) {
        const uint32_t b0 = in[i];
        const uint32_t b1 = i + 1 < n ? in[i + 1] : 0;
        const uint32_t b2 = i + 2 < n ? in[i + 2] : 0;
        const uint32_t v = b0 << 16 | b1 << 8 | b2;
        out[o++] = kAlphabet[(v >> 18) & 63];
        out[o++] = kAlphabet[(v >> 12) & 63];
        out[o++] = i + 1 < n ? kAlphabet[(v >> 6) & 63] : '=';
        out[o++] = i + 2 < n ? kAlphabet[v & 63] : '=';
    }
    return o;
}

std::string base64_encode(const uint8_t* in, size_t n) {
    std::string s(base64_size(n), '\0');
    base64_encode(in, n, s.data());
    return s;
}

std::optional<std::vector<uint8_t>> base64_decode_lenient(std::string_view text) {
    const size_t len = text.size();
    if (len < 2) return std::nullopt;
    size_t pad = 0;
    if (text[len - 1] == '=') ++pad;
    if (text[len - 2] == '=') ++pad;
    const size_t whole = 3 * len / 4;
    const size_t size = whole > pad ? whole - pad : 0;
    std::vector<uint8_t> out(size, 0);
    size_t o = 0;
    for (size_t i = 0; i < len && o < size; i += 4) {
        uint32_t v = 0;
        for (size_t k = 0; k < 4; ++k) v = v << 6 | (i + k < len ? value_of(text[i + k]) : 0);
        for (int shift = 16; shift >= 0 && o < size; shift -= 8)
            out[o++] = static_cast<uint8_t>(v >> shift);
    }
    return out;
}

}  // namespace tstat::output::anonymize
