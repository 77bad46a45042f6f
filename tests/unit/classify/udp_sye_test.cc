// SYE (Amazon Prime Live, UDP class 31, spec §9.6) through the UDP classifier: a command
// (payload 0a 00 18 00 42 ...) one way, then data (first payload byte 0x14 or 0x15) the other
// way, within the flow's first 40 packets, gives both directions class 31, whatever they had.
// Datagrams run through decode + FlowEngine + UdpClassifier.
#include <gtest/gtest.h>

#include <vector>

#include "classify/protocols/sye/sye_matcher.h"
#include "classify/udp/udp_classifier.h"
#include "classify/udp/udp_types.h"
#include "decode/decoder.h"
#include "flow/flow_engine.h"
#include "support/packet_builder.h"

namespace tstat::testing {
namespace {

namespace udp_type = classify::udp_type;
namespace sye = classify::sye;

class Recorder : public flow::FlowObserver {
public:
    Recorder() : classifier(classify::UdpClassifierConfig{}) {}
    void tcp_closed(flow::tcp::TcpFlow&, bool) override {}
    void udp_opened(flow::udp::UdpFlow& f) override { classifier.opened(f); }
    void udp_packet(flow::udp::UdpFlow& f, flow::Dir d, const decode::DecodedPacket& p) override {
        classifier.packet(f, d, p);
        live_c2s = classifier.live_view(f, flow::Dir::kC2S);
        live_s2c = classifier.live_view(f, flow::Dir::kS2C);
    }
    void udp_closed(flow::udp::UdpFlow& f) override {
        classify::UdpL7 l7;
        classify::DnsLabel dns;
        classifier.closed(f, l7, dns);
        flows.push_back(l7);
    }
    classify::UdpClassifier classifier;
    classify::UdpClassifier::LiveView live_c2s;
    classify::UdpClassifier::LiveView live_s2c;
    std::vector<classify::UdpL7> flows;
};

const Endpoint kClient{"10.0.0.1", 50000};
const Endpoint kServer{"192.0.2.10", 40000};

class Harness {
public:
    Harness() : engine({}, rec) {}
    void send(const Endpoint& from, const Endpoint& to, const Bytes& payload) {
        const Bytes frame = udp_builder(from, to).payload(payload).build();
        const Timestamp ts = Timestamp::from_parts(1600000000, ms_ * 1000);
        ms_ += 10;
        decode::DecodedPacket pkt;
        ASSERT_EQ(decode::decode_packet(raw_packet(frame, capture::link::kEthernet, ts), pkt),
                  decode::DecodeStatus::kOk);
        if (!started_) engine.start(ts);
        started_ = true;
        last_ = ts;
        engine.process(pkt, flow::PacketContext{});
    }
    void client(const Bytes& payload) { send(kClient, kServer, payload); }
    void server(const Bytes& payload) { send(kServer, kClient, payload); }
    const classify::UdpL7& finish() {
        engine.finish(last_);
        EXPECT_EQ(rec.flows.size(), 1u);
        return rec.flows.at(0);
    }
    Recorder rec;
    flow::FlowEngine engine;

private:
    bool started_ = false;
    int64_t ms_ = 0;
    Timestamp last_;
};

// A command as Amazon's players send it: the five fixed bytes, then more protobuf-looking bytes.
const Bytes kCommand = from_hex("0a 00 18 00 42 10 0a 0e 73 79 65 2d 6c 69 76 65 2d 30 31 2d 61");
const Bytes kData14 = from_hex("14 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f 10 11 12 13");
const Bytes kData15 = from_hex("15 81 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f 10 11 12 13");
// Neither a command nor data, and no other engine's pattern.
const Bytes kFiller = from_hex("33 00 5a 5b 5c 5d 5e 5f 60 61 62 63 64 65 66 67 68 69 6a 6b");

TEST(SyeMatcher, CommandDataAndOther) {
    EXPECT_EQ(sye::kind(kCommand), sye::Kind::kCommand);
    EXPECT_EQ(sye::kind(from_hex("0a 00 18 00 42")), sye::Kind::kCommand);
    EXPECT_EQ(sye::kind(kData14), sye::Kind::kData);
    EXPECT_EQ(sye::kind(kData15), sye::Kind::kData);
    EXPECT_EQ(sye::kind(from_hex("14")), sye::Kind::kData);
    // One byte off anywhere in the command prefix, or too short to hold it.
    EXPECT_EQ(sye::kind(from_hex("0b 00 18 00 42 00")), sye::Kind::kOther);
    EXPECT_EQ(sye::kind(from_hex("0a 01 18 00 42 00")), sye::Kind::kOther);
    EXPECT_EQ(sye::kind(from_hex("0a 00 19 00 42 00")), sye::Kind::kOther);
    EXPECT_EQ(sye::kind(from_hex("0a 00 18 01 42 00")), sye::Kind::kOther);
    EXPECT_EQ(sye::kind(from_hex("0a 00 18 00 43 00")), sye::Kind::kOther);
    EXPECT_EQ(sye::kind(from_hex("0a 00 18 00")), sye::Kind::kOther);
    // Data is 0x14 or 0x15 only (0x16 is a DTLS handshake, 0x13 nothing).
    EXPECT_EQ(sye::kind(from_hex("13 00")), sye::Kind::kOther);
    EXPECT_EQ(sye::kind(from_hex("16 00")), sye::Kind::kOther);
    EXPECT_EQ(sye::kind({}), sye::Kind::kOther);
}

TEST(SyeFlow, FillerIsNothing) {
    Harness h;
    for (int i = 0; i < 50; ++i) h.client(kFiller);
    h.server(kFiller);
    const classify::UdpL7& l7 = h.finish();
    EXPECT_EQ(l7.c_type, udp_type::kUnknown);
    EXPECT_EQ(l7.s_type, udp_type::kUnknown);
}

TEST(SyeFlow, ClientCommandThenServerDataMakesBothDirectionsSye) {
    Harness h;
    h.client(kCommand);
    EXPECT_EQ(h.rec.live_c2s.log_type, udp_type::kUnknown);
    EXPECT_TRUE(h.rec.live_c2s.sye_pending);
    EXPECT_TRUE(h.rec.live_s2c.sye_pending);
    h.server(kData14);
    EXPECT_EQ(h.rec.live_c2s.log_type, udp_type::kSye);
    EXPECT_EQ(h.rec.live_s2c.log_type, udp_type::kSye);
    h.server(kData15);
    h.client(kFiller);
    const classify::UdpL7& l7 = h.finish();
    EXPECT_EQ(l7.c_type, 31);
    EXPECT_EQ(l7.s_type, 31);
}

TEST(SyeFlow, ServerCommandThenClientDataAlsoCounts) {
    Harness h;
    h.client(kFiller);
    h.server(kCommand);
    h.client(kData15);
    const classify::UdpL7& l7 = h.finish();
    EXPECT_EQ(l7.c_type, udp_type::kSye);
    EXPECT_EQ(l7.s_type, udp_type::kSye);
}

TEST(SyeFlow, NothingPendingWithoutACommand) {
    Harness h;
    h.client(kData14);
    EXPECT_FALSE(h.rec.live_c2s.sye_pending);
    EXPECT_FALSE(h.rec.live_s2c.sye_pending);
    h.server(kData14);
    const classify::UdpL7& l7 = h.finish();
    EXPECT_EQ(l7.c_type, udp_type::kUnknown);
    EXPECT_EQ(l7.s_type, udp_type::kUnknown);
}

TEST(SyeFlow, WrongCommandByteIsNotSye) {
    Harness h;
    h.client(from_hex("0a 00 18 00 43 10 0a 0e 73 79 65 2d 6c 69 76 65 2d 30 31 2d 61"));
    h.server(kData14);
    const classify::UdpL7& l7 = h.finish();
    EXPECT_EQ(l7.c_type, udp_type::kUnknown);
    EXPECT_EQ(l7.s_type, udp_type::kUnknown);
}

TEST(SyeFlow, WrongDataByteIsNotSye) {
    Harness h;
    h.client(kCommand);
    h.server(from_hex("13 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f 10 11 12 13"));
    const classify::UdpL7& l7 = h.finish();
    EXPECT_EQ(l7.c_type, udp_type::kUnknown);
    EXPECT_EQ(l7.s_type, udp_type::kUnknown);
}

TEST(SyeFlow, OneSideAloneIsNotSye) {
    Harness h;
    // Command and data from the same side, and a server that never answers with data.
    h.client(kCommand);
    h.client(kData14);
    h.client(kData15);
    h.server(kFiller);
    const classify::UdpL7& l7 = h.finish();
    EXPECT_EQ(l7.c_type, udp_type::kUnknown);
    EXPECT_EQ(l7.s_type, udp_type::kUnknown);
}

TEST(SyeFlow, DataBeforeTheCommandWaitsForMoreData) {
    Harness h;
    h.server(kData14);   // the server opens the flow: it is the client side here
    h.client(kCommand);
    EXPECT_EQ(h.rec.live_c2s.log_type, udp_type::kUnknown);
    h.server(kData14);
    const classify::UdpL7& l7 = h.finish();
    EXPECT_EQ(l7.c_type, udp_type::kSye);
    EXPECT_EQ(l7.s_type, udp_type::kSye);
}

// The engine looks at packets 1..39 of the flow (MAX_UDP_SYE 40, counted with the current one,
// as the other behavioural engines): data as packet 39 still counts, as packet 40 not.
uint8_t type_with_data_as_packet(uint32_t n) {
    Harness h;
    for (uint32_t i = 0; i + 2 < n; ++i) h.client(kFiller);
    h.client(kCommand);
    h.server(kData14);
    const classify::UdpL7& l7 = h.finish();
    EXPECT_EQ(l7.c_type, l7.s_type);
    return l7.s_type;
}

TEST(SyeFlow, OnlyTheFirst39PacketsAreLookedAt) {
    EXPECT_EQ(type_with_data_as_packet(2), udp_type::kSye);
    EXPECT_EQ(type_with_data_as_packet(39), udp_type::kSye);
    EXPECT_EQ(type_with_data_as_packet(40), udp_type::kUnknown);
    EXPECT_EQ(type_with_data_as_packet(60), udp_type::kUnknown);
}

TEST(SyeFlow, OverridesWhatAMatcherFoundBefore) {
    Harness h;
    // A DTLS ClientHello-looking datagram from the server makes its direction DTLS (26)...
    h.server(from_hex("16 fe fd 00 00 00 00 00 00 00 00 00 30 01 00 00 24 00 00 00 00 00"));
    h.client(kCommand);
    EXPECT_EQ(h.rec.live_c2s.log_type, udp_type::kDtls);
    h.server(kData14);
    // ...until SYE pairs both directions.
    const classify::UdpL7& l7 = h.finish();
    EXPECT_EQ(l7.c_type, udp_type::kSye);
    EXPECT_EQ(l7.s_type, udp_type::kSye);
}

TEST(SyeFlow, TruncatedCommandIsNotACommand) {
    Harness h;
    h.client(from_hex("0a 00 18 00"));
    h.server(kData14);
    const classify::UdpL7& l7 = h.finish();
    EXPECT_EQ(l7.c_type, udp_type::kUnknown);
    EXPECT_EQ(l7.s_type, udp_type::kUnknown);
}

}  // namespace
}  // namespace tstat::testing
