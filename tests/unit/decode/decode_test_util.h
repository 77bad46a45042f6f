// Shared helpers of the decoder tests: decode a frame from an exact-size heap copy, so that a
// read past caplen is caught by AddressSanitizer in the sanitizer builds.
#pragma once

#include <cstdint>
#include <memory>
#include <ostream>
#include <vector>

#include "capture/raw_packet.h"
#include "decode/decoder.h"
#include "support/packet_builder.h"

namespace tstat::decode {

// GoogleTest prints statuses by name.
inline void PrintTo(DecodeStatus s, std::ostream* os) { *os << to_string(s); }

struct Decoded {
    DecodeStatus status = DecodeStatus::kCount;
    DecodedPacket pkt;
    std::unique_ptr<uint8_t[]> storage;  // the frame copy the pointers of pkt view
    size_t size = 0;

    // Offset of a pointer into the frame (-1 for null), for readable assertions.
    long offset(const uint8_t* p) const { return p ? static_cast<long>(p - storage.get()) : -1; }
};

inline Decoded decode_frame(const testing::Bytes& frame, uint32_t link_type,
                            DecodeOptions options = {}, size_t caplen = SIZE_MAX) {
    Decoded d;
    d.size = caplen < frame.size() ? caplen : frame.size();
    d.storage = std::make_unique<uint8_t[]>(d.size == 0 ? 1 : d.size);
    std::copy(frame.begin(), frame.begin() + static_cast<long>(d.size), d.storage.get());
    capture::RawPacket raw;
    raw.caplen = static_cast<uint32_t>(d.size);
    raw.wire_len = static_cast<uint32_t>(frame.size());
    raw.link_type = link_type;
    raw.data = d.storage.get();
    d.status = decode_packet(raw, d.pkt, options);
    return d;
}

inline Decoded decode_built(const testing::PacketBuilder& b, DecodeOptions options = {}) {
    return decode_frame(b.build(), b.link_type(), options);
}

inline DecodeOptions compat() {
    DecodeOptions o;
    o.tstat_compat = true;
    return o;
}

}  // namespace tstat::decode
