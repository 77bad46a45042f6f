// The 4-tuple of a flow as first seen (a = client, b = server) and direction matching.
#pragma once

#include <cstdint>

#include "common/ip_address.h"

namespace tstat::flow {

enum class Dir : uint8_t { kC2S = 0, kS2C = 1 };

struct FlowKey {
    IpAddress a;   // client: sender of the SYN (TCP) or of the first datagram (UDP)
    IpAddress b;   // server
    uint16_t a_port = 0;
    uint16_t b_port = 0;

    // kC2S if (src,sport -> dst,dport) is a->b, kS2C if it is b->a; false otherwise.
    bool match(const IpAddress& src, uint16_t sport, const IpAddress& dst, uint16_t dport,
               Dir& dir) const {
        if (a_port == sport && b_port == dport && a == src && b == dst) {
            dir = Dir::kC2S;
            return true;
        }
        if (a_port == dport && b_port == sport && a == dst && b == src) {
            dir = Dir::kS2C;
            return true;
        }
        return false;
    }
};

// Symmetric in the two endpoints, so both directions of a flow land in the same bucket.
inline uint64_t endpoint_hash(const IpAddress& ip, uint16_t port) {
    const uint8_t* p = ip.bytes();
    uint64_t lo, hi;
    __builtin_memcpy(&lo, p, 8);
    __builtin_memcpy(&hi, p + 8, 8);
    uint64_t h = (lo * 0x9E3779B97F4A7C15ull) ^ (hi * 0xC2B2AE3D27D4EB4Full) ^
                 (uint64_t{port} << 17) ^ ip.version();
    h ^= h >> 29;
    h *= 0xBF58476D1CE4E5B9ull;
    h ^= h >> 32;
    return h;
}

inline uint64_t flow_hash(const IpAddress& src, uint16_t sport, const IpAddress& dst,
                          uint16_t dport) {
    uint64_t h = endpoint_hash(src, sport) + endpoint_hash(dst, dport);
    h ^= h >> 31;
    h *= 0x94D049BB133111EBull;
    h ^= h >> 29;
    return h;
}

}  // namespace tstat::flow
