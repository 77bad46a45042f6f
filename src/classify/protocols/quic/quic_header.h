// QUIC long-header fields as Tstat's parse_quic_hdr() reads them (spec §9.11): header form,
// fixed bit, type, version, connection ids (at most 20 bytes), and for Initial packets the
// token and packet length varints. Pure and bounds-checked.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace tstat::classify::quic {

struct LongHeader {
    bool long_form = false;
    bool fixed_bit = false;
    uint8_t packet_type = 0;    // 0 Initial, 1 0-RTT, 2 Handshake, 3 Retry (v1 numbering)
    uint32_t version = 0;
    uint8_t dcid_len = 0;
    uint8_t dcid[20] = {};
    uint8_t scid_len = 0;
    uint64_t token_len = 0;     // bytes of the token field, varint length included
    uint64_t packet_len = 0;    // the Length varint (Initial only)
};

// RFC 9000 §16 varint, Tstat's way: the 8-byte form reports 16 bytes consumed (Tstat's bug,
// kept: it shifts where it looks next). False if the bytes are not there.
bool read_varint(std::span<const uint8_t> b, size_t pos, uint64_t& value, uint8_t& used) noexcept;

// Tstat's parse_quic_hdr(base, data_len): fields stay zero where Tstat stops early.
LongHeader parse_long_header(std::span<const uint8_t> b) noexcept;

}  // namespace tstat::classify::quic
