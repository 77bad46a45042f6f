// Live capture on the loopback device. Needs capture rights (root or CAP_NET_RAW): skipped
// where the sandbox does not allow opening a capture.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <thread>

#include "capture/raw_packet.h"
#include "capture/source.h"

namespace tstat::capture {
namespace {

constexpr uint16_t kPort = 47613;

Result<std::unique_ptr<CaptureSource>> open_loopback(const std::string& filter) {
    SourceSpec spec;
    spec.live = true;
    spec.interface = "lo";
    spec.snaplen = 550;
    spec.bpf_filter = filter;
    return open_source(spec);
}

#define SKIP_WITHOUT_CAPTURE_RIGHTS(result)                                              \
    if (!(result).ok() && ((result).error().find("ermission") != std::string::npos ||    \
                           (result).error().find("not permitted") != std::string::npos)) \
    GTEST_SKIP() << (result).error()

void send_udp(uint16_t port, size_t size) {
    int s = ::socket(AF_INET, SOCK_DGRAM, 0);
    ASSERT_GE(s, 0);
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = htons(port);
    to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    std::string payload(size, 'x');
    ::sendto(s, payload.data(), payload.size(), 0, reinterpret_cast<sockaddr*>(&to), sizeof(to));
    ::close(s);
}

TEST(LiveSource, CapturesFilteredLoopbackTraffic) {
    auto src = open_loopback("udp dst port " + std::to_string(kPort));
    SKIP_WITHOUT_CAPTURE_RIGHTS(src);
    ASSERT_TRUE(src.ok()) << src.error();
    EXPECT_EQ((*src)->describe().rfind("live lo (", 0), 0u) << (*src)->describe();

    std::thread sender([] {
        for (int i = 0; i < 20; ++i) {
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
            send_udp(kPort, 1000);
            send_udp(kPort + 1, 10);  // filtered out
        }
    });
    PacketBatch batch;
    size_t seen = 0;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (seen < 20 && std::chrono::steady_clock::now() < deadline) {
        ReadStatus s = (*src)->next_batch(batch);
        ASSERT_NE(s, ReadStatus::kError) << (*src)->error();
        ASSERT_NE(s, ReadStatus::kEnd);
        for (size_t i = 0; i < batch.count; ++i) {
            const RawPacket& p = batch.packets[i];
            EXPECT_EQ(p.link_type, link::kEthernet);  // Linux "lo" is DLT_EN10MB
            EXPECT_EQ(p.wire_len, 14u + 20 + 8 + 1000);
            EXPECT_EQ(p.caplen, 550u);  // snaplen
            EXPECT_GT(p.ts.us, 1600000000LL * 1000000);
            ++seen;
        }
    }
    sender.join();
    EXPECT_EQ(seen, 20u);
    EXPECT_EQ((*src)->progress().packets, seen);
    std::string stats = (*src)->stats();
    EXPECT_NE(stats.find("packets received"), std::string::npos) << stats;
    EXPECT_NE(stats.find("dropped by the kernel"), std::string::npos) << stats;
}

// An idle link gives kTimeout about once a second, and interrupt() ends a blocked read early.
TEST(LiveSource, IdleReadTimesOutAndInterruptWakesIt) {
    auto src = open_loopback("udp dst port 9");  // nothing will match
    SKIP_WITHOUT_CAPTURE_RIGHTS(src);
    ASSERT_TRUE(src.ok()) << src.error();
    PacketBatch batch;
    auto t0 = std::chrono::steady_clock::now();
    ReadStatus s = (*src)->next_batch(batch);
    auto idle = std::chrono::steady_clock::now() - t0;
    EXPECT_EQ(s, ReadStatus::kTimeout);
    EXPECT_EQ(batch.count, 0u);
    EXPECT_LT(idle, std::chrono::milliseconds(3000));

    // interrupt() a few times: a wake-up sent before the read starts must also count.
    std::thread waker([&] {
        for (int i = 0; i < 5; ++i) {
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
            (*src)->interrupt();
        }
    });
    t0 = std::chrono::steady_clock::now();
    s = (*src)->next_batch(batch);
    auto interrupted = std::chrono::steady_clock::now() - t0;
    waker.join();
    EXPECT_EQ(s, ReadStatus::kTimeout);
    EXPECT_LT(interrupted, std::chrono::milliseconds(700));
}

TEST(LiveSource, BadDeviceAndBadFilterAreReported) {
    SourceSpec spec;
    spec.live = true;
    spec.interface = "nosuchdev0";
    auto bad = open_source(spec);
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.error().rfind("live nosuchdev0: ", 0), 0u) << bad.error();

    auto src = open_loopback("tcp port");
    SKIP_WITHOUT_CAPTURE_RIGHTS(src);
    ASSERT_FALSE(src.ok());
    EXPECT_NE(src.error().find("live lo: filter \"tcp port\" does not compile"), std::string::npos)
        << src.error();
}

}  // namespace
}  // namespace tstat::capture
