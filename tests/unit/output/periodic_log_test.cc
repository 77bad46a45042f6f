// log_udp_periodic and log_tcp_periodic (spec §7.9; print_udp_periodic_log, print_periodic_log):
// a line when a packet comes more than Log_Periodic_Interval after the previous line, built
// before that packet is counted; deltas since the previous line; a last line at close (not for
// external UDP flows). Flows are driven by hand, as FlowEngine updates them.
#include <gtest/gtest.h>

#include <string>

#include "output/logs/periodic_log.h"

namespace tstat::output {
namespace {

constexpr int64_t kT0 = 1'600'000'000'000'000;   // µs

struct UdpDriver {
    PeriodicLog log{nullptr, false, true, 1'000'000};
    flow::udp::UdpFlow f;
    int lines = 0;
    std::string last;

    UdpDriver(bool internal = true) {
        IpAddress::parse("10.0.0.1", f.key.a);
        IpAddress::parse("10.0.0.2", f.key.b);
        f.key.a_port = 5000;
        f.key.b_port = 53;
        f.slot = 3;
        f.internal_src = f.internal_dst = internal;
        log.udp_opened(f, Timestamp{kT0});
    }
    void observe() {
        if (std::string(log.line()) != last) {
            last = std::string(log.line());
            ++lines;
        }
    }
    // One datagram of `bytes` payload at `ms` into the flow, as FlowEngine counts it.
    void packet(bool c2s, int64_t ms, uint64_t bytes) {
        const Timestamp now{kT0 + ms * 1000};
        log.udp_before_update(f, now);
        observe();
        if (f.first_time.is_zero()) f.first_time = now;
        f.last_time = now;
        flow::udp::UdpDirection& d = c2s ? f.c2s : f.s2c;
        d.seen = true;
        d.last_pkt_time = now;
        d.data_bytes += bytes;
        ++d.packets;
    }
    void close(int64_t ms) {
        log.udp_closed(f, Timestamp{kT0 + ms * 1000});
        observe();
    }
};

TEST(PeriodicLog, UdpLineBeforeTheLatePacketWithDeltas) {
    UdpDriver d;
    d.packet(true, 0, 100);
    d.packet(false, 500, 60);
    EXPECT_EQ(d.lines, 0);
    d.packet(true, 1600, 40);   // 1.6 s after the flow start: the bin so far is printed
    ASSERT_EQ(d.lines, 1);
    EXPECT_EQ(d.last,
              "10.0.0.1 5000 1 0 10.0.0.2 53 1 0 1600000000000.000000 0.000000 500.000000 "
              "500.000000 1 100 1 60");
    d.packet(false, 2000, 80);   // 0.4 s after the line: none
    EXPECT_EQ(d.lines, 1);
    d.close(2500);
    ASSERT_EQ(d.lines, 2);
    // From the packet that triggered the previous line; counters since then.
    EXPECT_EQ(d.last,
              "10.0.0.1 5000 1 0 10.0.0.2 53 1 0 1600000001600.000000 1600.000000 2000.000000 "
              "400.000000 1 40 1 80");
}

TEST(PeriodicLog, UdpIntervalIsStrictAndIdleTimeMakesNoLines) {
    UdpDriver d;
    d.packet(true, 0, 10);
    d.packet(true, 1000, 10);   // exactly one interval: not more than it
    EXPECT_EQ(d.lines, 0);
    d.packet(true, 9000, 10);   // one line however long the gap
    EXPECT_EQ(d.lines, 1);
    d.packet(true, 9001, 10);
    EXPECT_EQ(d.lines, 1);
}

TEST(PeriodicLog, ExternalUdpFlowsHaveNoLastLine) {
    UdpDriver d(false);
    d.packet(true, 0, 10);
    d.packet(true, 1500, 10);
    EXPECT_EQ(d.lines, 1);
    d.close(1600);
    EXPECT_EQ(d.lines, 1);   // make_udp_conn_stats returns first for external flows
}

TEST(PeriodicLog, HeadersHaveTstatsColumns) {
    EXPECT_EQ(udp_periodic_columns().size(), 16u);
    EXPECT_EQ(tcp_periodic_columns().size(), 46u);
    EXPECT_EQ(udp_periodic_header().rfind("#c_ip:1 c_port:2 c_isint:3", 0), 0u);
    EXPECT_NE(tcp_periodic_header().find("s_iscrypto:46"), std::string::npos);
}

TEST(PeriodicLog, OffLogsBuildNothing) {
    PeriodicLog log(nullptr, false, false, 1'000'000);
    flow::udp::UdpFlow f;
    log.udp_opened(f, Timestamp{kT0});
    log.udp_before_update(f, Timestamp{kT0 + 5'000'000});
    log.udp_closed(f, Timestamp{kT0 + 6'000'000});
    EXPECT_TRUE(log.line().empty());
}

}  // namespace
}  // namespace tstat::output
