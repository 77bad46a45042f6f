// "stdin" and "-": standard input as a pipe (written slowly, in odd pieces) or a redirected
// file, plain or gzip.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/time.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "capture/source.h"
#include "capture_test_util.h"
#include "support/pcap_writer.h"

namespace tstat::capture::test {
namespace {

using tstat::testing::gzip_compress;
using tstat::testing::PcapngWriter;
using tstat::testing::PcapWriter;
using tstat::testing::test_payload;

// Puts something on fd 0 for the lifetime of the object, then restores the real stdin.
class StdinRedirect {
  public:
    explicit StdinRedirect(int fd) : saved_(::dup(0)) {
        ::dup2(fd, 0);
        ::close(fd);
    }
    ~StdinRedirect() {
        ::dup2(saved_, 0);
        ::close(saved_);
    }
    StdinRedirect(const StdinRedirect&) = delete;
    StdinRedirect& operator=(const StdinRedirect&) = delete;

  private:
    int saved_;
};

// Feeds `bytes` into a pipe from a thread, in pieces of varying size with small pauses.
class PipeFeeder {
  public:
    explicit PipeFeeder(std::vector<uint8_t> bytes) : bytes_(std::move(bytes)) {
        int fds[2];
        if (::pipe(fds) != 0) throw std::runtime_error("pipe");
        read_fd_ = fds[0];
        write_fd_ = fds[1];
        thread_ = std::thread([this] {
            size_t pos = 0;
            size_t piece = 1;
            while (pos < bytes_.size()) {
                size_t n = std::min(piece, bytes_.size() - pos);
                ssize_t w = ::write(write_fd_, bytes_.data() + pos, n);
                if (w <= 0) break;
                pos += static_cast<size_t>(w);
                piece = piece * 7 % 5000 + 1;
                if (pos % 3 == 0) std::this_thread::sleep_for(std::chrono::microseconds(200));
            }
            ::close(write_fd_);
        });
    }
    ~PipeFeeder() { thread_.join(); }
    PipeFeeder(const PipeFeeder&) = delete;
    PipeFeeder& operator=(const PipeFeeder&) = delete;
    int read_fd() const { return read_fd_; }

  private:
    std::vector<uint8_t> bytes_;
    int read_fd_ = -1;
    int write_fd_ = -1;
    std::thread thread_;
};

std::vector<uint8_t> sample_pcap(uint32_t count) {
    PcapWriter w;
    for (uint32_t i = 0; i < count; ++i) w.packet(50 + i, 0, test_payload(i % 700 + 1, i));
    return w.bytes();
}

void expect_sample(const Drained& d, uint32_t count) {
    EXPECT_EQ(d.last, ReadStatus::kEnd) << d.error;
    ASSERT_EQ(d.packets.size(), count);
    for (uint32_t i = 0; i < count; ++i) ASSERT_EQ(d.packets[i].data, test_payload(i % 700 + 1, i));
}

TEST(StdinSource, ReadsAPipeByEitherName) {
    for (const char* name : {"stdin", "-"}) {
        SCOPED_TRACE(name);
        PipeFeeder feeder(sample_pcap(500));
        StdinRedirect redirect(feeder.read_fd());
        SourceSpec spec;
        spec.path = name;
        auto src = open_source(spec);
        ASSERT_TRUE(src.ok()) << src.error();
        Drained d = drain(**src);
        expect_sample(d, 500);
        Progress p = (*src)->progress();
        EXPECT_EQ(p.total_bytes, 0u);  // unknown for a pipe
        EXPECT_EQ(p.packets, 500u);
    }
}

TEST(StdinSource, ReadsGzipAndPcapngFromAPipe) {
    PipeFeeder feeder(gzip_compress(sample_pcap(300)));
    StdinRedirect redirect(feeder.read_fd());
    SourceSpec spec;
    spec.path = "stdin";
    auto src = open_source(spec);
    ASSERT_TRUE(src.ok()) << src.error();
    EXPECT_EQ((*src)->describe().rfind("gzip pcap", 0), 0u) << (*src)->describe();
    expect_sample(drain(**src), 300);
}

TEST(StdinSource, ReadsPcapngFromAPipe) {
    PcapngWriter w;
    w.section();
    w.interface(1, 0);
    for (uint32_t i = 0; i < 100; ++i) w.enhanced(0, 1000 + i, test_payload(i % 700 + 1, i));
    PipeFeeder feeder(w.bytes());
    StdinRedirect redirect(feeder.read_fd());
    SourceSpec spec;
    spec.path = "-";
    auto src = open_source(spec);
    ASSERT_TRUE(src.ok()) << src.error();
    expect_sample(drain(**src), 100);
}

TEST(StdinSource, RedirectedFileKnowsItsSize) {
    tstat::testing::ScratchDir dir;
    auto bytes = sample_pcap(20);
    tstat::testing::write_file(dir.file("in.pcap"), bytes);
    int fd = ::open(dir.file("in.pcap").c_str(), O_RDONLY);
    ASSERT_GE(fd, 0);
    StdinRedirect redirect(fd);
    SourceSpec spec;
    spec.path = "stdin";
    auto src = open_source(spec);
    ASSERT_TRUE(src.ok()) << src.error();
    expect_sample(drain(**src), 20);
    EXPECT_EQ((*src)->progress().total_bytes, bytes.size());
    EXPECT_EQ((*src)->progress().bytes_read, bytes.size());
}

TEST(StdinSource, EmptyAndGarbageInputAreReported) {
    {
        PipeFeeder feeder({});
        StdinRedirect redirect(feeder.read_fd());
        SourceSpec spec;
        spec.path = "stdin";
        auto src = open_source(spec);
        ASSERT_FALSE(src.ok());
        EXPECT_EQ(src.error(), "stdin: empty file");
    }
    {
        PipeFeeder feeder({'G', 'E', 'T', ' ', '/'});
        StdinRedirect redirect(feeder.read_fd());
        SourceSpec spec;
        spec.path = "stdin";
        auto src = open_source(spec);
        ASSERT_FALSE(src.ok());
        EXPECT_EQ(src.error(), "stdin: not a pcap or pcapng file (first bytes 47 45 54 20)");
    }
}

TEST(StdinSource, TruncatedPipeEndsWithAnError) {
    auto bytes = sample_pcap(10);
    bytes.resize(bytes.size() - 3);
    PipeFeeder feeder(bytes);
    StdinRedirect redirect(feeder.read_fd());
    SourceSpec spec;
    spec.path = "stdin";
    auto src = open_source(spec);
    ASSERT_TRUE(src.ok());
    Drained d = drain(**src);
    EXPECT_EQ(d.packets.size(), 9u);
    EXPECT_EQ(d.last, ReadStatus::kError);
    EXPECT_EQ(d.error.rfind("stdin: record 10 at offset ", 0), 0u) << d.error;
}

void on_alarm(int) {}

// A signal that interrupts a blocked read of stdin turns into an empty kTimeout batch (so
// the caller can check its SIGINT flag), and reading goes on afterwards.
TEST(StdinSource, InterruptedReadIsATimeoutAndReadingContinues) {
    auto bytes = sample_pcap(3);
    const size_t first = 24 + 16 + 1;  // header and the first record (1 byte of data)
    int fds[2];
    ASSERT_EQ(::pipe(fds), 0);
    ASSERT_EQ(::write(fds[1], bytes.data(), first), static_cast<ssize_t>(first));
    StdinRedirect redirect(fds[0]);

    struct sigaction sa {};
    struct sigaction old {};
    sa.sa_handler = on_alarm;  // no SA_RESTART: read(2) fails with EINTR
    ASSERT_EQ(::sigaction(SIGALRM, &sa, &old), 0);

    SourceSpec spec;
    spec.path = "stdin";
    auto src = open_source(spec);
    ASSERT_TRUE(src.ok()) << src.error();
    PacketBatch batch;
    ASSERT_EQ((*src)->next_batch(batch), ReadStatus::kOk);
    ASSERT_EQ(batch.count, 1u);

    itimerval timer{};
    timer.it_value.tv_usec = 100000;
    ::setitimer(ITIMER_REAL, &timer, nullptr);
    EXPECT_EQ((*src)->next_batch(batch), ReadStatus::kTimeout);  // blocked, then interrupted
    EXPECT_EQ(batch.count, 0u);
    ::sigaction(SIGALRM, &old, nullptr);

    ASSERT_EQ(::write(fds[1], bytes.data() + first, bytes.size() - first),
              static_cast<ssize_t>(bytes.size() - first));
    ::close(fds[1]);
    Drained d = drain(**src);
    EXPECT_EQ(d.last, ReadStatus::kEnd) << d.error;
    ASSERT_EQ(d.packets.size(), 2u);
    EXPECT_EQ(d.packets[1].data, test_payload(3, 2));
}

}  // namespace
}  // namespace tstat::capture::test
