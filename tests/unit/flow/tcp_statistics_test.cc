// Per-segment statistics (spec §8). Expected values are worked out by hand from Tstat's rules
// in the comments next to them.
#include <gtest/gtest.h>

#include "flow_test_util.h"

namespace tstat::testing {
namespace {

using decode::tcp_flag::kAck;
using decode::tcp_flag::kPsh;
using decode::tcp_flag::kSyn;

const Endpoint kClient{"192.168.1.10", 51000};
const Endpoint kServer{"192.168.1.20", 443};

Timestamp ms(int64_t v) { return Timestamp{1'600'000'000'000'000 + v * 1000}; }

Bytes seg(const Endpoint& from, const Endpoint& to, uint8_t flags, uint32_t seq, uint32_t ack,
          std::string_view data = {}, uint16_t ip_id = 0x1234) {
    return tcp_builder(from, to).flags(flags).seq(seq).ack(ack).ip_id(ip_id).payload(data).build();
}

// Client ISN 1000, server ISN 5000, handshake at 0/10/20 ms.
void handshake(EngineHarness& h) {
    h.feed(seg(kClient, kServer, kSyn, 1000, 0), ms(0));
    h.feed(seg(kServer, kClient, kSyn | kAck, 5000, 1001), ms(10));
    h.feed(seg(kClient, kServer, kAck, 1001, 5001), ms(20));
}

const ClosedTcp& only_flow(EngineHarness& h) {
    h.finish();
    EXPECT_EQ(h.observer.tcp.size(), 1u);
    return h.observer.tcp.at(0);
}

TEST(TcpStatistics, SameIpIdRetransmissionIsANetworkDuplicate) {
    EngineHarness h;
    handshake(h);
    h.feed(seg(kClient, kServer, kAck | kPsh, 1001, 5001, "0123456789"), ms(30));
    h.feed(seg(kClient, kServer, kAck | kPsh, 1001, 5001, "0123456789"), ms(40));
    h.feed(seg(kServer, kClient, kAck, 5001, 1011), ms(50));
    const auto& closed = only_flow(h);
    const auto& f = closed.flow;
    const auto& an = closed.anomalies;
    EXPECT_EQ(f.c2s.data_pkts, 2u);
    EXPECT_EQ(f.c2s.data_bytes, 20u);
    EXPECT_EQ(f.c2s.unique_bytes, 10u);
    EXPECT_EQ(an.c2s.rexmit_pkts, 1u);
    EXPECT_EQ(an.c2s.rexmit_bytes, 10u);
    EXPECT_EQ(an.c2s.net_dup, 1u);     // same IP ID as the original
    EXPECT_EQ(an.c2s.out_order_pkts, 0u);
    // RTT: only the SYN (10 ms); the data was retransmitted, so Karn's rule drops it.
    EXPECT_EQ(f.c2s.rtt_count, 1u);
    EXPECT_EQ(f.c2s.rtt_min, 10'000u);
    // Server: SYN/ACK at 10 ms acknowledged at 20 ms.
    EXPECT_EQ(f.s2c.rtt_count, 1u);
    EXPECT_EQ(f.s2c.rtt_max, 10'000u);
}

TEST(TcpStatistics, SegmentFillingAHoleIsOutOfOrder) {
    EngineHarness h;
    handshake(h);
    h.feed(seg(kClient, kServer, kAck, 1011, 5001, "BBBBBBBBBB"), ms(30));
    h.feed(seg(kClient, kServer, kAck, 1001, 5001, "AAAAAAAAAA", 0x2000), ms(31));
    h.feed(seg(kServer, kClient, kAck, 5001, 1021), ms(40));
    const auto& closed = only_flow(h);
    const auto& f = closed.flow;
    const auto& an = closed.anomalies;
    EXPECT_EQ(an.c2s.out_order_pkts, 1u);
    EXPECT_EQ(an.c2s.rexmit_pkts, 0u);
    EXPECT_EQ(f.c2s.unique_bytes, 20u);
}

TEST(TcpStatistics, MssIsReadAsSigned16BitAndFfffIsAbsent) {
    EngineHarness h;
    h.feed(tcp_builder(kClient, kServer).flags(kSyn).seq(1).mss(65495).build(), ms(0));
    h.feed(tcp_builder(kServer, kClient).flags(kSyn | kAck).seq(9).ack(2).mss(65535).build(),
           ms(1));
    const auto& closed = only_flow(h);
    const auto& f = closed.flow;
    EXPECT_EQ(f.c2s.mss, -41);
    EXPECT_EQ(f.s2c.mss, 0);
}

TEST(TcpStatistics, WindowIsScaledOnlyOnceBothSidesAskedForIt) {
    EngineHarness h;
    h.feed(tcp_builder(kClient, kServer).flags(kSyn).seq(1).window(1000).window_scale(7).build(),
           ms(0));
    h.feed(tcp_builder(kServer, kClient).flags(kSyn | kAck).seq(9).ack(2).window(2000)
               .window_scale(2).build(), ms(1));
    h.feed(tcp_builder(kClient, kServer).flags(kAck).seq(2).ack(10).window(100).build(), ms(2));
    const auto& closed = only_flow(h);
    const auto& f = closed.flow;
    EXPECT_EQ(f.c2s.win_min, 1000u);   // the SYN, before scaling was agreed
    EXPECT_EQ(f.c2s.win_max, 12800u);  // 100 << 7
    EXPECT_EQ(f.c2s.window_scale, 7);
    EXPECT_EQ(f.s2c.win_max, 2000u);
    EXPECT_TRUE(f.c2s.f1323_ws && f.s2c.f1323_ws);
}

// win_tot: the effective window of every SYN or ACK segment except a RST, summed (by the
// histograms, its only reader, from the engine's per-packet samples).
TEST(TcpStatistics, WindowSamplesAreTheEffectiveWindowsOfSynAndAckSegments) {
    {
        EngineHarness h;
        h.feed(tcp_builder(kClient, kServer).flags(kSyn).seq(1).window(1000).window_scale(7)
                   .build(), ms(0));
        h.feed(tcp_builder(kServer, kClient).flags(kSyn | kAck).seq(9).ack(2).window(2000)
                   .window_scale(2).build(), ms(1));
        h.feed(tcp_builder(kClient, kServer).flags(kAck).seq(2).ack(10).window(100).build(),
               ms(2));
        h.feed(tcp_builder(kClient, kServer).flags(kAck).seq(2).ack(10).window(3).build(), ms(3));
        h.feed(tcp_builder(kServer, kClient).flags(kAck).seq(10).ack(2).window(40).build(),
               ms(4));
        h.feed(tcp_builder(kServer, kClient).flags(decode::tcp_flag::kRst | kAck).seq(10).ack(2)
                   .window(7).build(), ms(5));
        ASSERT_EQ(h.observer.tcp.size(), 1u);
        const flow::tcp::WindowTotals& w = h.observer.tcp[0].windows;
        EXPECT_EQ(w.c2s, 1000u + (100u << 7) + (3u << 7));
        EXPECT_EQ(w.s2c, 2000u + (40u << 2));   // not the RST's window
    }
}

TEST(TcpStatistics, SegmentAcrossTheSequenceWrapReproducesTstatsQuadrantSplit) {
    // tcptrace's LAST_SEQ(4) is 2^32-4, so a segment crossing 2^32 is recorded 3 bytes too far
    // into the first quadrant; the next segment then "retransmits" those 3 bytes.
    EngineHarness h;
    const uint32_t isn = 4294967200u;
    h.feed(seg(kClient, kServer, kSyn, isn, 0), ms(0));
    h.feed(seg(kServer, kClient, kSyn | kAck, 5000, isn + 1), ms(10));
    const std::string data(200, 'x');
    h.feed(seg(kClient, kServer, kAck, isn + 1, 5001, data), ms(20));
    h.feed(seg(kClient, kServer, kAck, isn + 201, 5001, data, 0x2000), ms(21));
    const auto& closed = only_flow(h);
    const auto& f = closed.flow;
    const auto& an = closed.anomalies;
    EXPECT_EQ(an.c2s.rexmit_pkts, 1u);
    EXPECT_EQ(an.c2s.rexmit_bytes, 3u);
    EXPECT_EQ(f.c2s.unique_bytes, 397u);
}

TEST(TcpStatistics, PshDelimitedMessagesAndInitialWindow) {
    EngineHarness h;
    handshake(h);
    h.feed(seg(kClient, kServer, kAck, 1001, 5001, "aaaa"), ms(30));
    h.feed(seg(kClient, kServer, kAck | kPsh, 1005, 5001, "bbbb"), ms(31));  // message of 8
    h.feed(seg(kServer, kClient, kAck, 5001, 1009), ms(40));
    h.feed(seg(kClient, kServer, kAck | kPsh, 1009, 5001, "cc"), ms(50));   // message of 2
    const auto& closed = only_flow(h);
    const auto& f = closed.flow;
    EXPECT_EQ(f.c2s.msg_count, 2u);
    EXPECT_EQ(f.c2s.initialwin_bytes, 8u);  // sent before the server acknowledged data
    EXPECT_EQ(f.c2s.max_seg_size, 4u);
    EXPECT_EQ(f.c2s.min_seg_size, 2u);
}

}  // namespace
}  // namespace tstat::testing
