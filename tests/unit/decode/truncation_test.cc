// Every valid frame of a catalogue cut at every length 0..len: no read outside the captured
// bytes (exact-size heap copies, so ASan builds catch any), every reported range inside them,
// and a status consistent with the uncut frame.
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "decode_test_util.h"
#include "frame_catalogue.h"

namespace tstat::decode {
namespace {

using testing::Bytes;
using testing::PacketBuilder;

bool inside(const Decoded& d, const uint8_t* p, size_t n) {
    if (p == nullptr) return n == 0;
    const uint8_t* base = d.storage.get();
    return p >= base && p <= base + d.size && n <= static_cast<size_t>(base + d.size - p);
}

// Reads every byte the decoder says is there, so a wrong range trips ASan.
unsigned touch(const uint8_t* p, size_t n) {
    unsigned sum = 0;
    for (size_t i = 0; i < n; ++i) sum += p[i];
    return sum;
}

void check_ranges(const Decoded& d, const std::string& what) {
    const DecodedPacket& p = d.pkt;
    EXPECT_TRUE(inside(d, p.dst_mac, p.dst_mac ? 6 : 0)) << what;
    EXPECT_TRUE(inside(d, p.src_mac, p.src_mac ? 6 : 0)) << what;
    EXPECT_TRUE(inside(d, p.ip, p.ip_caplen)) << what;
    EXPECT_LE(p.tstat_ip_caplen, p.ip_caplen) << what;
    EXPECT_TRUE(inside(d, p.outer_ip, p.outer_ip ? 1 : 0)) << what;
    EXPECT_TRUE(inside(d, p.l4, p.l4_caplen)) << what;
    if (p.protocol == ip_proto::kTcp && p.tcp.options != nullptr) {
        EXPECT_TRUE(inside(d, p.tcp.options, p.tcp.options_caplen)) << what;
        EXPECT_LE(p.tcp.options_caplen, p.tcp.options_len) << what;
        touch(p.tcp.options, p.tcp.options_caplen);
    }
    EXPECT_TRUE(
        inside(d, p.payload, p.payload_caplen) ||
        (p.payload != nullptr && p.payload_caplen == 0 && p.payload <= d.storage.get() + d.size))
        << what;
    EXPECT_LE(static_cast<int64_t>(p.payload_caplen), std::max<int64_t>(p.payload_len, 0)) << what;
    if (p.transport_ok) {
        const size_t need = p.protocol == ip_proto::kTcp ? 20 : 8;
        EXPECT_TRUE(inside(d, p.l4, need)) << what;
    }
    if (p.ip) touch(p.ip, p.ip_caplen);
    if (p.payload) touch(p.payload, p.payload_caplen);
}

void sweep(const std::string& name, const PacketBuilder& b, DecodeOptions options) {
    const Bytes frame = b.build();
    const Decoded full = decode_frame(frame, b.link_type(), options);
    const std::string mode = options.tstat_compat ? " [compat]" : "";
    if (!options.tstat_compat) {
        ASSERT_TRUE(full.status == DecodeStatus::kOk || full.status == DecodeStatus::kFragment)
            << name << " decodes as " << to_string(full.status);
    }
    check_ranges(full, name + mode + " full");
    for (size_t n = 0; n <= frame.size(); ++n) {
        const std::string what = name + mode + " cut at " + std::to_string(n);
        const Decoded d = decode_frame(frame, b.link_type(), options, n);
        check_ranges(d, what);
        if (d.status != full.status) {
            EXPECT_EQ(d.status, DecodeStatus::kTruncated) << what;
            continue;
        }
        if (d.status != DecodeStatus::kOk) continue;
        // Same packet, less of it: header facts agree, lengths come from the headers.
        EXPECT_EQ(d.pkt.ip_version, full.pkt.ip_version) << what;
        EXPECT_EQ(d.pkt.protocol, full.pkt.protocol) << what;
        EXPECT_EQ(d.pkt.ip_total_len, full.pkt.ip_total_len) << what;
        EXPECT_EQ(d.pkt.ip_header_len, full.pkt.ip_header_len) << what;
        EXPECT_EQ(d.pkt.l4_len, full.pkt.l4_len) << what;
        if (d.pkt.transport_ok) {
            EXPECT_TRUE(full.pkt.transport_ok) << what;
            EXPECT_EQ(d.pkt.payload_len, full.pkt.payload_len) << what;
            EXPECT_EQ(d.pkt.tcp.src_port, full.pkt.tcp.src_port) << what;
            EXPECT_EQ(d.pkt.udp.src_port, full.pkt.udp.src_port) << what;
        } else if (full.pkt.transport_ok) {
            EXPECT_LT(n, frame.size()) << what;
        }
    }
}

TEST(Truncation, EveryCutOfEveryFrame) {
    for (const auto& [name, builder] : catalogue()) {
        sweep(name, builder, {});
        sweep(name, builder, compat());
    }
}

TEST(Truncation, EveryCutOfEveryFrameUnderEveryLinkType) {
    // The same bytes read with the wrong link type must be just as safe.
    const uint32_t types[] = {0, 1, 9, 12, 14, 50, 101, 104, 108, 113, 228, 229, 276};
    for (const auto& [name, builder] : catalogue()) {
        const Bytes frame = builder.build();
        for (uint32_t type : types) {
            for (size_t n = 0; n <= frame.size(); ++n) {
                for (DecodeOptions o : {DecodeOptions{}, compat()}) {
                    const Decoded d = decode_frame(frame, type, o, n);
                    check_ranges(d, name + " as link type " + std::to_string(type) + " cut at " +
                                        std::to_string(n));
                }
            }
        }
    }
}

}  // namespace
}  // namespace tstat::decode
