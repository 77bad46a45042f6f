// Loads of file-order integers: `swap` is true when the file's byte order is not the host's
// (decided once from the magic number, so the branch is always predicted).
#pragma once

#include <cstdint>
#include <cstring>

namespace tstat::capture::pcap_file {

inline uint16_t load16(const uint8_t* p, bool swap) {
    uint16_t v;
    std::memcpy(&v, p, sizeof(v));
    return swap ? __builtin_bswap16(v) : v;
}

inline uint32_t load32(const uint8_t* p, bool swap) {
    uint32_t v;
    std::memcpy(&v, p, sizeof(v));
    return swap ? __builtin_bswap32(v) : v;
}

inline uint64_t load64(const uint8_t* p, bool swap) {
    uint64_t v;
    std::memcpy(&v, p, sizeof(v));
    return swap ? __builtin_bswap64(v) : v;
}

inline bool host_is_little_endian() {
    const uint16_t one = 1;
    uint8_t first;
    std::memcpy(&first, &one, 1);
    return first == 1;
}

}  // namespace tstat::capture::pcap_file
