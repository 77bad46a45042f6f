// The packet dump engine through the whole pipeline (spec §12): which packets land in which
// file, with which bytes, lengths and times, Tstat's limits, slicing, log.txt, -P and -A; and
// the two Tstat bugs fixed (§17.14, files emptied by a runtime change).
#include <gtest/gtest.h>
#include <zlib.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "app/analyzer.h"
#include "support/packet_builder.h"
#include "support/pcap_writer.h"

namespace tstat::testing {
namespace {

namespace fs = std::filesystem;
namespace pd = output::pcap_dump;

struct Record {
    uint32_t sec = 0, usec = 0, caplen = 0, len = 0;
    Bytes bytes;   // fake Ethernet header included
};

std::string read_all(const std::string& path) {
    if (path.size() > 3 && path.substr(path.size() - 3) == ".gz") {
        gzFile gz = gzopen(path.c_str(), "rb");
        if (gz == nullptr) return {};
        std::string out;
        char buf[65536];
        int n;
        while ((n = gzread(gz, buf, sizeof buf)) > 0) out.append(buf, static_cast<size_t>(n));
        gzclose(gz);
        return out;
    }
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

uint32_t u32(const std::string& d, size_t off) {
    uint32_t v;
    std::memcpy(&v, d.data() + off, 4);
    return v;
}

// Records of a dump file; fails the test on a bad global header.
std::vector<Record> records(const std::string& path) {
    const std::string d = read_all(path);
    std::vector<Record> out;
    EXPECT_GE(d.size(), 24u) << path;
    if (d.size() < 24) return out;
    EXPECT_EQ(u32(d, 0), 0xa1b2c3d4u);
    EXPECT_EQ(u32(d, 16), 1000000u);   // Tstat's fake snaplen
    EXPECT_EQ(u32(d, 20), 1u);         // Ethernet
    for (size_t off = 24; off + 16 <= d.size();) {
        Record r{u32(d, off), u32(d, off + 4), u32(d, off + 8), u32(d, off + 12), {}};
        r.bytes.assign(d.begin() + static_cast<std::ptrdiff_t>(off + 16),
                       d.begin() + static_cast<std::ptrdiff_t>(off + 16 + r.caplen));
        out.push_back(std::move(r));
        off += 16 + r.caplen;
    }
    return out;
}

Bytes dns_query(uint16_t id) {
    Bytes q = {static_cast<uint8_t>(id >> 8), static_cast<uint8_t>(id), 0x01, 0x00, 0, 1, 0, 0,
               0, 0, 0, 0};
    for (uint8_t c : std::string("\x07" "example" "\x03" "com")) q.push_back(c);
    for (int c : {0, 0, 1, 0, 1}) q.push_back(static_cast<uint8_t>(c));
    return q;
}

class DumpRun {
public:
    explicit DumpRun(std::map<std::string, int64_t> dump, bool gzip = false, uint32_t xor_mask = 0,
                 uint32_t extra_logs = 0, const flow::FlowConfig* flows = nullptr) {
        if (flows != nullptr) globals_.flow = *flows;
        runtime_.dump = std::move(dump);
        runtime_.logs.log_bitmask |= extra_logs;
        analyzer_ = std::make_unique<app::Analyzer>(globals_, runtime_, nets_,
                                                    decode::DecodeOptions{}, writer_);
        app::Privacy privacy;
        privacy.xor_mask = xor_mask;
        analyzer_->set_privacy(privacy);
        analyzer_->enable_dump(gzip, std::nullopt);
        analyzer_->begin(dir_.path());
    }
    void feed(const std::vector<TimedFrame>& frames) {
        for (const auto& f : frames) analyzer_->process(f.raw());
    }
    void finish() {
        analyzer_->end();
        writer_.close();
        analyzer_->dump()->close();
    }
    std::string traces(int n = 0) const {
        char name[16];
        std::snprintf(name, sizeof name, "traces%02d", n);
        return analyzer_->time_dir() + "/" + name;
    }
    std::string log(const std::string& name) const {
        std::ifstream in(analyzer_->time_dir() + "/" + name);
        std::stringstream ss;
        ss << in.rdbuf();
        return ss.str();
    }
    app::RuntimeConfig& runtime() { return runtime_; }
    app::Analyzer& analyzer() { return *analyzer_; }

private:
    ScratchDir dir_;
    app::Globals globals_;
    app::RuntimeConfig runtime_;
    app::Networks nets_;
    output::LogWriter writer_;
    std::unique_ptr<app::Analyzer> analyzer_;
};

std::vector<TimedFrame> http_session(Timestamp start, uint16_t port = 40000) {
    TcpSession s({"10.0.0.1", port}, {"10.0.0.2", 80}, start);
    s.handshake()
        .client_send("GET / HTTP/1.1\r\nHost: example.com\r\n\r\n")
        .server_send(std::string(500, 'a'))
        .server_send(std::string(500, 'b'))
        .server_send(std::string(500, 'c'))
        .close();
    return s.frames();
}

TEST(DumpEngine, IpCompleteTakesEveryIpPacketWithAFakeEthernetHeader) {
    DumpRun run({{"ip_complete", 1}});
    auto frames = http_session(Timestamp::from_parts(1600000000, 0));
    // An ICMP packet and a UDP packet in a padded frame (Ethernet minimum size).
    frames.push_back({Timestamp::from_parts(1600000001, 250),
                      capture::link::kEthernet,
                      PacketBuilder().ethernet().ipv4("10.0.0.3", "10.0.0.4").icmp(8).build()});
    frames.push_back({Timestamp::from_parts(1600000002, 17),
                      capture::link::kEthernet,
                      PacketBuilder()
                          .ethernet()
                          .ipv4("10.0.0.5", "10.0.0.6")
                          .udp(5000, 6000)
                          .payload("x")
                          .pad_to(60)
                          .build()});
    run.feed(frames);
    run.finish();
    const auto recs = records(run.traces() + "/ip_complete.pcap");
    ASSERT_EQ(recs.size(), frames.size());
    for (size_t i = 0; i < recs.size(); ++i) {
        const Record& r = recs[i];
        const Bytes& f = frames[i].bytes;
        EXPECT_EQ(int64_t{r.sec} * 1000000 + r.usec, frames[i].ts.us);
        // Zero MAC addresses, the IPv4 ethertype, then the frame from its IP header to its end
        // (the padding of the last frame included).
        EXPECT_EQ(Bytes(r.bytes.begin(), r.bytes.begin() + 12), Bytes(12, 0));
        EXPECT_EQ(r.bytes[12], 0x08);
        EXPECT_EQ(r.bytes[13], 0x00);
        EXPECT_EQ(Bytes(r.bytes.begin() + 14, r.bytes.end()), Bytes(f.begin() + 14, f.end()));
        const uint32_t ip_len = uint32_t{f[16]} << 8 | f[17];
        EXPECT_EQ(r.len, 14 + ip_len);
    }
    EXPECT_EQ(recs.back().caplen, 60u);
    EXPECT_FALSE(fs::exists(run.traces() + "/tcp_complete.pcap"));   // made at its first packet
}

TEST(DumpEngine, FlowDumpsStopAtTstatsPlastAndSnapLenCutsEverything) {
    DumpRun run({{"ip_complete", 1}, {"udp_complete", 1}, {"snap_len", 0}});
    const Bytes padded =
        PacketBuilder().ethernet().ipv4("10.0.0.5", "10.0.0.6").udp(5000, 6000).payload("x").pad_to(
            60).build();   // IP length 29: 17 bytes of padding
    run.feed({{Timestamp::from_parts(1600000000, 0), capture::link::kEthernet, padded}});
    run.finish();
    EXPECT_EQ(records(run.traces() + "/ip_complete.pcap").at(0).caplen, 60u);
    // Tstat's plast after getudp(): one byte past the IP packet.
    EXPECT_EQ(records(run.traces() + "/udp_complete.pcap").at(0).caplen, 14u + 29u + 1u);

    DumpRun cut({{"ip_complete", 1}, {"tcp_complete", 1}, {"snap_len", 40}});
    const auto frames = http_session(Timestamp::from_parts(1600000000, 0));
    cut.feed(frames);
    cut.finish();
    for (const auto& r : records(cut.traces() + "/tcp_complete.pcap")) {
        EXPECT_LE(r.caplen, 54u);
        EXPECT_GT(r.len, 0u);
    }
    const auto all = records(cut.traces() + "/ip_complete.pcap");
    ASSERT_EQ(all.size(), frames.size());
    EXPECT_EQ(all[3].caplen, 54u);   // the GET request, cut
    EXPECT_GT(all[3].len, 54u);      // len keeps the packet's own length
}

TEST(DumpEngine, TcpMaxPacketsKeepsTstatsPackets) {
    DumpRun run({{"tcp_complete", 1}, {"tcp_maxpackets", 1}});
    const auto frames = http_session(Timestamp::from_parts(1600000000, 0));
    ASSERT_EQ(frames.size(), 14u);
    run.feed(frames);
    run.finish();
    // SYN, SYN/ACK, ACK; the request (first client data) and its ACK; the first server data
    // and its ACK; not the server's 2nd and 3rd segments or their ACKs; the FINs and the ACK
    // of the server's FIN.
    const auto recs = records(run.traces() + "/tcp_complete.pcap");
    std::vector<int64_t> got;
    for (const auto& r : recs) got.push_back(int64_t{r.sec} * 1000000 + r.usec);
    std::vector<int64_t> want;
    for (size_t i : {0, 1, 2, 3, 4, 5, 6, 11, 12, 13}) want.push_back(frames[i].ts.us);
    EXPECT_EQ(got, want);
}

TEST(DumpEngine, StopDumpingMaskStopsAClassifiedFlow) {
    DumpRun run({{"tcp_complete", 1}, {"stop_dumping_mask", 1}});   // HTTP
    TcpSession s({"10.0.0.1", 40000}, {"10.0.0.2", 80}, Timestamp::from_parts(1600000000, 0));
    s.handshake()
        .client_send("GET / HTTP/1.1\r\nHost: example.com\r\n\r\n")
        .server_send("HTTP/1.1 200 OK\r\nContent-Length: 500\r\n\r\n" + std::string(500, 'a'))
        .server_send(std::string(500, 'b'))
        .close();
    const auto frames = s.frames();
    run.feed(frames);
    run.finish();
    // The handshake, the request and its ACK go in; the server's "HTTP" answer makes the flow
    // HTTP (classification runs before the dump) and nothing more of it is dumped.
    const auto recs = records(run.traces() + "/tcp_complete.pcap");
    ASSERT_EQ(recs.size(), 5u);
    EXPECT_EQ(int64_t{recs[4].sec} * 1000000 + recs[4].usec, frames[4].ts.us);
}

TEST(DumpEngine, PerClassUdpDumpsAreNotSwitchedOffByQuicOrStun) {
    // Spec §17.14: in Tstat, udp_quic on means udp_dns gets nothing.
    DumpRun run({{"udp_dns", 1}, {"udp_quic", 1}, {"udp_stun", 1}, {"udp_unknown", 1}}, false, 0,
            output::log_bit::kDnsComplete);
    std::vector<TimedFrame> frames;
    for (int i = 0; i < 4; ++i)
        frames.push_back({Timestamp::from_parts(1600000000 + i, 0),
                          capture::link::kEthernet,
                          PacketBuilder()
                              .ethernet()
                              .ipv4("10.0.0.1", "10.0.0.53")
                              .udp(static_cast<uint16_t>(3000 + i), 53)
                              .payload(dns_query(static_cast<uint16_t>(i)))
                              .build()});
    run.feed(frames);
    run.finish();
    EXPECT_EQ(records(run.traces() + "/udp_dns.pcap").size(), 4u);
    EXPECT_FALSE(fs::exists(run.traces() + "/udp_quic.pcap"));
}

TEST(DumpEngine, StunBindingRequestsStartAStunFlow) {
    DumpRun run({{"udp_stun", 1}});
    Bytes stun = {0x00, 0x01, 0x00, 0x08, 0x21, 0x12, 0xa4, 0x42};
    for (int i = 0; i < 12; ++i) stun.push_back(static_cast<uint8_t>(i));
    stun.insert(stun.end(), {0x80, 0x22, 0x00, 0x04, 't', 'e', 's', 't'});   // 8 attribute bytes
    auto frame = [&](int sec, const Endpoint& a, const Endpoint& b, const Bytes& payload) {
        return TimedFrame{Timestamp::from_parts(1600000000 + sec, 0), capture::link::kEthernet,
                          PacketBuilder().ethernet().ipv4(a.ip, b.ip).udp(a.port, b.port)
                              .payload(payload).build()};
    };
    run.feed({frame(0, {"10.0.0.1", 4000}, {"10.0.0.2", 3478}, stun),
              frame(1, {"10.0.0.2", 3478}, {"10.0.0.1", 4000}, to_bytes("reply")),
              frame(2, {"10.0.0.1", 4001}, {"10.0.0.2", 3478}, to_bytes("not stun at all...."))});
    run.finish();
    // The STUN flow: both packets; the other flow: none.
    EXPECT_EQ(records(run.traces() + "/udp_stun.pcap").size(), 2u);
}

TEST(DumpEngine, SyeTakesCommandedFlowsFromTheirCommandOn) {
    // Spec §9.6/§12: udp_sye takes SYE directions, and datagrams of unclassified ones once
    // either side sent a SYE command (0a 00 18 00 42...); data (0x14/0x15) alone is nothing.
    DumpRun run({{"udp_sye", 1}});
    const Bytes command = from_hex("0a 00 18 00 42 10 0a 0e 73 79 65");
    const Bytes data = from_hex("14 01 02 03 04 05 06 07 08 09");
    auto frame = [&](int ms, const Endpoint& a, const Endpoint& b, const Bytes& payload) {
        return TimedFrame{Timestamp::from_parts(1600000000, ms * 1000), capture::link::kEthernet,
                          udp_builder(a, b).payload(payload).build()};
    };
    const Endpoint client{"10.0.0.1", 50000}, server{"192.0.2.10", 40000};
    const Endpoint other{"10.0.0.1", 50001};
    run.feed({frame(0, other, server, data),        // no command: not dumped
              frame(1, server, other, data),
              frame(2, client, server, command),    // pending: dumped
              frame(3, server, client, data),       // both directions SYE from here
              frame(4, client, server, to_bytes("ack"))});
    run.finish();
    const auto recs = records(run.traces() + "/udp_sye.pcap");
    ASSERT_EQ(recs.size(), 3u);
    // The fake Ethernet header, 20 bytes of IPv4, 8 of UDP: the payload's first byte.
    EXPECT_EQ(recs[0].bytes.at(14 + 28), 0x0a);
    EXPECT_EQ(recs[1].bytes.at(14 + 28), 0x14);
    EXPECT_EQ(recs[2].bytes.at(14 + 28), 'a');
}

TEST(DumpEngine, SliceWinRotatesFilesOnTraceTime) {
    DumpRun run({{"udp_complete", 1}, {"slice_win", 10}});
    std::vector<TimedFrame> frames;
    for (int sec : {0, 5, 25, 29, 31})
        frames.push_back({Timestamp::from_parts(1600000000 + sec, 500), capture::link::kEthernet,
                          udp_packet({"10.0.0.1", 5000}, {"10.0.0.2", 6000}, "data")});
    run.feed(frames);
    run.finish();
    // Windows start at the first packet and move by whole slices: [0,10) [20,30) [30,40).
    EXPECT_EQ(records(run.traces() + "/udp_complete00.pcap").size(), 2u);
    EXPECT_EQ(records(run.traces() + "/udp_complete01.pcap").size(), 2u);
    EXPECT_EQ(records(run.traces() + "/udp_complete02.pcap").size(), 1u);
    EXPECT_FALSE(fs::exists(run.traces() + "/udp_complete.pcap"));
}

TEST(DumpEngine, LogTxtListsTheSwitchesInTstatsOrder) {
    setenv("TZ", "UTC", 1);
    tzset();
    DumpRun run({{"tcp_complete", 1}, {"udp_dns", 1}, {"ip_complete", 1}, {"udp_unknown", 1},
             {"udp_maxbytes", 1000}, {"stop_dumping_mask", 0x3DFFF}});
    run.feed(http_session(Timestamp::from_parts(1300475167, 0)));
    run.finish();
    EXPECT_EQ(read_all(run.traces() + "/log.txt"),
              "dump start: Fri Mar 18 19:06:07 2011\n"
              "dump stop:  Fri Mar 18 19:06:07 2011\n"
              "---\nenabled protocols:\n---\n"
              "udp_unknown\nudp_dns\nip_complete\ntcp_complete\n"
              "---\nadditional option:\n---\n"
              "udp_maxbytes = 1000\n"
              "stop_dumping_mask =  253951 # (0x3DFFF)\n");
}

TEST(DumpEngine, GzipDumpsHoldTheSameRecords) {
    DumpRun plain({{"ip_complete", 1}});
    DumpRun gz({{"ip_complete", 1}}, /*gzip=*/true);
    const auto frames = http_session(Timestamp::from_parts(1600000000, 0));
    plain.feed(frames);
    gz.feed(frames);
    plain.finish();
    gz.finish();
    EXPECT_FALSE(fs::exists(gz.traces() + "/ip_complete.pcap"));
    EXPECT_EQ(read_all(gz.traces() + "/ip_complete.pcap.gz"),
              read_all(plain.traces() + "/ip_complete.pcap"));
}

TEST(DumpEngine, XorObfuscationIsInTheDumpedPacket) {
    // -A 0x0a0b0c0d: both addresses internal (no -N), both XORed.
    DumpRun run({{"ip_complete", 1}}, false, 0x0a0b0c0du);
    run.feed({{Timestamp::from_parts(1600000000, 0), capture::link::kEthernet,
               udp_packet({"10.0.0.1", 5000}, {"192.168.1.2", 6000}, "data")}});
    run.finish();
    const auto recs = records(run.traces() + "/ip_complete.pcap");
    ASSERT_EQ(recs.size(), 1u);
    const Bytes src(recs[0].bytes.begin() + 14 + 12, recs[0].bytes.begin() + 14 + 16);
    const Bytes dst(recs[0].bytes.begin() + 14 + 16, recs[0].bytes.begin() + 14 + 20);
    EXPECT_EQ(src, (Bytes{10 ^ 0x0a, 0 ^ 0x0b, 0 ^ 0x0c, 1 ^ 0x0d}));
    EXPECT_EQ(dst, (Bytes{192 ^ 0x0a, 168 ^ 0x0b, 1 ^ 0x0c, 2 ^ 0x0d}));
}

TEST(DumpEngine, ADumpChangeWhileRunningStartsTheNextFolder) {
    DumpRun run({{"udp_complete", 1}});
    const auto first = udp_packet({"10.0.0.1", 5000}, {"10.0.0.2", 6000}, "one");
    run.feed({{Timestamp::from_parts(1600000000, 0), capture::link::kEthernet, first}});
    // runtime.conf changes: ip_complete added. Tstat reopened udp_complete.pcap with "w".
    const app::RuntimeConfig previous = run.runtime();
    run.runtime().dump["ip_complete"] = 1;
    run.analyzer().runtime_changed(previous);
    run.feed({{Timestamp::from_parts(1600000001, 0), capture::link::kEthernet, first}});
    run.finish();
    EXPECT_EQ(records(run.traces(0) + "/udp_complete.pcap").size(), 1u);
    EXPECT_EQ(records(run.traces(1) + "/udp_complete.pcap").size(), 1u);
    EXPECT_EQ(records(run.traces(1) + "/ip_complete.pcap").size(), 1u);
    EXPECT_TRUE(fs::exists(run.traces(0) + "/log.txt"));
    EXPECT_TRUE(fs::exists(run.traces(1) + "/log.txt"));
}

TEST(DumpEngine, DnsFilterDecidesAtFlowCreation) {
    auto filter = pd::DnsFilter::parse("ANY.ANY 0\ngood.example 1\n", "f");
    ASSERT_TRUE(filter);
    pd::DumpEngine engine;
    engine.set_dns_filter(std::move(*filter));
    pd::DumpConfig c;
    c.enabled[pd::target::kTcpComplete] = true;
    ASSERT_TRUE(engine.configure(c));
    ScratchDir dir;
    ASSERT_TRUE(engine.open_time_dir(dir.path()));
    decode::DecodedPacket pkt;
    const Bytes frame = tcp_packet({"10.0.0.1", 1000}, {"10.0.0.2", 80}, decode::tcp_flag::kSyn);
    ASSERT_EQ(decode::decode_packet(raw_packet(frame), pkt, {}), decode::DecodeStatus::kOk);
    flow::tcp::TcpFlow good, bad, unnamed;
    good.slot = 1;
    bad.slot = 2;
    unnamed.slot = 3;
    engine.tcp_opened(good, "www.good.example", true);
    engine.tcp_opened(bad, "www.bad.example", true);
    engine.tcp_opened(unnamed, "", true);
    for (auto* f : {&good, &bad, &unnamed}) {
        engine.begin_packet(pkt, 0, 0);
        engine.tcp_packet(*f, flow::Dir::kC2S, {});
        engine.end_packet();
    }
    engine.close();
    EXPECT_EQ(records(dir.path() + "/traces00/tcp_complete.pcap").size(), 1u);
}

TEST(DumpEngine, AFullUdpTableRefusesFlowsWithoutCrashing) {
    // Spec §17.12: Tstat dereferences the missing flow of a refused UDP packet for its periodic
    // log timer. Here a refused datagram is counted, not logged and not dumped per flow.
    flow::FlowConfig fixed;
    fixed.max_tcp_pairs = 10;
    fixed.max_udp_pairs = 10;
    fixed.gc_split_ratio = 10;
    fixed.gc_cycle_us = 10'000'000;
    fixed.growable_tables = false;
    DumpRun run({{"udp_complete", 1}, {"ip_complete", 1}}, false, 0,
                output::log_bit::kUdpPeriodic, &fixed);
    std::vector<TimedFrame> frames;
    for (int i = 0; i < 30; ++i)
        for (int k = 0; k < 2; ++k)
            frames.push_back({Timestamp::from_parts(1600000000, i * 1000 + k),
                              capture::link::kEthernet,
                              PacketBuilder()
                                  .ethernet()
                                  .ipv4("10.0.1." + std::to_string(i + 1), "10.0.0.2")
                                  .udp(5000, 6000)
                                  .payload("hello")
                                  .build()});
    run.feed(frames);
    EXPECT_EQ(run.analyzer().engine().counters().udp_missed, 40u);
    run.finish();
    EXPECT_EQ(records(run.traces() + "/ip_complete.pcap").size(), 60u);
    EXPECT_EQ(records(run.traces() + "/udp_complete.pcap").size(), 20u);
    const std::string udp = run.log("log_udp_complete");
    EXPECT_EQ(std::count(udp.begin(), udp.end(), '\n'), 1 + 10) << udp;
}

}  // namespace
}  // namespace tstat::testing
