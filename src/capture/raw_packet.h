// One captured frame, viewing the capture source's own memory (valid until the next batch).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

#include "common/timestamp.h"

namespace tstat::capture {

// Link-layer types use the pcap LINKTYPE_/DLT_ numbers.
namespace link {
inline constexpr uint32_t kNull = 0;          // BSD loopback
inline constexpr uint32_t kEthernet = 1;
inline constexpr uint32_t kPpp = 9;
inline constexpr uint32_t kRaw = 101;         // LINKTYPE_RAW (DLT_RAW is 12 or 14 on some OSes)
inline constexpr uint32_t kRawDlt12 = 12;
inline constexpr uint32_t kRawDlt14 = 14;
inline constexpr uint32_t kPppHdlc = 50;
inline constexpr uint32_t kCiscoHdlc = 104;
inline constexpr uint32_t kLoop = 108;        // OpenBSD loopback (network-order family)
inline constexpr uint32_t kLinuxSll = 113;
inline constexpr uint32_t kIpv4 = 228;
inline constexpr uint32_t kIpv6 = 229;
inline constexpr uint32_t kLinuxSll2 = 276;
}  // namespace link

struct RawPacket {
    Timestamp ts;             // microseconds (nanosecond sources are truncated, as libpcap does)
    uint32_t caplen = 0;      // bytes present in data
    uint32_t wire_len = 0;    // original length on the wire
    uint32_t link_type = 0;   // per packet: pcapng interfaces may differ
    const uint8_t* data = nullptr;
};

// A batch of packets; the source fills it, the worker consumes it.
struct PacketBatch {
    static constexpr size_t kCapacity = 256;
    std::array<RawPacket, kCapacity> packets;
    size_t count = 0;
};

}  // namespace tstat::capture
