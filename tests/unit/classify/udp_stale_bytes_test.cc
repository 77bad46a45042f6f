// Tstat copies every packet to the start of one buffer and its IPP2P matchers read on past the
// capture into what earlier, longer packets left there (malformed/ndpi-badpackets.pcap: DNS
// responses cut by the capture are still DNS, c_type 19). The UDP classifier replays that
// buffer with or without log_dns_complete. Datagrams run through decode + FlowEngine +
// UdpClassifier.
#include <gtest/gtest.h>

#include "classify/udp/udp_classifier.h"
#include "classify/udp/udp_types.h"
#include "decode/decoder.h"
#include "flow/flow_engine.h"
#include "support/packet_builder.h"

namespace tstat::testing {
namespace {

namespace udp_type = classify::udp_type;

class Recorder : public flow::FlowObserver {
public:
    explicit Recorder(bool dns_log) : classifier(config(dns_log)) {}
    static classify::UdpClassifierConfig config(bool dns_log) {
        classify::UdpClassifierConfig c;
        c.dns_log = dns_log;
        return c;
    }
    void tcp_closed(flow::tcp::TcpFlow&, bool) override {}
    void udp_opened(flow::udp::UdpFlow& f) override { classifier.opened(f); }
    void udp_packet(flow::udp::UdpFlow& f, flow::Dir d, const decode::DecodedPacket& p) override {
        classifier.packet(f, d, p);
        c2s_type = f.c2s.type;
    }
    void udp_closed(flow::udp::UdpFlow& f) override {
        classify::UdpL7 l7;
        classify::DnsLabel dns;
        classifier.closed(f, l7, dns);
    }
    classify::UdpClassifier classifier;
    uint8_t c2s_type = 0;
};

Bytes dns_response() {
    Bytes m = from_hex("abcd 8180 0001 0001 0000 0000");
    for (const char* label : {"example", "org"}) {
        m.push_back(static_cast<uint8_t>(std::string_view(label).size()));
        m.insert(m.end(), label, label + std::string_view(label).size());
    }
    const Bytes tail = from_hex("00 0001 0001  c00c 0001 0001 00000e10 0004 5db8d822");
    m.insert(m.end(), tail.begin(), tail.end());
    return m;
}

// Each datagram opens its own flow (new client port); `cut` keeps only that many payload bytes
// of the frame while the IP and UDP lengths still announce the whole message.
uint8_t type_of_cut_response(Recorder& rec, flow::FlowEngine& engine, uint16_t port, size_t cut,
                             int64_t ms) {
    Bytes frame =
        udp_builder({"192.0.2.53", 53}, {"10.0.0.1", port}).payload(dns_response()).build();
    frame.resize(14 + 20 + 8 + cut);
    const Timestamp ts{Timestamp::from_parts(1600000000, 0).us + ms * 1000};
    decode::DecodedPacket pkt;
    const auto raw = raw_packet(frame, capture::link::kEthernet, ts);
    EXPECT_EQ(decode::decode_packet(raw, pkt), decode::DecodeStatus::kOk);
    if (ms == 0) engine.start(ts);
    engine.process(pkt, flow::PacketContext{});
    return rec.c2s_type;
}

void check(bool dns_log) {
    Recorder rec(dns_log);
    flow::FlowEngine engine({}, rec);
    // Cut after 4 bytes, first in the trace: QDCOUNT and the label read as zeros, so the
    // matcher says no (with the DNS log, ldns then reads a message of no records: DNS).
    EXPECT_EQ(type_of_cut_response(rec, engine, 40000, 4, 0),
              dns_log ? udp_type::kDns : udp_type::kUnknown);
    // A whole response leaves the message in the buffer...
    EXPECT_EQ(type_of_cut_response(rec, engine, 40001, dns_response().size(), 10), udp_type::kDns);
    // ...so the same cut response is DNS now, as in Tstat.
    EXPECT_EQ(type_of_cut_response(rec, engine, 40002, 4, 20), udp_type::kDns);
    engine.finish(Timestamp::from_parts(1600000001, 0));
}

TEST(UdpStaleBytes, MatchersReadWhatEarlierPacketsLeftWithoutTheDnsLog) { check(false); }
TEST(UdpStaleBytes, MatchersReadWhatEarlierPacketsLeftWithTheDnsLog) { check(true); }

}  // namespace
}  // namespace tstat::testing
