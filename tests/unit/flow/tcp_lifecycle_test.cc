// TCP flow life-cycle as Tstat defines it (spec §6.1).
#include <gtest/gtest.h>

#include "flow_test_util.h"

namespace tstat::testing {
namespace {

using decode::tcp_flag::kAck;
using decode::tcp_flag::kFin;
using decode::tcp_flag::kPsh;
using decode::tcp_flag::kRst;
using decode::tcp_flag::kSyn;

const Endpoint kClient{"10.0.0.1", 40000};
const Endpoint kServer{"10.0.0.2", 80};

TEST(TcpLifecycle, FinHandshakeClosesAsComplete) {
    EngineHarness h;
    TcpSession s(kClient, kServer);
    s.handshake().client_send("GET / HTTP/1.0\r\n\r\n").server_send("HTTP/1.0 200 OK\r\n\r\n").close();
    h.feed_all(s.frames());
    ASSERT_EQ(h.observer.tcp.size(), 1u);
    const auto& c = h.observer.tcp[0];
    EXPECT_TRUE(c.complete);
    EXPECT_EQ(c.flow.key.a.to_string(), "10.0.0.1");
    EXPECT_EQ(c.flow.key.b_port, 80);
    // handshake(3) + data/ack(2) + data/ack(2) + FIN, FIN, ACK
    EXPECT_EQ(c.flow.c2s.packets + c.flow.s2c.packets, 10u);
    EXPECT_EQ(c.flow.c2s.unique_bytes, 18u);
    EXPECT_EQ(c.flow.s2c.unique_bytes, 19u);
    EXPECT_EQ(c.flow.c2s.syn_count, 1);
    EXPECT_EQ(c.flow.c2s.fin_count, 1);
    EXPECT_EQ(c.flow.s2c.fin_count, 1);
    EXPECT_EQ(h.engine.open_tcp(), 0u);
}

TEST(TcpLifecycle, OnlyAPureSynOpensAFlow) {
    EngineHarness h;
    EXPECT_EQ(h.feed(tcp_packet(kClient, kServer, kAck, 1, 1), at_s(0)), flow::PacketResult::kNoFlow);
    EXPECT_EQ(h.feed(tcp_packet(kServer, kClient, kSyn | kAck, 1, 1), at_s(1)),
              flow::PacketResult::kNoFlow);
    EXPECT_EQ(h.engine.counters().tcp_trash, 2u);
    EXPECT_EQ(h.feed(tcp_packet(kClient, kServer, kSyn, 100), at_s(2)), flow::PacketResult::kTraced);
    EXPECT_EQ(h.engine.open_tcp(), 1u);
}

TEST(TcpLifecycle, ResetAfterSynIsIncomplete) {
    EngineHarness h;
    h.feed(tcp_packet(kClient, kServer, kSyn, 100), at_s(0));
    h.feed(tcp_packet(kServer, kClient, kRst | kAck, 0, 101), at_s(0.001));
    ASSERT_EQ(h.observer.tcp.size(), 1u);
    EXPECT_FALSE(h.observer.tcp[0].complete);  // the server never sent a SYN
    EXPECT_EQ(h.observer.tcp[0].flow.s2c.reset_count, 1);
    EXPECT_EQ(h.observer.tcp[0].flow.s2c.ack_pkts, 1u);
}

TEST(TcpLifecycle, ResetAfterBothSynsIsComplete) {
    EngineHarness h;
    TcpSession s(kClient, kServer);
    s.handshake().client_send("hello").client_reset();
    h.feed_all(s.frames());
    ASSERT_EQ(h.observer.tcp.size(), 1u);
    EXPECT_TRUE(h.observer.tcp[0].complete);
    EXPECT_EQ(h.observer.tcp[0].flow.c2s.reset_count, 1);
}

TEST(TcpLifecycle, ClientDataWithoutServerSynClosesHalfDuplexFlow) {
    EngineHarness h;
    h.feed(tcp_packet(kClient, kServer, kSyn, 100), at_s(0));
    h.feed(tcp_packet(kClient, kServer, kAck | kPsh, 101, 0, "data"), at_s(1));
    ASSERT_EQ(h.observer.tcp.size(), 1u);
    EXPECT_FALSE(h.observer.tcp[0].complete);
    EXPECT_TRUE(h.observer.tcp[0].flow.ignore_dpi);
    // Tstat closes before counting the segment.
    EXPECT_EQ(h.observer.tcp[0].flow.c2s.packets, 1u);
}

TEST(TcpLifecycle, EndOfInputLeavesOpenFlowsIncomplete) {
    EngineHarness h;
    TcpSession s(kClient, kServer);
    s.handshake().client_send("abc");
    h.feed_all(s.frames());
    h.finish();
    ASSERT_EQ(h.observer.tcp.size(), 1u);
    EXPECT_FALSE(h.observer.tcp[0].complete);
}

TEST(TcpLifecycle, IdleFlowTimesOutAsCompleteWhenTheGcRuns) {
    EngineHarness h;
    TcpSession s(kClient, kServer, at_s(0));
    s.handshake().client_send("abc");
    h.feed_all(s.frames());
    // A new flow 301 s later fires the garbage collector over the whole table.
    h.feed(tcp_packet({"10.0.0.3", 5000}, kServer, kSyn, 7), at_s(301));
    ASSERT_EQ(h.observer.tcp.size(), 1u);
    EXPECT_TRUE(h.observer.tcp[0].complete);  // both SYNs seen: Tstat logs it as complete
    EXPECT_EQ(h.engine.open_tcp(), 1u);
}

TEST(TcpLifecycle, IdleFlowWithoutNewFlowsKeepsGoing) {
    // The GC runs only when a new flow arrives: a late segment continues the old flow.
    EngineHarness h;
    TcpSession s(kClient, kServer, at_s(0));
    s.handshake().client_send("abc").wait(600'000'000).client_send("def");
    h.feed_all(s.frames());
    EXPECT_TRUE(h.observer.tcp.empty());
    h.finish();
    ASSERT_EQ(h.observer.tcp.size(), 1u);
    EXPECT_EQ(h.observer.tcp[0].flow.c2s.unique_bytes, 6u);
}

TEST(TcpLifecycle, SynOnlyFlowIsASingletonAfterTenSeconds) {
    EngineHarness h;
    h.feed(tcp_packet(kClient, kServer, kSyn, 100), at_s(0));
    h.feed(tcp_packet({"10.0.0.3", 5000}, kServer, kSyn, 7), at_s(10.5));
    ASSERT_EQ(h.observer.tcp.size(), 1u);
    EXPECT_FALSE(h.observer.tcp[0].complete);
    EXPECT_EQ(h.observer.tcp[0].flow.key.a.to_string(), "10.0.0.1");
}

TEST(TcpLifecycle, IncrementalGcClosesWithinOneCycleAfterTheTimeout) {
    // The table is swept in gc_split_ratio slices, one per GC_Fire_Time of trace time, so an
    // idle flow closes between its timeout and one full cycle later (spec §6.1).
    flow::FlowConfig cfg;
    cfg.max_tcp_pairs = 100;
    cfg.max_udp_pairs = 100;
    cfg.gc_split_ratio = 10;
    cfg.gc_cycle_us = 10'000;       // a full sweep every 10 ms, one slice per ms
    cfg.tcp_idle_us = 50'000;
    cfg.tcp_singleton_us = 50'000;
    EngineHarness h(cfg);
    const Timestamp t0 = at_s(0);
    h.feed(tcp_packet(kClient, kServer, kSyn, 100), t0);
    h.feed(tcp_packet(kServer, kClient, kSyn | kAck, 5, 101), t0);
    int64_t closed_at_us = -1;
    for (int i = 1; i <= 60 && closed_at_us < 0; ++i) {
        const Timestamp t{t0.us + i * 1500};
        h.feed(tcp_packet({"10.0.1." + std::to_string(i), 1000}, kServer, kSyn, 1), t);
        for (const auto& c : h.observer.tcp)
            if (c.flow.key.a.to_string() == "10.0.0.1") closed_at_us = t.us - t0.us;
    }
    ASSERT_GT(closed_at_us, 50'000);
    EXPECT_LE(closed_at_us, 50'000 + 10'000 + 1500);
}

TEST(TcpLifecycle, TableLimitRefusesFlowsWhenFixed) {
    flow::FlowConfig cfg;
    cfg.max_tcp_pairs = 10;
    cfg.max_udp_pairs = 10;
    cfg.gc_split_ratio = 10;
    cfg.gc_cycle_us = 10'000'000;
    cfg.list_search_dept = 200;
    cfg.growable_tables = false;
    EngineHarness h(cfg);
    for (int i = 0; i < 12; ++i)
        h.feed(tcp_packet({"10.0.2." + std::to_string(i + 1), 1000}, kServer, kSyn, 1),
               at_s(i * 0.0001));
    EXPECT_EQ(h.engine.open_tcp(), 10u);
    EXPECT_EQ(h.engine.counters().tcp_missed, 2u);
}

TEST(TcpLifecycle, GrowableTableNeverRefuses) {
    flow::FlowConfig cfg;
    cfg.max_tcp_pairs = 10;
    cfg.gc_split_ratio = 10;
    cfg.gc_cycle_us = 10'000'000;
    EngineHarness h(cfg);
    for (int i = 0; i < 50; ++i)
        h.feed(tcp_packet({"10.0.3." + std::to_string(i + 1), 1000}, kServer, kSyn, 1),
               at_s(i * 0.0001));
    EXPECT_EQ(h.engine.open_tcp(), 50u);
    EXPECT_EQ(h.engine.counters().tcp_missed, 0u);
}

}  // namespace
}  // namespace tstat::testing
