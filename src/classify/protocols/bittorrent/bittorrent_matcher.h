// BitTorrent over TCP (spec §9.5; tstat/ipp2p_tstat.c search_bittorrent): the peer handshake
// ("\x13BitTorrent protocol"), tracker requests and bitcomet's block requests.
#pragma once

#include <cstdint>

namespace tstat::classify::bittorrent {

inline constexpr int kProtocol = 9;   // IPP2P_BIT

struct Segment {
    const uint8_t* data = nullptr;
    int32_t captured = 0;      // bytes captured
    int32_t payload_len = 0;   // length from the IP header
    uint8_t at(int32_t i) const { return i >= 0 && i < captured ? data[i] : 0; }
};

// The IPP2P code (9 * 100 + subtype) or 0. Tstat calls it for payloads longer than 20 bytes.
int search_bittorrent(Segment seg);

}  // namespace tstat::classify::bittorrent
