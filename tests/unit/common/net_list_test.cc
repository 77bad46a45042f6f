#include "common/net_list.h"

#include <gtest/gtest.h>

namespace tstat {
namespace {

IpAddress ip(const char* s) {
    IpAddress a;
    EXPECT_TRUE(IpAddress::parse(s, a));
    return a;
}

TEST(NetList, AllTstatForms) {
    auto n = NetList::parse("# internal\n10.0.0.0/8\n192.168.1.0/255.255.255.0\n\n"
                            "172.16.0.0\n255.240.0.0\nfc00::/7\n",
                            "nets", 100);
    ASSERT_TRUE(n.ok()) << n.error();
    EXPECT_TRUE(n->contains(ip("10.9.8.7")));
    EXPECT_TRUE(n->contains(ip("192.168.1.200")));
    EXPECT_FALSE(n->contains(ip("192.168.2.1")));
    EXPECT_TRUE(n->contains(ip("172.31.255.255")));
    EXPECT_FALSE(n->contains(ip("172.32.0.1")));
    EXPECT_TRUE(n->contains(ip("fd12::1")));
    EXPECT_FALSE(n->contains(ip("2001:db8::1")));
}

TEST(NetList, HostBitsAreMaskedAndZeroPrefixMatchesAll) {
    auto n = NetList::parse("10.1.2.3/16\n0.0.0.0/0\n", "nets", 100);
    ASSERT_TRUE(n.ok());
    EXPECT_TRUE(n->contains(ip("8.8.8.8")));
}

TEST(NetList, ErrorsNameTheLine) {
    auto bad = NetList::parse("10.0.0.0/8\n10.0.0.0/33\n", "nets.txt", 100);
    ASSERT_FALSE(bad.ok());
    EXPECT_NE(bad.error().find("nets.txt:2:"), std::string::npos);
    EXPECT_FALSE(NetList::parse("hello\n", "n", 100).ok());
    EXPECT_FALSE(NetList::parse("10.0.0.0\n", "n", 100).ok());  // network without netmask
    EXPECT_FALSE(NetList::parse("10.0.0.0/8\n11.0.0.0/8\n", "n", 1).ok());
}

}  // namespace
}  // namespace tstat
