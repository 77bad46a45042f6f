#include "support/quic_builder.h"

#include <openssl/evp.h>

#include <cstring>
#include <stdexcept>

namespace tstat::testing {

const uint8_t kRfc9001Dcid[8] = {0x83, 0x94, 0xc8, 0xf0, 0x3e, 0x51, 0x57, 0x08};
const uint8_t kRfc9001ClientKey[16] = {0x1f, 0x36, 0x96, 0x13, 0xdd, 0x76, 0xd5, 0x46,
                                       0x77, 0x30, 0xef, 0xcb, 0xe3, 0xb1, 0xa2, 0x2d};
const uint8_t kRfc9001ClientIv[12] = {0xfa, 0x04, 0x4b, 0x2f, 0x42, 0xa3,
                                      0xfd, 0x3b, 0x46, 0xfb, 0x25, 0x5c};
const uint8_t kRfc9001ClientHp[16] = {0x9f, 0x50, 0x44, 0x9e, 0x04, 0xa0, 0xe8, 0x10,
                                      0x28, 0x3a, 0x1e, 0x99, 0x33, 0xad, 0xed, 0xd2};

namespace {

void put16(Bytes& b, size_t v) {
    b.push_back(static_cast<uint8_t>(v >> 8));
    b.push_back(static_cast<uint8_t>(v));
}
void put24(Bytes& b, size_t v) {
    b.push_back(static_cast<uint8_t>(v >> 16));
    put16(b, v & 0xffff);
}
void varint(Bytes& b, uint64_t v) {
    if (v < 64) {
        b.push_back(static_cast<uint8_t>(v));
    } else if (v < 16384) {
        put16(b, 0x4000 | v);
    } else {
        put16(b, 0x8000 | (v >> 16));
        put16(b, v & 0xffff);
    }
}
void append(Bytes& b, std::string_view s) { b.insert(b.end(), s.begin(), s.end()); }
void extension(Bytes& exts, int type, const Bytes& body) {
    put16(exts, static_cast<size_t>(type));
    put16(exts, body.size());
    exts.insert(exts.end(), body.begin(), body.end());
}

void check(int ok) {
    if (ok != 1) throw std::runtime_error("OpenSSL failed while sealing a QUIC Initial");
}

}  // namespace

Bytes quic_client_hello(std::string_view sni, std::string_view ua, int ech_len) {
    Bytes exts;
    Bytes sni_body;
    put16(sni_body, sni.size() + 3);
    sni_body.push_back(0);
    put16(sni_body, sni.size());
    append(sni_body, sni);
    extension(exts, 0x0000, sni_body);
    extension(exts, 0x0010, Bytes{0x00, 0x03, 0x02, 'h', '3'});
    extension(exts, 0x002b, Bytes{0x02, 0x03, 0x04});
    Bytes params;
    varint(params, 0x04);   // initial_max_data
    varint(params, 4);
    put16(params, 0x8000);
    params.push_back(0x00);
    params.push_back(0x00);
    if (!ua.empty()) {
        varint(params, 0x3129);
        varint(params, ua.size());
        append(params, ua);
    }
    extension(exts, 0x0039, params);
    if (ech_len > 0) extension(exts, 0xfe0d, Bytes(static_cast<size_t>(ech_len), 0x5e));

    Bytes body{0x03, 0x03};
    body.insert(body.end(), 32, 0x11);   // random
    body.push_back(0);                   // session id
    put16(body, 2);
    body.insert(body.end(), {0x13, 0x01});
    body.insert(body.end(), {0x01, 0x00});   // compression
    put16(body, exts.size());
    body.insert(body.end(), exts.begin(), exts.end());
    Bytes hello{0x01};
    put24(hello, body.size());
    hello.insert(hello.end(), body.begin(), body.end());
    return hello;
}

Bytes quic_client_initial(const Bytes& crypto, uint64_t offset, uint8_t pn, size_t size) {
    Bytes frames{0x06};
    varint(frames, offset);
    varint(frames, crypto.size());
    frames.insert(frames.end(), crypto.begin(), crypto.end());

    Bytes pkt{0xc0, 0x00, 0x00, 0x00, 0x01, 8};   // long header, Initial, 1-byte number
    pkt.insert(pkt.end(), kRfc9001Dcid, kRfc9001Dcid + 8);
    pkt.push_back(0);   // SCID length
    pkt.push_back(0);   // token length
    const size_t header_len = pkt.size() + 2 + 1;
    if (header_len + frames.size() + 16 < size)
        frames.resize(size - header_len - 16, 0x00);   // PADDING frames
    put16(pkt, 0x4000 | (1 + frames.size() + 16));
    const size_t pn_offset = pkt.size();
    pkt.push_back(pn);

    uint8_t nonce[12];
    std::memcpy(nonce, kRfc9001ClientIv, 12);
    nonce[11] ^= pn;
    EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
    int n = 0;
    Bytes sealed(frames.size() + 16);
    check(EVP_EncryptInit_ex(ctx, EVP_aes_128_gcm(), nullptr, kRfc9001ClientKey, nonce));
    check(EVP_EncryptUpdate(ctx, nullptr, &n, pkt.data(), static_cast<int>(pkt.size())));
    check(EVP_EncryptUpdate(ctx, sealed.data(), &n, frames.data(),
                            static_cast<int>(frames.size())));
    check(EVP_EncryptFinal_ex(ctx, sealed.data() + n, &n));
    check(EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, 16, sealed.data() + frames.size()));
    pkt.insert(pkt.end(), sealed.begin(), sealed.end());

    // Header protection: the sample starts 4 bytes after the packet number's start.
    uint8_t mask[32];
    check(EVP_EncryptInit_ex(ctx, EVP_aes_128_ecb(), nullptr, kRfc9001ClientHp, nullptr));
    EVP_CIPHER_CTX_set_padding(ctx, 0);
    check(EVP_EncryptUpdate(ctx, mask, &n, pkt.data() + pn_offset + 4, 16));
    EVP_CIPHER_CTX_free(ctx);
    pkt[0] ^= mask[0] & 0x0f;
    pkt[pn_offset] ^= mask[1];
    return pkt;
}

Bytes quic_server_initial(uint32_t version) {
    Bytes pkt{0xc0};
    put16(pkt, version >> 16);
    put16(pkt, version & 0xffff);
    pkt.push_back(0);   // DCID: the client sent no SCID
    pkt.push_back(8);
    pkt.insert(pkt.end(), {0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x10, 0x11});
    pkt.push_back(0);
    put16(pkt, 0x4000 | 101);
    pkt.insert(pkt.end(), 101, 0x77);
    return pkt;
}

}  // namespace tstat::testing
