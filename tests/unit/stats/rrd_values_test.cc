// What the RRD engine sends for a closed window (spec §11, rrdtool_update): running
// statistics, percentiles from the bins, idx bins and idxoth, the "%f" text librrd parses,
// and the rrd.conf syntax. Expected values are worked out by hand in the comments.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "stats/rrd/rrd_conf.h"
#include "stats/rrd/rrd_writer.h"

namespace tstat::stats::rrd {
namespace {

std::map<std::string, double> as_map(const std::vector<RrdValue>& v) {
    std::map<std::string, double> m;
    for (const RrdValue& x : v) m[x.stat] = x.value;
    return m;
}

// ip_len_loc: min 0, bin 4, max 1504 -> bins 0 (<0), 1..376, 377 (>=1504), 378 (samples).
std::vector<int64_t> ip_len_bins() {
    const HistoDef& d = histo_def(HistoId::kIpLenLoc);
    std::vector<int64_t> b(static_cast<size_t>(d.bin_count()), 0);
    b[11] = 3;    // value 40: (40 + 4) / 4
    b[376] = 1;   // value 1500
    b[377] = 2;   // two values >= 1504, outside the sample counter
    b[378] = 4;
    return b;
}

RunningStats stats_of(std::initializer_list<double> values) {
    RunningStats s;
    s.reset();
    for (double v : values) s.add(v);
    return s;
}

TEST(RrdValues, StatisticsPercentilesAndBins) {
    HistoRrd c;
    c.id = HistoId::kIpLenLoc;
    c.avg = c.min = c.max = c.var = c.stdev = c.hit = true;
    c.prc = {50, 90, 99.9};
    c.idx = {40, 1500};
    c.idxoth = true;
    const auto bins = ip_len_bins();
    const auto st = stats_of({40, 40, 40, 1500});
    const auto m = as_map(histogram_values(c, histo_def(c.id), bins, st));
    EXPECT_EQ(m.at("hit"), 4);
    EXPECT_DOUBLE_EQ(m.at("avg"), 405);            // (3 * 40 + 1500) / 4
    EXPECT_EQ(m.at("min"), 40);
    EXPECT_EQ(m.at("max"), 1500);
    EXPECT_DOUBLE_EQ(m.at("var"), 532900);         // (3 * 365^2 + 1095^2) / 3
    EXPECT_DOUBLE_EQ(m.at("stdev"), 730);
    EXPECT_EQ(m.at("prc50"), 40);                  // 3 of 4 samples reach 2
    EXPECT_EQ(m.at("prc90"), 1500);                // 3.6 needs the 1500 bin
    EXPECT_EQ(m.at("prc99.900"), 1500);
    EXPECT_EQ(m.at("idx40"), 3);
    EXPECT_EQ(m.at("idx1500"), 1);
    EXPECT_EQ(m.at("idxoth"), 0);                  // 4 samples - 3 - 1
}

TEST(RrdValues, IdxNamesABinAndOtherKeepsTheRest) {
    HistoRrd c;
    c.id = HistoId::kIpLenLoc;
    c.idx = {41};   // 41 lies in the bin of 40: (41 - 0) / 4 + 1 = 11
    c.idxoth = true;
    const auto m = as_map(histogram_values(c, histo_def(c.id), ip_len_bins(), RunningStats{}));
    EXPECT_EQ(m.at("idx41"), 3);
    EXPECT_EQ(m.at("idxoth"), 1);
}

TEST(RrdValues, EmptyIntervalAsTstatComputesIt) {
    HistoRrd c;
    c.id = HistoId::kIpLenLoc;
    c.min = c.max = c.var = c.stdev = true;
    c.prc = {50};
    const HistoDef& d = histo_def(c.id);
    std::vector<int64_t> zero(static_cast<size_t>(d.bin_count()), 0);
    RunningStats empty;
    empty.reset();
    const auto v = histogram_values(c, d, zero, empty);
    const auto m = as_map(v);
    EXPECT_EQ(m.count("min"), 0u);                 // still 1e99: not sent
    EXPECT_EQ(m.count("max"), 0u);
    EXPECT_TRUE(std::signbit(m.at("var")));        // 0 / (0 - 1) = -0
    EXPECT_EQ(update_text(100, m.at("var")), "100:-0.000000");
    EXPECT_EQ(m.at("prc50"), -4);                  // 0 >= 0 at the underflow bin: min - bin
    // One sample: 0 / 0.
    const auto one = as_map(histogram_values(c, d, zero, stats_of({7})));
    EXPECT_TRUE(std::isnan(one.at("var")));
    EXPECT_NE(update_text(5, one.at("stdev")).find("nan"), std::string::npos);
}

TEST(RrdValues, FirstIntervalStartsFromZeroLikeTstat) {
    HistoRrd c;
    c.id = HistoId::kIpLenLoc;
    c.min = c.max = true;
    RunningStats first;   // never reset: min and max start at 0
    first.add(40);
    const auto m = as_map(histogram_values(c, histo_def(c.id), ip_len_bins(), first));
    EXPECT_EQ(m.at("min"), 0);
    EXPECT_EQ(m.at("max"), 40);
}

TEST(RrdValues, UpdateTextIsPercentF) {
    EXPECT_EQ(update_text(1464386465, 6996), "1464386465:6996.000000");
    EXPECT_EQ(update_text(1, 0.1234567), "1:0.123457");
}

TEST(RrdConf, LinesTokensAndFileNames) {
    const auto c = parse_rrd_conf(
        "# comment\n"
        "ip_len_loc avg prc:50,99.9 idx:40,1500,other\n"
        "L4_flow_number idx:0,1 hit # anything with a hash is skipped\n"
        "\n"
        "tcp_tot_time max stdev\n",
        "rrd.conf", false);
    ASSERT_TRUE(c.ok()) << c.error();
    ASSERT_EQ(c->histograms.size(), 2u);
    // In -H ? order, which is the order of the table.
    std::vector<std::string> files;
    for (const HistoRrd& h : c->histograms)
        for (const std::string& f : rrd_files(h)) files.push_back(f);
    const std::vector<std::string> tot_time = {"tcp_tot_time.max.rrd", "tcp_tot_time.stdev.rrd"};
    const std::vector<std::string> ip_len = {"ip_len_loc.avg.rrd", "ip_len_loc.idxoth.rrd",
                                             "ip_len_loc.idx40.rrd", "ip_len_loc.idx1500.rrd",
                                             "ip_len_loc.prc50.rrd",
                                             "ip_len_loc.prc99.900.rrd"};
    for (const auto& f : tot_time)
        EXPECT_NE(std::find(files.begin(), files.end(), f), files.end()) << f;
    for (const auto& f : ip_len)
        EXPECT_NE(std::find(files.begin(), files.end(), f), files.end()) << f;
    EXPECT_EQ(files.size(), tot_time.size() + ip_len.size());
}

TEST(RrdConf, ErrorsNameTheFileAndLine) {
    auto bad = parse_rrd_conf("ip_len_loc avg\nno_such_histo avg\n", "my.conf", false);
    ASSERT_FALSE(bad.ok());
    EXPECT_NE(bad.error().find("my.conf:2"), std::string::npos) << bad.error();
    EXPECT_NE(bad.error().find("no_such_histo"), std::string::npos);
    auto tok = parse_rrd_conf("ip_len_loc average\n", "my.conf", false);
    ASSERT_FALSE(tok.ok());
    EXPECT_NE(tok.error().find("average"), std::string::npos) << tok.error();
    EXPECT_FALSE(load_rrd_conf("/nonexistent/rrd.conf", false).ok());
}

}  // namespace
}  // namespace tstat::stats::rrd
