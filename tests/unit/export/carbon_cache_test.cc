// tstat --graphite against a real carbon-cache (Debian graphite-carbon) on loopback, in a
// folder of its own: every closed window reaches whisper, also the windows closed while
// carbon was stopped. Values are read back with whisper-fetch. Skipped (with a message) only
// when carbon-cache or whisper-fetch is not installed.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <thread>

#include "support/packet_builder.h"
#include "support/pcap_writer.h"

namespace tstat::testing {
namespace {

using namespace std::chrono_literals;
const std::string kTstat = std::string(TSTAT_BINARY_DIR) + "/tstat";

bool have(const char* program) {
    return std::system(("command -v " + std::string(program) + " >/dev/null 2>&1").c_str()) == 0;
}

uint16_t free_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
    socklen_t len = sizeof a;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    ::close(fd);
    return ntohs(a.sin_port);
}

bool accepts(uint16_t port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons(port);
    const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
    ::close(fd);
    return ok;
}

// carbon-cache in the foreground, every port on 127.0.0.1, every file under `dir`.
class Carbon {
public:
    explicit Carbon(const std::string& dir) : dir_(dir), port_(free_port()) {
        std::ofstream(dir + "/carbon.conf")
            << "[cache]\nSTORAGE_DIR = " << dir << "/storage/\nLOCAL_DATA_DIR = " << dir
            << "/storage/whisper/\nWHITELISTS_DIR = " << dir << "/storage/lists/\nCONF_DIR = "
            << dir << "/\nLOG_DIR = " << dir << "/log/\nPID_DIR = " << dir
            << "/\nUSER =\nMAX_CACHE_SIZE = inf\nMAX_UPDATES_PER_SECOND = 10000\n"
               "MAX_CREATES_PER_MINUTE = 10000\nLINE_RECEIVER_INTERFACE = 127.0.0.1\n"
               "LINE_RECEIVER_PORT = "
            << port_ << "\nENABLE_UDP_LISTENER = False\nPICKLE_RECEIVER_INTERFACE = 127.0.0.1\n"
            << "PICKLE_RECEIVER_PORT = " << free_port()
            << "\nCACHE_QUERY_INTERFACE = 127.0.0.1\nCACHE_QUERY_PORT = " << free_port() << "\n";
        // 5-minute points for a month: the windows of the test trace land in separate points.
        std::ofstream(dir + "/storage-schemas.conf") << "[all]\npattern = .*\nretentions = 300s:30d\n";
    }
    ~Carbon() { stop(); }
    uint16_t port() const { return port_; }

    bool start() {
        pid_ = ::fork();
        if (pid_ == 0) {
            const std::string conf = "--config=" + dir_ + "/carbon.conf";
            const std::string pid = "--pidfile=" + dir_ + "/carbon.pid";
            const std::string log = "--logdir=" + dir_ + "/log";
            std::freopen((dir_ + "/carbon.out").c_str(), "a", stdout);
            std::freopen((dir_ + "/carbon.out").c_str(), "a", stderr);
            // Nothing of the test's: an inherited end of tstat's input pipe would keep tstat
            // from ever seeing the end of its input.
            for (int fd = 3; fd < 1024; ++fd) ::close(fd);
            ::execlp("carbon-cache", "carbon-cache", conf.c_str(), "--nodaemon", pid.c_str(),
                     log.c_str(), "start", nullptr);
            ::_exit(127);
        }
        for (int i = 0; i < 300; ++i) {
            if (accepts(port_)) return true;
            std::this_thread::sleep_for(100ms);
        }
        return false;
    }
    void stop() {
        if (pid_ <= 0) return;
        ::kill(pid_, SIGTERM);
        int st = 0;
        ::waitpid(pid_, &st, 0);
        pid_ = -1;
        std::remove((dir_ + "/carbon.pid").c_str());
    }
    // whisper-fetch of one metric: timestamp -> value, points with a value only.
    std::map<long, double> fetch(const std::string& metric, long from, long until) const {
        std::string rel = metric;
        for (char& c : rel)
            if (c == '.') c = '/';
        const std::string path = dir_ + "/storage/whisper/" + rel + ".wsp";
        std::map<long, double> out;
        const std::string cmd = "whisper-fetch --from=" + std::to_string(from) + " --until=" +
                                std::to_string(until) + " " + path + " 2>/dev/null";
        FILE* p = ::popen(cmd.c_str(), "r");
        if (p == nullptr) return out;
        char line[256];
        while (std::fgets(line, sizeof line, p) != nullptr) {
            long t = 0;
            double v = 0;
            if (std::sscanf(line, "%ld %lf", &t, &v) == 2) out[t] = v;
        }
        ::pclose(p);
        return out;
    }

private:
    std::string dir_;
    uint16_t port_;
    pid_t pid_ = -1;
};

void add_frames(PcapWriter& w, const std::vector<TimedFrame>& frames) {
    for (const auto& f : frames)
        w.packet(static_cast<uint32_t>(f.ts.sec()), static_cast<uint32_t>(f.ts.usec()), f.bytes);
}

// `n` TCP conversations at `sec`, and before them (when `closer`) a lone ACK 50 s earlier
// that belongs to no flow and closes the running window.
std::vector<uint8_t> window_packets(uint32_t sec, int n, bool closer, int first_id) {
    PcapWriter w;
    if (closer)
        w.packet(sec - 50, 0,
                 PacketBuilder().ethernet().ipv4("10.9.9.9", "192.0.2.1").tcp(4000, 80)
                     .flags(0x10).build());
    for (int i = 0; i < n; ++i) {
        const int id = first_id + i;
        TcpSession s({"10.0." + std::to_string(id / 200) + "." + std::to_string(1 + id % 200),
                      static_cast<uint16_t>(2000 + id)},
                     {"192.0.2.1", 80}, Timestamp::from_parts(sec, int64_t{i} * 20'000));
        s.handshake().client_send("hi").server_send("hello").close();
        add_frames(w, s.frames());
    }
    // Without the 24-byte file header: the test writes one header, then these records.
    const auto& b = w.bytes();
    return std::vector<uint8_t>(b.begin() + 24, b.end());
}

TEST(CarbonCache, EveryWindowArrivesAlsoAcrossACarbonRestart) {
    if (!have("carbon-cache") || !have("whisper-fetch"))
        GTEST_SKIP() << "carbon-cache or whisper-fetch not installed (Debian graphite-carbon, "
                        "python3-whisper): the Graphite export is not tested against carbon";
    ScratchDir dir;
    Carbon carbon(dir.path());
    ASSERT_TRUE(carbon.start()) << "carbon-cache did not start; see " << dir.file("carbon.out");

    // Windows of 300 s: window k holds k + 1 flows at T0 + 400 k, and the lone ACK at
    // T0 + 400 k - 50 closes window k - 1. T0 is 300-aligned, so each close falls in a point
    // of its own: T0+350 -> T0+300, T0+750 -> T0+600, T0+1150 -> T0+900, end T0+1200.
    const uint32_t t0 = static_cast<uint32_t>((std::time(nullptr) - 4 * 3600) / 300 * 300);
    std::ofstream(dir.file("histo.conf")) << "include L4_flow_number\n";
    const std::string cmd = "TZ=UTC " + kTstat + " -H " + dir.file("histo.conf") + " -s " +
                            dir.file("out") + " --graphite 127.0.0.1:" +
                            std::to_string(carbon.port()) +
                            " --graphite-probe test.probe stdin >" + dir.file("tstat.out") +
                            " 2>" + dir.file("tstat.err");
    FILE* in = ::popen(cmd.c_str(), "w");
    ASSERT_NE(in, nullptr);
    auto feed = [&](const std::vector<uint8_t>& bytes) {
        std::fwrite(bytes.data(), 1, bytes.size(), in);
        std::fflush(in);
    };
    const auto header = PcapWriter().bytes();
    feed(header);
    int id = 0;
    feed(window_packets(t0, 1, false, id));
    id += 1;
    feed(window_packets(t0 + 400, 2, true, id));   // closes window 0: 1 flow
    id += 2;
    const std::string metric = "tstat.test_probe.L4_flow_number.0";
    const long from = t0 - 600, until = t0 + 3000;
    // Carbon writes through a cache: poll for at most 20 s.
    std::map<long, double> got;
    auto poll = [&](size_t points) {
        const auto end = std::chrono::steady_clock::now() + 20s;
        while (got.size() < points && std::chrono::steady_clock::now() < end) {
            std::this_thread::sleep_for(200ms);
            got = carbon.fetch(metric, from, until);
        }
    };
    poll(1);
    ASSERT_EQ(got[t0 + 300], 1) << "window 0 never reached whisper";

    // Carbon goes away; two windows close meanwhile; carbon comes back.
    carbon.stop();
    feed(window_packets(t0 + 800, 3, true, id));    // closes window 1: 2 flows
    id += 3;
    feed(window_packets(t0 + 1200, 4, true, id));   // closes window 2: 3 flows
    std::this_thread::sleep_for(1500ms);            // the client tries and fails meanwhile
    ASSERT_TRUE(carbon.start());
    const int st = ::pclose(in);                    // end of input: LAST, 4 flows
    ASSERT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0) << "tstat failed, see "
                                                       << dir.file("tstat.err");
    poll(4);
    EXPECT_EQ(got, (std::map<long, double>{{t0 + 300, 1}, {t0 + 600, 2}, {t0 + 900, 3},
                                           {t0 + 1200, 4}}));
}

}  // namespace
}  // namespace tstat::testing
