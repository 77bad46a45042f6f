#include "output/anonymize/crypto_pan.h"

#include <openssl/evp.h>

#include <cstring>
#include <stdexcept>

namespace tstat::output::anonymize {

Aes128Ecb::Aes128Ecb(const uint8_t key[16]) : ctx_(EVP_CIPHER_CTX_new()) {
    if (ctx_ == nullptr || EVP_EncryptInit_ex(ctx_, EVP_aes_128_ecb(), nullptr, key, nullptr) != 1)
        throw std::runtime_error("OpenSSL: cannot set up AES-128-ECB");
    EVP_CIPHER_CTX_set_padding(ctx_, 0);
}

Aes128Ecb::~Aes128Ecb() { EVP_CIPHER_CTX_free(ctx_); }

void Aes128Ecb::encrypt(const uint8_t* in, uint8_t* out, size_t blocks) noexcept {
    // ECB keeps no state between calls: one call for all blocks lets AES-NI pipeline them.
    int written = 0;
    EVP_EncryptUpdate(ctx_, out, &written, in, static_cast<int>(blocks * 16));
}

CryptoPan::CryptoPan(const Key& key) : aes_(key.data()) {
    aes_.encrypt(key.data() + 16, pad_.data(), 1);
    pad_word_ =
        uint32_t{pad_[0]} << 24 | uint32_t{pad_[1]} << 16 | uint32_t{pad_[2]} << 8 | pad_[3];
    for (size_t i = 0; i < 32; ++i) std::memcpy(blocks_.data() + i * 16, pad_.data(), 16);
}

uint32_t CryptoPan::anonymize(uint32_t address) noexcept {
    // Input i: the first i bits of the address, then the padding's bits. The 32 inputs do not
    // depend on each other's output, so they are encrypted in one call.
    for (int pos = 0; pos < 32; ++pos) {
        const uint32_t mine = pos == 0 ? 0 : (address >> (32 - pos)) << (32 - pos);
        const uint32_t theirs = pos == 0 ? pad_word_ : (pad_word_ << pos) >> pos;
        const uint32_t word = mine | theirs;
        uint8_t* b = blocks_.data() + static_cast<size_t>(pos) * 16;
        b[0] = static_cast<uint8_t>(word >> 24);
        b[1] = static_cast<uint8_t>(word >> 16);
        b[2] = static_cast<uint8_t>(word >> 8);
        b[3] = static_cast<uint8_t>(word);
    }
    uint8_t out[32 * 16];
    aes_.encrypt(blocks_.data(), out, 32);
    uint32_t otp = 0;
    for (int pos = 0; pos < 32; ++pos)
        otp |= uint32_t{static_cast<uint8_t>(out[static_cast<size_t>(pos) * 16] >> 7)}
               << (31 - pos);
    return address ^ otp;
}

}  // namespace tstat::output::anonymize
