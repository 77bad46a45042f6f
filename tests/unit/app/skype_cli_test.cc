// `tstat -B dir` end to end (spec §9.8, §7.8, §7.2, §7.1): Skype-like UDP and TCP flows built
// with the packet builder, the example configuration of tests/data/skype, and the rows of
// log_skype_complete, the c_type/s_type columns of log_udp_complete and con_t of
// log_tcp_complete. Expected beliefs are worked out by hand from that configuration.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "support/packet_builder.h"
#include "support/pcap_writer.h"

namespace tstat::testing {
namespace {

namespace fs = std::filesystem;

const std::string kTstat = std::string(TSTAT_BINARY_DIR) + "/tstat";
const std::string kConf = std::string(TSTAT_SOURCE_DIR) + "/tests/data/skype";
constexpr uint32_t kStart = 1'700'000'000;

int run(const std::string& args, std::string* err = nullptr) {
    ScratchDir tmp;
    const std::string cmd = "cd " + tmp.path() + " && TZ=UTC " + kTstat + " " + args +
                            " </dev/null >/dev/null 2>" + tmp.file("err");
    const int st = std::system(cmd.c_str());
    if (err != nullptr) {
        std::ifstream e(tmp.file("err"));
        std::stringstream ss;
        ss << e.rdbuf();
        *err = ss.str();
    }
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

std::vector<std::string> split(const std::string& line) {
    std::vector<std::string> out;
    std::istringstream in(line);
    for (std::string f; in >> f;) out.push_back(f);
    return out;
}

std::vector<std::vector<std::string>> rows(const fs::path& log) {
    std::vector<std::vector<std::string>> out;
    std::ifstream in(log);
    for (std::string line; std::getline(in, line);)
        if (!line.empty() && line[0] != '#') out.push_back(split(line));
    return out;
}

fs::path time_dir(const fs::path& root) {
    for (const auto& e : fs::directory_iterator(root))
        if (e.is_directory()) return e.path();
    return {};
}

// The row whose first two fields are `ip port`.
const std::vector<std::string>* find_row(const std::vector<std::vector<std::string>>& all,
                                         const std::string& ip, int port) {
    for (const auto& r : all)
        if (r.size() > 2 && r[0] == ip && r[1] == std::to_string(port)) return &r;
    return nullptr;
}

std::string fixed3(double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.3f", v);
    return buf;
}

// Builds the trace: Skype-like UDP calls (end to end, SkypeOut, signalling, and one whose
// packet sizes do not look like voice), and a Skype-like TCP connection.
class SkypeTrace {
public:
    SkypeTrace() : rng_(12345) {}

    // `n` datagrams client -> server, 20 ms apart, `size` payload bytes each; `fill` writes
    // the first bytes of datagram i.
    template <class Fill>
    void udp_call(const std::string& client, uint16_t cport, const std::string& server,
                  uint16_t sport, int n, size_t size, Fill fill, int replies = 5) {
        for (int i = 0; i < n; ++i) {
            Bytes p(size);
            for (auto& b : p) b = static_cast<uint8_t>(rng_());
            fill(p, i);
            add(kStart, int64_t{i} * 20'000,
                udp_builder({client, cport}, {server, sport}).payload(p).build());
        }
        for (int i = 0; i < replies; ++i) {
            Bytes p(40);
            for (auto& b : p) b = static_cast<uint8_t>(rng_());
            p[2] = 0x05;   // no Skype function
            add(kStart, int64_t{i} * 20'000 + 7'000,
                udp_builder({server, sport}, {client, cport}).payload(p).build());
        }
    }

    void tcp_call(const std::string& client, uint16_t cport, const std::string& server,
                  uint16_t sport, int n) {
        TcpSession s({client, cport}, {server, sport}, Timestamp::from_parts(kStart, 0));
        s.step_us(10'000).handshake();
        for (int i = 0; i < n; ++i) {
            std::string data(100, '\0');
            for (auto& c : data) c = static_cast<char>(rng_());
            s.client_send(data);   // + the server's ACK: one data segment every 20 ms
        }
        s.close();
        for (const auto& f : s.frames()) frames_.push_back({f.ts.us, f.bytes});
    }

    std::vector<uint8_t> pcap() {
        std::stable_sort(frames_.begin(), frames_.end(),
                         [](const auto& a, const auto& b) { return a.first < b.first; });
        PcapWriter w;
        for (const auto& [us, bytes] : frames_)
            w.packet(static_cast<uint32_t>(us / 1'000'000), static_cast<uint32_t>(us % 1'000'000),
                     bytes);
        return w.bytes();
    }

    std::mt19937& rng() { return rng_; }

private:
    void add(uint32_t sec, int64_t offset_us, Bytes frame) {
        frames_.push_back({int64_t{sec} * 1'000'000 + offset_us, std::move(frame)});
    }
    std::mt19937 rng_;
    std::vector<std::pair<int64_t, Bytes>> frames_;
};

class SkypeCli : public ::testing::Test {
protected:
    ScratchDir dir;
    std::string trace_;

    void SetUp() override {
        SkypeTrace t;
        // End to end: random id, FUNC 13 (bit 7 clear, bits 4-6 random), random payload.
        t.udp_call("10.0.0.1", 40001, "198.51.100.1", 50001, 150, 100,
                   [&](Bytes& p, int) { p[2] = static_cast<uint8_t>(0x0d | (p[2] & 0x70)); });
        // SkypeOut: the same 4 leading bytes in every datagram, random after them.
        t.udp_call("10.0.0.2", 40002, "198.51.100.2", 50002, 150, 100, [&](Bytes& p, int) {
            p[0] = 0x11;
            p[1] = 0x22;
            p[2] = 0x05;
            p[3] = 0x44;
        });
        // Signalling: FUNC 2 in every datagram.
        t.udp_call("10.0.0.3", 40003, "198.51.100.3", 50003, 20, 100,
                   [&](Bytes& p, int) { p[2] = static_cast<uint8_t>(0x02 | (p[2] & 0x70)); });
        // End-to-end framing but 350-byte datagrams: the packet-size classifier says no.
        t.udp_call("10.0.0.4", 40004, "198.51.100.4", 50004, 150, 350,
                   [&](Bytes& p, int) { p[2] = static_cast<uint8_t>(0x0d | (p[2] & 0x70)); });
        t.tcp_call("10.0.0.5", 40005, "198.51.100.5", 443, 60);
        trace_ = dir.file("skype.pcap");
        write_file(trace_, t.pcap());
    }
};

// Per-sample belief of the packet-size classifier for 100-byte voice frames, windows of 30:
// log10(P{voice} = 1/2) / 30 + log10(N(100; 100, 20)).
double voice_pktsize_belief() {
    return std::log10(0.5) / 30 + std::log10(0.398942280401433 / 20);
}
// avgipg.conf: window 1, P{voice20} = 0.5, voice20.DAT gives 20/107 to gaps of 19..21 ms.
double voice_ipg_belief() { return std::log10(0.5) + std::log10(20.0 / 107); }

TEST_F(SkypeCli, RowsClassesAndConnectionType) {
    std::string err;
    ASSERT_EQ(run("-B " + kConf + " -s " + dir.file("out") + " " + trace_, &err), 0) << err;
    const fs::path td = time_dir(dir.file("out"));
    ASSERT_TRUE(fs::exists(td / "log_skype_complete"));
    const auto skype = rows(td / "log_skype_complete");
    ASSERT_EQ(skype.size(), 3u);   // E2E, SkypeOut, TCP; not signalling, not the 350-byte call
    std::ifstream raw(td / "log_skype_complete");
    std::string first_line;
    std::getline(raw, first_line);
    EXPECT_NE(first_line[0], '#');   // no header line

    const auto* e2e = find_row(skype, "10.0.0.1", 40001);
    ASSERT_NE(e2e, nullptr);
    const auto& r = *e2e;
    ASSERT_EQ(r.size(), 51u);
    EXPECT_EQ(r[50], "U");
    EXPECT_EQ(r[2], "1");                         // internal
    EXPECT_EQ(r[4], "15000");                     // bytes
    EXPECT_EQ(r[5], "150");                       // packets
    EXPECT_EQ(r[6], "150");                       // end-to-end packets
    EXPECT_EQ(r[7], "0");                         // SkypeOut packets
    EXPECT_EQ(r[10], "150");                      // audio packets
    EXPECT_EQ(r[12], "100.000000");               // average size
    EXPECT_EQ(r[13], fixed3(voice_pktsize_belief()));   // "-1.710"
    EXPECT_EQ(r[15], fixed3(voice_ipg_belief()));       // "-1.029"
    EXPECT_EQ(r[20], "5");                        // deterministic: SKYPE_E2E
    EXPECT_EQ(r[21], "1");                        // Bayes: both features
    EXPECT_EQ(r[22], "5");                        // chi-square: E2E
    EXPECT_GE(std::stod(r[18]), 150);             // FUNC nibbles far from uniform...
    EXPECT_LT(std::stod(r[19]), 150);             // ...the payload's uniform
    // The server sent 5 datagrams: no class, no window (beliefs -100).
    EXPECT_EQ(r[24], "198.51.100.1");
    EXPECT_EQ(r[28], "200");
    EXPECT_EQ(r[29], "5");
    EXPECT_EQ(r[37], "-100.000");
    EXPECT_EQ(r[39], "-100.000");
    EXPECT_EQ(r[44], "0");
    EXPECT_EQ(r[45], "0");
    EXPECT_EQ(r[48], "1700000000.000000");        // start [s]

    const auto* out = find_row(skype, "10.0.0.2", 40002);
    ASSERT_NE(out, nullptr);
    ASSERT_EQ(out->size(), 51u);
    EXPECT_EQ((*out)[7], "149");   // the first datagram only sets the identifier
    EXPECT_EQ((*out)[20], "6");
    EXPECT_EQ((*out)[22], "6");
    EXPECT_GE(std::stod((*out)[16]), 150);   // the whole header is constant

    const auto* tcp = find_row(skype, "10.0.0.5", 40005);
    ASSERT_NE(tcp, nullptr);
    const auto& t = *tcp;
    ASSERT_EQ(t.size(), 37u);
    EXPECT_EQ(t[36], "T");
    EXPECT_EQ(t[4], "6000");                      // unique bytes
    EXPECT_EQ(t[6], "60");                        // packets with payload
    EXPECT_EQ(t[8], "100.000000");
    EXPECT_EQ(t[9], fixed3(voice_pktsize_belief()));
    EXPECT_EQ(t[11], fixed3(voice_ipg_belief()));
    EXPECT_EQ(t[14], "1");
    EXPECT_EQ(t[15], "7");                        // chi-square: Skype over TCP
    EXPECT_EQ(t[17], "198.51.100.5");
    EXPECT_EQ(t[25], "-nan");                     // the server sent no data: 0 / 0
    EXPECT_EQ(t[31], "0");                        // server: no Bayes window...
    EXPECT_EQ(t[32], "0");                        // ...and no chi-square sample

    // log_udp_complete: c_type (col 9) / s_type (col 18).
    const auto udp = rows(td / "log_udp_complete");
    auto c_type = [&](const std::string& ip) {
        const auto* u = find_row(udp, ip, std::stoi(ip.substr(ip.rfind('.') + 1)) + 40000);
        return u != nullptr ? (*u)[8] : std::string("missing");
    };
    EXPECT_EQ(c_type("10.0.0.1"), "5");   // SKYPE_E2E, confirmed
    EXPECT_EQ(c_type("10.0.0.2"), "6");   // SKYPE_OUT, confirmed
    EXPECT_EQ(c_type("10.0.0.3"), "7");   // SKYPE_SIG
    EXPECT_EQ(c_type("10.0.0.4"), "0");   // SKYPE_E2E by its headers, not confirmed (§7.2)
    const auto* u1 = find_row(udp, "10.0.0.1", 40001);
    ASSERT_NE(u1, nullptr);
    EXPECT_EQ((*u1)[17], "0");            // the server side: 5 datagrams only

    // log_tcp_complete: con_t (col 42) has SKYPE (512).
    const auto tcp_rows = rows(td / "log_tcp_complete");
    const auto* tc = find_row(tcp_rows, "10.0.0.5", 40005);
    ASSERT_NE(tc, nullptr);
    EXPECT_EQ(std::stoul((*tc)[41]) & 512u, 512u);
}

TEST_F(SkypeCli, WithoutDashBNothingIsSkype) {
    ASSERT_EQ(run("-s " + dir.file("out") + " " + trace_), 0);
    const fs::path td = time_dir(dir.file("out"));
    EXPECT_FALSE(fs::exists(td / "log_skype_complete"));
    const auto udp = rows(td / "log_udp_complete");
    const auto* u1 = find_row(udp, "10.0.0.1", 40001);
    ASSERT_NE(u1, nullptr);
    EXPECT_EQ((*u1)[8], "0");
    const auto tcp_rows = rows(td / "log_tcp_complete");
    const auto* tc = find_row(tcp_rows, "10.0.0.5", 40005);
    ASSERT_NE(tc, nullptr);
    EXPECT_EQ(std::stoul((*tc)[41]) & 512u, 0u);
}

TEST_F(SkypeCli, RuntimeConfCanSwitchTheLogOff) {
    const std::string rc = dir.file("runtime.conf");
    std::ofstream(rc) << "[log]\nlog_skype_complete = 0\nlog_udp_complete = 1\n";
    ASSERT_EQ(run("-B " + kConf + " -T " + rc + " -s " + dir.file("out") + " " + trace_), 0);
    const fs::path td = time_dir(dir.file("out"));
    EXPECT_FALSE(fs::exists(td / "log_skype_complete"));
    // The classes do not depend on the log.
    const auto udp = rows(td / "log_udp_complete");
    const auto* u1 = find_row(udp, "10.0.0.1", 40001);
    ASSERT_NE(u1, nullptr);
    EXPECT_EQ((*u1)[8], "5");
}

TEST_F(SkypeCli, BadConfigurationStopsWithFileLineAndField) {
    ScratchDir conf;
    fs::copy(kConf, conf.path(), fs::copy_options::recursive);
    std::ofstream(conf.file("avgipg.conf"), std::ios::app) << "GAUSSIAN late 0.1 30 -2\n";
    std::string err;
    EXPECT_EQ(run("-B " + conf.path() + " -s " + dir.file("out") + " " + trace_, &err), 1);
    EXPECT_NE(err.find(conf.file("avgipg.conf") + ":10: GAUSSIAN sigma: expected a number > 0, "
                                                  "got '-2'"),
              std::string::npos)
        << err;
    EXPECT_FALSE(fs::exists(dir.file("out")));
}

// SKYPE_EARLY_CLASSIF: a direction older than 5 s with more than 200 packets is judged once
// while the flow runs; its row shows the flow at that moment (datagram 252, 5.02 s in), and
// the end of the flow finds it already classed: no second row.
TEST(SkypeEarly, LongCallIsJudgedOnceWhileItRuns) {
    ScratchDir dir;
    SkypeTrace t;
    t.udp_call("10.0.0.9", 40009, "198.51.100.9", 50009, 300, 100,
               [&](Bytes& p, int) { p[2] = static_cast<uint8_t>(0x0d | (p[2] & 0x70)); });
    const std::string trace = dir.file("long.pcap");
    write_file(trace, t.pcap());
    std::string err;
    ASSERT_EQ(run("-B " + kConf + " -s " + dir.file("out") + " " + trace, &err), 0) << err;
    const fs::path td = time_dir(dir.file("out"));
    const auto skype = rows(td / "log_skype_complete");
    ASSERT_EQ(skype.size(), 1u);
    const auto& r = skype[0];
    ASSERT_EQ(r.size(), 51u);
    EXPECT_EQ(r[5], "252");      // packets when judged: the first more than 5 s after the start
    EXPECT_EQ(r[4], "25200");
    EXPECT_EQ(r[20], "5");
    EXPECT_EQ(r[49], "5.020");   // duration so far [s]
    const auto udp = rows(td / "log_udp_complete");
    const auto* u = find_row(udp, "10.0.0.9", 40009);
    ASSERT_NE(u, nullptr);
    EXPECT_EQ((*u)[5], "300");   // the flow went on
    EXPECT_EQ((*u)[8], "5");     // and stays SKYPE_E2E, confirmed when it was judged
}

}  // namespace
}  // namespace tstat::testing
