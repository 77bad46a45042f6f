// A TCP payload as Tstat's DPI plugins see it: `data_length` bytes from the start of the payload
// (Tstat's plast - pdata + 1, which counts one byte of link padding after a short IPv4 packet,
// spec §3.4) and `payload_len`, the length the IP header announces. Tstat reads freely past the
// capture; here those bytes read as zero, so every parser stays inside the frame.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace tstat::classify::tcp {

struct Payload {
    const uint8_t* data = nullptr;
    int32_t data_length = 0;   // captured bytes Tstat may read (can be <= 0)
    int32_t payload_len = 0;   // from the IP header (can be negative on garbage)

    size_t size() const { return data_length > 0 ? static_cast<size_t>(data_length) : 0; }
    uint8_t at(size_t i) const { return i < size() ? data[i] : 0; }
    // Tstat's `(char *)pdata + n <= (char *)plast`: byte n exists.
    bool has(int32_t n) const { return data_length > n; }
    // The first four bytes equal `word` (Tstat's u_int32_t keyword compare).
    bool word(const char (&w)[5]) const {
        return at(0) == uint8_t(w[0]) && at(1) == uint8_t(w[1]) && at(2) == uint8_t(w[2]) &&
               at(3) == uint8_t(w[3]);
    }
    // memcmp(pdata + off, lit, lit.size()) == 0, zero beyond the capture.
    bool eq(size_t off, std::string_view lit) const {
        for (size_t i = 0; i < lit.size(); ++i)
            if (at(off + i) != static_cast<uint8_t>(lit[i])) return false;
        return true;
    }
    uint16_t be16(size_t i) const { return static_cast<uint16_t>(at(i) << 8 | at(i + 1)); }
    // The payload as a C string, as Tstat's regexec() sees it after terminating the data:
    // up to the first NUL within data_length bytes.
    std::string_view c_string() const {
        if (data_length <= 0) return {};
        const void* nul = std::memchr(data, 0, size());
        const size_t n = nul ? static_cast<size_t>(static_cast<const uint8_t*>(nul) - data) : size();
        return {reinterpret_cast<const char*>(data), n};
    }
};

}  // namespace tstat::classify::tcp
