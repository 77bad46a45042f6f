// The packet path must not allocate once warmed up (DESIGN.md "Errors"). This binary replaces
// the global operator new with a counting one and replays a built trace through the whole
// pipeline (decode, flows, records, writer thread): after a warm-up on the first flows, the
// remaining packets — thousands of new and closing flows among them — allocate nothing.
#include <gtest/gtest.h>

#include <execinfo.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <new>
#include <string>

#include "app/analyzer.h"
#include "support/packet_builder.h"
#include "support/pcap_writer.h"
#include "support/quic_builder.h"

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

// Replays `frames` through an analyzer: the first `warm_share` warms it up, and the
// allocations made while the rest is processed are counted.
struct Replay {
    uint64_t allocations = 0;
    size_t packets = 0;
};
Replay replay(const app::Globals& globals, const app::RuntimeConfig& runtime,
              const app::Networks& nets, output::LogWriter& writer,
              const std::vector<TimedFrame>& frames, double warm_share, const std::string& root,
              const std::function<void(app::Analyzer&)>& setup = {}) {
    app::Analyzer analyzer(globals, runtime, nets, decode::DecodeOptions{}, writer);
    if (setup) setup(analyzer);
    analyzer.begin(root);
    const auto warm = static_cast<size_t>(static_cast<double>(frames.size()) * warm_share);
    for (size_t i = 0; i < warm; ++i) analyzer.process(frames[i].raw());
    writer.sync();

    std::vector<capture::RawPacket> raws;
    raws.reserve(frames.size());
    for (size_t i = warm; i < frames.size(); ++i) raws.push_back(frames[i].raw());
    g_allocations = 0;
    g_counting = true;
    for (const auto& r : raws) analyzer.process(r);
    g_counting = false;
    Replay out{g_allocations.load(), raws.size()};
    analyzer.end();
    writer.close();
    return out;
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
    const Replay r = replay(globals, runtime, nets, writer, frames, 6.0 / 10, dir.path());
    EXPECT_EQ(r.allocations, 0u) << "allocations while replaying " << r.packets << " packets";
    EXPECT_GT(writer.stats().rows_of(output::LogId::kTcpComplete), 20000u);  // the flows did go through the writer
}

void put16(std::string& s, size_t v) {
    s += static_cast<char>(v >> 8 & 0xff);
    s += static_cast<char>(v & 0xff);
}

// A TLS handshake record of `type` (1 ClientHello with SNI/ALPN/versions, 2 ServerHello) and,
// for the server, a Certificate record with a commonName.
std::string tls_hello(int type, const std::string& name) {
    std::string ext;
    if (type == 1) {
        put16(ext, 0);
        put16(ext, name.size() + 5);
        put16(ext, name.size() + 3);
        ext += '\0';
        put16(ext, name.size());
        ext += name;
        ext += std::string("\x00\x10\x00\x05\x00\x03\x02h2\x00\x2b\x00\x03\x02\x03\x04", 16);
        ext += std::string("\x00\x15\x00\x02\x00\x00", 6);
    } else {
        ext += std::string("\x00\x2b\x00\x02\x03\x04", 6);
    }
    std::string body = "\x03\x03" + std::string(32, 'r');
    body += '\0';
    body += type == 1 ? std::string("\x00\x02\x13\x01\x01\x00", 6) : std::string("\x13\x01\x00", 3);
    put16(body, ext.size());
    body += ext;
    std::string hs(1, static_cast<char>(type));
    hs += '\0';
    put16(hs, body.size());
    std::string rec = "\x16\x03\x01";
    put16(rec, hs.size() + body.size());
    rec += hs + body;
    if (type == 2) {
        std::string cert = std::string(24, '0') + std::string("\x06\x03\x55\x04\x03\x0c", 6);
        cert += static_cast<char>(name.size());
        cert += name + std::string(16, '0');
        rec += "\x16\x03\x03";
        put16(rec, cert.size() + 4);
        rec += std::string("\x0b\x00", 2);
        put16(rec, cert.size());
        rec += cert;
    }
    return rec;
}

// Application-layer traffic: TLS with names from a small set (real traffic repeats names),
// HTTP requests with full headers (log_http_complete rows), a video response, a request cut
// mid-header, MSN chat, and unknown payload.
std::vector<TimedFrame> classified_traffic(int n) {
    std::vector<TimedFrame> frames;
    for (int i = 0; i < n; ++i) {
        const Timestamp start = Timestamp::from_parts(1'700'000'000 + i / 1000, (i % 1000) * 1000);
        const std::string client = "10." + std::to_string(i % 200) + "." +
                                   std::to_string((i / 200) % 250) + ".1";
        const uint16_t cport = static_cast<uint16_t>(1024 + i % 60000);
        const std::string name = "host" + std::to_string(i % 50) + ".example.com";
        const int kind = i % 6;
        TcpSession s({client, cport}, {"192.0.2.1", kind == 0 ? uint16_t{443} : uint16_t{80}},
                     start);
        s.step_us(100);
        s.handshake();
        switch (kind) {
            case 0: {
                std::string data = "\x17\x03\x03";
                put16(data, 64);
                data += std::string(64, 'e');
                s.client_send(tls_hello(1, name)).server_send(tls_hello(2, name));
                s.client_send(data).server_send(data);
                break;
            }
            case 1:
                s.client_send("GET /index.html?x=" + std::to_string(i) + " HTTP/1.1\r\nHost: " +
                              name + "\r\nUser-Agent: test/1.0\r\nReferer: http://" + name +
                              "/a\r\nCookie: c=1\r\n\r\n")
                    .server_send("HTTP/1.1 200 OK\r\nContent-Length: 4\r\nContent-Type: "
                                 "text/html\r\nServer: t\r\nSet-Cookie: s=2\r\n\r\nbody");
                break;
            case 2:
                s.client_send("GET /videoplayback?id=0123456789abcdef&itag=18 HTTP/1.1\r\nHost: " +
                              name + "\r\n\r\n")
                    .server_send("HTTP/1.1 200 OK\r\nContent-Type: video/mp4\r\n\r\n" +
                                 std::string("\x00\x00\x00\x18", 4) + "ftypmp42" +
                                 std::string(200, '\0'));
                break;
            case 3:
                s.client_send("POST /upload HTTP/1.1\r\nHost: " + name + "\r\nUser-Agent: Moz",
                              false)
                    .client_send("illa/5.0\r\n\r\n")
                    .server_send("HTTP/1.1 204 No Content\r\nServer: t\r\n\r\n");
                break;
            case 4:
                s.client_send("VER 1 MSNP15 CVR0\r\n")
                    .server_send("VER 1 MSNP15 CVR0\r\n")
                    .client_send("MSG 2 A 20\r\nMIME-Version: 1.0\r\n");
                break;
            default:
                s.client_send(std::string(300, static_cast<char>(i))).server_send(std::string(1400, 'x'));
                break;
        }
        if (i % 3 == 0)
            s.client_reset();
        else
            s.close();
        for (const auto& f : s.frames()) frames.push_back(f);
    }
    std::stable_sort(frames.begin(), frames.end(),
                     [](const TimedFrame& a, const TimedFrame& b) { return a.ts < b.ts; });
    return frames;
}

TEST(NoAllocation, ApplicationLayerWithEveryTcpLogAllocatesNothing) {
    const auto frames = classified_traffic(40000);
    ScratchDir dir;
    app::Globals globals;
    app::RuntimeConfig runtime;
    runtime.logs.log_bitmask |= output::log_bit::kHttpComplete | output::log_bit::kVideoComplete |
                                output::log_bit::kChatComplete | output::log_bit::kChatMessages;
    runtime.logs.video_level = 63;        // Advanced set too: the rate samples
    runtime.logs.httplog_full_url = 2;    // paths and cookies
    app::Networks nets;
    output::LogWriter writer;
    const Replay r = replay(globals, runtime, nets, writer, frames, 6.0 / 10, dir.path());
    EXPECT_EQ(r.allocations, 0u) << "allocations while replaying " << r.packets << " packets";
    EXPECT_GT(writer.stats().rows_of(output::LogId::kHttpComplete), 30000u);
    EXPECT_GT(writer.stats().rows_of(output::LogId::kVideoComplete), 3000u);
    EXPECT_GT(writer.stats().rows_of(output::LogId::kChatMessages), 3000u);
}

// UDP application traffic, one conversation every 40 ms so that the warm-up outlasts the UDP
// idle timeout (200 s) and the flows alive stop growing: DNS queries and responses (DN-Hunter and log_dns_complete), TCP
// flows to the resolved servers (DN-Hunter labels), QUIC client and server Initials (v1
// decryption, ClientHello reassembly), RTP and RTCP streams (log_mm_complete), and the UDP
// periodic log.
std::vector<TimedFrame> udp_traffic(int n) {
    std::vector<TimedFrame> frames;
    const Bytes hello = quic_client_hello("www.example.org", "ua/1.0", 64);
    const Bytes initial = quic_client_initial(hello);
    const Bytes half = quic_client_initial(Bytes(hello.begin(), hello.begin() + 60));
    const Bytes server_initial = quic_server_initial();
    auto add = [&](Timestamp ts, const Endpoint& from, const Endpoint& to, const Bytes& p) {
        frames.push_back({ts, capture::link::kEthernet, udp_builder(from, to).payload(p).build()});
    };
    for (int i = 0; i < n; ++i) {
        const Timestamp start = Timestamp::from_parts(1'700'000'000 + i / 25, (i % 25) * 40000);
        const std::string client = "10." + std::to_string(i % 200) + "." +
                                   std::to_string((i / 200) % 250) + ".1";
        const uint16_t cport = static_cast<uint16_t>(1025 + i % 60000);
        const std::string server = "192.0.2." + std::to_string(1 + i % 250);
        switch (i % 4) {
            case 0: {   // a resolution, then a TCP flow to the answer
                std::string q = std::string("\x12\x34\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00", 12);
                q += std::string("\x05host") + static_cast<char>('0' + i % 10) +
                     std::string("\x07" "example\x03" "com\x00\x00\x01\x00\x01", 17);
                std::string r = q;
                r[2] = '\x81';
                r[3] = '\x80';
                r[7] = 1;
                r += std::string("\xc0\x0c\x00\x01\x00\x01\x00\x00\x00\x3c\x00\x04\xc0\x00\x02", 15);
                r += static_cast<char>(1 + i % 250);
                add(start, {client, cport}, {"192.0.2.53", 53}, Bytes(q.begin(), q.end()));
                add(Timestamp{start.us + 100}, {"192.0.2.53", 53}, {client, cport},
                    Bytes(r.begin(), r.end()));
                TcpSession s({client, cport}, {server, 443}, Timestamp{start.us + 200});
                s.step_us(100);
                s.handshake().client_send("x").close();
                for (const auto& f : s.frames()) frames.push_back(f);
                break;
            }
            case 1:   // QUIC: a whole ClientHello, or half of one and no answer
                add(start, {client, cport}, {server, 443}, i % 8 == 1 ? initial : half);
                if (i % 8 == 1) add(Timestamp{start.us + 100}, {server, 443}, {client, cport},
                                    server_initial);
                break;
            case 2:   // RTP with RTCP, both ways
                for (int k = 0; k < 4; ++k) {
                    Bytes rtp{0x80, 0x00, 0, static_cast<uint8_t>(k), 0, 0,
                              static_cast<uint8_t>(k), 0xa0, 0, 0, 0, static_cast<uint8_t>(i)};
                    rtp.resize(172, 0xd5);
                    add(Timestamp{start.us + k * 200}, {client, cport}, {server, 40000}, rtp);
                    rtp[8] = 1;
                    add(Timestamp{start.us + k * 200 + 50}, {server, 40000}, {client, cport}, rtp);
                }
                {
                    Bytes sr{0x81, 200, 0, 12, 0, 0, 0, static_cast<uint8_t>(i)};
                    sr.resize(52, 0x01);
                    add(Timestamp{start.us + 900}, {client, cport}, {server, 40000}, sr);
                }
                break;
            default:   // unknown payload
                add(start, {client, cport}, {server, 9999}, Bytes(40, static_cast<uint8_t>(i)));
                break;
        }
    }
    std::stable_sort(frames.begin(), frames.end(),
                     [](const TimedFrame& a, const TimedFrame& b) { return a.ts < b.ts; });
    return frames;
}

TEST(NoAllocation, UdpApplicationLayerWithEveryUdpLogAllocatesNothing) {
    constexpr int kConversations = 16000;   // 640 s of trace
    const auto frames = udp_traffic(kConversations);
    ScratchDir dir;
    app::Globals globals;
    // A DN-Hunter cache the warm-up fills and wraps: its ring and name store stop growing
    // (at Tstat's 100000 entries they would only fill after the test's trace).
    globals.dns_cache_size = 2000;
    app::RuntimeConfig runtime;
    runtime.logs.log_bitmask |= output::log_bit::kDnsComplete | output::log_bit::kUdpPeriodic |
                                output::log_bit::kMmComplete;
    app::Networks nets;
    output::LogWriter writer;
    // 480 s of warm-up: past the UDP timeout.
    const Replay r = replay(globals, runtime, nets, writer, frames, 3.0 / 4, dir.path());
    EXPECT_EQ(r.allocations, 0u) << "allocations while replaying " << r.packets << " packets";
    EXPECT_GT(writer.stats().rows_of(output::LogId::kDnsComplete), kConversations / 4u);
    EXPECT_GT(writer.stats().rows_of(output::LogId::kMmComplete), kConversations / 8u);
    EXPECT_GT(writer.stats().rows_of(output::LogId::kUdpComplete), kConversations / 2u);
}

TEST(NoAllocation, DumpsXorAndCryptoPanAllocateNothing) {
    // The dump engine picks files and copies each packet into a batch of its writer thread;
    // -A changes the packets; Crypto-PAn prints through a fixed-size cache.
    const auto frames = steady_traffic(40000);
    ScratchDir dir;
    app::Globals globals;
    app::RuntimeConfig runtime;
    runtime.dump = {{"ip_complete", 1},   {"tcp_complete", 1}, {"tcp_maxpackets", 2},
                    {"udp_complete", 1},  {"udp_dns", 1},      {"udp_unknown", 1},
                    {"tcp_videostreaming", 1}};
    app::Networks nets;
    output::LogWriter writer;
    const Replay r = replay(globals, runtime, nets, writer, frames, 6.0 / 10, dir.path(),
                            [](app::Analyzer& a) {
                                app::Privacy p;
                                p.xor_mask = 0x00ff00ff;
                                p.crypto = output::anonymize::CryptoNets(NetList::everything(), {});
                                p.key.emplace();
                                p.key->key.fill(7);
                                p.settings.cache_size = 1000;   // wraps: replacement, not growth
                                a.set_privacy(p);
                                a.enable_dump(false, std::nullopt);
                            });
    EXPECT_EQ(r.allocations, 0u) << "allocations while replaying " << r.packets << " packets";
    EXPECT_GT(writer.stats().rows_of(output::LogId::kTcpComplete), 20000u);
    // The packets did go to the dump files, and Crypto-PAn was on (its key file written).
    uintmax_t dumped = 0;
    bool key_file = false;
    for (const auto& e : std::filesystem::recursive_directory_iterator(dir.path())) {
        if (e.path().filename() == "ip_complete.pcap") dumped = e.file_size();
        if (e.path().filename().string().rfind("CPanKey_", 0) == 0) key_file = true;
    }
    EXPECT_GT(dumped, 10'000'000u);
    EXPECT_TRUE(key_file);
}

// Skype-like calls for the -B engine (spec §9.8): end-to-end UDP datagrams every 20 ms (FUNC
// 13, random bytes) and TCP connections with random 100-byte segments, every flow long enough
// to be judged and logged.
std::vector<TimedFrame> skype_traffic(int calls) {
    std::vector<TimedFrame> frames;
    uint32_t seed = 1;
    auto rnd = [&] {
        seed = seed * 1103515245u + 12345u;
        return static_cast<uint8_t>(seed >> 16);
    };
    for (int i = 0; i < calls; ++i) {
        const Timestamp start = Timestamp::from_parts(1'700'000'000 + i / 2, (i % 2) * 500'000);
        const std::string client = "10." + std::to_string(i % 200) + "." +
                                   std::to_string((i / 200) % 250) + ".1";
        const auto cport = static_cast<uint16_t>(1024 + i % 60000);
        if (i % 4 == 3) {
            TcpSession s({client, cport}, {"192.0.2.1", 443}, start);
            s.step_us(10'000).handshake();
            for (int k = 0; k < 55; ++k) {
                std::string data(100, '\0');
                for (auto& c : data) c = static_cast<char>(rnd());
                s.client_send(data);
            }
            s.close();
            for (const auto& f : s.frames()) frames.push_back(f);
            continue;
        }
        for (int k = 0; k < 105; ++k) {
            std::string p(100, '\0');
            for (auto& c : p) c = static_cast<char>(rnd());
            p[2] = static_cast<char>(0x0d | (p[2] & 0x70));
            frames.push_back({Timestamp{start.us + k * 20'000}, capture::link::kEthernet,
                              udp_packet({client, cport}, {"198.51.100.1", 50000}, p)});
        }
    }
    std::stable_sort(frames.begin(), frames.end(),
                     [](const TimedFrame& a, const TimedFrame& b) { return a.ts < b.ts; });
    return frames;
}

TEST(NoAllocation, SkypeEngineAndLogAllocateNothing) {
    constexpr int kCalls = 1280;   // 640 s of trace
    const auto frames = skype_traffic(kCalls);
    auto cfg = classify::skype::load_skype_config(std::string(TSTAT_SOURCE_DIR) +
                                                  "/tests/data/skype");
    ASSERT_TRUE(cfg) << cfg.error();
    const auto shared = std::make_shared<const classify::skype::SkypeConfig>(std::move(*cfg));
    ScratchDir dir;
    app::Globals globals;
    app::RuntimeConfig runtime;
    runtime.logs.skype = true;
    app::Networks nets;
    output::LogWriter writer;
    // 480 s of warm-up: past the UDP timeout, so flows close as fast as they open.
    const Replay r = replay(globals, runtime, nets, writer, frames, 3.0 / 4, dir.path(),
                            [&](app::Analyzer& a) { a.enable_skype(shared); });
    EXPECT_EQ(r.allocations, 0u) << "allocations while replaying " << r.packets << " packets";
    // Nearly every call was judged Skype and logged (UDP rows at the timeouts or the end, TCP
    // ones at the FIN).
    EXPECT_GT(writer.stats().rows_of(output::LogId::kSkypeComplete), kCalls * 9u / 10);
}

}  // namespace
}  // namespace tstat::testing
