// Tstat's TLS handshake parsers (spec §9.2; tstat/tcpL7.c ssl_client_check, ssl_server_check,
// ssl_certificate_check, ssl_parse_npnalpn_extension): pure functions over a segment's bytes.
// They walk the records exactly as Tstat does, quirks included (signed length bytes, the
// server's compression-method arithmetic, limits taken from the first record only), and read
// zero where Tstat would read past the capture.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "classify/bounded_string.h"

namespace tstat::classify::tls {

// NPN/ALPN bitmap (enum npnalpn).
namespace npnalpn {
inline constexpr uint8_t kNpnEmpty = 1;
inline constexpr uint8_t kNpnHttp = 2;
inline constexpr uint8_t kNpnSpdy = 4;
inline constexpr uint8_t kNpnH2 = 8;
inline constexpr uint8_t kAlpnEmpty = 16;
inline constexpr uint8_t kAlpnHttp = 32;
inline constexpr uint8_t kAlpnSpdy = 64;
inline constexpr uint8_t kAlpnH2 = 128;
}  // namespace npnalpn

// Bytes of a segment (or of a reassembled ClientHello); zero past the end.
struct Bytes {
    const uint8_t* data = nullptr;
    int64_t size = 0;
    uint8_t at(int64_t i) const { return i >= 0 && i < size ? data[i] : 0; }
    int8_t sat(int64_t i) const { return static_cast<int8_t>(at(i)); }   // Tstat's `char`
    uint16_t be16(int64_t i) const { return static_cast<uint16_t>(at(i) << 8 | at(i + 1)); }
};

// Names (SNI, certificate CN) Tstat keeps: they end in "label.tld" with a 2-24 character
// alphanumeric TLD and an optional final dot (re_ssl_subject; re_ssl_clean accepts anything
// that has one printable character, so it never rejects what re_ssl_subject accepted).
bool plausible_name(std::string_view name);

// What one ClientHello pass found; the caller applies it in this order (later passes over the
// same flow overwrite SNI and versions, OR the bitmap, as Tstat's fields do).
struct ClientHello {
    bool tls = false;              // TLS record form (0x16 03 0x ..); else SSLv2 (no fields)
    int32_t message_length = 0;    // 5 + record length (TLS form)
    uint16_t message_version = 0;  // ClientHello.version, printed when no supported_versions
    bool sni_found = false;        // a plausible SNI (the last one wins)
    BoundedString<79> sni;
    uint8_t npnalpn = 0;
    bool versions_found = false;   // supported_versions list ("%04x" joined by commas)
    BoundedString<80> versions;
    bool psk = false;              // pre_shared_key (0x0029)
    bool early_data = false;       // early_data (0x002a)
};

// ssl_client_check(): true if the segment starts a ClientHello (TLS or SSLv2). `payload_len`
// is the length the IP header announces (the SSLv2 test uses it).
bool parse_client_hello(Bytes seg, int32_t payload_len, ClientHello& out);

struct ServerHello {
    uint16_t message_version = 0;
    bool hello_retry = false;      // random == HelloRetryRequest magic
    uint8_t npnalpn = 0;
    bool version_found = false;    // supported_versions: the selected version
    uint16_t version = 0;
    bool psk = false;
};

// ssl_server_check(): true if the segment starts a ServerHello record.
bool parse_server_hello(Bytes seg, int32_t payload_len, ServerHello& out);

// ssl_certificate_check(): the first X.509 commonName (OID 2.5.4.3) in the bytes that is a
// plausible name; empty if none.
BoundedString<79> certificate_common_name(Bytes seg);

// ssl_application_data_check(): an Application Data record header (0x17 03 00-03).
inline bool is_application_data(Bytes seg) {
    return seg.at(0) == 0x17 && seg.at(1) == 0x03 && seg.sat(2) >= 0 && seg.sat(2) <= 3;
}

// Facebook Zero (spec §9.1, get_fb0_tags): client payload "1QTV" with "CHLO" at offset 9.
// Returns true when CHLO is there; `sni` is set when its SNI tag holds a plausible name.
bool parse_fb0_hello(Bytes seg, bool& sni_found, BoundedString<119>& sni);

}  // namespace tstat::classify::tls
