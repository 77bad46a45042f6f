#include "classify/protocols/quic/quic_initial.h"

#include <openssl/evp.h>
#include <openssl/kdf.h>

#include <cstring>

namespace tstat::classify::quic {

namespace {

constexpr uint8_t kSaltV1[20] = {0x38, 0x76, 0x2c, 0xf7, 0xf5, 0x59, 0x34, 0xb3, 0x4d, 0x17,
                                 0x9a, 0xe6, 0xa4, 0xc8, 0x0c, 0xad, 0xcc, 0xbb, 0x7f, 0x0a};

// HkdfLabel (RFC 8446 §7.1) with an empty context.
size_t make_label(const char* label, uint16_t length, uint8_t* out) {
    const size_t n = std::strlen(label);
    out[0] = static_cast<uint8_t>(length >> 8);
    out[1] = static_cast<uint8_t>(length);
    out[2] = static_cast<uint8_t>(6 + n);
    std::memcpy(out + 3, "tls13 ", 6);
    std::memcpy(out + 9, label, n);
    out[9 + n] = 0;
    return 10 + n;
}

bool is_alnum(uint8_t c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

}  // namespace

InitialDecryptor::InitialDecryptor()
    : hkdf_(EVP_PKEY_CTX_new_id(EVP_PKEY_HKDF, nullptr)), cipher_(EVP_CIPHER_CTX_new()) {}

InitialDecryptor::~InitialDecryptor() {
    EVP_PKEY_CTX_free(static_cast<EVP_PKEY_CTX*>(hkdf_));
    EVP_CIPHER_CTX_free(static_cast<EVP_CIPHER_CTX*>(cipher_));
}

bool InitialDecryptor::derive(const uint8_t* dcid, size_t dcid_len, uint8_t key[16],
                              uint8_t iv[12], uint8_t hp[16]) noexcept {
    auto* ctx = static_cast<EVP_PKEY_CTX*>(hkdf_);
    if (ctx == nullptr) return false;
    uint8_t initial[32];
    size_t len = sizeof initial;
    if (EVP_PKEY_derive_init(ctx) <= 0 || EVP_PKEY_CTX_set_hkdf_md(ctx, EVP_sha256()) <= 0 ||
        EVP_PKEY_CTX_hkdf_mode(ctx, EVP_PKEY_HKDEF_MODE_EXTRACT_ONLY) <= 0 ||
        EVP_PKEY_CTX_set1_hkdf_salt(ctx, kSaltV1, sizeof kSaltV1) <= 0 ||
        EVP_PKEY_CTX_set1_hkdf_key(ctx, dcid, static_cast<int>(dcid_len)) <= 0 ||
        EVP_PKEY_derive(ctx, initial, &len) <= 0)
        return false;
    auto expand = [&](const uint8_t* secret, const char* label, uint8_t* out, uint16_t n) {
        uint8_t info[32];
        const size_t info_len = make_label(label, n, info);
        size_t out_len = n;
        return EVP_PKEY_derive_init(ctx) > 0 && EVP_PKEY_CTX_set_hkdf_md(ctx, EVP_sha256()) > 0 &&
               EVP_PKEY_CTX_hkdf_mode(ctx, EVP_PKEY_HKDEF_MODE_EXPAND_ONLY) > 0 &&
               EVP_PKEY_CTX_set1_hkdf_key(ctx, secret, 32) > 0 &&
               EVP_PKEY_CTX_add1_hkdf_info(ctx, info, static_cast<int>(info_len)) > 0 &&
               EVP_PKEY_derive(ctx, out, &out_len) > 0;
    };
    uint8_t client[32];
    return expand(initial, "client in", client, 32) && expand(client, "quic key", key, 16) &&
           expand(client, "quic iv", iv, 12) && expand(client, "quic hp", hp, 16);
}

size_t InitialDecryptor::crypto_bytes(std::span<const uint8_t> udp, size_t payload_offset,
                                      const LongHeader& hdr, size_t hello_len,
                                      uint8_t* out) noexcept {
    const size_t data_len = udp.size();
    if (data_len < payload_offset || payload_offset < 19) return 0;
    uint8_t key[16], iv[12], hp[16];
    if (!derive(hdr.dcid, hdr.dcid_len, key, iv, hp)) return 0;
    if (payload_offset + 3 + 16 > data_len) return 0;
    auto* ctx = static_cast<EVP_CIPHER_CTX*>(cipher_);
    if (ctx == nullptr) return 0;
    uint8_t mask[32];
    int n = 0;
    if (EVP_EncryptInit_ex(ctx, EVP_aes_128_ecb(), nullptr, hp, nullptr) != 1) return 0;
    EVP_CIPHER_CTX_set_padding(ctx, 0);
    if (EVP_EncryptUpdate(ctx, mask, &n, udp.data() + payload_offset + 3, 16) != 1) return 0;
    // Tstat assumes a 1-byte packet number.
    const uint8_t pkn = udp[payload_offset - 1] ^ mask[1];
    iv[11] ^= pkn;
    size_t cipher_len = data_len - payload_offset;
    if (cipher_len > kMaxPacket) cipher_len = kMaxPacket;
    int plain_len = 0;
    if (EVP_DecryptInit_ex(ctx, EVP_aes_128_gcm(), nullptr, key, iv) != 1) return 0;
    if (EVP_DecryptUpdate(ctx, plain_, &plain_len, udp.data() + payload_offset,
                          static_cast<int>(cipher_len)) != 1)
        return 0;

    // The frames: PADDING and PING skipped, CRYPTO gathered, anything else ends the walk.
    const int64_t end_a = int64_t{plain_len} - 16;
    const int64_t end_b = static_cast<int64_t>(hdr.packet_len) - 18;
    int64_t p = 0;
    size_t gathered = 0;
    for (size_t iterations = 0; p < end_a && p < end_b && iterations <= kMaxPacket; ++iterations) {
        const uint8_t type = plain_[p];
        if (type == 0x00 || type == 0x01) {
            ++p;
            continue;
        }
        if (type != 0x06) break;
        const std::span<const uint8_t> plain(plain_, static_cast<size_t>(plain_len));
        uint64_t offset = 0, length = 0;
        uint8_t used = 0, total = 0;
        if (!read_varint(plain, static_cast<size_t>(p + 1), offset, used)) break;
        total = used;
        if (!read_varint(plain, static_cast<size_t>(p + 1 + total), length, used)) break;
        total = static_cast<uint8_t>(total + used);
        // Offsets count from the start of the ClientHello; what was gathered is removed.
        if (hello_len <= offset) offset -= hello_len;
        if (static_cast<uint64_t>(p) + 1 + total + length > static_cast<uint64_t>(plain_len) ||
            offset + length > kMaxPacket)
            break;
        std::memcpy(out + offset, plain_ + p + 1 + total, length);
        p += static_cast<int64_t>(1 + total + length);
        gathered += length;
    }
    return gathered;
}

void parse_client_hello(std::span<const uint8_t> hello, HelloFields& out) noexcept {
    const int64_t max = static_cast<int64_t>(hello.size());
    auto at = [&](int64_t i) -> uint8_t {
        return i >= 0 && i < max ? hello[static_cast<size_t>(i)] : 0;
    };
    auto be16 = [&](int64_t i) { return static_cast<int64_t>(at(i) << 8 | at(i + 1)); };
    // Tstat's buffer is `char`: the one-byte lengths are signed.
    auto sbyte = [&](int64_t i) { return static_cast<int64_t>(static_cast<int8_t>(at(i))); };
    int64_t idx = 38;   // after the handshake header, version and random
    if (idx > max) return;
    idx += 1 + sbyte(idx);
    if (idx + 2 > max) return;
    idx += 2 + be16(idx);
    if (idx > max) return;
    idx += 1 + sbyte(idx);
    if (idx + 2 > max) return;
    const int64_t all_ext_len = be16(idx);
    idx += 2;
    int64_t ii = 0;
    bool cut = false;   // a name read stopped at the end of the gathered bytes
    while (ii < all_ext_len && idx + ii < max) {
        if (idx + ii + 2 > max) return;
        const int64_t ext_type = be16(idx + ii);
        ii += 2;
        if (idx + ii + 2 > max) return;
        const int64_t ext_len = be16(idx + ii);
        ii += 2;
        switch (ext_type) {
            case 0x0000: {
                if (idx + ii + 2 > max) return;
                const int64_t next = ii + ext_len;
                ii += 3;
                if (idx + ii + 2 > max) return;
                const int64_t name_len = be16(idx + ii);
                ii += 2;
                if (idx + ii > max) return;
                char name[80];
                int64_t j = 0;
                for (; j < name_len && j < 79 && idx + ii + j < max; ++j)
                    name[j] = static_cast<char>(at(idx + ii + j));
                if (j < name_len && j < 79) cut = true;
                name[j] = 0;
                const std::string_view sv(name);   // a C string to Tstat's regexec
                if (plausible_server_name(sv) && !out.have_sni) {
                    out.have_sni = true;
                    std::memcpy(out.sni, name, sv.size() + 1);
                }
                ii = next;
                break;
            }
            case 0x0039: {
                int64_t t = ii;
                for (size_t iterations = 0; t < ii + ext_len && t >= 0 && iterations <= kMaxPacket;
                     ++iterations) {
                    if (idx + t + 4 > max) return;
                    uint64_t type = 0, len = 0;
                    uint8_t used = 0, total = 0;
                    if (!read_varint(hello, static_cast<size_t>(idx + t), type, used)) return;
                    total = used;
                    if (idx + t + total + 4 > max) return;
                    if (!read_varint(hello, static_cast<size_t>(idx + t + total), len, used))
                        return;
                    total = static_cast<uint8_t>(total + used);
                    if (len > static_cast<uint64_t>(max)) return;
                    if (type == 0x3129) {
                        if (idx + t + total + static_cast<int64_t>(len) > max) return;
                        const size_t n = len < 80 ? len : 80;
                        char ua[81];
                        for (size_t k = 0; k < n; ++k)
                            ua[k] = static_cast<char>(at(idx + t + total + static_cast<int64_t>(k)));
                        ua[n] = 0;
                        if (!out.have_ua) {
                            out.have_ua = true;
                            std::memcpy(out.ua, ua, n + 1);
                        }
                    }
                    t += total + static_cast<int64_t>(len);
                }
                ii += ext_len;
                break;
            }
            case 0xfe0d:
                out.have_ech = true;
                out.ech = static_cast<int>(ext_len);
                ii += ext_len;
                break;
            default: ii += ext_len; break;
        }
    }
    out.complete = !cut && ii >= all_ext_len && idx + ii <= max;
}

bool plausible_server_name(std::string_view name) noexcept {
    bool printable = false;   // "[^[:cntrl:][:space:]]+" somewhere
    for (char ch : name) {
        const auto c = static_cast<uint8_t>(ch);
        if (c > 0x20 && c != 0x7f) printable = true;
    }
    if (!printable) return false;
    std::string_view t = name;
    if (!t.empty() && t.back() == '.') t.remove_suffix(1);
    const size_t dot = t.rfind('.');
    if (dot == std::string_view::npos) return false;
    const std::string_view last = t.substr(dot + 1);
    if (last.size() < 2) return false;
    for (char c : last)
        if (!is_alnum(static_cast<uint8_t>(c))) return false;
    // The 2..24 characters must follow the dot: a longer label cannot match.
    if (last.size() > 24) return false;
    return dot > 0 && is_alnum(static_cast<uint8_t>(t[dot - 1]));
}

size_t url_encode(std::string_view in, char* out, size_t cap) noexcept {
    static const char kHex[] = "0123456789abcdef";
    size_t n = 0;
    for (char ch : in) {
        if (ch == 0) break;
        const auto c = static_cast<uint8_t>(ch);
        if (n + 3 > cap) break;
        if (is_alnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
            out[n++] = ch;
        } else if (c == ' ') {
            out[n++] = '+';
        } else {
            out[n++] = '%';
            out[n++] = kHex[(c >> 4) & 15];
            out[n++] = kHex[c & 15];
        }
    }
    return n;
}

}  // namespace tstat::classify::quic
