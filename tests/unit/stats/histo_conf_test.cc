// The -H file (spec §10.1, Tstat's histo_parse_conf) and `tstat -H ?`.
#include <gtest/gtest.h>

#include "stats/histo_conf.h"

namespace tstat::stats {
namespace {

size_t count_on(const HistoConfig& c) {
    size_t n = 0;
    for (bool b : c.on) n += b;
    return n;
}

TEST(HistoConf, IncludeAllTurnsEverythingOnAndTheAddressHistogram) {
    auto c = parse_histo_conf("include ALL\n", "h.conf", false);
    ASSERT_TRUE(c) << c.error();
    EXPECT_EQ(count_on(*c), kHistoCount - 12);   // no g_* without -g
    EXPECT_TRUE(c->adx);
    auto g = parse_histo_conf("include ALL\n", "h.conf", true);
    EXPECT_EQ(count_on(*g), kHistoCount);
}

TEST(HistoConf, NamesMatchingAndComments) {
    auto c = parse_histo_conf("# a comment\ninclude ip_len_loc\n\n  include_matching L7_UDP\n"
                              "include tcp_net_dup_out   # trailing comment\n",
                              "h.conf", false);
    ASSERT_TRUE(c) << c.error();
    EXPECT_TRUE(c->on[index_of(HistoId::kIpLenLoc)]);
    EXPECT_TRUE(c->on[index_of(HistoId::kL7UDPNumNcOut)]);
    EXPECT_TRUE(c->on[index_of(HistoId::kL7UDPNumLoc)]);
    // include NAME takes the first of that name: the doubly defined one (spec §17.11).
    EXPECT_TRUE(c->on[index_of(HistoId::kTcpNetDupOutLoc)]);
    EXPECT_FALSE(c->on[index_of(HistoId::kTcpNetDupOut)]);
    EXPECT_EQ(count_on(*c), 1u + 7u + 1u);
    EXPECT_FALSE(c->adx);
}

TEST(HistoConf, UnknownNamesAndKeywordsAreErrors) {
    auto a = parse_histo_conf("include ip_len_lol\n", "h.conf", false);
    ASSERT_FALSE(a);
    EXPECT_NE(a.error().find("h.conf:1"), std::string::npos);
    EXPECT_NE(a.error().find("ip_len_lol"), std::string::npos);
    EXPECT_FALSE(parse_histo_conf("exclude ip_len_loc\n", "h.conf", false));
    EXPECT_FALSE(parse_histo_conf("include\n", "h.conf", false));
    EXPECT_FALSE(parse_histo_conf("include g_tcp_bitrate_in\n", "h.conf", false));
}

TEST(HistoConf, AddressMasks) {
    auto c = parse_histo_conf("include ADX\nadx_mask 16\n", "h.conf", false);
    ASSERT_TRUE(c);
    EXPECT_TRUE(c->adx);
    EXPECT_EQ(c->adx_mask, (Mask4{255, 255, 0, 0}));
    c = parse_histo_conf("adx_mask 255.255.255.240\n", "h.conf", false);
    EXPECT_EQ(c->adx_mask, (Mask4{255, 255, 255, 240}));
    c = parse_histo_conf("adx_mask 33\n", "h.conf", false);   // Tstat warns, keeps /24
    EXPECT_EQ(c->adx_mask, kDefaultAdxMask);
    EXPECT_EQ(c->warnings.size(), 1u);
}

TEST(HistoConf, SecondAddressHistogram) {
    auto c = parse_histo_conf("adx2_sample 30\nadx2_mask 28\nadx2_sample 120\nadx3_sample 600\n"
                              "include ADX\n",
                              "h.conf", false);
    ASSERT_TRUE(c);
    // `include ADX` (like ALL) turns addresses2 off again, as in Tstat.
    EXPECT_FALSE(c->adx2);
    c = parse_histo_conf("adx2_sample 30\nadx2_mask 28\nadx2_sample 120\nadx3_sample 600\n",
                         "h.conf", false);
    EXPECT_TRUE(c->adx2);
    EXPECT_EQ(c->adx2_mask, (Mask4{255, 255, 255, 240}));
    EXPECT_EQ(c->adx2_sample_us, 120'000'000);   // adx2_mask reset the earlier 30
    EXPECT_EQ(c->adx3_sample_us, 120'000'000);   // adx3 may not exceed adx2
    EXPECT_EQ(c->warnings.size(), 1u);
}

TEST(HistoConf, DefinitionsListing) {
    const std::string d = histogram_definitions(false);
    EXPECT_EQ(d.rfind("#name\tmin\tbin_size\tmax\tdescription\n", 0), 0u);
    EXPECT_NE(d.find("\nip_len_loc\t0\t4\t1504\tIP packet length [byte] - local packets\n"),
              std::string::npos);
    EXPECT_EQ(std::count(d.begin(), d.end(), '\n'), static_cast<long>(kHistoCount - 12 + 1));
    EXPECT_EQ(d.find("g_tcp_bitrate"), std::string::npos);
    EXPECT_NE(histogram_definitions(true).find("g_tcp_bitrate_in\t0\t100\t1000000\t"),
              std::string::npos);
}

}  // namespace
}  // namespace tstat::stats
