// Graphite export (--graphite): metric names and lines of a closed window, the carbon address,
// and the client's queue against a loopback server that appears late or never.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <thread>

#include "export/graphite/carbon_client.h"
#include "export/graphite/graphite_sink.h"

namespace tstat::exporter::graphite {
namespace {

using namespace std::chrono_literals;

TEST(GraphiteNames, MetricPartKeepsSafeCharacters) {
    EXPECT_EQ(metric_part("probe-01_a"), "probe-01_a");
    EXPECT_EQ(metric_part("host.example.org"), "host_example_org");
    EXPECT_EQ(metric_part("a b/c"), "a_b_c");
    EXPECT_EQ(metric_part(""), "_");
}

TEST(GraphiteLines, NonZeroBinsWithTheirLabels) {
    stats::HistoFlags on{};
    on[stats::index_of(stats::HistoId::kIpLenLoc)] = true;          // 0..1504 by 4
    on[stats::index_of(stats::HistoId::kL4FlowNumber)] = true;      // 0..2 by 1
    stats::HistogramSet h;
    h.configure(on, stats::HistoFlags{});
    h.add(stats::HistoId::kIpLenLoc, 40);
    h.add(stats::HistoId::kIpLenLoc, 41);
    h.add(stats::HistoId::kIpLenLoc, -3);     // below min: the bin labelled -4
    h.add(stats::HistoId::kIpLenLoc, 9000);   // at or above max: labelled 1504
    h.add(stats::HistoId::kL4FlowNumber, 1);
    const std::string text = format_window(h, "p1", 1700000000);
    // Table order: L4_flow_number comes before ip_len_loc in `tstat -H ?`... whichever it is,
    // each line is there once and nothing else is.
    const char* want[] = {"tstat.p1.L4_flow_number.1 1 1700000000\n",
                          "tstat.p1.ip_len_loc.-4 1 1700000000\n",
                          "tstat.p1.ip_len_loc.40 2 1700000000\n",
                          "tstat.p1.ip_len_loc.1504 1 1700000000\n"};
    size_t total = 0;
    for (const char* w : want) {
        EXPECT_NE(text.find(w), std::string::npos) << w << " in\n" << text;
        total += std::string(w).size();
    }
    EXPECT_EQ(text.size(), total) << text;
}

TEST(GraphiteAddress, HostPortForms) {
    auto a = parse_carbon_address("127.0.0.1:2003");
    ASSERT_TRUE(a.ok());
    EXPECT_EQ(a->host, "127.0.0.1");
    EXPECT_EQ(a->port, "2003");
    auto b = parse_carbon_address("[::1]:2103");
    ASSERT_TRUE(b.ok());
    EXPECT_EQ(b->host, "::1");
    EXPECT_EQ(b->port, "2103");
    auto c = parse_carbon_address("carbon.example");
    ASSERT_TRUE(c.ok());
    EXPECT_EQ(c->port, "2003");
    for (const char* bad : {":2003", "h:0", "h:65536", "h:x", "::1:2003", "[::1", "h:"})
        EXPECT_FALSE(parse_carbon_address(bad).ok()) << bad;
}

// A loopback port that refuses connections until listen() is called on it.
struct LatePort {
    int fd = -1;
    uint16_t port = 0;
    LatePort() {
        fd = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
        socklen_t len = sizeof a;
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
        port = ntohs(a.sin_port);
    }
    ~LatePort() { ::close(fd); }
    // Accepts connections and appends what each sends until its FIN; closes after each.
    std::string serve(int connections) {
        ::listen(fd, 4);
        std::string got;
        for (int i = 0; i < connections; ++i) {
            const int c = ::accept(fd, nullptr, nullptr);
            if (c < 0) break;
            char buf[4096];
            for (ssize_t n; (n = ::recv(c, buf, sizeof buf, 0)) > 0;) got.append(buf, size_t(n));
            ::close(c);
        }
        return got;
    }
};

CarbonOptions fast() {
    CarbonOptions o;
    o.connect_timeout = 500ms;
    o.io_timeout = 2000ms;
    o.max_backoff = 200ms;
    return o;
}

TEST(CarbonClient, KeepsLinesUntilCarbonAppears) {
    LatePort port;
    CarbonClient client({"127.0.0.1", std::to_string(port.port)}, fast());
    client.send("a.b 1 100\n");
    client.send("a.c 2 100\n");
    std::this_thread::sleep_for(500ms);   // refused meanwhile: kept
    auto s = client.summary();
    EXPECT_EQ(s.delivered_bytes, 0u);
    EXPECT_EQ(s.pending_bytes, 20u);
    EXPECT_NE(s.last_error.find("refused"), std::string::npos) << s.last_error;
    std::string got;
    std::thread server([&] { got = port.serve(1); });
    const auto done = client.finish(5000ms);
    server.join();
    EXPECT_EQ(got, "a.b 1 100\na.c 2 100\n");
    EXPECT_EQ(done.delivered_bytes, 20u);
    EXPECT_EQ(done.pending_bytes, 0u);
}

TEST(CarbonClient, FinishGivesUpAfterItsWaitAndSaysWhatIsLeft) {
    LatePort port;   // never listens
    CarbonClient client({"127.0.0.1", std::to_string(port.port)}, fast());
    client.send("x 1 1\n");
    const auto t0 = std::chrono::steady_clock::now();
    const auto s = client.finish(600ms);
    EXPECT_LT(std::chrono::steady_clock::now() - t0, 3s);
    EXPECT_EQ(s.pending_bytes, 6u);
    EXPECT_EQ(s.delivered_bytes, 0u);
}

TEST(CarbonClient, FullQueueDropsTheOldestLines) {
    LatePort port;
    CarbonOptions o = fast();
    o.max_queue_bytes = 10;
    CarbonClient client({"127.0.0.1", std::to_string(port.port)}, o);
    client.send("old 1 1\n");   // 8 bytes
    client.send("new 2 2\n");   // 16 > 10: "old" goes
    std::string got;
    std::thread server([&] { got = port.serve(1); });
    const auto s = client.finish(5000ms);
    server.join();
    EXPECT_EQ(got, "new 2 2\n");
    EXPECT_EQ(s.dropped_bytes, 8u);
}

}  // namespace
}  // namespace tstat::exporter::graphite
