// Crypto-PAn (Xu, Fan, Ammar, Moon, 2002): prefix-preserving anonymization of IPv4 addresses
// with AES-128 as the pseudo-random function. Tstat's panon.c uses the reference algorithm:
// the first 16 key bytes are the AES key, the last 16 bytes encrypted give the padding block;
// bit i of the one-time pad is the first bit of AES(first i address bits + padding).
// OpenSSL's AES does the encryption (spec §13).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

// OpenSSL's context type, declared here so the header stays free of OpenSSL includes.
struct evp_cipher_ctx_st;

namespace tstat::output::anonymize {

inline constexpr size_t kKeySize = 32;  // Tstat's KEY_SIZE
using Key = std::array<uint8_t, kKeySize>;

// AES-128 in ECB mode, encryption only (a thin owner of an OpenSSL context).
class Aes128Ecb {
  public:
    explicit Aes128Ecb(const uint8_t key[16]);
    ~Aes128Ecb();
    Aes128Ecb(const Aes128Ecb&) = delete;
    Aes128Ecb& operator=(const Aes128Ecb&) = delete;

    // Encrypts `blocks` independent 16-byte blocks (in and out may be the same buffer).
    void encrypt(const uint8_t* in, uint8_t* out, size_t blocks) noexcept;

  private:
    evp_cipher_ctx_st* ctx_ = nullptr;
};

// One Crypto-PAn instance. Not thread-safe (its AES context is reused): one per thread.
class CryptoPan {
  public:
    explicit CryptoPan(const Key& key);

    // `address` and the result in host byte order.
    uint32_t anonymize(uint32_t address) noexcept;

    // The AES context keyed with the first 16 key bytes (--enc uses the same cipher).
    Aes128Ecb& cipher() { return aes_; }

  private:
    Aes128Ecb aes_;
    std::array<uint8_t, 16> pad_{};
    uint32_t pad_word_ = 0;                  // first four pad bytes, big-endian
    std::array<uint8_t, 32 * 16> blocks_{};  // the 32 PRF inputs of one address
};

}  // namespace tstat::output::anonymize
