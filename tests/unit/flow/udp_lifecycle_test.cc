// UDP flows (spec §6.2): the first datagram opens, singletons expire after 10 s, idle after 200.
#include <gtest/gtest.h>

#include "flow_test_util.h"

namespace tstat::testing {
namespace {

const Endpoint kClient{"10.1.0.1", 5353};
const Endpoint kServer{"10.1.0.2", 53};

TEST(UdpLifecycle, BothDirectionsAreCounted) {
    EngineHarness h;
    h.feed(udp_packet(kClient, kServer, "query"), at_s(0));
    h.feed(udp_packet(kServer, kClient, "answer!"), at_s(0.5));
    h.finish();
    ASSERT_EQ(h.observer.udp.size(), 1u);
    const auto& f = h.observer.udp[0];
    EXPECT_EQ(f.key.a.to_string(), "10.1.0.1");
    EXPECT_EQ(f.c2s.data_bytes, 5u);
    EXPECT_EQ(f.s2c.data_bytes, 7u);
    EXPECT_EQ(f.c2s.packets, 1u);
    EXPECT_EQ(f.s2c.packets, 1u);
    EXPECT_EQ(elapsed_us(f.c2s.first_pkt_time, f.s2c.first_pkt_time), 500'000);
}

TEST(UdpLifecycle, SingletonExpiresAndTheReplyOpensANewFlow) {
    EngineHarness h;
    h.feed(udp_packet(kClient, kServer, "q"), at_s(0));
    // Another flow 11 s later runs the GC: the single-packet flow is gone...
    h.feed(udp_packet({"10.1.0.9", 1}, kServer, "x"), at_s(11));
    ASSERT_EQ(h.observer.udp.size(), 1u);
    // ...so a late reply starts a flow whose client is the old server.
    h.feed(udp_packet(kServer, kClient, "late"), at_s(12));
    h.finish();
    ASSERT_EQ(h.observer.udp.size(), 3u);
    bool reversed = false;
    for (const auto& f : h.observer.udp)
        if (f.key.a.to_string() == "10.1.0.2") reversed = true;
    EXPECT_TRUE(reversed);
}

TEST(UdpLifecycle, ShortUdpLengthWrapsLikeTstat) {
    EngineHarness h;
    h.feed(udp_builder(kClient, kServer).udp_length(4).build(), at_s(0));
    h.finish();
    ASSERT_EQ(h.observer.udp.size(), 1u);
    EXPECT_EQ(h.observer.udp[0].c2s.data_bytes, static_cast<uint64_t>(-4));
}

TEST(UdpLifecycle, DisabledUdpIsIgnored) {
    flow::FlowConfig cfg;
    cfg.do_udp = false;
    EngineHarness h(cfg);
    EXPECT_EQ(h.feed(udp_packet(kClient, kServer, "q"), at_s(0)), flow::PacketResult::kIgnored);
    h.finish();
    EXPECT_TRUE(h.observer.udp.empty());
}

}  // namespace
}  // namespace tstat::testing
