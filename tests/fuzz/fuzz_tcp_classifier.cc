// libFuzzer target: the whole TCP classifier on one conversation — handshake, then segments the
// input describes — through decode and the flow engine, with every TCP log's rows formatted.
// It reaches what the per-parser targets cannot: the con_t state machine, ClientHello
// reassembly, HTTP continuation rows, MSE/RTMP message sizes, chat counters, video rates.
//
// Input: byte 0 = options (bit 0 log_http_complete, bit 1 video rates, bit 2 -0, bits 3-4
// httplog_full_url); then per segment: control byte (bit 0 from the server, bit 1 FIN, bit 2
// RST, bit 3 PSH, bits 4-5 sequence: in order / repeat / gap / back, bit 6 snaplen-cut
// capture, bit 7 skip the ACK flag), length byte, payload.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

#include "capture/raw_packet.h"
#include "classify/tcp/tcp_classifier.h"
#include "decode/decoder.h"
#include "flow/flow_engine.h"
#include "output/line_buffer.h"
#include "output/logs/chat_log.h"
#include "output/logs/http_log.h"
#include "output/logs/video_log.h"

namespace {

using namespace tstat;

class Observer : public flow::FlowObserver, public classify::tcp::TcpEventSink {
public:
    explicit Observer(const classify::tcp::TcpClassifierConfig& cfg, int video_level)
        : classifier(cfg), video_level_(video_level) {
        classifier.set_sink(this);
    }
    void tcp_opened(flow::tcp::TcpFlow& f) override { classifier.opened(f); }
    void tcp_packet(flow::tcp::TcpFlow& f, flow::Dir d, const decode::DecodedPacket& p) override {
        classifier.packet(f, d, p);
    }
    void tcp_closed(flow::tcp::TcpFlow& f, bool complete) override {
        output::TcpRecord r;
        classifier.closed(f, now, r.l7);
        r.flow = f;
        r.complete = complete;
        line.clear();
        if (r.l7.chat.kind != classify::ChatSummary::Kind::kNone)
            output::format_chat_flow(f, r.l7.chat, r.l7.con_type, line);
        if (r.l7.video.logged) output::format_video_row(r, video_level_, line);
    }
    void udp_closed(flow::udp::UdpFlow&) override {}
    void http_request(const classify::tcp::HttpRequestRow& r) override {
        line.clear();
        output::format_http_request(r, line);
    }
    void http_response(const classify::tcp::HttpResponseRow& r) override {
        line.clear();
        output::format_http_response(r, line);
    }
    void chat_message(const classify::tcp::ChatMessageRow& r) override {
        line.clear();
        output::format_chat_message(r, line);
    }

    classify::tcp::TcpClassifier classifier;
    output::LineBuffer line;
    Timestamp now;

private:
    int video_level_;
};

void put16(uint8_t* p, uint32_t v) {
    p[0] = static_cast<uint8_t>(v >> 8);
    p[1] = static_cast<uint8_t>(v);
}
void put32(uint8_t* p, uint32_t v) {
    put16(p, v >> 16);
    put16(p + 2, v & 0xffff);
}

// Ethernet + IPv4 + TCP (no options) + payload, into a buffer of exactly the captured size.
std::vector<uint8_t> frame(bool from_server, uint8_t flags, uint32_t seq, uint32_t ack,
                           const uint8_t* payload, size_t len, size_t cut) {
    std::vector<uint8_t> f(54 + len, 0);
    f[12] = 0x08;
    uint8_t* ip = f.data() + 14;
    ip[0] = 0x45;
    put16(ip + 2, static_cast<uint32_t>(40 + len));
    ip[8] = 64;
    ip[9] = 6;
    const uint8_t client[4] = {10, 0, 0, 1}, server[4] = {192, 0, 2, 1};
    std::memcpy(ip + 12, from_server ? server : client, 4);
    std::memcpy(ip + 16, from_server ? client : server, 4);
    uint8_t* tcp = ip + 20;
    put16(tcp, from_server ? 443 : 40000);
    put16(tcp + 2, from_server ? 40000 : 443);
    put32(tcp + 4, seq);
    put32(tcp + 8, ack);
    tcp[12] = 0x50;
    tcp[13] = flags;
    put16(tcp + 14, 65535);
    if (len > 0) std::memcpy(tcp + 20, payload, len);
    if (cut < len) f.resize(54 + cut);
    return f;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size < 1) return 0;
    classify::tcp::TcpClassifierConfig cfg;
    cfg.http_log = data[0] & 1;
    cfg.video_rates = data[0] & 2;
    cfg.strict_privacy = data[0] & 4;
    cfg.httplog_full_url = (data[0] >> 3) % 3;
    cfg.rate_sampling_us = 1000;
    // One engine for all inputs (building its tables per input would dominate): each input is
    // a conversation a day after the previous one, closed by finish() at its end.
    static Observer obs(cfg, 63);
    static flow::FlowEngine engine(
        [] {
            flow::FlowConfig fc;   // small tables: finish() and the collector walk all slots
            fc.max_tcp_pairs = 64;
            fc.max_udp_pairs = 64;
            return fc;
        }(),
        obs);
    static int64_t day = 0;
    obs.classifier.configure(cfg);

    Timestamp t = Timestamp::from_parts(1'600'000'000 + 86'400 * day++, 0);
    bool started = false;
    auto send = [&](const std::vector<uint8_t>& f, uint32_t wire) {
        capture::RawPacket raw;
        raw.ts = t;
        raw.caplen = static_cast<uint32_t>(f.size());
        raw.wire_len = wire;
        raw.link_type = capture::link::kEthernet;
        raw.data = f.data();   // exactly the captured bytes: ASan sees any read past them
        decode::DecodedPacket pkt;
        if (decode::decode_packet(raw, pkt) != decode::DecodeStatus::kOk) return;
        if (!started) {
            engine.start(t);
            started = true;
        }
        obs.now = t;
        engine.process(pkt, flow::PacketContext{});
        t = Timestamp{t.us + 1000};
    };

    using namespace decode::tcp_flag;
    uint32_t cseq = 1000, sseq = 5000;
    send(frame(false, kSyn, cseq++, 0, nullptr, 0, 0), 54);
    send(frame(true, kSyn | kAck, sseq++, cseq, nullptr, 0, 0), 54);
    send(frame(false, kAck, cseq, sseq, nullptr, 0, 0), 54);

    size_t i = 1;
    uint32_t last_len[2] = {0, 0};
    while (i + 2 <= size) {
        const uint8_t ctrl = data[i];
        size_t len = data[i + 1];
        i += 2;
        if (len > size - i) len = size - i;
        const bool server = ctrl & 1;
        uint8_t flags = static_cast<uint8_t>((ctrl & 0x80) ? 0 : kAck);
        if (ctrl & 2) flags |= kFin;
        if (ctrl & 4) flags |= kRst;
        if (ctrl & 8) flags |= kPsh;
        uint32_t& seq = server ? sseq : cseq;
        uint32_t s = seq;
        switch ((ctrl >> 4) & 3) {
            case 1: s = seq - last_len[server]; break;   // a retransmission
            case 2: s = seq + 100; break;                // a hole
            case 3: s = seq - 50; break;                 // overlapping old data
            default: break;
        }
        const size_t cut = (ctrl & 0x40) ? len / 2 : len;
        send(frame(server, flags, s, server ? cseq : sseq, data + i, len, cut),
             static_cast<uint32_t>(54 + len));
        if (s == seq) seq += static_cast<uint32_t>(len) + ((flags & kFin) ? 1 : 0);
        last_len[server] = static_cast<uint32_t>(len);
        i += len;
    }
    engine.finish(t);
    const auto u = obs.classifier.usage();
    if (u.flows != 0 || u.tls != 0 || u.http != 0 || u.work != 0 || u.extra != 0 || u.hello != 0 ||
        u.strings != 0)
        __builtin_trap();   // every flow's state is released when it closes
    return 0;
}
