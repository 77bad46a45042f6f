// Our Crypto-PAn against an independent implementation: nfdump's nfanon (Debian package
// nfdump), which anonymizes NetFlow records with the reference Crypto-PAn code. A pcap of UDP
// datagrams between many IPv4 addresses becomes flow records (nfpcapd), nfanon encrypts them
// with our key, nfdump prints both; every address must map as our CryptoPan maps it.
// Skipped when nfdump is not installed (scripts/install-deps.sh installs it).
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <random>
#include <sstream>
#include <string>

#include "common/ip_address.h"
#include "output/anonymize/crypto_pan.h"
#include "support/packet_builder.h"
#include "support/pcap_writer.h"

namespace tstat::testing {
namespace {

namespace fs = std::filesystem;
using output::anonymize::CryptoPan;
using output::anonymize::Key;

bool have(const char* tool) {
    const std::string cmd = std::string("command -v ") + tool + " >/dev/null 2>&1";
    return std::system(cmd.c_str()) == 0;
}

// The output of a shell command, or "" with a test failure.
std::string run(const std::string& cmd) {
    std::string out;
    std::FILE* p = popen(cmd.c_str(), "r");
    if (p == nullptr) {
        ADD_FAILURE() << "cannot run " << cmd;
        return out;
    }
    char buf[4096];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
    const int status = pclose(p);
    EXPECT_EQ(status, 0) << cmd << "\n" << out;
    return out;
}

// "sport saddr dport daddr" lines of an nfcapd file, by source port.
std::map<int, std::pair<std::string, std::string>> flows_of(const std::string& file) {
    std::map<int, std::pair<std::string, std::string>> m;
    std::istringstream in(run("nfdump -q -r '" + file + "' -o 'fmt:%sp %sa %dp %da'"));
    int sp = 0, dp = 0;
    std::string sa, da;
    while (in >> sp >> sa >> dp >> da) m[sp] = {sa, da};
    return m;
}

TEST(NfanonCrossCheck, SameAddressesAsNfdumpsCryptoPan) {
    if (!have("nfpcapd") || !have("nfanon") || !have("nfdump"))
        GTEST_SKIP() << "nfdump is not installed (Debian package nfdump)";
    ScratchDir dir;
    // Addresses sharing prefixes of every length (prefix preservation is exercised) plus
    // random ones; each flow has its own source port so the two listings pair up.
    std::mt19937 rng(6);
    std::vector<std::pair<uint32_t, uint32_t>> pairs;
    const uint32_t base = 0x0a000001;  // 10.0.0.1
    for (int bit = 0; bit < 32; ++bit) pairs.push_back({base, base ^ (1u << bit)});
    for (int i = 0; i < 200; ++i) pairs.push_back({rng(), rng()});
    PcapWriter pcap;
    for (size_t i = 0; i < pairs.size(); ++i) {
        const Bytes frame = PacketBuilder()
                                .ethernet()
                                .ipv4(IpAddress::v4(pairs[i].first).to_string(),
                                      IpAddress::v4(pairs[i].second).to_string())
                                .udp(static_cast<uint16_t>(10000 + i), 53)
                                .payload("x")
                                .build();
        pcap.packet(1600000000, static_cast<uint32_t>(i) * 1000, frame);   // one nfcapd file
    }
    write_file(dir.file("in.pcap"), pcap.bytes());
    fs::create_directories(dir.file("flows"));
    run("nfpcapd -r '" + dir.file("in.pcap") + "' -w '" + dir.file("flows") + "' 2>&1");
    std::string flow_file;
    for (const auto& e : fs::directory_iterator(dir.file("flows")))
        if (e.path().filename().string().rfind("nfcapd.", 0) == 0) flow_file = e.path().string();
    ASSERT_FALSE(flow_file.empty()) << "nfpcapd wrote no flow file";

    const std::string key_text = "tstat-reference-key-0123456789ab";   // 32 characters
    run("nfanon -q -K '" + key_text + "' -r '" + flow_file + "' -w '" + dir.file("anon.nf") +
        "' 2>&1");
    const auto plain = flows_of(flow_file);
    const auto anon = flows_of(dir.file("anon.nf"));
    ASSERT_EQ(plain.size(), pairs.size());
    ASSERT_EQ(anon.size(), pairs.size());

    Key key{};
    for (size_t i = 0; i < key.size(); ++i) key[i] = static_cast<uint8_t>(key_text[i]);
    CryptoPan pan(key);
    auto ours = [&](const std::string& dotted) {
        IpAddress a;
        EXPECT_TRUE(IpAddress::parse(dotted, a)) << dotted;
        return IpAddress::v4(pan.anonymize(a.v4_host())).to_string();
    };
    int compared = 0;
    for (const auto& [port, addrs] : plain) {
        const auto it = anon.find(port);
        ASSERT_NE(it, anon.end()) << port;
        EXPECT_EQ(ours(addrs.first), it->second.first) << addrs.first;
        EXPECT_EQ(ours(addrs.second), it->second.second) << addrs.second;
        compared += 2;
    }
    EXPECT_EQ(compared, static_cast<int>(2 * pairs.size()));
}

}  // namespace
}  // namespace tstat::testing
