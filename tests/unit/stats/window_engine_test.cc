// The window engine (spec §5, §10.2): trace-time windows, rate histograms, NNN/, LAST/,
// GLOBAL/, rotation, and Tstat's end-of-file behaviours.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "decode/decoder.h"
#include "stats/window_engine.h"
#include "support/packet_builder.h"
#include "support/pcap_writer.h"

namespace tstat::stats {
namespace {

namespace fs = std::filesystem;
using testing::PacketBuilder;
using testing::ScratchDir;

constexpr Timestamp kT0 = Timestamp::from_parts(1'700'000'000, 0);
constexpr int64_t kSec = 1'000'000;

std::string slurp(const fs::path& p) {
    std::ifstream in(p);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// The data lines of a histogram file ("label count").
std::string body(const fs::path& p) {
    std::stringstream in(slurp(p)), out;
    for (std::string l; std::getline(in, l);)
        if (!l.empty() && l[0] != '#') out << l << "\n";
    return out.str();
}

EngineConfig config(std::initializer_list<HistoId> ids) {
    EngineConfig c;
    for (HistoId id : ids) c.histo.on[index_of(id)] = true;
    return c;
}

// One decoded IPv4 packet of `ip_len` bytes (local: both ends internal).
struct Ip4 {
    testing::Bytes frame;
    decode::DecodedPacket pkt;
    Ip4(size_t payload, Timestamp ts) {
        frame = PacketBuilder().ethernet().ipv4("10.0.0.1", "10.0.0.2").icmp(8)
                    .payload(std::string(payload, 'x')).build();
        EXPECT_EQ(decode::decode_packet(testing::raw_packet(frame, 1, ts), pkt),
                  decode::DecodeStatus::kOk);
    }
};

struct Fixture {
    ScratchDir dir;
    Engine engine;
    explicit Fixture(const EngineConfig& c) : engine(c) { engine.set_time_dir(dir.path()); }
    fs::path path(const std::string& rel) const { return fs::path(dir.path()) / rel; }
    void packet(size_t payload, Timestamp ts) {
        Ip4 p(payload, ts);
        engine.before_packet(ts);
        engine.collector().ipv4_packet(p.pkt, PacketSide{Way::kLoc, false, false});
        engine.after_packet(ts);
    }
};

TEST(WindowEngine, WindowClosesAfterTheFirstPacketPastTheStep) {
    Fixture f(config({HistoId::kIpLenLoc, HistoId::kIpBitrateLoc}));
    f.packet(72, kT0);                                  // 100 bytes of IP
    f.packet(72, Timestamp{kT0.us + 300 * kSec});       // exactly 300 s: same window
    EXPECT_FALSE(fs::exists(f.path("000")));
    f.packet(172, Timestamp{kT0.us + 300 * kSec + 1});  // past 300 s: closes, and counts in it
    f.engine.wait_for_files();
    ASSERT_TRUE(fs::exists(f.path("000/ip_len_loc")));
    EXPECT_EQ(body(f.path("000/ip_len_loc")), "100 2\n200 1\n");
    // 400 bytes over 300000.001 ms: bin 3 (IP) and bin 2 (ICMP), in bit/s.
    EXPECT_EQ(body(f.path("000/ip_bitrate_loc")), "2 10\n3 10\n");
    f.packet(72, Timestamp{kT0.us + 310 * kSec});
    f.engine.end_of_trace(Timestamp{kT0.us + 320 * kSec});
    EXPECT_EQ(body(f.path("LAST/ip_len_loc")), "100 1\n");
    // 100 bytes over the 20 s since the window closed.
    EXPECT_EQ(body(f.path("LAST/ip_bitrate_loc")), "2 40\n3 40\n");
    EXPECT_FALSE(fs::exists(f.path("GLOBAL")));
}

TEST(WindowEngine, GlobalHistogramsAndTheirRateSamples) {
    EngineConfig c = config({HistoId::kIpLenLoc, HistoId::kIpBitrateLoc,
                             HistoId::kGIcmpBitrateLoc, HistoId::kGOtherBitrateLoc});
    c.global = true;
    Fixture f(c);
    f.packet(72, kT0);
    f.packet(72, Timestamp{kT0.us + 301 * kSec});
    f.engine.end_of_trace(Timestamp{kT0.us + 302 * kSec});
    EXPECT_EQ(slurp(f.path("GLOBAL/ip_len_loc")),
              "#IP packet length [byte] - local packets\n#RANGE: min=0 bin_size=4 max=1504\n"
              "#SAMPLES: <min=0 valid=2 >max=0 tot=2\n100 1.000000e+00 1.000000e+00\n");
    // g_icmp takes bin 3 (ICMP) of every rate histogram; g_other bin 7 minus bins 1..6,
    // negative here (bin 7 lies past ip_bitrate's end).
    EXPECT_EQ(body(f.path("000/g_icmp_bitrate_loc")), "0 1\n");
    EXPECT_EQ(body(f.path("000/g_other_bitrate_loc")), "-100 1\n");
    EXPECT_TRUE(fs::exists(f.path("GLOBAL/g_icmp_bitrate_loc")));
}

TEST(WindowEngine, RotationEveryDirsWindowsOnlyWhenAsked) {
    EngineConfig c = config({HistoId::kIpLenLoc});
    c.dirs = 2;
    c.max_time_step_us = 10 * kSec;
    Fixture f(c);
    std::vector<int64_t> rotations;
    f.engine.set_rotate_handler([&](Timestamp t) { rotations.push_back(t.us); });
    for (int i = 0; i <= 50; ++i) f.packet(72, Timestamp{kT0.us + i * kSec});
    EXPECT_TRUE(rotations.empty());   // a file: never
    f.engine.set_rotate(true);
    for (int i = 51; i <= 100; ++i) f.packet(72, Timestamp{kT0.us + i * kSec});
    // Windows close at 11, 22, ... s; the count was already past `dirs`, so the first close
    // with rotation on (55 s) starts a folder, then every second one.
    ASSERT_EQ(rotations.size(), 3u);
    EXPECT_EQ(rotations[0], kT0.us + 55 * kSec);
    EXPECT_EQ(rotations[1], kT0.us + 77 * kSec);
    EXPECT_EQ(rotations[2], kT0.us + 99 * kSec);
}

TEST(WindowEngine, ConcatenatedFilesCloseTheWindowTwice) {
    Fixture f(config({HistoId::kIpLenLoc, HistoId::kIpBitrateLoc}));
    f.packet(72, kT0);
    f.packet(72, Timestamp{kT0.us + 100 * kSec});
    f.engine.file_boundary(Timestamp{kT0.us + 100 * kSec});
    f.engine.wait_for_files();
    EXPECT_EQ(body(f.path("000/ip_len_loc")), "100 2\n");
    EXPECT_EQ(body(f.path("001/ip_len_loc")), "");
    // The second close repeats the rates of the first (same bytes, same interval).
    EXPECT_EQ(body(f.path("000/ip_bitrate_loc")), body(f.path("001/ip_bitrate_loc")));
    EXPECT_EQ(body(f.path("000/ip_bitrate_loc")), "2 16\n3 16\n");
}

TEST(WindowEngine, EmptyIntervalAveragesPrintAsLongMin) {
    // One-instant trace: the chat averages divide 0 by 0 (Tstat prints LONG_MIN).
    Fixture f(config({HistoId::kChatFlowNum}));
    f.engine.trace_started(kT0);
    f.packet(72, kT0);
    f.engine.end_of_trace(kT0);
    std::string expected;
    for (int i = 0; i < 6; ++i) expected += std::to_string(i) + " -9223372036854775808\n";
    EXPECT_EQ(body(f.path("LAST/chat_flow_num")), expected);
}

TEST(WindowEngine, ActiveFlowAverageAndMissedFlows) {
    Fixture f(config({HistoId::kProfileFlows, HistoId::kL4FlowNumber}));
    Collector& c = f.engine.collector();
    const Timestamp t0{0};  // Tstat's averages start at time 0 (create_all_histo)
    f.packet(72, Timestamp{100 * kSec});
    c.flow_attempt(true, Timestamp{100 * kSec}, false);
    c.flow_attempt(true, Timestamp{100 * kSec}, false);
    c.flow_attempt(false, Timestamp{150 * kSec}, false);
    c.flow_departure(true, Timestamp{150 * kSec});
    c.flow_attempt(true, Timestamp{160 * kSec}, true);
    (void)t0;
    f.engine.end_of_trace(Timestamp{200 * kSec});
    // TCP: 2 flows for 50 s and 1 for 50 s over 200 s = 0.75 -> 0; UDP 50/200 -> 0.
    EXPECT_EQ(body(f.path("LAST/profile_flows")), "2 1\n");
    EXPECT_EQ(body(f.path("LAST/L4_flow_number")), "0 3\n1 1\n");
}

TEST(WindowEngine, RuntimeSwitchKeepsAddressesButNotHistograms) {
    EngineConfig c = config({HistoId::kIpLenLoc});
    c.histo.adx = true;
    c.histo_engine_log = false;   // runtime.conf [log] histo_engine = 0
    Fixture f(c);
    f.packet(72, kT0);
    f.engine.end_of_trace(kT0);
    EXPECT_FALSE(fs::exists(f.path("LAST/ip_len_loc")));
    EXPECT_EQ(slurp(f.path("LAST/addresses")),
              "#Number of packets per subnet (255.255.255.0 NETMASK) \n"
              "#Subnet IP \tsrc_hits \tdst_hits \tsrc_bytes \tdst_bytes\n"
              "10.0.0.0\t1\t1\t100\t100\n");
}

}  // namespace
}  // namespace tstat::stats
