// The client Initial of QUIC v1 (RFC 9001 §5), decrypted as Tstat does when built with
// OpenSSL (spec §9.11): keys from the v1 salt and the packet's DCID (HKDF from OpenSSL),
// header protection removed assuming a 1-byte packet number and a 2-byte Length field,
// payload run through AES-128-GCM without checking the tag, then the CRYPTO frames gathered.
// Other versions' salts are not tried (Tstat's limit, kept: see docs/udp_classification.md).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "classify/protocols/quic/quic_header.h"

namespace tstat::classify::quic {

inline constexpr size_t kMaxPacket = 4096;    // Tstat's QUIC_MAX_PKT (plaintext buffer)
inline constexpr size_t kMaxHello = 8192;     // Tstat's QUIC_MAX_ACCUL (gathered CRYPTO)

class InitialDecryptor {
public:
    InitialDecryptor();
    ~InitialDecryptor();
    InitialDecryptor(const InitialDecryptor&) = delete;
    InitialDecryptor& operator=(const InitialDecryptor&) = delete;

    // search_QUIC_client_hello(): `udp` from the UDP header, `payload_offset` Tstat's
    // 18 + dcid + scid + token. Writes the CRYPTO bytes of the packet to `out` (kMaxPacket
    // bytes) at their offsets relative to `hello_len` (what was gathered before) and returns
    // how many bytes to append (0: nothing usable).
    size_t crypto_bytes(std::span<const uint8_t> udp, size_t payload_offset,
                        const LongHeader& hdr, size_t hello_len, uint8_t* out) noexcept;

private:
    bool derive(const uint8_t* dcid, size_t dcid_len, uint8_t key[16], uint8_t iv[12],
                uint8_t hp[16]) noexcept;
    void* hkdf_ = nullptr;     // EVP_PKEY_CTX, reused
    void* cipher_ = nullptr;   // EVP_CIPHER_CTX, reused
    uint8_t plain_[kMaxPacket];
};

// What search_QUIC_SNI() finds in the gathered ClientHello (handshake header included).
struct HelloFields {
    bool have_sni = false;
    char sni[80] = {};       // at most 79 characters, C string
    bool have_ua = false;
    char ua[81] = {};        // gQUIC user agent (transport parameter 0x3129)
    bool have_ech = false;
    int ech = 0;             // length of the encrypted_client_hello extension
    // The extension walk ended inside the gathered bytes with nothing cut short: more CRYPTO
    // data cannot change what a later parse finds, so the reassembly buffer can go.
    bool complete = false;
};
void parse_client_hello(std::span<const uint8_t> hello, HelloFields& out) noexcept;

// Tstat's SNI sanity regexes: "[A-Za-z0-9]+\.[A-Za-z0-9]{2,24}\.?$" and a printable run.
bool plausible_server_name(std::string_view name) noexcept;

// Tstat's url_encode(): alphanumerics and "-_.~" kept, ' ' as '+', the rest %xx.
size_t url_encode(std::string_view in, char* out, size_t cap) noexcept;

}  // namespace tstat::classify::quic
