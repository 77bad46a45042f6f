// Writes the seed corpus of tests/fuzz/fuzz_decoder.cc from the frame catalogue. Disabled: run
//   unit_decode --gtest_also_run_disabled_tests --gtest_filter='*WriteDecoderFuzzSeeds*'
// after changing the catalogue, then commit tests/fuzz/corpus/decoder/seed-*.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "frame_catalogue.h"

namespace tstat::decode {
namespace {

// Must match kLinkTypes in tests/fuzz/fuzz_decoder.cc (index = low 4 bits of byte 0).
constexpr uint32_t kFuzzLinkTypes[16] = {1,   113, 276, 0,  108, 101, 12,  14,
                                         228, 229, 9,   50, 104, 1,   113, 147};

uint8_t selector(uint32_t link_type) {
    const auto* it = std::find(std::begin(kFuzzLinkTypes), std::end(kFuzzLinkTypes), link_type);
    return static_cast<uint8_t>(it - std::begin(kFuzzLinkTypes));
}

TEST(FuzzCorpus, SelectorTableCoversTheCatalogue) {
    for (const auto& [name, builder] : catalogue()) {
        EXPECT_LT(selector(builder.link_type()), 16) << name;
    }
}

void write_seed(const std::filesystem::path& path, uint32_t link_type,
                const testing::Bytes& frame) {
    for (bool compat_mode : {false, true}) {
        std::ofstream out(path.string() + (compat_mode ? "-compat" : ""), std::ios::binary);
        out.put(static_cast<char>(selector(link_type) | (compat_mode ? 0x80 : 0)));
        out.write(reinterpret_cast<const char*>(frame.data()),
                  static_cast<std::streamsize>(frame.size()));
    }
}

TEST(FuzzCorpus, DISABLED_WriteDecoderFuzzSeeds) {
    const std::filesystem::path dir =
        std::filesystem::path(TSTAT_SOURCE_DIR) / "tests/fuzz/corpus/decoder";
    std::filesystem::create_directories(dir);
    for (const auto& [name, builder] : catalogue()) {
        std::string file = "seed-" + name;
        std::replace(file.begin(), file.end(), ' ', '-');
        const testing::Bytes frame = builder.build();
        write_seed(dir / file, builder.link_type(), frame);
    }
    // Malformed shapes the catalogue (valid frames only) does not have.
    using testing::Bytes;
    using testing::PacketBuilder;
    std::vector<NamedFrame> edges;
    PacketBuilder b;
    edges.emplace_back("ihl-15-short", b.ethernet().ipv4("1.1.1.1", "2.2.2.2").ihl(15).tcp(1, 2));
    b = {};
    edges.emplace_back("ihl-0", b.ethernet().ipv4("1.1.1.1", "2.2.2.2").ihl(0).tcp(1, 2));
    b = {};
    edges.emplace_back("ext-len-255", b.raw_link()
                                          .ipv6("::1", "::2")
                                          .ipv6_extension(0, Bytes{0, 255, 1, 2, 3, 4, 5, 6})
                                          .udp(1, 2));
    b = {};
    edges.emplace_back("mpls-no-bottom", b.ethernet().mpls(1).payload(Bytes{0, 0, 0, 0x40}));
    b = {};
    edges.emplace_back(
        "vlan-x9",
        b.ethernet().vlan(1).vlan(2).vlan(3).vlan(4).vlan(5).vlan(6).vlan(7).vlan(8).vlan(9).ipv4(
            "1.1.1.1", "2.2.2.2"));
    b = {};
    edges.emplace_back("ipip-ipip", b.raw_link()
                                        .ipv4("1.1.1.1", "2.2.2.2")
                                        .ipv4("3.3.3.3", "4.4.4.4")
                                        .ipv4("5.5.5.5", "6.6.6.6")
                                        .udp(1, 2));
    b = {};
    edges.emplace_back("tcp-off-15",
                       b.ethernet().ipv4("1.1.1.1", "2.2.2.2").tcp(1, 2).data_offset(15));
    b = {};
    edges.emplace_back("udp-len-0", b.ethernet().ipv6("::1", "::2").udp(1, 2).udp_length(0));
    b = {};
    edges.emplace_back("v6-frag-quirk",
                       b.ethernet().ipv6("::1", "::2").fragment(16, true).udp(1, 2).payload("xx"));
    b = {};
    edges.emplace_back("tso-ip-len-0", b.ethernet()
                                           .ipv4("1.1.1.1", "2.2.2.2")
                                           .ip_total_length(0)
                                           .tcp(1, 2)
                                           .payload(Bytes(200, 1)));
    for (const auto& [name, builder] : edges) {
        write_seed(dir / ("edge-" + name), builder.link_type(), builder.build());
    }
    write_seed(dir / "edge-empty-ethernet", capture::link::kEthernet, {});
}

}  // namespace
}  // namespace tstat::decode
