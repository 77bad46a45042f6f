#include "output/log_file.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace tstat::output {
namespace {

std::string read_all(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

std::string temp_path(const char* name) {
    return (std::filesystem::temp_directory_path() /
            (std::string("tstat_logfile_") + std::to_string(getpid()) + "_" + name))
        .string();
}

TEST(LogFile, AppendsLines) {
    const std::string p = temp_path("append");
    std::filesystem::remove(p);
    {
        LogFile f;
        ASSERT_TRUE(f.open(p, false).ok());
        f.write_line("a b c\n");
        f.write_line("d e f\n");
    }
    EXPECT_EQ(read_all(p), "a b c\nd e f\n");
    std::filesystem::remove(p);
}

TEST(LogFile, FullDiskKeepsWholeLinesAndSaysSo) {
    // A file size limit makes write() fail like a full disk would.
    signal(SIGXFSZ, SIG_IGN);
    struct rlimit old {};
    getrlimit(RLIMIT_FSIZE, &old);
    struct rlimit lim = old;
    lim.rlim_cur = 300000;
    ASSERT_EQ(setrlimit(RLIMIT_FSIZE, &lim), 0);
    const std::string p = temp_path("full");
    std::filesystem::remove(p);
    LogFile f;
    ASSERT_TRUE(f.open(p, false).ok());
    const std::string line(99, 'x');
    for (int i = 0; i < 10000; ++i) f.write_line(line + "\n");
    f.close();
    setrlimit(RLIMIT_FSIZE, &old);
    EXPECT_TRUE(f.failed());
    EXPECT_NE(f.failure().find(p), std::string::npos);
    const std::string content = read_all(p);
    ASSERT_FALSE(content.empty());
    EXPECT_EQ(content.size() % 100, 0u);  // only whole 100-byte lines
    EXPECT_EQ(content.back(), '\n');
    std::filesystem::remove(p);
}

TEST(LogFile, UnwritableFolderIsAClearError) {
    LogFile f;
    Status s = f.open("/nonexistent-folder/log_tcp_complete", false);
    ASSERT_FALSE(s.ok());
    EXPECT_NE(s.error().find("/nonexistent-folder/log_tcp_complete"), std::string::npos);
}

}  // namespace
}  // namespace tstat::output
