#include "output/line_buffer.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <random>
#include <string>

namespace tstat::output {
namespace {

std::string printf_f(double v, int decimals) {
    char buf[512];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
}

TEST(LineBuffer, FixedMatchesPrintfForLogTimes) {
    // Absolute times in ms since the epoch with microsecond parts, and small durations.
    std::mt19937_64 rng(42);
    LineBuffer b;
    for (int i = 0; i < 200000; ++i) {
        const int64_t us = static_cast<int64_t>(rng() % 4'000'000'000'000'000ull);
        const double ms = static_cast<double>(us) / 1000.0;
        b.clear();
        b.fixed(ms);
        ASSERT_EQ(std::string(b.view()), printf_f(ms, 6)) << us;
        const double small = static_cast<double>(rng() % 100'000'000) / 7.0;
        b.clear();
        b.fixed(small);
        ASSERT_EQ(std::string(b.view()), printf_f(small, 6));
    }
}

TEST(LineBuffer, FixedHandlesSpecialValuesLikePrintf) {
    for (double v : {0.0, -0.0, 0.5, 1e-7, -1.25, 1e300, 123456789.0000005}) {
        LineBuffer b;
        b.fixed(v);
        EXPECT_EQ(std::string(b.view()), printf_f(v, 6)) << v;
        b.clear();
        b.fixed(v, 3);
        EXPECT_EQ(std::string(b.view()), printf_f(v, 3)) << v;
    }
}

TEST(LineBuffer, IntegersAndHex) {
    LineBuffer b;
    b.num(uint64_t{18446744073709551615ull});
    b.sep();
    b.num(int32_t{-41});
    b.sep();
    b.hex8(0x1);
    b.sep();
    b.str_or_dash("");
    EXPECT_EQ(std::string(b.view()), "18446744073709551615 -41 0x00000001 -");
}

TEST(LineBuffer, Ipv6IsPrintedCompressed) {
    IpAddress a;
    ASSERT_TRUE(IpAddress::parse("2a03:b0c0:3:d0:0:0:70:1001", a));
    LineBuffer b;
    b.ip(a);
    EXPECT_EQ(std::string(b.view()), "2a03:b0c0:3:d0::70:1001");
}

TEST(LineBuffer, NeverOverflows) {
    LineBuffer b;
    const std::string chunk(1000, 'x');
    for (int i = 0; i < 40; ++i) b.str(chunk);
    EXPECT_EQ(b.size(), LineBuffer::kCapacity);
    b.fixed(1e300);  // no room: ignored rather than written past the end
    EXPECT_EQ(b.size(), LineBuffer::kCapacity);
}

}  // namespace
}  // namespace tstat::output
