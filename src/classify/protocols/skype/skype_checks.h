// The two non-Bayesian Skype tests (spec §9.8; Tstat's skype.c):
//  - Pearson chi-square of the 16 nibbles (4-bit blocks) of the first 8 payload bytes against
//    the uniform distribution: Skype's obfuscated header is random where other protocols are
//    not; its FUNC bits (nibbles 4 and 5 of an end-to-end message) are not.
//  - the deterministic UDP check of the FUNC field and of the 4-byte SkypeOut identifier.
#pragma once

#include <array>
#include <cstdint>
#include <span>

namespace tstat::classify::skype {

inline constexpr int kBlocks = 16;        // N_BLOCK: nibbles of the first 64 payload bits
inline constexpr int kNibbleValues = 16;  // 2^N_RANDOM_BIT
inline constexpr int kMinRandomPayload = kBlocks * 4 / 8;   // 8 bytes

// Occurrences of each value of each nibble.
struct NibbleHistogram {
    uint32_t count[kNibbleValues][kBlocks] = {};
    uint32_t samples = 0;   // packets counted (payload of 8 bytes or more)
};

// update_randomness(): nibble i is byte i/2 of the payload, low half first (Tstat reads the
// payload as little-endian 32-bit words). `payload` holds what Tstat may read: the captured
// bytes then whatever follows them in the frame; `payload_len` is the length the headers
// declare. Nibbles past min(payload_len, captured) count as 0, except the first of them
// (Tstat's `<=`), which is still read.
void add_nibbles(NibbleHistogram& h, std::span<const uint8_t> payload, size_t captured,
                 int64_t payload_len);

// (x_i - E)^2 / E summed over the 16 values, for each nibble; E = expected / 16.
std::array<double, kBlocks> chi_square(const NibbleHistogram& h, double expected_samples);

// L7 ids the chi-square verdicts use (spec §9.7).
inline constexpr int kChiNotSkype = 0;
inline constexpr int kChiE2E = 5;   // L7_FLOW_SKYPE_E2E
inline constexpr int kChiE2O = 6;   // L7_FLOW_SKYPE_E2O (SkypeOut)
inline constexpr int kChiTcp = 7;   // L7_FLOW_SKYPE_TCP

inline constexpr double kChiRandom = 150;     // below: looks uniform
inline constexpr double kChiFuncLow = 100;    // nibble 5 of an E2E header

struct UdpChi {
    double min_e2o_header = 0;   // min over nibbles 0..7
    double max_e2e_header = 0;   // max over nibbles 0..3, 6, 7
    double min_e2e_header = 0;   // min of nibbles 4 and 5 (the FUNC field)
    double max_payload = 0;      // max over nibbles 8..15
    int verdict = kChiNotSkype;  // kChiE2O, kChiE2E or kChiNotSkype
};
UdpChi udp_chi(const std::array<double, kBlocks>& chi);

struct TcpChi {
    float max_header = 0;        // max over nibbles 0..7 (floats in Tstat)
    float max_payload = 0;       // max over nibbles 8..15
    int verdict = kChiNotSkype;  // kChiTcp or kChiNotSkype
};
TcpChi tcp_chi(const std::array<double, kBlocks>& chi);

// Deterministic packet types (skype.h).
enum class PacketType : uint8_t { kNotSkype, kNak, kFun2, kFun3, kE2eData, kOutData };
inline constexpr int kPacketTypes = 6;

// is_skype_pkt() on a datagram's payload (the engine calls it with 4 bytes captured or more,
// as getSkype() requires; past the capture `payload` holds what follows in the frame, then
// zeros).
// `out_block` is the direction's remembered SkypeOut identifier (0: none yet);
// `udp_payload_len` is the IP payload length less 8, as Tstat measures the datagram.
PacketType classify_udp_packet(std::span<const uint8_t> payload, size_t captured,
                               int64_t udp_payload_len, uint32_t& out_block);

}  // namespace tstat::classify::skype
