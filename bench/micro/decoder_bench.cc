// decode_packet() cost per frame for typical shapes: Ethernet/IPv4/TCP with timestamps and
// 100 bytes of payload, the same behind a VLAN tag, IPv6/TCP, IPv4/UDP (DNS-sized), a QinQ +
// PPPoE + IPv6 access-network frame, IPv6 with extension headers; plus a mixed batch.
// Frames were produced by tests/support/packet_builder (bench cannot link test support).
#include <benchmark/benchmark.h>

#include <cstdint>
#include <string_view>
#include <vector>

#include "capture/raw_packet.h"
#include "decode/decoder.h"

namespace {

// EthIpv4Tcp (166 bytes)
constexpr std::string_view kEthIpv4Tcp =
    "020000000002020000000001080045000098123400004006709fc0a8010a5db8d822c82201bb000000010000"
    "00028018ffffafdb00000101080a000000010000000261616161616161616161616161616161616161616161"
    "6161616161616161616161616161616161616161616161616161616161616161616161616161616161616161"
    "61616161616161616161616161616161616161616161616161616161616161616161";
// EthVlanIpv4Tcp (170 bytes)
constexpr std::string_view kEthVlanIpv4Tcp =
    "0200000000020200000000018100002a080045000098123400004006709fc0a8010a5db8d822c82201bb0000"
    "0001000000028010ffffafe300000101080a0000000100000002616161616161616161616161616161616161"
    "6161616161616161616161616161616161616161616161616161616161616161616161616161616161616161"
    "6161616161616161616161616161616161616161616161616161616161616161616161616161";
// EthIpv6Tcp (186 bytes)
constexpr std::string_view kEthIpv6Tcp =
    "02000000000202000000000186dd600000000084064020010db800000000000000000000001020010db80001"
    "00000000000000000034c82201bb00000001000000028010ffff4bba00000101080a00000001000000026161"
    "6161616161616161616161616161616161616161616161616161616161616161616161616161616161616161"
    "6161616161616161616161616161616161616161616161616161616161616161616161616161616161616161"
    "61616161616161616161";
// EthIpv4Udp (82 bytes)
constexpr std::string_view kEthIpv4Udp =
    "02000000000202000000000108004500004412340000401196b3c0a8010a080808089c40003500307d420101"
    "0101010101010101010101010101010101010101010101010101010101010101010101010101";
// QinQPppoeIpv6Udp (138 bytes)
constexpr std::string_view kQinQPppoeIpv6Udp =
    "02000000000202000000000188a80064810000c8886411000007006e0057600000000044114020010db80000"
    "0000000000000000001020010db800010000000000000000003401bbc3500044a26702020202020202020202"
    "0202020202020202020202020202020202020202020202020202020202020202020202020202020202020202"
    "020202020202";
// EthIpv6ExtTcp (110 bytes)
constexpr std::string_view kEthIpv6ExtTcp =
    "02000000000202000000000186dd600000000038004020010db800000000000000000000001020010db80001"
    "000000000000000000343c000104000000000600010400000000000100020000000000000000a002ffffec59"
    "0000020405a00402080a000000010000000001030307";

std::vector<uint8_t> from_hex(std::string_view hex) {
    auto nibble = [](char c) { return c <= '9' ? c - '0' : c - 'a' + 10; };
    std::vector<uint8_t> out;
    for (size_t i = 0; i + 1 < hex.size(); i += 2) {
        out.push_back(static_cast<uint8_t>(nibble(hex[i]) << 4 | nibble(hex[i + 1])));
    }
    return out;
}

void decode_one(benchmark::State& state, std::string_view hex, uint32_t link_type,
                bool compat = false) {
    const std::vector<uint8_t> frame = from_hex(hex);
    tstat::capture::RawPacket raw;
    raw.data = frame.data();
    raw.caplen = static_cast<uint32_t>(frame.size());
    raw.wire_len = raw.caplen;
    raw.link_type = link_type;
    tstat::decode::DecodeOptions options;
    options.tstat_compat = compat;
    tstat::decode::DecodedPacket out;
    for (auto _ : state) {
        benchmark::DoNotOptimize(tstat::decode::decode_packet(raw, out, options));
        benchmark::ClobberMemory();
    }
    state.SetItemsProcessed(state.iterations());
}

constexpr uint32_t kEthernet = tstat::capture::link::kEthernet;

void BM_DecodeEthIpv4Tcp(benchmark::State& s) { decode_one(s, kEthIpv4Tcp, kEthernet); }
void BM_DecodeEthIpv4TcpCompat(benchmark::State& s) { decode_one(s, kEthIpv4Tcp, kEthernet, true); }
void BM_DecodeEthVlanIpv4Tcp(benchmark::State& s) { decode_one(s, kEthVlanIpv4Tcp, kEthernet); }
void BM_DecodeEthIpv6Tcp(benchmark::State& s) { decode_one(s, kEthIpv6Tcp, kEthernet); }
void BM_DecodeEthIpv4Udp(benchmark::State& s) { decode_one(s, kEthIpv4Udp, kEthernet); }
void BM_DecodeQinQPppoeIpv6Udp(benchmark::State& s) { decode_one(s, kQinQPppoeIpv6Udp, kEthernet); }
void BM_DecodeEthIpv6ExtTcp(benchmark::State& s) { decode_one(s, kEthIpv6ExtTcp, kEthernet); }

// A batch of 256 frames cycling through the shapes above, as a worker sees them.
void BM_DecodeMixedBatch(benchmark::State& state) {
    const std::vector<std::vector<uint8_t>> shapes = {
        from_hex(kEthIpv4Tcp),       from_hex(kEthIpv4Tcp),     from_hex(kEthIpv4Tcp),
        from_hex(kEthIpv6Tcp),       from_hex(kEthVlanIpv4Tcp), from_hex(kEthIpv4Udp),
        from_hex(kQinQPppoeIpv6Udp), from_hex(kEthIpv6ExtTcp)};
    tstat::capture::PacketBatch batch;
    batch.count = tstat::capture::PacketBatch::kCapacity;
    for (size_t i = 0; i < batch.count; ++i) {
        const auto& f = shapes[(i * 7) % shapes.size()];
        batch.packets[i].data = f.data();
        batch.packets[i].caplen = static_cast<uint32_t>(f.size());
        batch.packets[i].wire_len = batch.packets[i].caplen;
        batch.packets[i].link_type = kEthernet;
    }
    tstat::decode::DecodedPacket out;
    for (auto _ : state) {
        for (size_t i = 0; i < batch.count; ++i) {
            benchmark::DoNotOptimize(tstat::decode::decode_packet(batch.packets[i], out));
            benchmark::ClobberMemory();
        }
    }
    state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(batch.count));
}

}  // namespace

BENCHMARK(BM_DecodeEthIpv4Tcp);
BENCHMARK(BM_DecodeEthIpv4TcpCompat);
BENCHMARK(BM_DecodeEthVlanIpv4Tcp);
BENCHMARK(BM_DecodeEthIpv6Tcp);
BENCHMARK(BM_DecodeEthIpv4Udp);
BENCHMARK(BM_DecodeQinQPppoeIpv6Udp);
BENCHMARK(BM_DecodeEthIpv6ExtTcp);
BENCHMARK(BM_DecodeMixedBatch);
