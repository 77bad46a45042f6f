#include "app/config_files.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace tstat::app {
namespace {

std::string write_temp(const std::string& name, const std::string& text) {
    const auto p = std::filesystem::temp_directory_path() /
                   ("tstat_cfg_" + std::to_string(getpid()) + "_" + name);
    std::ofstream(p) << text;
    return p.string();
}

TEST(RuntimeConf, LogsAndLevels) {
    const auto p = write_temp("rt1", "[log]\nlog_tcp_complete = 1\nlog_udp_complete = 0\n"
                                     "histo_engine 0\n[options]\ntcplog_end_to_end = 0\n"
                                     "tcplog_layer7 = 0\ntcplog_p2p = 0\ntcplog_options = 0\n"
                                     "httplog_full_url = 2\n[dump]\nsnap_len = 0\n");
    auto rc = load_runtime_conf(p, {});
    ASSERT_TRUE(rc.ok()) << rc.error();
    EXPECT_EQ(rc->logs.tcp_level, 0);
    EXPECT_FALSE(rc->logs.enabled(output::log_bit::kUdpComplete));
    EXPECT_TRUE(rc->logs.enabled(output::log_bit::kTcpComplete));
    EXPECT_FALSE(rc->histo_engine);
    EXPECT_EQ(rc->logs.httplog_full_url, 2);
    EXPECT_EQ(rc->dump.at("snap_len"), 0);
}

TEST(RuntimeConf, ErrorsNameFileAndLine) {
    const auto p = write_temp("rt2", "[log]\n\nlog_tcp_complete = 1\nlog_bogus = 1\n");
    auto rc = load_runtime_conf(p, {});
    ASSERT_FALSE(rc.ok());
    EXPECT_NE(rc.error().find(p + ":4:"), std::string::npos) << rc.error();
    EXPECT_NE(rc.error().find("log_bogus"), std::string::npos);
    const auto q = write_temp("rt3", "[log]\nlog_tcp_complete = 2\n");
    auto rc2 = load_runtime_conf(q, {});
    ASSERT_FALSE(rc2.ok());
    EXPECT_NE(rc2.error().find(":2:"), std::string::npos);
    const auto g = write_temp("rt4", "[globals]\nmax_tcp_pairs = 10\n");
    EXPECT_FALSE(load_runtime_conf(g, {}).ok());
}

TEST(Globals, SecondsBecomeMicrosecondsAndLimitsFixTheTable) {
    const auto p = write_temp("g1", "[globals]\nTCP_Idle_Time = 600\nmax_tcp_pairs = 200000\n"
                                    "runtime_config_idle = 30.5\n");
    auto g = load_globals(p, {});
    ASSERT_TRUE(g.ok()) << g.error();
    EXPECT_EQ(g->flow.tcp_idle_us, 600'000'000);
    EXPECT_EQ(g->flow.max_tcp_pairs, 200000u);
    EXPECT_FALSE(g->flow.growable_tables);
    EXPECT_DOUBLE_EQ(g->runtime_config_idle_s, 30.5);
}

TEST(Globals, RejectsUnknownKeysAndBadValues) {
    EXPECT_FALSE(load_globals(write_temp("g2", "[globals]\nfoo = 1\n"), {}).ok());
    auto bad = load_globals(write_temp("g3", "[globals]\nmax_udp_pairs = many\n"), {});
    ASSERT_FALSE(bad.ok());
    EXPECT_NE(bad.error().find(":2:"), std::string::npos);
    // gc_split_ratio must divide the table sizes (Tstat's rule).
    EXPECT_FALSE(load_globals(write_temp("g4", "[globals]\nmax_tcp_pairs = 12345\n"), {}).ok());
    // Keys of a Tstat build option we do not have: refused with the reason, not "unknown".
    auto mixed = load_globals(write_temp("g5", "[globals]\ndns_cache_size_ipv4_dsn6 = 1000\n"), {});
    ASSERT_FALSE(mixed.ok());
    EXPECT_NE(mixed.error().find("SUPPORT_MIXED_DNS"), std::string::npos) << mixed.error();
}

}  // namespace
}  // namespace tstat::app
