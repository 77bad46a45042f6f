#include "classify/protocols/tls/tls_parser.h"

#include <cstdio>
#include <cstring>

namespace tstat::classify::tls {

namespace {

bool alnum(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// A C string of at most `max` bytes read from `b` at `off` (Tstat copies into cname[] and
// uses it as a string: it ends at the first NUL).
template <size_t N>
void copy_name(Bytes b, int64_t off, int64_t count, BoundedString<N>& out) {
    char buf[N];
    size_t n = 0;
    for (int64_t j = 0; j < count && n < N; ++j) {
        const char c = static_cast<char>(b.at(off + j));
        if (c == '\0') break;
        buf[n++] = c;
    }
    out.assign(std::string_view(buf, n));
}

void append_hex4(BoundedString<80>& s, uint16_t v, bool comma) {
    char tmp[8];
    const int n = std::snprintf(tmp, sizeof tmp, comma ? ",%04x" : "%04x", v);
    char joined[88];
    const size_t old = s.size();
    std::memcpy(joined, s.data(), old);
    std::memcpy(joined + old, tmp, static_cast<size_t>(n));
    s.assign(std::string_view(joined, old + static_cast<size_t>(n)));
}

// ssl_parse_npnalpn_extension(): the protocol list at idx+ii, ext_len bytes.
uint8_t parse_npnalpn(Bytes base, int64_t idx, int64_t ii, int64_t data_limit, int64_t ext_len,
                      bool npn) {
    uint8_t res = 0;
    int64_t iii = 0;
    int safety = 20;   // Tstat's bound on the loop
    while (iii < ext_len && idx + ii + iii < data_limit && safety > 0) {
        const uint8_t len = base.at(idx + ii + iii);
        --safety;
        if (len == 0) {
            res = npn ? npnalpn::kNpnEmpty : npnalpn::kAlpnEmpty;   // '=' in Tstat, not '|='
            break;
        }
        iii += 1;
        const int64_t p = idx + ii + iii;
        if (p + len > data_limit) break;
        if (base.at(p) == 's' && base.at(p + 1) == 'p' && base.at(p + 2) == 'd' &&
            base.at(p + 3) == 'y' && base.at(p + 4) == '/') {
            res |= npn ? npnalpn::kNpnSpdy : npnalpn::kAlpnSpdy;
        } else if (base.at(p) == 'h' && base.at(p + 1) == '2' &&
                   (base.at(p - 1) == 0x02 || base.at(p + 2) == '-')) {
            res |= npn ? npnalpn::kNpnH2 : npnalpn::kAlpnH2;
        } else if (base.at(p) == 'h' && base.at(p + 1) == 't' && base.at(p + 2) == 't' &&
                   base.at(p + 3) == 'p' && base.at(p + 4) == '/') {
            res |= npn ? npnalpn::kNpnHttp : npnalpn::kAlpnHttp;
        }
        iii += len;
    }
    return res;
}

bool tls_record_header(Bytes b, uint8_t handshake_type) {
    return b.at(0) == 0x16 && b.at(1) == 0x03 && b.sat(2) >= 0 && b.sat(2) <= 3 &&
           b.sat(3) >= 0 && b.sat(3) <= 0x39 && b.at(5) == handshake_type;
}

}  // namespace

bool plausible_name(std::string_view s) {
    // [A-Za-z0-9]+\.[A-Za-z0-9]{2,24}\.?$ anywhere in the string.
    if (!s.empty() && s.back() == '.') s.remove_suffix(1);
    size_t tld = 0;
    while (tld < s.size() && alnum(s[s.size() - 1 - tld])) ++tld;
    if (tld < 2 || tld > 24 || tld + 2 > s.size()) return false;
    const size_t dot = s.size() - 1 - tld;
    return s[dot] == '.' && alnum(s[dot - 1]);
}

bool parse_client_hello(Bytes base, int32_t payload_len, ClientHello& out) {
    out = ClientHello{};
    if (tls_record_header(base, 0x01)) {
        out.tls = true;
        out.message_length = 5 + base.be16(3);
        out.message_version = base.be16(9);
        const int64_t data_limit = base.size < out.message_length ? base.size : out.message_length;

        int64_t idx = 43;   // session id length
        if (idx > data_limit) return true;
        idx += 1 + base.sat(idx);
        if (idx + 2 > data_limit) return true;
        idx += 2 + base.be16(idx);   // cipher suites
        if (idx > data_limit) return true;
        idx += 1 + base.sat(idx);    // compression methods
        if (idx + 2 > data_limit) return true;
        const int64_t all_ext_len = base.be16(idx);
        idx += 2;

        int64_t ii = 0;
        while (ii < all_ext_len && idx + ii < data_limit) {
            if (idx + ii + 2 > data_limit) return true;
            const uint16_t ext_type = base.be16(idx + ii);
            ii += 2;
            if (idx + ii + 2 > data_limit) return true;
            int64_t ext_len = base.be16(idx + ii);
            ii += 2;
            switch (ext_type) {
                case 0x0000: {   // server_name: the first name of the list
                    if (idx + ii + 2 > data_limit) return true;
                    const int64_t next = ii + ext_len;
                    ii += 3;
                    if (idx + ii + 2 > data_limit) return true;
                    const int64_t name_len = base.be16(idx + ii);
                    ii += 2;
                    if (idx + ii > data_limit) return true;
                    int64_t count = 0;
                    while (count < name_len && count < 79 && idx + ii + count < data_limit)
                        ++count;
                    BoundedString<79> name;
                    copy_name(base, idx + ii, count, name);
                    if (plausible_name(name.view())) {
                        out.sni_found = true;
                        out.sni = name.view();
                    }
                    ii = next;
                    break;
                }
                case 0x3374:   // NPN
                    out.npnalpn |= ext_len == 0
                                       ? npnalpn::kNpnEmpty
                                       : parse_npnalpn(base, idx, ii, data_limit, ext_len, true);
                    ii += ext_len;
                    break;
                case 0x0010:   // ALPN
                    if (ext_len == 0) {
                        out.npnalpn |= npnalpn::kAlpnEmpty;
                    } else {
                        if (idx + ii + 2 > data_limit) return true;
                        ext_len = base.be16(idx + ii);   // the protocol list length
                        ii += 2;
                        out.npnalpn |= parse_npnalpn(base, idx, ii, data_limit, ext_len, false);
                    }
                    ii += ext_len;
                    break;
                case 0x002b:   // supported_versions
                    if (ext_len != 0) {
                        if (idx + ii + 2 >= data_limit) return true;
                        const int versions_length = base.sat(idx + ii);
                        if (versions_length < 0) return true;
                        if (idx + ii + 1 + versions_length >= data_limit) return true;
                        BoundedString<80> list;
                        for (int j = 0; j < versions_length; j += 2) {
                            const uint16_t v = base.be16(idx + ii + 1 + j);
                            if (j == 0) {
                                append_hex4(list, v, false);
                            } else if (list.size() < 74) {
                                append_hex4(list, v, true);
                            }
                        }
                        out.versions_found = true;
                        out.versions = list.view();
                    }
                    ii += ext_len;
                    break;
                case 0x0029:
                    out.psk = true;
                    ii += ext_len;
                    break;
                case 0x002a:
                    out.early_data = true;
                    ii += ext_len;
                    break;
                default:
                    ii += ext_len;
                    break;
            }
        }
        return true;
    }
    if (base.at(2) == 0x01 && base.at(3) == 0x03 && base.sat(4) >= 0 && base.sat(4) <= 3) {
        // SSLv2 ClientHello: two-byte record length equal to the payload minus two.
        const int record_length = (base.at(0) & 0x7f) << 8 | base.at(1);
        return record_length == payload_len - 2;
    }
    return false;
}

bool parse_server_hello(Bytes base, int32_t payload_len, ServerHello& out) {
    out = ServerHello{};
    if (!(payload_len >= 5 && tls_record_header(base, 0x02))) return false;
    static constexpr uint8_t kHrrMagic[32] = {
        0xCF, 0x21, 0xAD, 0x74, 0xE5, 0x9A, 0x61, 0x11, 0xBE, 0x1D, 0x8C, 0x02, 0x1E, 0x65, 0xB8, 0x91,
        0xC2, 0xA2, 0x11, 0x16, 0x7A, 0xBB, 0x8C, 0x5E, 0x07, 0x9E, 0x09, 0xE2, 0xC8, 0xA8, 0x33, 0x9C};
    int64_t idx = 43;   // session id length
    const int64_t message_length = 5 + base.be16(3);
    out.message_version = base.be16(9);
    if (payload_len > 11 + 32) {
        bool same = true;
        for (int i = 0; i < 32 && same; ++i) same = base.at(11 + i) == kHrrMagic[i];
        out.hello_retry = same;
    }
    const int64_t data_limit = base.size < message_length ? base.size : message_length;
    if (idx >= payload_len) return true;
    idx += base.at(idx) == 0 ? 1 : base.sat(idx) + 1;
    if (idx + 2 >= data_limit) return true;
    idx += 2;   // cipher suite
    // Tstat reads a non-zero compression method as a 16-bit length.
    idx += base.at(idx) != 0 ? base.be16(idx) + 2 : 1;
    if (idx + 2 >= data_limit) return true;
    const int64_t all_ext_len = base.be16(idx);
    idx += 2;
    int64_t ii = 0;
    while (ii < all_ext_len && idx < data_limit) {
        const uint16_t ext_type = base.be16(idx + ii);
        ii += 2;
        if (idx + ii + 2 >= data_limit) break;
        int64_t ext_len = base.be16(idx + ii);
        ii += 2;
        switch (ext_type) {
            case 0x3374:
                if (idx + ii < data_limit)
                    out.npnalpn |= parse_npnalpn(base, idx, ii, data_limit, ext_len, true);
                break;
            case 0x0010:
                if (idx + ii + 2 >= data_limit) return true;
                ext_len = base.be16(idx + ii);
                ii += 2;
                out.npnalpn |= parse_npnalpn(base, idx, ii, data_limit, ext_len, false);
                break;
            case 0x002b:
                if (ext_len != 0) {
                    if (idx + ii + 1 >= data_limit) return true;
                    out.version_found = true;
                    out.version = base.be16(idx + ii);
                }
                break;
            case 0x0029:
                out.psk = true;
                break;
            default:
                break;
        }
        ii += ext_len;
    }
    return true;
}

BoundedString<79> certificate_common_name(Bytes base) {
    BoundedString<79> name;
    if (base.size < 30) return name;
    for (int64_t i = 0; i < base.size - 7; ++i) {
        if (base.at(i) != 0x06) continue;
        if (base.at(i + 1) == 0x03 && base.at(i + 2) == 0x55 && base.at(i + 3) == 0x04 &&
            base.at(i + 4) == 0x03) {
            const int max = base.sat(i + 6);
            int64_t count = 0;
            while (count < max && count < 79 && i + count < base.size) ++count;
            copy_name(base, i + 7, count, name);
            if (plausible_name(name.view())) return name;
            name.clear();
        }
    }
    return name;
}

bool parse_fb0_hello(Bytes base, bool& sni_found, BoundedString<119>& sni) {
    sni_found = false;
    if (!(base.size > 9 + 5 && base.at(9) == 'C' && base.at(10) == 'H' && base.at(11) == 'L' &&
          base.at(12) == 'O'))
        return false;
    const int64_t tags_nb = base.at(13);
    const int64_t values_start = 17 + tags_nb * 8;
    if (base.size >= 17 + 8 * tags_nb) {
        int64_t last_value_offset = 0;
        for (int64_t i = 0; i < tags_nb; ++i) {
            const int64_t tag = 17 + i * 8;
            const int64_t this_value_offset = base.at(tag + 4);   // low byte only, as Tstat
            if (base.size >= values_start + this_value_offset && base.at(tag) == 'S' &&
                base.at(tag + 1) == 'N' && base.at(tag + 2) == 'I') {
                int64_t len = this_value_offset - last_value_offset;
                if (len < 0) len = 0;   // Tstat would memcpy a negative length
                BoundedString<119> name;
                copy_name(base, values_start + last_value_offset, len < 119 ? len : 119, name);
                if (plausible_name(name.view())) {
                    sni_found = true;
                    sni = name.view();
                }
            }
            last_value_offset = this_value_offset;
        }
    }
    return true;
}

}  // namespace tstat::classify::tls
