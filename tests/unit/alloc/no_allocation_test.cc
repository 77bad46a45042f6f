// The packet path must not allocate once warmed up (DESIGN.md "Errors"). This binary replaces
// the global operator new with a counting one and replays a built trace through the whole
// pipeline (decode, flows, records, writer thread): after a warm-up on the first flows, the
// remaining packets — thousands of new and closing flows among them — allocate nothing.
#include <gtest/gtest.h>

#include <execinfo.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <new>

#include "app/analyzer.h"
#include "support/packet_builder.h"
#include "support/pcap_writer.h"

// This file is the global allocator: its deletes free what its news malloc'ed.
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

namespace {
std::atomic<bool> g_counting{false};
std::atomic<uint64_t> g_allocations{0};
}  // namespace

void* operator new(std::size_t n) {
    if (g_counting.load(std::memory_order_relaxed)) {
        const uint64_t k = g_allocations.fetch_add(1) + 1;
        // TSTAT_ALLOC_TRACE=1 prints where the first allocations come from.
        if (k <= 3 && std::getenv("TSTAT_ALLOC_TRACE") != nullptr) {
            void* frames[32];
            backtrace_symbols_fd(frames, backtrace(frames, 32), 2);
        }
    }
    if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
    throw std::bad_alloc();
}
void* operator new[](std::size_t n) { return operator new(n); }
void* operator new(std::size_t n, const std::nothrow_t&) noexcept {
    try {
        return operator new(n);
    } catch (...) {
        return nullptr;
    }
}
void* operator new[](std::size_t n, const std::nothrow_t& t) noexcept {
    return operator new(n, t);
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { std::free(p); }

namespace tstat::testing {
namespace {

// `n` short conversations started 1 ms apart, each lasting a few ms: a steady state where flows
// open and close all the time (TCP of every kind, and UDP).
std::vector<TimedFrame> steady_traffic(int n) {
    std::vector<TimedFrame> frames;
    for (int i = 0; i < n; ++i) {
        const Timestamp start = Timestamp::from_parts(1'700'000'000 + i / 1000, (i % 1000) * 1000);
        const std::string client = "10." + std::to_string(i % 200) + "." +
                                   std::to_string((i / 200) % 250) + ".1";
        TcpSession s({client, static_cast<uint16_t>(1024 + i % 60000)}, {"192.0.2.1", 80}, start);
        s.step_us(100);
        s.handshake().client_send("GET / HTTP/1.1\r\n\r\n").server_send(std::string(1400, 'x'));
        if (i % 3 == 0)
            s.client_reset();
        else
            s.close();
        for (const auto& f : s.frames()) frames.push_back(f);
        frames.push_back({Timestamp{start.us + 50},
                          capture::link::kEthernet,
                          udp_packet({client, 5353}, {"192.0.2.53", 53}, "query")});
    }
    std::stable_sort(frames.begin(), frames.end(),
                     [](const TimedFrame& a, const TimedFrame& b) { return a.ts < b.ts; });
    return frames;
}

TEST(NoAllocation, SteadyStatePacketPathAllocatesNothing) {
    // 40 s of traffic: the first 24 s warm the tables up (UDP singletons start expiring at
    // 10 s, so pools, free lists and the writer's batches reach their steady size).
    const auto frames = steady_traffic(40000);
    ScratchDir dir;
    app::Globals globals;
    app::RuntimeConfig runtime;
    app::Networks nets;
    output::LogWriter writer;
    app::Analyzer analyzer(globals, runtime, nets, decode::DecodeOptions{}, writer);
    analyzer.begin(dir.path());

    const size_t warm = frames.size() * 6 / 10;
    for (size_t i = 0; i < warm; ++i) analyzer.process(frames[i].raw());
    writer.sync();

    std::vector<capture::RawPacket> raws;
    raws.reserve(frames.size());
    for (size_t i = warm; i < frames.size(); ++i) raws.push_back(frames[i].raw());
    g_allocations = 0;
    g_counting = true;
    for (const auto& r : raws) analyzer.process(r);
    g_counting = false;
    const uint64_t during = g_allocations.load();

    analyzer.end();
    writer.close();
    EXPECT_EQ(during, 0u) << "allocations while replaying " << raws.size() << " packets";
    EXPECT_GT(writer.stats().rows_of(output::LogId::kTcpComplete), 20000u);  // the flows did go through the writer
}

}  // namespace
}  // namespace tstat::testing
