// The -F file of the dump engine, with Tstat's matching rules (spec §12).
#include "output/pcap_dump/dns_filter.h"

#include <gtest/gtest.h>

#include <string>

#include "output/pcap_dump/dump_config.h"

namespace tstat::output::pcap_dump {
namespace {

TEST(DnsFilter, FirstSuffixMatchWinsAndAnyAnySetsTheDefault) {
    // The example of Tstat's dns_filter.c: only *.google.com, but not mail.google.com.
    auto f = DnsFilter::parse("ANY.ANY 0\nmail.google.com 0\ngoogle.com 1\n", "f");
    ASSERT_TRUE(f) << f.error();
    EXPECT_FALSE(f->default_value());
    EXPECT_TRUE(f->dump("www.google.com"));
    EXPECT_FALSE(f->dump("mail.google.com"));
    EXPECT_FALSE(f->dump("www.apple.com"));
    EXPECT_FALSE(f->dump(""));   // no DN-Hunter name: the default
    // Plain suffixes, not labels: Tstat's strncmp on the tail.
    EXPECT_TRUE(f->dump("notgoogle.com"));
}

TEST(DnsFilter, DefaultIsToDumpAndCommentsAreSkipped) {
    auto f = DnsFilter::parse("# only the ads\n\n   \nads.example 0   # trailing\n", "f");
    ASSERT_TRUE(f) << f.error();
    EXPECT_TRUE(f->default_value());
    EXPECT_EQ(f->entries(), 1u);
    EXPECT_FALSE(f->dump("x.ads.example"));
    EXPECT_TRUE(f->dump("example"));
}

TEST(DnsFilter, ErrorsNameTheLine) {
    auto missing = DnsFilter::parse("good.com 1\nbad.com\n", "conf.txt");
    ASSERT_FALSE(missing);
    EXPECT_NE(missing.error().find("conf.txt:2:"), std::string::npos) << missing.error();
    auto two = DnsFilter::parse("x.com 2\n", "conf.txt");
    ASSERT_FALSE(two);
    EXPECT_NE(two.error().find("conf.txt:1:"), std::string::npos);
    EXPECT_FALSE(DnsFilter::parse(std::string(80, 'a') + " 1\n", "f"));
    EXPECT_TRUE(DnsFilter::parse(std::string(79, 'a') + " 1\n", "f"));
}

TEST(DnsFilter, TstatAcceptsAtMost255Names) {
    std::string text;
    for (int i = 0; i < 255; ++i) text += "n" + std::to_string(i) + ".com 1\n";
    EXPECT_TRUE(DnsFilter::parse(text, "f"));
    text += "one.too.many 1\n";
    EXPECT_FALSE(DnsFilter::parse(text, "f"));
}

TEST(DumpConfig, FromTheDumpSection) {
    const std::map<std::string, int64_t> keys = {
        {"udp_dns", 1},        {"udp_sip", 0},          {"tcp_complete", 1},
        {"tcp_maxpackets", -3}, {"udp_maxbytes", 100},   {"stop_dumping_mask", 0x3DFFF},
        {"snap_len", 64},      {"slice_win", 300},      {"dns_filter", 0},
    };
    const DumpConfig c = DumpConfig::from_keys(keys);
    EXPECT_TRUE(c.active());
    EXPECT_TRUE(c.enabled[19]);
    EXPECT_FALSE(c.enabled[25]);
    EXPECT_TRUE(c.enabled[target::kTcpComplete]);
    EXPECT_EQ(c.tcp_maxpackets, 0);   // Tstat ignores values <= 0
    EXPECT_EQ(c.udp_maxbytes, 100);
    EXPECT_EQ(c.stop_dumping_mask, 0x3DFFFu);
    EXPECT_EQ(c.snap_len, 64);
    EXPECT_EQ(c.slice_win, 300);
    EXPECT_TRUE(c.dns_filter_key);
    EXPECT_FALSE(c.dns_filter);
    EXPECT_FALSE(DumpConfig::from_keys({{"snap_len", 100}}).active());
    EXPECT_EQ(target_of("udp_stun"), target::kUdpStun);
    EXPECT_EQ(target_of("snap_len"), -1);
    EXPECT_EQ(target_name(1), "");   // FIRST_RTP: no dump of its own
}

}  // namespace
}  // namespace tstat::output::pcap_dump
