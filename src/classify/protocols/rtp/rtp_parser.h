// RTP and RTCP headers as Tstat's RTP+ engine reads them (spec §9.6, §7.6; tstat/rtp.c):
// RFC 7983 first-byte demultiplexing, the fixed RTP header, its extension size and the one
// report block of an RTCP sender/receiver report. Pure functions over the datagram's bytes
// from the RTP header on; bytes past the capture read as zero (Tstat reads its buffer on).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace tstat::classify::rtp {

// RFC 7983 classes: the bits of *_mux_prot in log_mm_complete (0: none of them).
namespace mux {
inline constexpr uint8_t kUnknown = 0;
inline constexpr uint8_t kRtp = 1;
inline constexpr uint8_t kRtcp = 2;
inline constexpr uint8_t kDtls = 4;
inline constexpr uint8_t kStun = 8;
inline constexpr uint8_t kTurn = 16;
inline constexpr uint8_t kZrtp = 32;
inline constexpr uint8_t kMturn = 64;
}  // namespace mux

inline constexpr size_t kHeaderSize = 12;   // what getrtp() needs captured
// RTCP_MIN_PT, marker bit included (spec §9.6: 191–213). Tstat 3.3's logs confirm the lower
// end: datagrams whose second byte is 191 or 192 start an RTP+ direction (c_type 28).
inline constexpr uint8_t kRtcpMinPt = 191;
inline constexpr uint8_t kRtcpMaxPt = 213;  // RTCP_MAX_PT
inline constexpr uint8_t kRtcpSr = 200;
inline constexpr uint8_t kRtcpRr = 201;

// Zero past the capture.
struct Bytes {
    std::span<const uint8_t> data;
    uint8_t at(size_t i) const { return i < data.size() ? data[i] : 0; }
    uint16_t be16(size_t i) const { return static_cast<uint16_t>(at(i) << 8 | at(i + 1)); }
    uint32_t be32(size_t i) const { return static_cast<uint32_t>(be16(i)) << 16 | be16(i + 2); }
};

// The fixed header (Tstat's little-endian bitfield view of it).
struct Header {
    uint8_t version = 0;
    bool padding = false;
    bool extension = false;
    uint8_t csrc_count = 0;
    bool marker = false;
    uint8_t payload_type = 0;  // 7 bits
    uint8_t rtcp_type = 0;     // the whole second byte: Tstat's pt + (m << 7)
    uint8_t report_count = 0;  // RTCP: cc + (x << 4)
    uint16_t seq = 0;
    uint32_t timestamp = 0;  // RTCP: the sender's SSRC, which Tstat keys RTCP sub-flows on
    uint32_t ssrc = 0;
};
Header read_header(Bytes b) noexcept;

// rtp_valid_pt(): the payload types assigned by RFC 3551 plus the dynamic range.
bool valid_payload_type(uint8_t pt) noexcept;
// det_freq(): the RTP clock of a static payload type, 0 when unknown or dynamic.
int clock_rate(uint8_t pt) noexcept;
// RFC7983_classify(): one of the mux bits, or mux::kUnknown.
uint8_t classify(Bytes b) noexcept;
// rtp_extensions_size(): bytes of the header extension (RFC 5285 one- and two-byte forms; 4
// for an unknown form, 0 without the X bit).
int extension_size(Bytes b, const Header& h) noexcept;

// The SR/RR fields rtcp_init_stats()/rtcp_stat() take from one RTCP packet.
struct Report {
    bool sender = false;      // SR fields present
    uint32_t ntp_middle = 0;  // last_SR_id: the middle 32 bits of the NTP timestamp
    uint32_t sent_packets = 0;
    uint32_t sent_bytes = 0;
    bool block = false;  // one report block read
    uint8_t fraction_lost = 0;
    int32_t cumulative_lost = 0;  // 24-bit, sign-extended
    uint32_t jitter = 0;
    uint32_t lsr = 0;
    uint32_t dlsr = 0;
    int header_error = 0;  // E_TRUNCATED 1, E_TOOMANYRR 2
};
inline constexpr int kTruncated = 1;
inline constexpr int kTooManyReports = 2;
// A short packet is parsed on all the same (Tstat stops only with -w): only the flag is set.
Report read_report(Bytes b, uint8_t rtcp_type, uint8_t report_count) noexcept;

}  // namespace tstat::classify::rtp
