// The Skype classifier's pure parts (spec §9.8): the pktsize.conf/avgipg.conf grammar and its
// errors, the naive-Bayes beliefs, the nibble chi-square and the deterministic UDP check.
// Expected values are worked out by hand below (Tstat's naivebayes.c and skype.c give the
// rules), never taken from the code under test.
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "classify/protocols/skype/bayes_config.h"
#include "classify/protocols/skype/naive_bayes.h"
#include "classify/protocols/skype/skype_checks.h"

namespace tstat::classify::skype {
namespace {

// .DAT files served from memory, by path.
struct Files {
    std::map<std::string, std::string> dat;
    DatReader reader() const {
        return [this](const std::string& path) -> Result<std::string> {
            auto it = dat.find(path);
            if (it == dat.end()) return make_error(path + ": cannot read the file");
            return it->second;
        };
    }
};

Result<BayesSettings> parse(const std::string& text, const Files& f = {}) {
    return parse_bayes_config(text, "conf/x.conf", f.reader());
}

std::string error_of(const std::string& text, const Files& f = {}) {
    auto r = parse(text, f);
    return r ? std::string("(parsed)") : r.error();
}

// ---- configuration grammar ---------------------------------------------------------------

TEST(SkypeBayesConfig, DiscreteClassesReadTheirPdfFilesNextToTheConf) {
    Files f;
    f.dat["conf/a.DAT"] = "# counts, normalised by the reader\n1\n1\n2\n0\n";
    f.dat["conf/b.DAT"] = "0.25 0.25 0.25 0.25\n";   // several values on a line are fine
    auto s = parse(
        "# packet sizes\nFEATURE PKTSIZE\nWINDOW_SIZE 2\nCLASS_LEN 3\n\n"
        "DISCRETE a 0.5\nDISCRETE b =\n",
        f);
    ASSERT_TRUE(s) << s.error();
    EXPECT_EQ(s->feature, "PKTSIZE");
    EXPECT_EQ(s->window_size, 2);
    ASSERT_EQ(s->classes.size(), 2u);
    EXPECT_DOUBLE_EQ(s->classes[0].weight, 0.5);
    EXPECT_DOUBLE_EQ(s->classes[1].weight, 0.5);   // '=': 1 / 2 classes
    // a: 1 1 2 0 over their sum 4, the 0 floored at 1e-33, then log10.
    ASSERT_EQ(s->classes[0].pdf.size(), 4u);
    EXPECT_NEAR(s->classes[0].pdf[0], -0.6020599913279624, 1e-12);
    EXPECT_NEAR(s->classes[0].pdf[2], -0.3010299956639812, 1e-12);
    EXPECT_NEAR(s->classes[0].pdf[3], -33.0, 1e-9);
    // CLASS_LEN 3 is raised to the longest pdf (4); WIN_THRESHOLD > 0 makes both thresholds
    // log10(4) / WINDOW_SIZE + 3.
    EXPECT_EQ(s->class_len, 4);
    EXPECT_NEAR(s->win_threshold, 0.3010299956639812 + 3, 1e-12);
    EXPECT_NEAR(s->avg_threshold, 0.3010299956639812 + 3, 1e-12);
}

TEST(SkypeBayesConfig, NonPositiveWinThresholdKeepsTheGivenThresholds) {
    auto s = parse("WIN_THRESHOLD -1\nAVG_THRESHOLD -2.5\nGAUSSIAN g 1 10 2\n");
    ASSERT_TRUE(s) << s.error();
    EXPECT_DOUBLE_EQ(s->win_threshold, -1);
    EXPECT_DOUBLE_EQ(s->avg_threshold, -2.5);
    ASSERT_EQ(s->classes.size(), 1u);
    EXPECT_EQ(s->classes[0].kind, BayesClass::Kind::kGaussian);
    ASSERT_EQ(s->classes[0].mixture.size(), 1u);
    EXPECT_DOUBLE_EQ(s->classes[0].mixture[0].mean, 10);
    EXPECT_DOUBLE_EQ(s->classes[0].mixture[0].sigma, 2);
}

TEST(SkypeBayesConfig, GaussianMixtureInTstatsParenthesisedForm) {
    auto s = parse("WIN_THRESHOLD 0\nGAUSSIAN+ mix 0.7 2 (0.25 20 3) (0.75 60 5.5)\n");
    ASSERT_TRUE(s) << s.error();
    const BayesClass& c = s->classes.at(0);
    EXPECT_DOUBLE_EQ(c.weight, 0.7);
    ASSERT_EQ(c.mixture.size(), 2u);
    EXPECT_DOUBLE_EQ(c.mixture[0].weight, 0.25);
    EXPECT_DOUBLE_EQ(c.mixture[1].mean, 60);
    EXPECT_DOUBLE_EQ(c.mixture[1].sigma, 5.5);
}

TEST(SkypeBayesConfig, AutoOtherIsHighWhereTheOthersAreLow) {
    Files f;
    f.dat["conf/a.DAT"] = "0.5\n0.5\n0\n0\n";
    f.dat["conf/b.DAT"] = "0\n0.5\n0.5\n0\n";
    auto s = parse("USE_LOG 0\nAUTO_OTHER 1\nDISCRETE a =\nDISCRETE b =\n", f);
    ASSERT_TRUE(s) << s.error();
    ASSERT_EQ(s->classes.size(), 3u);
    const BayesClass& o = s->classes[2];
    EXPECT_EQ(o.name, "AUTO_OTHER");
    // '=' is 1/3 with the automatic class counted; it gets 1 - 2/3.
    EXPECT_NEAR(s->classes[0].weight, 1.0 / 3, 1e-15);
    EXPECT_NEAR(o.weight, 1.0 / 3, 1e-15);
    // x = a + b (divided by classes - 1 = 1) = .5 1 .5 0; max(x) - x = .5 0 .5 1 over 2,
    // the 0 floored at 1e-33.
    ASSERT_EQ(o.pdf.size(), 4u);
    EXPECT_NEAR(o.pdf[0], 0.25, 1e-15);
    EXPECT_NEAR(o.pdf[1], 1e-33, 1e-45);
    EXPECT_NEAR(o.pdf[2], 0.25, 1e-15);
    EXPECT_NEAR(o.pdf[3], 0.5, 1e-15);
}

TEST(SkypeBayesConfig, BadLinesNameFileLineAndField) {
    EXPECT_EQ(error_of("WINDOW_SIZE 30\n\nFOO 1\n"),
              "conf/x.conf:3: FOO: unknown keyword (expected WINDOW_SIZE, AUTO_OTHER, CLASS_LEN, "
              "MIN_THRESHOLD, WIN_THRESHOLD, PRC_THRESHOLD, AVG_THRESHOLD, NORMALIZE, USE_LOG, "
              "FEATURE, DISCRETE, GAUSSIAN or GAUSSIAN+)");
    EXPECT_EQ(error_of("WINDOW_SIZE thirty\n"),
              "conf/x.conf:1: WINDOW_SIZE: expected an integer, got 'thirty'");
    EXPECT_EQ(error_of("MIN_THRESHOLD 0\n"),
              "conf/x.conf:1: MIN_THRESHOLD: expected a number > 0, got '0'");
    EXPECT_EQ(error_of("USE_LOG\n"), "conf/x.conf:1: USE_LOG: missing value");
    EXPECT_EQ(error_of("USE_LOG 1 2\n"), "conf/x.conf:1: USE_LOG: unexpected '2'");
    EXPECT_EQ(error_of("# c\nGAUSSIAN g 0.5 10 0\n"),
              "conf/x.conf:2: GAUSSIAN sigma: expected a number > 0, got '0'");
    EXPECT_EQ(error_of("GAUSSIAN g 0.5x 10 1\n"),
              "conf/x.conf:1: GAUSSIAN probability: expected a number >= 0 or '=', got '0.5x'");
    EXPECT_EQ(error_of("GAUSSIAN+ g 1 2 (1 2 3)\n"),
              "conf/x.conf:1: GAUSSIAN+: expected 2 (weight mean sigma) triples, got 3 numbers");
    EXPECT_EQ(error_of("GAUSSIAN+ g 1 1 (1 two 3)\n"),
              "conf/x.conf:1: GAUSSIAN+ #1 mean: expected a number, got 'two'");
    EXPECT_EQ(error_of("FEATURE PKTSIZE\n"),
              "conf/x.conf: no DISCRETE, GAUSSIAN or GAUSSIAN+ class");
    EXPECT_EQ(error_of("DISCRETE missing 1\n"),
              "conf/x.conf:1: DISCRETE missing: conf/missing.DAT: cannot read the file");
    Files f;
    f.dat["conf/a.DAT"] = "0.5\n-0.1\n";
    EXPECT_EQ(error_of("DISCRETE a 1\n", f),
              "conf/a.DAT:2: probability: expected a number >= 0, got '-0.1'");
    f.dat["conf/z.DAT"] = "# nothing\n0\n";
    EXPECT_EQ(error_of("DISCRETE z 1\n", f),
              "conf/z.DAT: no probability values (their sum must be > 0)");
    EXPECT_EQ(error_of("AUTO_OTHER 1\nGAUSSIAN g 1 1 1\nGAUSSIAN h 1 2 1\n"),
              "conf/x.conf: AUTO_OTHER: class 'g' must be DISCRETE with as many values as the "
              "last class (0)");
}

// ---- naive Bayes ---------------------------------------------------------------------------

TEST(SkypeNaiveBayes, WindowedLogBeliefsGiveTheMeanOfTheWindowsBest) {
    Files f;
    f.dat["conf/a.DAT"] = "1 1 2 0";      // .25 .25 .5 (1e-33)
    f.dat["conf/b.DAT"] = "1 1 1 1";      // .25 each
    auto s = parse("WINDOW_SIZE 2\nCLASS_LEN 4\nDISCRETE a 0.5\nDISCRETE b 0.5\n", f);
    ASSERT_TRUE(s) << s.error();
    std::vector<double> belief(belief_slots(*s));
    BayesState st;
    bayes_reset(*s, st, belief);
    const double l2 = std::log10(0.5), l4 = std::log10(0.25);

    EXPECT_FALSE(bayes_sample(*s, st, belief, 2));
    EXPECT_TRUE(bayes_sample(*s, st, belief, 2));
    // Window 1: a = log .5 + 2 log .5, b = log .5 + 2 log .25; a wins with (3 log .5) / 2.
    EXPECT_EQ(st.window_num, 1u);
    EXPECT_NEAR(st.mean_max_belief, 3 * l2 / 2, 1e-12);
    EXPECT_EQ(st.sample_num, 0u);   // the window starts again from the priors
    EXPECT_NEAR(belief[0], l2, 1e-15);

    bayes_sample(*s, st, belief, 3);   // past a's pdf: a gets log(1e-33)
    bayes_sample(*s, st, belief, 0);
    // Window 2: a = log .5 - 33 + log .25, b = log .5 + 2 log .25: b wins with
    // (log .5 + 2 log .25) / 2; the mean of the two windows is log .25.
    EXPECT_EQ(st.window_num, 2u);
    EXPECT_NEAR(st.mean_max_belief, (3 * l2 / 2 + (l2 + 2 * l4) / 2) / 2, 1e-12);
    EXPECT_NEAR(st.mean_max_belief, l4, 1e-12);
    EXPECT_EQ(st.valid_windows, 2u);

    // Past both pdfs the value is 1e-33 itself (not its log): a window that ends with a sample
    // above CLASS_LEN counts but leaves the mean alone.
    bayes_sample(*s, st, belief, 9);
    bayes_sample(*s, st, belief, 9);
    EXPECT_EQ(st.window_num, 3u);
    EXPECT_EQ(st.valid_windows, 2u);
    EXPECT_NEAR(st.mean_max_belief, l4, 1e-12);
    EXPECT_EQ(st.above_threshold, 0u);   // summed beliefs are negative, the threshold 3.3
}

TEST(SkypeNaiveBayes, NoWindowMeansNoVerdict) {
    auto s = parse("GAUSSIAN g 1 10 2\n");   // WINDOW_SIZE -1 (Tstat's default)
    ASSERT_TRUE(s) << s.error();
    std::vector<double> belief(belief_slots(*s));
    BayesState st;
    bayes_reset(*s, st, belief);
    for (int i = 0; i < 100; ++i) EXPECT_FALSE(bayes_sample(*s, st, belief, 10));
    EXPECT_EQ(st.window_num, 0u);
    EXPECT_EQ(st.mean_max_belief, 0.0);
}

TEST(SkypeNaiveBayes, GaussianPdfs) {
    auto s = parse("WIN_THRESHOLD 0\nGAUSSIAN g 1 10 2\nGAUSSIAN+ m 1 2 (0.5 0 1) (0.5 10 1)\n");
    ASSERT_TRUE(s) << s.error();
    const double peak2 = 0.398942280401433 / 2;   // 1 / (sqrt(2 pi) * sigma), sigma 2
    EXPECT_NEAR(bayes_pdf(*s, 0, 10), std::log10(peak2), 1e-12);
    EXPECT_NEAR(bayes_pdf(*s, 0, 14), std::log10(peak2 * std::exp(-2.0)), 1e-12);   // 16 / 8
    const double peak1 = 0.398942280401433;
    EXPECT_NEAR(bayes_pdf(*s, 1, 0), std::log10(0.5 * peak1 + 0.5 * peak1 * std::exp(-50.0)),
                1e-12);
    // Far in the tail the density is floored at MIN_THRESHOLD (1e-33): log10 = -33.
    EXPECT_NEAR(bayes_pdf(*s, 0, 1000), -33, 1e-9);
}

TEST(SkypeNaiveBayes, ProductsNormalisedWithoutLogs) {
    auto s = parse("USE_LOG 0\nNORMALIZE 1\nWINDOW_SIZE 1\nCLASS_LEN 100\n"
                   "GAUSSIAN a 0.5 0 1\nGAUSSIAN b 0.5 4 1\n");
    ASSERT_TRUE(s) << s.error();
    std::vector<double> belief(belief_slots(*s));
    BayesState st;
    bayes_reset(*s, st, belief);
    EXPECT_TRUE(bayes_sample(*s, st, belief, 0));
    // P{a} pdf_a(0) : P{b} pdf_b(0) = 1 : e^-8, normalised.
    EXPECT_NEAR(st.mean_max_belief, 1 / (1 + std::exp(-8.0)), 1e-12);
    EXPECT_TRUE(bayes_sample(*s, st, belief, 4));   // the mirror image: b wins as clearly
    EXPECT_NEAR(st.mean_max_belief, 1 / (1 + std::exp(-8.0)), 1e-12);
    EXPECT_EQ(st.window_num, 2u);
}

// ---- chi-square ----------------------------------------------------------------------------

TEST(SkypeChiSquare, UniformAndConstantNibbles) {
    NibbleHistogram h;
    for (int i = 0; i < 16; ++i) {
        // Byte 0 runs through 0x00, 0x11, ... 0xff: nibbles 0 and 1 uniform. Byte 2 is 0x0d
        // always: nibble 4 is 13 and nibble 5 is 0 in every packet.
        const uint8_t p[8] = {static_cast<uint8_t>(i * 0x11), 0, 0x0d, 0, 0, 0, 0, 0};
        add_nibbles(h, p, 8, 8);
    }
    EXPECT_EQ(h.samples, 16u);
    EXPECT_EQ(h.count[13][4], 16u);
    EXPECT_EQ(h.count[0][5], 16u);
    EXPECT_EQ(h.count[7][0], 1u);
    const auto chi = chi_square(h, 16);   // expected 1 per value
    EXPECT_DOUBLE_EQ(chi[0], 0);
    EXPECT_DOUBLE_EQ(chi[1], 0);
    // One value 16 times, 15 values never: (16 - 1)^2 + 15 * (0 - 1)^2 = 240.
    EXPECT_DOUBLE_EQ(chi[4], 240);
    EXPECT_DOUBLE_EQ(chi[15], 240);
    // With twice the expected count (UDP's expectation is all packets, not only long ones).
    const auto chi2 = chi_square(h, 32);   // E = 2: (16-2)^2/2 + 15*4/2 = 98 + 30
    EXPECT_DOUBLE_EQ(chi2[4], 128);
}

TEST(SkypeChiSquare, NibblesPastTheCaptureCountAsZeroButOne) {
    NibbleHistogram h;
    const uint8_t frame[8] = {0x21, 0x43, 0x65, 0x87, 0xa9, 0xcb, 0xed, 0x0f};
    add_nibbles(h, frame, 2, 20);   // 2 bytes captured: nibbles 0..3, and Tstat's 4th
    for (int i = 0; i <= 4; ++i) EXPECT_EQ(h.count[i + 1][i], 1u) << i;
    for (int i = 5; i < 16; ++i) EXPECT_EQ(h.count[0][i], 1u) << i;
}

TEST(SkypeChiSquare, UdpVerdicts) {
    std::array<double, kBlocks> chi{};
    chi.fill(10);
    chi[4] = 200;
    chi[5] = 120;
    UdpChi u = udp_chi(chi);   // random header but for the FUNC nibbles: end to end
    EXPECT_EQ(u.verdict, kChiE2E);
    EXPECT_DOUBLE_EQ(u.min_e2o_header, 10);
    EXPECT_DOUBLE_EQ(u.max_e2e_header, 10);
    EXPECT_DOUBLE_EQ(u.min_e2e_header, 120);
    EXPECT_DOUBLE_EQ(u.max_payload, 10);
    chi[5] = 99;
    EXPECT_EQ(udp_chi(chi).verdict, kChiNotSkype);
    for (int i = 0; i < 8; ++i) chi[static_cast<size_t>(i)] = 150 + i;   // fixed header
    u = udp_chi(chi);
    EXPECT_EQ(u.verdict, kChiE2O);
    EXPECT_DOUBLE_EQ(u.min_e2o_header, 150);
    EXPECT_DOUBLE_EQ(u.max_e2e_header, 157);   // nibbles 4 and 5 skipped
    EXPECT_DOUBLE_EQ(u.min_e2e_header, 154);
    chi[12] = 150;   // a payload nibble that is not random
    EXPECT_EQ(udp_chi(chi).verdict, kChiNotSkype);
    // No packet at all: 0/0 everywhere and no verdict.
    const UdpChi none = udp_chi(chi_square(NibbleHistogram{}, 0));
    EXPECT_TRUE(std::isnan(none.min_e2o_header));
    EXPECT_EQ(none.verdict, kChiNotSkype);
}

TEST(SkypeChiSquare, TcpVerdictAndFloatValues) {
    std::array<double, kBlocks> chi{};
    chi.fill(3);
    chi[7] = 149.9;
    chi[9] = 0.1;
    chi[8] = 12.3456789;
    TcpChi t = tcp_chi(chi);
    EXPECT_EQ(t.verdict, kChiTcp);
    EXPECT_EQ(t.max_header, 149.9f);
    EXPECT_EQ(t.max_payload, 12.3456789f);
    chi[0] = 150;
    EXPECT_EQ(tcp_chi(chi).verdict, kChiNotSkype);
}

// ---- deterministic UDP check ---------------------------------------------------------------

TEST(SkypeDeterministic, FuncFieldAndSkypeOutBlock) {
    uint32_t block = 0;
    auto type = [&](std::vector<uint8_t> p, int64_t len) {
        return classify_udp_packet(p, p.size(), len, block);
    };
    // First datagram: its first 4 bytes are remembered; FUNC 0x02 (0x8f mask) is FUN2.
    EXPECT_EQ(type({1, 2, 0x72, 4, 5}, 5), PacketType::kFun2);
    // Same 4 leading bytes again: SkypeOut data, whatever FUNC says.
    EXPECT_EQ(type({1, 2, 0x72, 4, 9, 9}, 6), PacketType::kOutData);
    EXPECT_EQ(type({9, 9, 0x7d, 0, 0, 0, 0}, 7), PacketType::kE2eData);   // FUNC 13, > 4 bytes
    EXPECT_EQ(type({8, 9, 0x0d, 0}, 4), PacketType::kFun3);                // FUNC 13, 4 bytes
    EXPECT_EQ(type({7, 9, 0x13, 0}, 4), PacketType::kFun3);                // FUNC 3
    std::vector<uint8_t> nak(11, 0);
    nak[0] = 5;
    nak[2] = 0x77;                                                          // FUNC 7, 11 bytes
    EXPECT_EQ(type(nak, 11), PacketType::kNak);
    nak[0] = 6;
    nak.push_back(0);
    EXPECT_EQ(type(nak, 12), PacketType::kNotSkype);                       // FUNC 7, 12 bytes
    EXPECT_EQ(type({4, 9, 0x05, 0}, 4), PacketType::kNotSkype);
}

TEST(SkypeDeterministic, ShortDatagramBeforeAnyBlockComparesWhatFollows) {
    // Fewer than 4 bytes captured and no block yet: Tstat compares its 0 with the bytes it
    // reads on, so zeros there make a SkypeOut packet.
    uint32_t block = 0;
    const uint8_t frame[4] = {0, 0, 0, 0};
    EXPECT_EQ(classify_udp_packet(frame, 3, 3, block), PacketType::kOutData);
    const uint8_t other[4] = {0, 0, 0x02, 7};
    EXPECT_EQ(classify_udp_packet(other, 3, 3, block), PacketType::kFun2);
    EXPECT_NE(block, 0u);
}

}  // namespace
}  // namespace tstat::classify::skype
