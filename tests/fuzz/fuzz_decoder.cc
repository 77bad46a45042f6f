// libFuzzer target for decode_packet(). Input: byte 0 picks the link type (low 4 bits, table
// below) and the mode (bit 7: Tstat compat); the remaining bytes are the frame, used in place
// so a read past its end is a heap overflow ASan reports. Every range the decoder reports is
// checked to lie inside the frame and is read.
#include <cstddef>
#include <cstdint>

#include "capture/raw_packet.h"
#include "decode/decoder.h"

namespace {

// Index = low 4 bits of byte 0. tests/unit/decode/fuzz_corpus_test.cc writes seeds with it.
constexpr uint32_t kLinkTypes[16] = {1,   113, 276, 0,  108, 101, 12,  14,
                                     228, 229, 9,   50, 104, 1,   113, 147};

const uint8_t* g_begin = nullptr;
volatile unsigned g_sink = 0;  // keeps the reads of touch() alive
const uint8_t* g_end = nullptr;

void require(bool ok) {
    if (!ok) __builtin_trap();
}

// [p, p + n) inside the frame; p may be one past the end when n == 0.
void require_inside(const uint8_t* p, size_t n) {
    if (p == nullptr) return require(n == 0);
    require(p >= g_begin && p <= g_end && n <= static_cast<size_t>(g_end - p));
}

unsigned touch(const uint8_t* p, size_t n) {
    unsigned sum = 0;
    for (size_t i = 0; i < n; ++i) sum += p[i];
    return sum;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using tstat::decode::DecodedPacket;
    using tstat::decode::DecodeStatus;
    if (size < 1) return 0;
    tstat::capture::RawPacket raw;
    raw.link_type = kLinkTypes[data[0] & 0x0F];
    raw.data = data + 1;
    raw.caplen = static_cast<uint32_t>(size - 1);
    raw.wire_len = raw.caplen;
    tstat::decode::DecodeOptions options;
    options.tstat_compat = (data[0] & 0x80) != 0;
    g_begin = raw.data;
    g_end = raw.data + raw.caplen;

    DecodedPacket p;
    const DecodeStatus status = tstat::decode::decode_packet(raw, p, options);
    require(status < DecodeStatus::kCount);
    require(tstat::decode::to_string(status) != nullptr);

    unsigned sum = 0;
    require_inside(p.dst_mac, p.dst_mac ? 6 : 0);
    require_inside(p.src_mac, p.src_mac ? 6 : 0);
    require_inside(p.outer_ip, p.outer_ip ? 1 : 0);
    require_inside(p.ip, p.ip_caplen);
    require(p.tstat_ip_caplen <= p.ip_caplen);
    if (p.ip) sum += touch(p.ip, p.ip_caplen);
    require_inside(p.l4, p.l4_caplen);
    if (p.l4) sum += touch(p.l4, p.l4_caplen);
    if (p.transport_ok) {
        require(status == DecodeStatus::kOk);
        require_inside(p.l4, p.protocol == tstat::decode::ip_proto::kTcp ? 20 : 8);
    }
    if (p.tcp.options != nullptr) {
        require(p.tcp.options_caplen <= p.tcp.options_len);
        require_inside(p.tcp.options, p.tcp.options_caplen);
        sum += touch(p.tcp.options, p.tcp.options_caplen);
    }
    require(static_cast<int64_t>(p.payload_caplen) <= (p.payload_len > 0 ? p.payload_len : 0));
    require_inside(p.payload, p.payload_caplen);
    if (p.payload) sum += touch(p.payload, p.payload_caplen);
    g_sink = sum;
    return 0;
}
