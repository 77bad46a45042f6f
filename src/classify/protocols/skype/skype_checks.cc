#include "classify/protocols/skype/skype_checks.h"

#include <algorithm>

namespace tstat::classify::skype {

namespace {
uint8_t byte_at(std::span<const uint8_t> bytes, size_t i) { return i < bytes.size() ? bytes[i] : 0; }
}  // namespace

void add_nibbles(NibbleHistogram& h, std::span<const uint8_t> payload, size_t captured,
                 int64_t payload_len) {
    const int64_t readable = std::min<int64_t>(payload_len, static_cast<int64_t>(captured));
    const int64_t valid_blocks = readable * 8 / 4;
    for (int i = 0; i < kBlocks; ++i) {
        int value = 0;
        if (i <= valid_blocks) {
            const uint8_t b = byte_at(payload, static_cast<size_t>(i / 2));
            value = (i % 2 == 0) ? (b & 0x0f) : (b >> 4);
        }
        ++h.count[value][i];
    }
    ++h.samples;
}

std::array<double, kBlocks> chi_square(const NibbleHistogram& h, double expected_samples) {
    const double expected = expected_samples * (1.0 / kNibbleValues);
    std::array<double, kBlocks> chi{};
    for (int j = 0; j < kBlocks; ++j) {
        double sum = 0.0;
        for (int v = 0; v < kNibbleValues; ++v) {
            const double d = h.count[v][j] - expected;
            sum += d * d;
        }
        chi[static_cast<size_t>(j)] = sum / expected;   // 0/0 without samples, as in Tstat
    }
    return chi;
}

UdpChi udp_chi(const std::array<double, kBlocks>& chi) {
    UdpChi r;
    // Tstat's loops keep the first value unless a later one is strictly larger (smaller), so
    // a NaN first value stays.
    r.max_e2e_header = chi[0];
    for (size_t i : {1, 2, 3, 6, 7})
        if (r.max_e2e_header < chi[i]) r.max_e2e_header = chi[i];
    r.min_e2e_header = chi[4];
    if (r.min_e2e_header > chi[5]) r.min_e2e_header = chi[5];
    r.max_payload = chi[8];
    for (size_t i = 9; i < kBlocks; ++i)
        if (r.max_payload < chi[i]) r.max_payload = chi[i];
    r.min_e2o_header = chi[0];
    for (size_t i = 1; i < kBlocks / 2; ++i)
        if (r.min_e2o_header > chi[i]) r.min_e2o_header = chi[i];

    if (r.min_e2o_header >= kChiRandom && r.max_payload < kChiRandom)
        r.verdict = kChiE2O;
    else if (r.max_e2e_header < kChiRandom && chi[4] >= kChiRandom && chi[5] >= kChiFuncLow &&
             r.max_payload < kChiRandom)
        r.verdict = kChiE2E;
    return r;
}

TcpChi tcp_chi(const std::array<double, kBlocks>& chi) {
    TcpChi r;
    r.max_header = static_cast<float>(chi[0]);
    for (size_t i = 1; i < kBlocks / 2; ++i)
        if (r.max_header < chi[i]) r.max_header = static_cast<float>(chi[i]);
    r.max_payload = static_cast<float>(chi[8]);
    for (size_t i = 9; i < kBlocks; ++i)
        if (r.max_payload < chi[i]) r.max_payload = static_cast<float>(chi[i]);
    if (r.max_header < kChiRandom && r.max_payload < kChiRandom) r.verdict = kChiTcp;
    return r;
}

PacketType classify_udp_packet(std::span<const uint8_t> payload, size_t captured,
                               int64_t udp_payload_len, uint32_t& out_block) {
    // is_skypeOUT_pkt(): the same 4 leading bytes as the previous datagram.
    const uint32_t block = static_cast<uint32_t>(byte_at(payload, 0)) |
                           static_cast<uint32_t>(byte_at(payload, 1)) << 8 |
                           static_cast<uint32_t>(byte_at(payload, 2)) << 16 |
                           static_cast<uint32_t>(byte_at(payload, 3)) << 24;
    if (out_block == 0 && captured >= 4) {
        out_block = block;
    } else if (out_block == block) {
        return PacketType::kOutData;
    } else {
        out_block = block;
    }
    const uint8_t func = byte_at(payload, 2) & 0x8f;
    if (func == 0x07 && udp_payload_len == 11) return PacketType::kNak;
    if (func == 0x02) return PacketType::kFun2;
    if (func == 0x03) return PacketType::kFun3;
    if (func == 0x0d) return udp_payload_len > 4 ? PacketType::kE2eData : PacketType::kFun3;
    return PacketType::kNotSkype;
}

}  // namespace tstat::classify::skype
