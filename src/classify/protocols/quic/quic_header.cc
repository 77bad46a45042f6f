#include "classify/protocols/quic/quic_header.h"

namespace tstat::classify::quic {

bool read_varint(std::span<const uint8_t> b, size_t pos, uint64_t& value, uint8_t& used) noexcept {
    if (pos >= b.size()) return false;
    const uint8_t type = b[pos] >> 6;
    const size_t len = size_t{1} << type;
    if (pos + len > b.size()) return false;
    uint64_t v = b[pos] & 0x3f;
    for (size_t i = 1; i < len; ++i) v = v << 8 | b[pos + i];
    value = v;
    used = type == 3 ? 16 : static_cast<uint8_t>(len);   // Tstat says 16 for the 8-byte form
    return true;
}

LongHeader parse_long_header(std::span<const uint8_t> b) noexcept {
    LongHeader h;
    const size_t n = b.size();
    if (n <= 5) return h;
    h.long_form = (b[0] & 0x80) != 0;
    h.fixed_bit = (b[0] & 0x40) != 0;
    if (!h.long_form) return h;
    h.packet_type = static_cast<uint8_t>((b[0] >> 4) & 3);
    h.version = uint32_t{b[1]} << 24 | uint32_t{b[2]} << 16 | uint32_t{b[3]} << 8 | b[4];
    h.dcid_len = b[5];
    if (h.dcid_len > 20 || 6u + h.dcid_len >= n) return h;
    for (uint8_t i = 0; i < h.dcid_len; ++i) h.dcid[i] = b[6 + i];
    h.scid_len = b[6 + h.dcid_len];
    if (h.scid_len > 20 || 7u + h.dcid_len + h.scid_len >= n) return h;
    if (h.packet_type != 0) return h;
    size_t p = 7u + h.dcid_len + h.scid_len;
    if (p + 4 >= n) return h;
    uint64_t token = 0;
    uint8_t used = 0;
    if (!read_varint(b, p, token, used) || token > n) return h;
    // Tstat keeps this sum in a uint8_t.
    h.token_len = static_cast<uint8_t>(used + token);
    p += used + token;
    if (p + 4 >= n) return h;
    uint64_t len = 0;
    if (!read_varint(b, p, len, used)) return h;
    h.packet_len = len;
    return h;
}

}  // namespace tstat::classify::quic
