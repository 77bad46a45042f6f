// The tstat binary as a user runs it: inputs, output folders, signals, damaged files, errors.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
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

const std::string kTstat = std::string(TSTAT_BINARY_DIR) + "/tstat";

struct Outcome {
    int status = -1;       // exit status, or 128 + signal
    std::string out;
    std::string err;
};

// Runs tstat with `args` (shell-quoted by the caller where needed) and TZ=UTC.
Outcome run(const std::string& args, const std::string& stdin_file = "") {
    ScratchDir tmp;
    const std::string cmd = "cd " + tmp.path() + " && TZ=UTC " + kTstat + " " + args +
                            (stdin_file.empty() ? " </dev/null" : " <" + stdin_file) + " >" +
                            tmp.file("out") + " 2>" + tmp.file("err");
    Outcome r;
    const int st = std::system(cmd.c_str());
    r.status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    std::ifstream o(tmp.file("out")), e(tmp.file("err"));
    std::stringstream so, se;
    so << o.rdbuf();
    se << e.rdbuf();
    r.out = so.str();
    r.err = se.str();
    return r;
}

size_t rows(const fs::path& log) {
    std::ifstream in(log);
    size_t n = 0;
    for (std::string line; std::getline(in, line);)
        if (!line.empty() && line[0] != '#') ++n;
    return n;
}

// `sessions` complete TCP conversations starting at `start_sec`, one per 10 ms.
std::vector<uint8_t> trace(int sessions, uint32_t start_sec = 1'700'000'000) {
    PcapWriter w;
    for (int i = 0; i < sessions; ++i) {
        TcpSession s({"10.0.0." + std::to_string(1 + i % 250), static_cast<uint16_t>(2000 + i)},
                     {"192.0.2.1", 80}, Timestamp::from_parts(start_sec, 0));
        s.wait(int64_t{i} * 10'000).handshake().client_send("hi").server_send("hello").close();
        for (const auto& f : s.frames())
            w.packet(static_cast<uint32_t>(f.ts.sec()), static_cast<uint32_t>(f.ts.usec()),
                     f.bytes);
    }
    return w.bytes();
}

class Cli : public ::testing::Test {
protected:
    ScratchDir dir;
    std::string write(const std::string& name, const std::vector<uint8_t>& bytes) {
        write_file(dir.file(name), bytes);
        return dir.file(name);
    }
};

TEST_F(Cli, TraceFileGivesTheTstatLayout) {
    const auto t = write("a.pcap", trace(5));
    const Outcome r = run("-s " + dir.file("out") + " " + t);
    ASSERT_EQ(r.status, 0) << r.err;
    const auto dirs = time_dirs(dir.file("out"));
    ASSERT_EQ(dirs.size(), 1u);
    EXPECT_EQ(dirs[0].filename(), "2023_11_14_22_13.out");  // the first packet, UTC
    for (const char* log : {"log_tcp_complete", "log_tcp_nocomplete", "log_udp_complete",
                            "log_mm_complete", "log_chat_complete", "log_chat_messages",
                            "log_video_complete"})
        EXPECT_TRUE(fs::exists(dirs[0] / log)) << log;
    EXPECT_EQ(rows(dirs[0] / "log_tcp_complete"), 5u);
    EXPECT_NE(r.out.find("total TCP flows analized : 5"), std::string::npos) << r.out;
}

TEST_F(Cli, DefaultRootIsTheTraceNameDotOut) {
    const auto t = write("b.pcap", trace(1));
    ScratchDir cwd;
    const std::string cmd = "cd " + cwd.path() + " && TZ=UTC " + kTstat + " " + t + " >/dev/null";
    ASSERT_EQ(std::system(cmd.c_str()), 0);
    EXPECT_EQ(time_dirs(cwd.file("b.pcap.out")).size(), 1u);
}

TEST_F(Cli, StandardInputByWordOrDash) {
    const auto t = write("c.pcap", trace(3));
    for (const char* word : {"stdin", "-"}) {
        const std::string out = dir.file(std::string("stdin-") + word);
        const Outcome r = run("-s " + out + " " + word, t);
        ASSERT_EQ(r.status, 0) << word << ": " << r.err;
        const auto dirs = time_dirs(out);
        ASSERT_EQ(dirs.size(), 1u);
        EXPECT_EQ(rows(dirs[0] / "log_tcp_complete"), 3u);
    }
}

TEST_F(Cli, FilesAreSeparateRunsUnlessConcatenated) {
    const auto a = write("d1.pcap", trace(2, 1'700'000'000));
    const auto b = write("d2.pcap", trace(3, 1'700'003'600));
    const Outcome sep = run("-s " + dir.file("sep") + " " + a + " " + b);
    ASSERT_EQ(sep.status, 0) << sep.err;
    const auto d = time_dirs(dir.file("sep"));
    ASSERT_EQ(d.size(), 2u);
    EXPECT_EQ(rows(d[0] / "log_tcp_complete"), 2u);
    EXPECT_EQ(rows(d[1] / "log_tcp_complete"), 3u);
    const Outcome cat = run("-c -s " + dir.file("cat") + " " + a + " " + b);
    ASSERT_EQ(cat.status, 0) << cat.err;
    const auto c = time_dirs(dir.file("cat"));
    ASSERT_EQ(c.size(), 1u);
    EXPECT_EQ(rows(c[0] / "log_tcp_complete"), 5u);
}

TEST_F(Cli, TruncatedTraceKeepsWhatWasReadAndSaysWhere) {
    auto bytes = trace(20);
    bytes.resize(bytes.size() - 30);  // the last record is cut
    const auto t = write("cut.pcap", bytes);
    const Outcome r = run("-s " + dir.file("out") + " " + t);
    EXPECT_EQ(r.status, 0);
    EXPECT_NE(r.err.find("cut.pcap"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("record"), std::string::npos) << r.err;
    const auto d = time_dirs(dir.file("out"));
    ASSERT_EQ(d.size(), 1u);
    // 19 conversations closed normally; the cut one ends in log_tcp_nocomplete.
    EXPECT_EQ(rows(d[0] / "log_tcp_complete") + rows(d[0] / "log_tcp_nocomplete"), 20u);
    EXPECT_EQ(slurp(d[0] / "log_tcp_complete").back(), '\n');
}

TEST_F(Cli, GarbageAndMissingFilesAreClearErrors) {
    const auto g = write("garbage.pcap", std::vector<uint8_t>(100, 'x'));
    const Outcome r = run("-s " + dir.file("out") + " " + g);
    EXPECT_EQ(r.status, 1);
    EXPECT_NE(r.err.find("garbage.pcap"), std::string::npos) << r.err;
    const Outcome m = run("-s " + dir.file("out") + " " + dir.file("nope.pcap"));
    EXPECT_EQ(m.status, 1);
    EXPECT_NE(m.err.find("nope.pcap"), std::string::npos) << m.err;
    // One line says why; no second "not a single IP packet" line for the same file.
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_EQ(std::count(m.err.begin(), m.err.end(), '\n'), 1) << m.err;
}

TEST_F(Cli, OptionErrorsNameTheOption) {
    const Outcome r = run("-q x.pcap");
    EXPECT_EQ(r.status, 1);
    EXPECT_NE(r.err.find("-q"), std::string::npos);
    const Outcome h = run("-H histo.conf x.pcap");
    EXPECT_EQ(h.status, 1);
    EXPECT_NE(h.err.find("-H"), std::string::npos) << h.err;
    EXPECT_NE(h.err.find("histo.conf"), std::string::npos) << h.err;
    const Outcome b = run("-B bayes x.pcap");
    EXPECT_EQ(b.status, 1);
    EXPECT_NE(b.err.find("-B"), std::string::npos) << b.err;
    EXPECT_NE(b.err.find("bayes/pktsize.conf: cannot read the file"), std::string::npos) << b.err;
}

TEST_F(Cli, NoLogsAndGzipLogs) {
    const auto t = write("e.pcap", trace(2));
    ASSERT_EQ(run("-L -s " + dir.file("nolog") + " " + t).status, 0);
    const auto d = time_dirs(dir.file("nolog"));
    ASSERT_EQ(d.size(), 1u);
    EXPECT_TRUE(fs::is_empty(d[0]));
    ASSERT_EQ(run("-Z -s " + dir.file("gz") + " " + t).status, 0);
    const auto z = time_dirs(dir.file("gz"));
    ASSERT_EQ(z.size(), 1u);
    EXPECT_TRUE(fs::exists(z[0] / "log_tcp_complete.gz"));
    const std::string unz = "gzip -dc " + (z[0] / "log_tcp_complete.gz").string() +
                            " | grep -vc '^#' | grep -qx 2";
    EXPECT_EQ(std::system(unz.c_str()), 0);
}

TEST_F(Cli, OptionsFromTstatConfWhenNoArguments) {
    const auto t = write("f.pcap", trace(1));
    ScratchDir cwd;
    std::ofstream(cwd.file("tstat.conf")) << "# options, one per line\n-s " << dir.file("conf")
                                          << "\n" << t << "\n";
    const std::string cmd = "cd " + cwd.path() + " && TZ=UTC " + kTstat + " >/dev/null 2>&1";
    ASSERT_EQ(std::system(cmd.c_str()), 0);
    EXPECT_EQ(time_dirs(dir.file("conf")).size(), 1u);
}

// SIGINT (or SIGTERM) in the middle of a long trace: every flow measured so far is logged,
// files end with whole lines, and tstat says it stopped early.
TEST_F(Cli, InterruptFlushesWholeLogs) {
    for (int sig : {SIGINT, SIGTERM}) {
        const auto t = write("big.pcap", trace(40000));
        const std::string out = dir.file("sig" + std::to_string(sig));
        const std::string err = dir.file("sig.err");
        const pid_t pid = fork();
        ASSERT_GE(pid, 0);
        if (pid == 0) {
            freopen(err.c_str(), "w", stderr);
            freopen("/dev/null", "w", stdout);
            setenv("TZ", "UTC", 1);
            execl(kTstat.c_str(), "tstat", "-s", out.c_str(), t.c_str(), nullptr);
            _exit(127);
        }
        // Signal once the run has begun (its handlers are installed before the first time
        // folder appears): on a loaded machine a fixed delay may land before that.
        for (int i = 0; i < 1000 && time_dirs(out).empty(); ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        kill(pid, sig);
        int st = 0;
        waitpid(pid, &st, 0);
        ASSERT_TRUE(WIFEXITED(st));
        const auto d = time_dirs(out);
        if (WEXITSTATUS(st) == 0) continue;  // the machine was fast enough to finish first
        EXPECT_EQ(WEXITSTATUS(st), 1);
        ASSERT_EQ(d.size(), 1u);
        const std::string log = slurp(d[0] / "log_tcp_complete");
        ASSERT_FALSE(log.empty());
        EXPECT_EQ(log.back(), '\n');
        EXPECT_GT(rows(d[0] / "log_tcp_complete") + rows(d[0] / "log_tcp_nocomplete"), 0u);
    }
}

}  // namespace
}  // namespace tstat::testing

namespace tstat::testing {
namespace {

// Live capture on the loopback interface: a connection made while tstat listens is logged when
// SIGINT ends the capture. Needs the right to capture (root or CAP_NET_RAW): skipped otherwise.
TEST(CliLive, LoopbackCaptureEndsCleanlyOnSigint) {
    ScratchDir dir;
    const std::string out = dir.file("live");
    const std::string err = dir.file("live.err");
    const pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
        freopen(err.c_str(), "w", stderr);
        freopen(dir.file("live.out").c_str(), "w", stdout);
        setenv("TZ", "UTC", 1);
        execl(kTstat.c_str(), "tstat", "-l", "-i", "lo", "-s", out.c_str(), nullptr);
        _exit(127);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(700));
    int st = 0;
    if (waitpid(pid, &st, WNOHANG) == pid) {
        const std::string why = slurp(err);
        GTEST_SKIP() << "live capture not possible here: " << why;
    }
    // A local TCP conversation: listen, connect, send, close.
    const std::string py =
        "python3 -c \"import socket,threading\n"
        "s=socket.socket(); s.bind(('127.0.0.1',0)); s.listen(1)\n"
        "p=s.getsockname()[1]\n"
        "def srv():\n"
        "  c,_=s.accept(); c.recv(100); c.sendall(b'pong'); c.close()\n"
        "t=threading.Thread(target=srv); t.start()\n"
        "k=socket.create_connection(('127.0.0.1',p)); k.sendall(b'ping'); k.recv(10); k.close()\n"
        "t.join()\"";
    ASSERT_EQ(std::system(py.c_str()), 0);
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    kill(pid, SIGINT);
    waitpid(pid, &st, 0);
    ASSERT_TRUE(WIFEXITED(st));
    const auto d = time_dirs(out);
    ASSERT_EQ(d.size(), 1u) << slurp(err);
    const std::string log = slurp(d[0] / "log_tcp_complete");
    EXPECT_NE(log.find("127.0.0.1"), std::string::npos) << log << slurp(err);
    EXPECT_EQ(log.back(), '\n');
}

}  // namespace
}  // namespace tstat::testing
