// map_flow_type() (spec §9.7) as the rate and count histograms use it, and the memo the
// per-packet path asks instead: it must answer exactly what classify_tcp() answers.
#include <gtest/gtest.h>

#include <random>

#include "stats/l7_map.h"

namespace tstat::stats {
namespace {

constexpr uint32_t kHttp = 1, kP2p = 256, kSsl = 8192, kRtmp = 65536;

bool same(const TcpClass& a, const TcpClass& b) {
    return a.l7 == b.l7 && a.http == b.http && a.web == b.web && a.tls == b.tls &&
           a.video == b.video;
}

TEST(TcpClass, LaterBitsWin) {
    TcpClassInput in;
    in.con_type = kHttp | kSsl;   // SSL comes after HTTP in the priority list
    EXPECT_EQ(classify_tcp(in).l7, l7::kSsl);
    in.con_type = kRtmp;          // RTMP only with the handshake sizes
    EXPECT_EQ(classify_tcp(in).l7, l7::kUnknown);
    in.rtmp_handshake = true;
    EXPECT_EQ(classify_tcp(in).l7, l7::kRtmp);
    in.con_type = kP2p | kSsl;
    in.p2p_type = 901;            // BitTorrent
    EXPECT_EQ(classify_tcp(in).l7, l7::kBit);
    in.con_type = kHttp;
    in.http_data = 21;            // YOUTUBE_204 folds into YOUTUBE_VIDEO
    EXPECT_EQ(classify_tcp(in).http, 4);
}

TEST(TcpClassMemo, AnswersAsClassifyTcp) {
    std::mt19937 rng(7);
    TcpClassMemo memo;
    // Few distinct inputs, asked in random order: hits and evictions both.
    for (int n = 0; n < 20000; ++n) {
        TcpClassInput in;
        const uint32_t r = static_cast<uint32_t>(rng());
        in.con_type = (r & 7) == 0 ? 0 : 1u << (r % 19);
        in.p2p_type = static_cast<int32_t>((r >> 5) % 17) * 100 + 1;
        in.http_data = static_cast<int32_t>((r >> 10) % 30);
        in.rtmp_handshake = (r >> 15) & 1;
        in.tls = static_cast<uint8_t>((r >> 16) % 10);
        in.video_content = static_cast<uint8_t>((r >> 20) % 4);
        in.video_payload = static_cast<uint8_t>((r >> 24) % 4);
        ASSERT_TRUE(same(memo(in), classify_tcp(in))) << "input " << n;
    }
}

}  // namespace
}  // namespace tstat::stats
