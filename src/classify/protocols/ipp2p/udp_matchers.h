// The UDP matchers of Tstat's IPP2P port (spec §9.5; tstat/ipp2p_tstat.c), in Tstat's order:
// DNS, BitTorrent, eDonkey/KAD, SIP, PPLive, SopCast, TVAnts, PPStream, Teredo, DTLS, MTURN
// (the default build: no P2P_OLDPROTO; the gQUIC matcher is disabled in Tstat too).
//
// Each matcher sees the datagram from its UDP header, as Tstat does: `udp_len` is the UDP
// length field and `bytes` what Tstat counts as captured from the header on. Tstat reads past
// that where a matcher looks beyond it: the rest of the frame, if captured, else its packet
// buffer's leftovers, which read as zero here.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace tstat::classify::ipp2p {

// IPP2P protocol numbers (ipp2p_tstat.h): the match code is protocol * 100 + subtype.
enum Protocol : int {
    kEdk = 1,
    kBit = 9,
    kKad = 17,
    kKadu = 18,
    kPplive = 19,
    kSopcast = 20,
    kTvants = 21,
    kDns = 22,
    kPpstream = 23,
    kTeredo = 24,
    kSip = 25,
    kDtls = 26,
    kQuic = 27,
    kMturn = 28,
};

// Bytes of the datagram, zero beyond the capture.
struct Datagram {
    std::span<const uint8_t> bytes;   // from the UDP header to Tstat's plast
    uint16_t udp_len = 0;             // UDP length field (header included)
    // Everything captured from the UDP header, which may run past Tstat's plast (an IP length
    // shorter than the frame): Tstat reads those bytes where a matcher looks past plast.
    std::span<const uint8_t> frame = {};
    // Past the frame: what Tstat's packet buffer still holds there from earlier, longer packets
    // (it copies every packet to the buffer's start); zeros past that.
    std::span<const uint8_t> stale = {};
    uint8_t at(size_t i) const {
        return i < bytes.size()   ? bytes[i]
               : i < frame.size() ? frame[i]
               : i < stale.size() ? stale[i]
                                  : 0;
    }
    uint16_t be16(size_t i) const { return static_cast<uint16_t>(at(i) << 8 | at(i + 1)); }
    uint32_t be32(size_t i) const {
        return uint32_t{at(i)} << 24 | uint32_t{at(i + 1)} << 16 | uint32_t{at(i + 2)} << 8 |
               at(i + 3);
    }
    bool equals(size_t i, const char* s, size_t n) const {
        for (size_t k = 0; k < n; ++k)
            if (at(i + k) != static_cast<uint8_t>(s[k])) return false;
        return true;
    }
};

int match_dns(const Datagram& d) noexcept;
int match_bittorrent(const Datagram& d) noexcept;
int match_edonkey(const Datagram& d) noexcept;
int match_sip(const Datagram& d) noexcept;
int match_pplive(const Datagram& d) noexcept;
int match_sopcast(const Datagram& d) noexcept;
int match_tvants(const Datagram& d) noexcept;
int match_ppstream(const Datagram& d) noexcept;
int match_teredo(const Datagram& d) noexcept;
int match_dtls(const Datagram& d) noexcept;
int match_mturn(const Datagram& d) noexcept;

// p2p_udp_match(): the first matcher whose minimum length the datagram exceeds and that
// matches; 0 if none.
int match_udp(const Datagram& d) noexcept;

}  // namespace tstat::classify::ipp2p
