// runtime.conf changed while tstat reads standard input (spec §14.1): SIGHUP applies it at
// once, the polling applies it once the file is stable, a bad file changes nothing. The logs
// switch to a new time folder and every flow is logged exactly once, before or after.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <utime.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "support/output_files.h"
#include "support/packet_builder.h"
#include "support/pcap_writer.h"

namespace tstat::testing {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

const std::string kTstat = std::string(TSTAT_BINARY_DIR) + "/tstat";

// Client ports of the rows of a TCP log (column 2), each with how often it appears.
void count_ports(const fs::path& log, std::map<int, int>& seen) {
    std::istringstream in(slurp(log));
    for (std::string line; std::getline(in, line);) {
        if (line.empty() || line[0] == '#') continue;
        std::istringstream f(line);
        std::string addr;
        int port = 0;
        f >> addr >> port;
        ++seen[port];
    }
}

size_t rows(const fs::path& log) {
    std::istringstream in(slurp(log));
    size_t n = 0;
    for (std::string line; std::getline(in, line);)
        if (!line.empty() && line[0] != '#') ++n;
    return n;
}

// `count` TCP conversations from client port `first_port` on, one per second from `start`.
void sessions(PcapWriter& w, uint32_t start, int first_port, int count) {
    for (int i = 0; i < count; ++i) {
        TcpSession s({"10.0.0.1", static_cast<uint16_t>(first_port + i)}, {"192.0.2.1", 80},
                     Timestamp::from_parts(start + static_cast<uint32_t>(i), 0));
        s.handshake().client_send("hi").server_send("hello").close();
        for (const auto& f : s.frames())
            w.packet(static_cast<uint32_t>(f.ts.sec()), static_cast<uint32_t>(f.ts.usec()),
                     f.bytes);
    }
}

// A DNS query for example.com.
void dns_query(PcapWriter& w, uint32_t at) {
    std::string q("\x12\x34\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00", 12);
    q += std::string("\x07" "example" "\x03" "com" "\x00\x00\x01\x00\x01", 17);
    w.packet(at, 0,
             PacketBuilder()
                 .ethernet()
                 .ipv4("10.0.0.1", "192.0.2.53")
                 .udp(40000, 53)
                 .payload(q)
                 .build());
}

void udp_flows(PcapWriter& w, uint32_t at, int count) {
    for (int i = 0; i < count; ++i)
        w.packet(at, static_cast<uint32_t>(i) * 1000,
                 PacketBuilder()
                     .ethernet()
                     .ipv4("10.0.0.1", "192.0.2.53")
                     .udp(static_cast<uint16_t>(30000 + i), 5555)
                     .payload("ping")
                     .build());
}

// One pcap record (no file header) of an ARP request.
std::vector<uint8_t> arp_record(uint32_t sec) {
    std::vector<uint8_t> frame(12, 0xff);
    frame.push_back(0x08);
    frame.push_back(0x06);
    frame.resize(14 + 28, 0);
    PcapWriter w;
    w.packet(sec, 0, frame);
    return std::vector<uint8_t>(w.bytes().begin() + 24, w.bytes().end());
}

const char* kBase =
    "[log]\nlog_tcp_complete = 1\nlog_tcp_nocomplete = 1\nlog_udp_complete = 0\n"
    "[options]\ntcplog_end_to_end = 1\n";
const char* kChanged =
    "[log]\nlog_tcp_complete = 1\nlog_tcp_nocomplete = 1\nlog_udp_complete = 1\n"
    "log_dns_complete = 1\n"
    "[options]\ntcplog_end_to_end = 1\n";

// tstat reading a pipe as its standard input.
class PipedTstat {
public:
    PipedTstat(const ScratchDir& dir, std::vector<std::string> args) : dir_(dir) {
        int fds[2];
        EXPECT_EQ(pipe(fds), 0);
        pid_ = fork();
        if (pid_ == 0) {
            dup2(fds[0], 0);
            close(fds[0]);
            close(fds[1]);
            freopen(dir.file("stdout").c_str(), "w", stdout);
            freopen(dir.file("stderr").c_str(), "w", stderr);
            setenv("TZ", "UTC", 1);
            std::vector<char*> argv{const_cast<char*>("tstat")};
            for (auto& a : args) argv.push_back(a.data());
            argv.push_back(const_cast<char*>("stdin"));
            argv.push_back(nullptr);
            execv(kTstat.c_str(), argv.data());
            _exit(127);
        }
        close(fds[0]);
        in_ = fds[1];
    }
    ~PipedTstat() {
        if (in_ >= 0) close(in_);
        if (pid_ > 0 && !waited_) {
            kill(pid_, SIGKILL);
            waitpid(pid_, nullptr, 0);
        }
    }
    // Writes bytes, then waits until tstat has read them all and had time to process them.
    void feed(const std::vector<uint8_t>& bytes) {
        size_t off = 0;
        while (off < bytes.size()) {
            const ssize_t n = write(in_, bytes.data() + off, bytes.size() - off);
            ASSERT_GT(n, 0);
            off += static_cast<size_t>(n);
        }
        for (int i = 0; i < 500; ++i) {
            int unread = 0;
            if (ioctl(in_, FIONREAD, &unread) == 0 && unread == 0) break;
            std::this_thread::sleep_for(10ms);
        }
        std::this_thread::sleep_for(300ms);
    }
    // Sends `sig` once tstat catches it: under a sanitizer on a loaded machine, start-up can
    // outlast any fixed pause, and a signal before the handler would kill it.
    void signal(int sig) {
        for (int i = 0; i < 1000 && !catches(sig); ++i) std::this_thread::sleep_for(10ms);
        kill(pid_, sig);
    }
    // The SigCgt mask of /proc/PID/status has the signal's bit.
    bool catches(int sig) const {
        std::ifstream status("/proc/" + std::to_string(pid_) + "/status");
        std::string line;
        while (std::getline(status, line)) {
            if (line.rfind("SigCgt:", 0) != 0) continue;
            const unsigned long long mask = std::stoull(line.substr(7), nullptr, 16);
            return (mask >> (sig - 1)) & 1u;
        }
        return false;
    }
    // Waits until stdout says `text` (true) or gives up after 10 s.
    bool wait_for_stdout(const std::string& text) {
        for (int i = 0; i < 1000; ++i) {
            if (slurp(dir_.file("stdout")).find(text) != std::string::npos) return true;
            std::this_thread::sleep_for(10ms);
        }
        return false;
    }
    int finish() {
        close(in_);
        in_ = -1;
        int st = 0;
        waitpid(pid_, &st, 0);
        waited_ = true;
        return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    }
    std::string out() const { return slurp(dir_.file("stdout")); }
    std::string err() const { return slurp(dir_.file("stderr")); }

private:
    const ScratchDir& dir_;
    pid_t pid_ = -1;
    int in_ = -1;
    bool waited_ = false;
};

void write_text(const std::string& path, const std::string& text) {
    std::ofstream(path, std::ios::trunc) << text;
}

// The two halves of a run: a pcap header with 30 TCP conversations over 30 s of trace time,
// then 30 more and a few UDP flows two minutes later.
std::pair<std::vector<uint8_t>, std::vector<uint8_t>> two_parts() {
    PcapWriter first;
    sessions(first, 1'700'000'000, 2000, 30);
    PcapWriter second;
    sessions(second, 1'700'000'120, 3000, 30);
    udp_flows(second, 1'700'000'150, 5);
    dns_query(second, 1'700'000'151);
    const size_t header = 24;  // PcapWriter always starts with the file header
    std::vector<uint8_t> tail(second.bytes().begin() + header, second.bytes().end());
    return {first.bytes(), tail};
}

TEST(RuntimeReload, SighupSwitchesTheLogsWithoutLosingOrRepeatingAFlow) {
    ScratchDir dir;
    const std::string conf = dir.file("runtime.conf");
    write_text(conf, kBase);
    const auto [part1, part2] = two_parts();
    PipedTstat t(dir, {"-T", conf, "-s", dir.file("out")});
    t.feed(part1);
    write_text(conf, kChanged);
    t.signal(SIGHUP);
    ASSERT_TRUE(t.wait_for_stdout("Enabling log_udp_complete")) << t.out() << t.err();
    ASSERT_TRUE(t.wait_for_stdout("created new outdir")) << t.out();
    t.feed(part2);
    ASSERT_EQ(t.finish(), 0) << t.err();

    const auto dirs = time_dirs(dir.file("out"));
    // The change came at a trace time in the first folder's minute: the second folder of that
    // minute gets its own name instead of replacing the first (Tstat removed it).
    ASSERT_EQ(dirs.size(), 2u) << t.out();
    EXPECT_EQ(dirs[0].filename(), "2023_11_14_22_13.out");
    EXPECT_EQ(dirs[1].filename(), "2023_11_14_22_13_02.out");
    EXPECT_FALSE(fs::exists(dirs[0] / "log_udp_complete"));
    EXPECT_EQ(rows(dirs[1] / "log_udp_complete"), 6u);
    // log_dns_complete switched on while running: the classifier makes its rows from then on.
    EXPECT_EQ(rows(dirs[1] / "log_dns_complete"), 1u);

    std::map<int, int> seen;
    for (const auto& d : dirs)
        for (const char* log : {"log_tcp_complete", "log_tcp_nocomplete"})
            count_ports(d / log, seen);
    EXPECT_EQ(seen.size(), 60u);
    for (const auto& [port, n] : seen) EXPECT_EQ(n, 1) << "client port " << port;
    // Flows closed before the change are in the first folder, the second half's in the second.
    EXPECT_GT(rows(dirs[0] / "log_tcp_complete"), 0u);
    std::map<int, int> later;
    count_ports(dirs[1] / "log_tcp_complete", later);
    for (int p = 3000; p < 3030; ++p) EXPECT_EQ(later.count(p), 1u) << p;
}

TEST(RuntimeReload, PollingAppliesAStableChange) {
    ScratchDir dir;
    const std::string conf = dir.file("runtime.conf");
    const std::string globals = dir.file("globals.conf");
    write_text(conf, kBase);
    // Looks every 0.1 s; two unchanged looks after a change.
    write_text(globals, "[globals]\nruntime_config_idle = 0.1\nruntime_mtime_counter = 2\n");
    const auto [part1, part2] = two_parts();
    PipedTstat t(dir, {"-T", conf, "-G", globals, "-s", dir.file("out")});
    t.feed(part1);
    write_text(conf, kChanged);
    // mtime has a one-second resolution: make the change visible whatever the clock says.
    struct utimbuf times {time(nullptr) + 5, time(nullptr) + 5};
    ASSERT_EQ(utime(conf.c_str(), &times), 0);
    // The file is looked at after each batch of packets: non-IP frames (ARP) keep the loop
    // turning without making flows, until the change is applied.
    for (int i = 0; i < 100 && t.out().find("Enabling") == std::string::npos; ++i)
        t.feed(arp_record(1'700'000'040));
    ASSERT_TRUE(t.wait_for_stdout("Enabling log_udp_complete")) << t.out() << t.err();
    t.feed(part2);
    ASSERT_EQ(t.finish(), 0) << t.err();
    const auto dirs = time_dirs(dir.file("out"));
    ASSERT_EQ(dirs.size(), 2u) << t.out();
    EXPECT_EQ(rows(dirs[1] / "log_udp_complete"), 6u);
}

TEST(RuntimeReload, ABadFileKeepsTheRunningConfigurationAndNamesTheLine) {
    ScratchDir dir;
    const std::string conf = dir.file("runtime.conf");
    write_text(conf, kBase);
    const auto [part1, part2] = two_parts();
    PipedTstat t(dir, {"-T", conf, "-s", dir.file("out")});
    t.feed(part1);
    write_text(conf, "[log]\nlog_tcp_complete = 1\nlog_udp_complete = 1\nlog_everything = 1\n");
    t.signal(SIGHUP);
    for (int i = 0; i < 500 && t.err().find("keeping") == std::string::npos; ++i)
        std::this_thread::sleep_for(10ms);
    t.feed(part2);
    ASSERT_EQ(t.finish(), 0) << t.err();
    EXPECT_NE(t.err().find(conf + ":4:"), std::string::npos) << t.err();
    EXPECT_NE(t.err().find("log_everything"), std::string::npos) << t.err();
    EXPECT_NE(t.err().find("keeping the running configuration"), std::string::npos) << t.err();
    // Nothing changed: one folder, no UDP log, every flow logged once.
    const auto dirs = time_dirs(dir.file("out"));
    ASSERT_EQ(dirs.size(), 1u);
    EXPECT_FALSE(fs::exists(dirs[0] / "log_udp_complete"));
    std::map<int, int> seen;
    count_ports(dirs[0] / "log_tcp_complete", seen);
    count_ports(dirs[0] / "log_tcp_nocomplete", seen);
    EXPECT_EQ(seen.size(), 60u);
    EXPECT_FALSE(fs::exists(dirs[0] / "log_dns_complete"));
}

TEST(RuntimeReload, SighupBeforeTheFirstBytesKeepsWaiting) {
    ScratchDir dir;
    const std::string conf = dir.file("runtime.conf");
    write_text(conf, kBase);
    const auto [part1, part2] = two_parts();
    PipedTstat t(dir, {"-T", conf, "-s", dir.file("out")});
    std::this_thread::sleep_for(300ms);   // tstat waits for the stream's first bytes
    write_text(conf, kChanged);
    t.signal(SIGHUP);
    std::this_thread::sleep_for(300ms);
    t.feed(part1);
    t.feed(part2);
    ASSERT_EQ(t.finish(), 0) << t.err();
    EXPECT_EQ(t.err().find("interrupted"), std::string::npos) << t.err();
    // The change was read before the first packet: one folder, made with it.
    const auto dirs = time_dirs(dir.file("out"));
    ASSERT_EQ(dirs.size(), 1u) << t.out();
    EXPECT_EQ(rows(dirs[0] / "log_udp_complete"), 6u);
    EXPECT_EQ(rows(dirs[0] / "log_dns_complete"), 1u);
}

}  // namespace
}  // namespace tstat::testing
