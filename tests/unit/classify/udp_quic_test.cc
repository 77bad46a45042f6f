// QUIC through the UDP classifier (spec §9.11, §7.2 columns 20-25): client Initial then server
// Initial of the same version make both directions 27; the client Initial, sealed with the
// RFC 9001 Appendix A keys, is decrypted and its ClientHello gives SNI, gQUIC user agent and
// ECH length, also when it spans two Initials. Datagrams run through decode + FlowEngine.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "classify/udp/udp_classifier.h"
#include "classify/udp/udp_types.h"
#include "decode/decoder.h"
#include "flow/flow_engine.h"
#include "support/packet_builder.h"
#include "support/quic_builder.h"

namespace tstat::testing {
namespace {

namespace udp_type = classify::udp_type;

class Recorder : public flow::FlowObserver {
public:
    Recorder() : classifier(classify::UdpClassifierConfig{}) {}
    void tcp_closed(flow::tcp::TcpFlow&, bool) override {}
    void udp_opened(flow::udp::UdpFlow& f) override { classifier.opened(f); }
    void udp_packet(flow::udp::UdpFlow& f, flow::Dir d, const decode::DecodedPacket& p) override {
        classifier.packet(f, d, p);
    }
    void udp_closed(flow::udp::UdpFlow& f) override {
        classify::UdpL7 l7;
        classify::DnsLabel dns;
        classifier.closed(f, l7, dns);
        flows.push_back(l7);
    }
    classify::UdpClassifier classifier;
    std::vector<classify::UdpL7> flows;
};

class Harness {
public:
    Harness() : engine({}, rec) {}
    void send(const Endpoint& from, const Endpoint& to, const Bytes& payload, int64_t ms) {
        const Bytes frame = udp_builder(from, to).payload(payload).build();
        const Timestamp ts = Timestamp::from_parts(1600000000, ms * 1000);
        decode::DecodedPacket pkt;
        ASSERT_EQ(decode::decode_packet(raw_packet(frame, capture::link::kEthernet, ts), pkt),
                  decode::DecodeStatus::kOk);
        if (!started_) engine.start(ts);
        started_ = true;
        last_ = ts;
        engine.process(pkt, flow::PacketContext{});
    }
    const classify::UdpL7& finish() {
        engine.finish(last_);
        EXPECT_EQ(rec.flows.size(), 1u);
        return rec.flows.at(0);
    }
    Recorder rec;
    flow::FlowEngine engine;

private:
    bool started_ = false;
    Timestamp last_;
};

const Endpoint kClient{"10.0.0.1", 50000};
const Endpoint kServer{"192.0.2.10", 443};

TEST(QuicFlow, SniUaAndVersionsFromTheClientInitial) {
    Harness h;
    h.send(kClient, kServer,
           quic_client_initial(quic_client_hello("www.example.org", "Chrome/120 Linux")), 0);
    h.send(kServer, kClient, quic_server_initial(), 10);
    const classify::UdpL7& l7 = h.finish();
    EXPECT_EQ(l7.c_type, udp_type::kQuic);
    EXPECT_EQ(l7.s_type, udp_type::kQuic);
    EXPECT_TRUE(l7.quic_both);
    EXPECT_EQ(l7.quic_c_vers, 1u);
    EXPECT_EQ(l7.quic_s_vers, 1u);
    EXPECT_EQ(std::string_view(l7.quic_sni), "www.example.org");
    EXPECT_EQ(std::string_view(l7.quic_ua), "Chrome%2f120+Linux");   // Tstat's url_encode
    EXPECT_EQ(l7.quic_ech, 0);
    EXPECT_EQ(l7.quic_zero_rtt, 0);
}

TEST(QuicFlow, ClientHelloAcrossTwoInitials) {
    Harness h;
    const Bytes hello = quic_client_hello("split.example.net", {}, 200);
    const size_t half = hello.size() / 2;
    const Bytes first(hello.begin(), hello.begin() + static_cast<long>(half));
    const Bytes second(hello.begin() + static_cast<long>(half), hello.end());
    h.send(kClient, kServer, quic_client_initial(first, 0, 0), 0);
    h.send(kClient, kServer, quic_client_initial(second, half, 1), 1);
    h.send(kServer, kClient, quic_server_initial(), 10);
    const classify::UdpL7& l7 = h.finish();
    EXPECT_EQ(std::string_view(l7.quic_sni), "split.example.net");
    EXPECT_EQ(l7.quic_ech, 200);
    EXPECT_EQ(std::string_view(l7.quic_ua), "");
}

TEST(QuicFlow, DifferentServerVersionIsNotQuic) {
    Harness h;
    h.send(kClient, kServer, quic_client_initial(quic_client_hello("a.example.com")), 0);
    h.send(kServer, kClient, quic_server_initial(0xff00001d), 10);
    const classify::UdpL7& l7 = h.finish();
    EXPECT_EQ(l7.c_type, 0);
    EXPECT_EQ(l7.s_type, 0);
    EXPECT_FALSE(l7.quic_both);
    // The SNI is read from the client Initial all the same; the versions print "-" (both unset).
    EXPECT_EQ(std::string_view(l7.quic_sni), "a.example.com");
}

TEST(QuicFlow, LookalikeDatagramsKeepNoReassemblyBuffer) {
    Harness h;
    // A DNS query whose id starts with 0xc0 reads as a long-header Initial of "version"
    // 0x01000001: QUIC details, but nothing decrypts, so no 8 KB ClientHello buffer.
    Bytes query{0xc0, 0x5e, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
                3,    'w',  'w',  'w',  7,    'e',  'x',  'a',  'm',  'p',  'l',  'e',
                3,    'c',  'o',  'm',  0,    0,    1,    0,    1};
    const Endpoint dns{"192.0.2.53", 53};
    h.send(kClient, dns, query, 0);
    EXPECT_EQ(h.rec.classifier.live_quic_hellos(), 0u);
    h.finish();
}

TEST(QuicFlow, HelloBufferGoesOnceTheHelloIsParsed) {
    Harness h;
    h.send(kClient, kServer, quic_client_initial(quic_client_hello("done.example.com")), 0);
    EXPECT_EQ(h.rec.classifier.live_quic_hellos(), 0u);   // parsed to its end at once
    const Bytes hello = quic_client_hello("later.example.com");
    const Bytes first(hello.begin(), hello.begin() + 40);
    Harness h2;
    h2.send(kClient, kServer, quic_client_initial(first), 0);
    EXPECT_EQ(h2.rec.classifier.live_quic_hellos(), 1u);   // waiting for the rest
    h2.send(kServer, kClient, quic_server_initial(), 10);
    EXPECT_EQ(h2.rec.classifier.live_quic_hellos(), 0u);   // both sides QUIC: Tstat stops
    h.finish();
    h2.finish();
}

}  // namespace
}  // namespace tstat::testing
