#include "app/options.h"

#include <gtest/gtest.h>

namespace tstat::app {
namespace {

TEST(Options, TstatStyleClustersAndMixedFiles) {
    auto o = parse_options({"-dd", "trace1.pcap", "-sout", "-N", "net.txt", "-uZ", "trace2.pcap"});
    ASSERT_TRUE(o.ok()) << o.error();
    EXPECT_EQ(o->debug, 2);
    EXPECT_EQ(o->out_dir, "out");
    EXPECT_EQ(o->net_file, "net.txt");
    EXPECT_TRUE(o->no_udp);
    EXPECT_TRUE(o->gzip_logs);
    EXPECT_EQ(o->traces, (std::vector<std::string>{"trace1.pcap", "trace2.pcap"}));
}

TEST(Options, LongOptionsAndDashAsStdin) {
    auto o = parse_options({"--keyvalue", "secret", "--enc", "--keyfile=k.txt", "-"});
    ASSERT_TRUE(o.ok()) << o.error();
    EXPECT_EQ(o->key_value, "secret");
    EXPECT_EQ(o->key_file, "k.txt");
    EXPECT_TRUE(o->enc);
    EXPECT_EQ(o->traces, std::vector<std::string>{"-"});
}

TEST(Options, ErrorsNameTheOption) {
    auto bad = parse_options({"-q"});
    ASSERT_FALSE(bad.ok());
    EXPECT_NE(bad.error().find("-q"), std::string::npos);
    auto missing = parse_options({"trace", "-s"});
    ASSERT_FALSE(missing.ok());
    EXPECT_NE(missing.error().find("-s: missing argument"), std::string::npos);
    auto snap = parse_options({"-E", "70000"});
    ASSERT_FALSE(snap.ok());
    EXPECT_NE(snap.error().find("1 to 65535"), std::string::npos);
    EXPECT_FALSE(parse_options({"--bogus"}).ok());
}

TEST(Options, EndOfOptions) {
    auto o = parse_options({"--", "-weird-name.pcap"});
    ASSERT_TRUE(o.ok());
    EXPECT_EQ(o->traces, std::vector<std::string>{"-weird-name.pcap"});
}

}  // namespace
}  // namespace tstat::app
