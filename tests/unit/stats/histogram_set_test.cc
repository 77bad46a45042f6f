// Tstat's histogram arithmetic (spec §10.2, histo.c __add_histo/set_histo): bins, outer bins,
// the sample counter, NaN handling, and the text files built from them.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "stats/histo_writer.h"
#include "stats/histogram_set.h"

namespace tstat::stats {
namespace {

HistogramSet with(std::initializer_list<HistoId> ids, bool stats = false) {
    HistoFlags on{}, st{};
    for (HistoId id : ids) {
        on[index_of(id)] = true;
        st[index_of(id)] = stats;
    }
    HistogramSet s;
    s.configure(on, st);
    return s;
}

TEST(HistogramTable, ListingOrderAndDefinitions) {
    // The first and last lines of `tstat -H ?`, and the doubly defined tcp_net_dup_out.
    EXPECT_EQ(histo_def(histo_at(0)).name, "profile_trash");
    EXPECT_EQ(histo_def(histo_at(kHistoCount - 1)).name, "ip_protocol_in");
    const HistoDef& len = histo_def(HistoId::kIpLenLoc);
    EXPECT_EQ(len.min, 0);
    EXPECT_EQ(len.bin_size, 4);
    EXPECT_EQ(len.max, 1504);
    EXPECT_EQ(len.bin_count(), 376 + 3);
    HistoId id;
    ASSERT_TRUE(find_histo("tcp_net_dup_out", false, id));
    EXPECT_EQ(id, HistoId::kTcpNetDupOutLoc);   // find_histo() meets the local one first
    EXPECT_FALSE(find_histo("g_tcp_bitrate_in", false, id));
    EXPECT_TRUE(find_histo("g_tcp_bitrate_in", true, id));
    EXPECT_FALSE(find_histo("no_such_histogram", true, id));
}

// add_as<G>() folds G's bins into the code; it must bin every value as add() does, with and
// without running statistics (which it leaves to add()), and skip histograms that are off.
template <HistoId G>
void expect_add_as_like_add(bool stats) {
    HistogramSet generic = with({G}, stats), typed = with({G}, stats);
    const HistoDef& d = histo_def(G);
    const double span = static_cast<double>(d.max - d.min);
    std::vector<double> values = {std::nan(""), std::numeric_limits<double>::infinity(),
                                  -std::numeric_limits<double>::infinity(), -1e300, 1e300,
                                  -0.5, 0.0, 0.999, 1e10};
    for (int k = -3; k <= 3; ++k) {   // around min, max and every bin edge nearby
        for (double edge : {static_cast<double>(d.min), static_cast<double>(d.max),
                            static_cast<double>(d.min + d.bin_size)}) {
            values.push_back(edge + k);
            values.push_back(edge + k * 0.25);
        }
    }
    const double lo = static_cast<double>(d.min) - span * 0.05 - 1;
    for (int k = 0; k < 2000; ++k) values.push_back(lo + (span * 1.1 + 2) * k / 2000.0);
    for (double v : values) {
        generic.add(G, v);
        typed.add_as<G>(G, v);
    }
    const auto a = generic.bins(G), b = typed.bins(G);
    ASSERT_EQ(a.size(), b.size());
    for (size_t i = 0; i < a.size(); ++i) ASSERT_EQ(a[i], b[i]) << d.name << " bin " << i;
    EXPECT_GT(a[a.size() - 1], 100);   // most values fell inside [min, max)
    EXPECT_EQ(generic.stats(G).count, typed.stats(G).count);
    EXPECT_DOUBLE_EQ(generic.stats(G).avg, typed.stats(G).avg);
}

TEST(HistogramSet, AddAsBinsLikeAdd) {
    for (bool stats : {false, true}) {
        expect_add_as_like_add<HistoId::kTcpOptsSACK>(stats);     // 1..4 step 1
        expect_add_as_like_add<HistoId::kTcpThruLfC2s>(stats);    // 0..20000 step 10
        expect_add_as_like_add<HistoId::kTcpClBSOut>(stats);      // step 50
        expect_add_as_like_add<HistoId::kTcpCwnd>(stats);         // 0..65536 step 256
        expect_add_as_like_add<HistoId::kL4FlowNumber>(stats);    // 0..2
    }
    HistogramSet off = with({HistoId::kTcpCwnd});
    off.add_as<HistoId::kTcpThruC2s>(HistoId::kTcpThruC2s, 5);   // off: nothing, no crash
    EXPECT_TRUE(off.bins(HistoId::kTcpThruC2s).empty());
}

TEST(HistogramSet, BinsFollowTstatsIndexRule) {
    HistogramSet s = with({HistoId::kIpLenLoc});   // 0..1504 step 4
    s.add(HistoId::kIpLenLoc, 0);      // bin 1 (label 0)
    s.add(HistoId::kIpLenLoc, 3.9);    // (int)3.9 = 3 -> bin 1
    s.add(HistoId::kIpLenLoc, 4);      // bin 2 (label 4)
    s.add(HistoId::kIpLenLoc, 1503);   // last regular bin (label 1500)
    s.add(HistoId::kIpLenLoc, 1504);   // at max: overflow bin (label 1504)
    s.add(HistoId::kIpLenLoc, -0.5);   // below min: underflow bin (label -4)
    s.add(HistoId::kIpLenLoc, std::nan(""));
    s.add(HistoId::kIpLenLoc, std::numeric_limits<double>::infinity());
    const auto b = s.bins(HistoId::kIpLenLoc);
    EXPECT_EQ(b[1], 2);
    EXPECT_EQ(b[2], 1);
    EXPECT_EQ(b[376], 1);
    EXPECT_EQ(b[377], 1);
    EXPECT_EQ(b[0], 1);
    EXPECT_EQ(b[378], 4);   // the sample counter: values inside [min, max) only
    EXPECT_EQ(format_window_histogram(histo_def(HistoId::kIpLenLoc), b),
              "#IP packet length [byte] - local packets\n"
              "#RANGE: min=0 bin_size=4 max=1504\n"
              "-4 1\n0 2\n4 1\n1500 1\n1504 1\n");
}

TEST(HistogramSet, TakingAWindowPrintsItAndLeavesItsBinsZero) {
    HistogramSet s = with({HistoId::kTcpPortDstLoc});   // 65 539 bins, mostly zero
    for (int port : {0, 1, 2, 3, 4, 5, 80, 443, 443, 65535, 70000})
        s.add_int<HistoId::kTcpPortDstLoc>(HistoId::kTcpPortDstLoc, port);
    s.add_int<HistoId::kTcpPortDstLoc>(HistoId::kTcpPortDstLoc, -1);
    const HistoDef& d = histo_def(HistoId::kTcpPortDstLoc);
    const std::string printed = format_window_histogram(d, s.bins(HistoId::kTcpPortDstLoc));
    EXPECT_EQ(take_window_histogram(d, s.bins(HistoId::kTcpPortDstLoc)), printed);
    EXPECT_NE(printed.find("\n-1 1\n0 1\n1 1\n2 1\n3 1\n4 1\n5 1\n80 1\n443 2\n65535 1\n"),
              std::string::npos)
        << printed;
    for (int64_t v : s.bins(HistoId::kTcpPortDstLoc)) ASSERT_EQ(v, 0);
}

TEST(HistogramSet, MinimumAboveZero) {
    HistogramSet s = with({HistoId::kTcpOptsSACK});   // 1..4 step 1
    for (int v : {1, 2, 3, 4, 0}) s.add(HistoId::kTcpOptsSACK, v);
    EXPECT_EQ(format_window_histogram(histo_def(HistoId::kTcpOptsSACK),
                                      s.bins(HistoId::kTcpOptsSACK)),
              "#TCP option: SACK\n#RANGE: min=1 bin_size=1 max=4\n0 1\n1 1\n2 1\n3 1\n4 1\n");
}

TEST(HistogramSet, OffHistogramsIgnoreSamples) {
    HistogramSet s = with({HistoId::kIpLenLoc});
    s.add(HistoId::kIpTtlLoc, 64);
    s.set(HistoId::kIpTtlLoc, 1, 5);
    EXPECT_FALSE(s.on(HistoId::kIpTtlLoc));
    EXPECT_TRUE(s.bins(HistoId::kIpTtlLoc).empty());
}

TEST(HistogramSet, SetConvertsLikeX86) {
    HistogramSet s = with({HistoId::kChatFlowNum});
    s.set(HistoId::kChatFlowNum, 1, std::nan(""));   // 0/0 averages of an empty interval
    s.set(HistoId::kChatFlowNum, 2, 2.9);
    s.set(HistoId::kChatFlowNum, 3, -2.9);
    const auto b = s.bins(HistoId::kChatFlowNum);
    EXPECT_EQ(b[1], std::numeric_limits<int64_t>::min());
    EXPECT_EQ(b[2], 2);
    EXPECT_EQ(b[3], -2);
    EXPECT_EQ(format_window_histogram(histo_def(HistoId::kChatFlowNum), b),
              "#Number of tracked IM flow\n#RANGE: min=0 bin_size=1 max=7\n"
              "0 -9223372036854775808\n1 2\n2 -2\n");
}

TEST(HistogramSet, RunningStatisticsStartFromZeroThenReset) {
    HistogramSet s = with({HistoId::kTcpTotTime}, true);
    s.add(HistoId::kTcpTotTime, 100);
    s.add(HistoId::kTcpTotTime, 300);
    const RunningStats& st = s.stats(HistoId::kTcpTotTime);
    EXPECT_EQ(st.count, 2u);
    EXPECT_DOUBLE_EQ(st.avg, 200);
    EXPECT_DOUBLE_EQ(st.pseudovar / static_cast<double>(st.count - 1), 20000);
    EXPECT_DOUBLE_EQ(st.min, 0);    // Tstat's zeroed struct: the first interval starts at 0
    EXPECT_DOUBLE_EQ(st.max, 300);
    s.reset_stats(HistoId::kTcpTotTime);
    s.add(HistoId::kTcpTotTime, 50);
    EXPECT_DOUBLE_EQ(s.stats(HistoId::kTcpTotTime).min, 50);
    EXPECT_DOUBLE_EQ(s.stats(HistoId::kTcpTotTime).max, 50);
}

TEST(HistoWriter, GlobalFormHasPdfAndCdf) {
    HistogramSet s = with({HistoId::kTcpOptsSACK});
    for (int v : {1, 1, 2, 4}) s.add(HistoId::kTcpOptsSACK, v);
    std::vector<int64_t> global;
    s.accumulate(global);
    EXPECT_EQ(format_global_histogram(histo_def(HistoId::kTcpOptsSACK), global),
              "#TCP option: SACK\n#RANGE: min=1 bin_size=1 max=4\n"
              "#SAMPLES: <min=0 valid=3 >max=1 tot=4\n"
              "1 5.000000e-01 5.000000e-01\n2 2.500000e-01 7.500000e-01\n"
              "4 2.500000e-01 1.000000e+00\n");
}

TEST(HistoWriter, GlobalFormOfSetBinsDividesByZero) {
    // profile_flows holds set values and no samples: Tstat prints inf and -nan.
    HistogramSet s = with({HistoId::kProfileFlows});
    s.set(HistoId::kProfileFlows, 2, 88);
    std::vector<int64_t> global;
    s.accumulate(global);
    EXPECT_EQ(format_global_histogram(histo_def(HistoId::kProfileFlows), global),
              "#flows handled\n#RANGE: min=0 bin_size=1 max=5\n"
              "#SAMPLES: <min=0 valid=0 >max=0 tot=0\n1 inf -nan\n");
}

}  // namespace
}  // namespace tstat::stats
