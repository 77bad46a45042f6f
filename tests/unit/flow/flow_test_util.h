// Feeds built frames through decode + FlowEngine and records what the engine closes.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <vector>

#include "decode/decoder.h"
#include "flow/flow_engine.h"
#include "support/packet_builder.h"

namespace tstat::testing {

struct ClosedTcp {
    flow::tcp::TcpFlow flow;
    flow::tcp::TcpAnomalies anomalies;
    flow::tcp::WindowTotals windows;
    bool complete;
};

class RecordingObserver : public flow::FlowObserver {
public:
    // win_tot as the histograms keep it: the engine's window samples, summed by flow.
    void tcp_packet(flow::tcp::TcpFlow& f, flow::Dir d, const decode::DecodedPacket&) override {
        uint64_t w = 0;
        if (engine->window_sample(w)) windows[f.id].of(d) += w;
    }
    void tcp_closed(flow::tcp::TcpFlow& f, bool complete) override {
        tcp.push_back({f, engine->anomalies(f), windows[f.id], complete});
        windows.erase(f.id);
    }
    std::map<uint32_t, flow::tcp::WindowTotals> windows;
    void udp_closed(flow::udp::UdpFlow& f) override { udp.push_back(f); }
    std::vector<ClosedTcp> tcp;
    std::vector<flow::udp::UdpFlow> udp;
    const flow::FlowEngine* engine = nullptr;
};

class EngineHarness {
public:
    explicit EngineHarness(flow::FlowConfig cfg = {}) : engine(cfg, observer) {
        observer.engine = &engine;
    }

    flow::PacketResult feed(const TimedFrame& f) {
        decode::DecodedPacket pkt;
        const auto raw = f.raw();
        EXPECT_EQ(decode::decode_packet(raw, pkt), decode::DecodeStatus::kOk);
        if (!started_) {
            engine.start(f.ts);
            started_ = true;
        }
        last_ = f.ts;
        return engine.process(pkt, flow::PacketContext{});
    }
    void feed_all(const std::vector<TimedFrame>& frames) {
        for (const auto& f : frames) feed(f);
    }
    flow::PacketResult feed(Bytes bytes, Timestamp ts) {
        return feed(TimedFrame{ts, capture::link::kEthernet, std::move(bytes)});
    }
    void finish() { engine.finish(last_); }

    RecordingObserver observer;
    flow::FlowEngine engine;

private:
    bool started_ = false;
    Timestamp last_;
};

inline Timestamp at_s(double seconds) {
    return Timestamp{static_cast<int64_t>(seconds * 1e6) + 1'600'000'000'000'000};
}

}  // namespace tstat::testing
