// The per-flow and per-packet fill rules (spec §10.2; Tstat's make_conn_stats,
// make_udp_conn_stats, tcp/udp_header_stat, rexmit's classes, rtp.c's mm_* samples), through
// the analyzer.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <fstream>
#include <sstream>

#include "app/analyzer.h"
#include "app/stats_tap.h"
#include "support/packet_builder.h"
#include "support/pcap_writer.h"

namespace tstat::testing {
namespace {

namespace fs = std::filesystem;
using stats::HistoId;

std::string body(const fs::path& p) {
    std::ifstream in(p);
    EXPECT_TRUE(in) << p;
    std::stringstream out;
    for (std::string l; std::getline(in, l);)
        if (!l.empty() && l[0] != '#') out << l << "\n";
    return out.str();
}

// Runs `frames` through an analyzer collecting every histogram; returns the LAST folder.
struct StatsRun {
    ScratchDir dir;
    fs::path last;
    explicit StatsRun(const std::vector<TimedFrame>& frames, const std::string& nets = "",
                      std::shared_ptr<const classify::skype::SkypeConfig> skype = nullptr,
                      bool adx = false, uint32_t max_tcp_pairs = 0) {
        app::Globals globals;
        if (max_tcp_pairs != 0) {   // a fixed table, as runtime.conf's limits make it
            globals.flow.max_tcp_pairs = max_tcp_pairs;
            globals.flow.gc_split_ratio = 1;
            globals.flow.growable_tables = false;
        }
        app::RuntimeConfig runtime;
        runtime.logs.log_bitmask = 0;
        app::Networks n;
        if (!nets.empty()) {
            auto parsed = NetList::parse(nets, "nets", 100);
            EXPECT_TRUE(parsed) << parsed.error();
            n.internal = *parsed;
        }
        output::LogWriter writer;
        app::Analyzer analyzer(globals, runtime, n, decode::DecodeOptions{}, writer);
        stats::EngineConfig cfg;
        cfg.histo.on.fill(true);
        cfg.histo.adx = adx;
        for (size_t i = 0; i < stats::kHistoCount; ++i)
            if (stats::histo_def(stats::histo_at(i)).global_only) cfg.histo.on[i] = false;
        analyzer.set_stats(std::make_unique<app::StatsTap>(std::make_unique<stats::Engine>(cfg),
                                                           false, globals.flow.max_tcp_pairs,
                                                           globals.flow.max_udp_pairs));
        if (skype) analyzer.enable_skype(skype);
        analyzer.begin(dir.path());
        for (const auto& f : frames) analyzer.process(f.raw());
        analyzer.end();
        writer.close();
        last = fs::path(analyzer.time_dir()) / "LAST";
    }
    std::string operator()(const std::string& name) const { return body(last / name); }
    std::string window(const std::string& name, const char* w = "000") const {
        return body(last.parent_path() / w / name);
    }
};

TEST(FlowRules, CompleteTcpFlow) {
    TcpSession s({"10.0.0.1", 40000}, {"10.0.0.2", 80});
    s.handshake().client_send("hello").server_send(std::string(1000, 'x')).close();
    int c2s = 0, s2c = 0;
    for (const auto& f : s.frames()) (f.bytes[29] == 1 ? c2s : s2c)++;   // IPv4 src, last byte
    StatsRun r(s.frames());
    EXPECT_EQ(r("L4_flow_number"), "0 1\n");
    EXPECT_EQ(r("tcp_cl_p_c2s"), std::to_string(c2s) + " 1\n");
    EXPECT_EQ(r("tcp_cl_p_s2c"), std::to_string(s2c) + " 1\n");
    EXPECT_EQ(r("tcp_cl_p_loc"), c2s == s2c ? std::to_string(c2s) + " 2\n"
                                            : std::to_string(std::min(c2s, s2c)) + " 1\n" +
                                                  std::to_string(std::max(c2s, s2c)) + " 1\n");
    EXPECT_EQ(r("tcp_cl_b_s_c2s"), "0 1\n");       // 5 bytes: first bin of 50
    EXPECT_EQ(r("tcp_cl_b_s_s2c"), "1000 1\n");
    EXPECT_EQ(r("tcp_mss_a"), "1460 1\n");
    EXPECT_EQ(r("tcp_interrupted"), "0 1\n");
    EXPECT_EQ(r("L7_TCP_num_loc"), "49 1\n");       // unknown application
    EXPECT_EQ(r("tcp_port_synsrc_loc"), "40000 1\n");
    EXPECT_EQ(r("tcp_port_syndst_loc"), "80 1\n");
    // SYN, data and FIN of each side were recorded in sequence (class 0).
    EXPECT_EQ(r("tcp_anomalies_c2s"), "0 3\n");
    EXPECT_EQ(r("tcp_anomalies_s2c"), "0 3\n");
    EXPECT_EQ(r("tcp_anomalies_loc"), "0 6\n");
    EXPECT_EQ(r("tcp_rtx_RTO_c2s"), "0 1\n");
    EXPECT_EQ(r("profile_trash"), "");
    // ACKs after new data of the other side sample the in-flight size (tcp_cwnd).
    EXPECT_FALSE(r("tcp_cwnd").empty());
    EXPECT_EQ(r("ip_protocol_loc"), "6 " + std::to_string(c2s + s2c) + "\n");
    EXPECT_EQ(r("L3_protocol_loc"), "0 " + std::to_string(c2s + s2c) + "\n");
}

// Ports and addresses are counted per flow when a window or the flow closes: a flow open
// across a window close still has each packet in the window it arrived in (the packet that
// closes a window counts in it), and the addresses list subnets by first appearance.
TEST(FlowRules, FlowAcrossAWindowCloseCountsEachPacketInItsWindow) {
    TcpSession s({"10.0.1.1", 40000}, {"10.0.2.2", 80});
    s.handshake();
    for (int i = 0; i < 4; ++i) s.wait(100'000'000).client_send("data");   // every 100 s
    s.close();
    std::vector<TimedFrame> frames = s.frames();
    const Timestamp t0 = frames.front().ts;
    // Window 000 ends with the first packet more than 300 s after the first one.
    int c2s_000 = 0, c2s_last = 0, all_000 = 0, all_last = 0;
    int ranges_000[2] = {0, 0}, ranges_last[2] = {0, 0};   // in-sequence ranges by direction
    bool closed = false;
    for (const auto& f : frames) {
        const bool c2s = f.bytes[29] == 1;   // IPv4 source 10.0.1.1
        (closed ? c2s_last : c2s_000) += c2s;
        ++(closed ? all_last : all_000);
        // A SYN, a FIN or a payload records one range (this flow has no retransmission).
        const size_t tcp = 14 + 4 * size_t(f.bytes[14] & 0x0f);
        const int payload = (f.bytes[16] << 8 | f.bytes[17]) - int(tcp - 14) -
                            4 * (f.bytes[tcp + 12] >> 4);
        if ((f.bytes[tcp + 13] & 0x03) != 0 || payload > 0)
            ++(closed ? ranges_last : ranges_000)[c2s ? 0 : 1];
        if (!closed && f.ts.us - t0.us > 300'000'000) closed = true;
    }
    ASSERT_TRUE(closed);
    ASSERT_GT(c2s_last, 0);
    StatsRun r(frames, "", nullptr, /*adx=*/true);
    // Both sides internal (no -N): the client's packets to port 80, the server's to 40000.
    EXPECT_EQ(r.window("tcp_port_dst_loc"), "80 " + std::to_string(c2s_000) + "\n40000 " +
                                                std::to_string(all_000 - c2s_000) + "\n");
    EXPECT_EQ(r("tcp_port_dst_loc"), "80 " + std::to_string(c2s_last) + "\n40000 " +
                                         std::to_string(all_last - c2s_last) + "\n");
    EXPECT_EQ(r.window("tcp_anomalies_c2s"), "0 " + std::to_string(ranges_000[0]) + "\n");
    EXPECT_EQ(r("tcp_anomalies_c2s"), "0 " + std::to_string(ranges_last[0]) + "\n");
    EXPECT_EQ(r.window("tcp_anomalies_s2c"), "0 " + std::to_string(ranges_000[1]) + "\n");
    EXPECT_EQ(r("tcp_anomalies_s2c"), "0 " + std::to_string(ranges_last[1]) + "\n");
    // The client's subnet sent c2s_000 packets and received the others of the window.
    const std::string adx = r.window("addresses");
    EXPECT_NE(adx.find("10.0.1.0\t" + std::to_string(c2s_000) + "\t" +
                       std::to_string(all_000 - c2s_000) + "\t"),
              std::string::npos)
        << adx;
}

// A flow's TCP rate bytes are summed while its class holds: up to the request the flow is of
// unknown application, from the server's "HTTP" reply on (where the L7 state machine sets
// it) HTTP; each packet counts in the window it arrived in.
TEST(FlowRules, TcpRatesFollowTheFlowsClassInEachWindow) {
    TcpSession s({"10.0.3.1", 40000}, {"10.0.4.4", 80});
    s.handshake().client_send("GET / HTTP/1.1\r\nHost: a.example\r\n\r\n");
    const size_t unknown_frames = s.frames().size();
    s.server_send("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello");
    s.wait(400'000'000).client_send("GET /b HTTP/1.1\r\nHost: a.example\r\n\r\n");
    s.server_send("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n").close();
    const std::vector<TimedFrame>& frames = s.frames();
    const Timestamp t0 = frames.front().ts;
    // Window 000 ends with (and counts) the first packet more than 300 s after t0.
    uint64_t unknown_000 = 0, http_000 = 0, http_last = 0;
    Timestamp closed_at{};
    for (size_t i = 0; i < frames.size(); ++i) {
        const uint64_t ip_len = uint64_t{frames[i].bytes[16]} << 8 | frames[i].bytes[17];
        if (closed_at.us != 0) {
            http_last += ip_len;
            continue;
        }
        (i < unknown_frames ? unknown_000 : http_000) += ip_len;
        if (frames[i].ts.us - t0.us > 300'000'000) closed_at = frames[i].ts;
    }
    ASSERT_NE(closed_at.us, 0);
    ASSERT_GT(http_last, 0u);
    auto bits = [](uint64_t bytes, Timestamp from, Timestamp to) {
        const double ms = static_cast<double>(to.us - from.us) / 1000.0;
        return std::to_string(static_cast<int64_t>(static_cast<double>(bytes) * 8000.0 / ms));
    };
    StatsRun r(frames);
    EXPECT_EQ(r.window("tcp_bitrate_loc"),
              "0 " + bits(http_000, t0, closed_at) + "\n49 " + bits(unknown_000, t0, closed_at) +
                  "\n");
    EXPECT_EQ(r("tcp_bitrate_loc"), "0 " + bits(http_last, closed_at, frames.back().ts) + "\n");
}

TEST(FlowRules, DirectionsFollowTheInternalNetworks) {
    TcpSession s({"10.0.0.1", 40000}, {"192.0.2.7", 443});
    s.handshake().client_send("hello").server_send("world").close();
    int c2s = 0;
    for (const auto& f : s.frames()) c2s += f.bytes[29] == 1;
    StatsRun r(s.frames(), "10.0.0.0/8\n");
    // Client inside: its bytes go out, the server's come in.
    EXPECT_EQ(r("tcp_cl_b_s_out"), "0 1\n");
    EXPECT_EQ(r("tcp_cl_b_s_in"), "0 1\n");
    EXPECT_EQ(r("tcp_cl_b_s_loc"), "");
    EXPECT_EQ(r("L7_TCP_num_out"), "49 1\n");
    EXPECT_EQ(r("L7_TCP_num_nc_out"), "49 1\n");
    EXPECT_EQ(r("tcp_port_dst_out"), "443 " + std::to_string(c2s) + "\n");
    EXPECT_EQ(r("tcp_anomalies_out"), "0 3\n");
    EXPECT_EQ(r("tcp_anomalies_in"), "0 3\n");
}

TEST(FlowRules, TrashAndHalfOpenFlows) {
    std::vector<TimedFrame> frames;
    const Timestamp t = Timestamp::from_parts(1'600'000'000, 0);
    // An ACK of nothing known: trash. Then a SYN nobody answers.
    frames.push_back({t, capture::link::kEthernet,
                      tcp_packet({"10.0.0.1", 1}, {"10.0.0.2", 2}, decode::tcp_flag::kAck, 5, 6)});
    frames.push_back({Timestamp{t.us + 1000}, capture::link::kEthernet,
                      tcp_packet({"10.0.0.1", 3}, {"10.0.0.2", 4}, decode::tcp_flag::kSyn, 100)});
    StatsRun r(frames);
    EXPECT_EQ(r("profile_trash"), "0 1\n");
    EXPECT_EQ(r("L4_flow_number"), "0 1\n");
    // Not complete: only tcp_interrupted of the per-flow histograms.
    EXPECT_EQ(r("tcp_interrupted"), "0 1\n");
    EXPECT_EQ(r("tcp_cl_p_c2s"), "");
    EXPECT_EQ(r("L7_TCP_num_loc"), "");
    EXPECT_EQ(r("tcp_port_src_loc"), "1 1\n3 1\n");
}

// A SYN the full flow table refuses is a flow tried (L4_flow_number), a missed TCP flow
// (profile_flows bin 2) and a trash segment, counted after its packet.
TEST(FlowRules, RefusedFlowCountsAsTriedMissedAndTrash) {
    std::vector<TimedFrame> frames;
    const Timestamp t = Timestamp::from_parts(1'600'000'000, 0);
    frames.push_back({t, capture::link::kEthernet,
                      tcp_packet({"10.0.0.1", 1000}, {"10.0.0.2", 80}, decode::tcp_flag::kSyn, 100)});
    frames.push_back({Timestamp{t.us + 1000}, capture::link::kEthernet,
                      tcp_packet({"10.0.0.1", 1001}, {"10.0.0.2", 80}, decode::tcp_flag::kSyn, 200)});
    StatsRun r(frames, "", nullptr, false, /*max_tcp_pairs=*/1);
    EXPECT_EQ(r("L4_flow_number"), "0 2\n");
    EXPECT_EQ(r("profile_trash"), "0 1\n");
    EXPECT_NE(("\n" + r("profile_flows")).find("\n2 1\n"), std::string::npos) << r("profile_flows");
}

TEST(FlowRules, UdpExchange) {
    std::vector<TimedFrame> frames;
    const Timestamp t = Timestamp::from_parts(1'600'000'000, 0);
    frames.push_back({t, capture::link::kEthernet,
                      udp_packet({"10.0.0.1", 5353}, {"10.0.0.53", 53}, "query")});
    frames.push_back({Timestamp{t.us + 2500}, capture::link::kEthernet,
                      udp_packet({"10.0.0.53", 53}, {"10.0.0.1", 5353}, "a longer answer")});
    frames.push_back({Timestamp{t.us + 5000}, capture::link::kEthernet,
                      udp_packet({"10.0.0.1", 5353}, {"10.0.0.53", 53}, "again")});
    StatsRun r(frames);
    EXPECT_EQ(r("L4_flow_number"), "1 1\n");
    // The first packet of each direction, with its destination port.
    EXPECT_EQ(r("udp_port_flow_dst"), "53 1\n5353 1\n");
    EXPECT_EQ(r("udp_port_dst_loc"), "53 2\n5353 1\n");
    EXPECT_EQ(r("udp_cl_p_loc"), "1 1\n2 1\n");
    EXPECT_EQ(r("udp_tot_time"), "0 1\n");          // 5 ms, first bin of 50
    EXPECT_EQ(r("L7_UDP_num_loc"), "49 2\n");       // one count per direction that sent
    EXPECT_EQ(r("L3_protocol_loc"), "1 3\n");
}

TEST(FlowRules, Ipv6Packets) {
    std::vector<TimedFrame> frames;
    const Timestamp t = Timestamp::from_parts(1'600'000'000, 0);
    frames.push_back({t, capture::link::kEthernet,
                      PacketBuilder().ethernet().ipv6("2001:db8::1", "2001:db8::2").ttl(60)
                          .icmp(128).payload("ping").build()});
    frames.push_back({Timestamp{t.us + 10}, capture::link::kEthernet,
                      PacketBuilder().ethernet().ipv6("2001:db8::1", "2001:db8::2")
                          .hop_by_hop().udp(1000, 2000).payload("x").build()});
    StatsRun r(frames);
    EXPECT_EQ(r("ip6_protocol_loc"), "0 1\n58 1\n");   // the first next-header field
    EXPECT_EQ(r("ip6_hop_limit_loc"), "60 1\n64 1\n");
    EXPECT_EQ(r("icmpv6_type_loc"), "128 1\n");
    EXPECT_EQ(r("L3_protocol_loc"), "4 1\n5 1\n");
    EXPECT_EQ(r("ip_len_loc"), "");                     // IPv4 only
}

// An RTP datagram (version 2, PCMA: an 8 kHz clock) with 160 payload bytes.
std::string rtp_payload(uint16_t seq, uint32_t ssrc) {
    std::string p(12 + 160, '\x55');
    const uint32_t ts = 1000u + 160u * seq;
    p[0] = '\x80';
    p[1] = 8;
    p[2] = static_cast<char>(seq >> 8);
    p[3] = static_cast<char>(seq);
    for (int k = 0; k < 4; ++k) {
        p[4 + k] = static_cast<char>(ts >> (24 - 8 * k));
        p[8 + k] = static_cast<char>(ssrc >> (24 - 8 * k));
    }
    return p;
}

// One RTP stream, local, a datagram every 20 ms carrying the sequence numbers `seqs` in order.
// SYE (spec §9.6): a command from the internal client, data back; both directions become
// class 31, which L7_UDP_num counts as L7 id 48 (spec §9.7), once per direction.
TEST(FlowRules, SyeFlowCountsAsSye) {
    std::vector<TimedFrame> frames;
    const Timestamp t = Timestamp::from_parts(1'600'000'000, 0);
    const Endpoint client{"10.0.0.1", 50000}, server{"192.0.2.10", 40000};
    frames.push_back({t, capture::link::kEthernet,
                      udp_builder(client, server)
                          .payload(from_hex("0a 00 18 00 42 10 0a 0e 73 79 65"))
                          .build()});
    for (int i = 1; i <= 3; ++i)
        frames.push_back({Timestamp{t.us + i * 1000}, capture::link::kEthernet,
                          udp_builder(server, client)
                              .payload(from_hex("14 01 02 03 04 05 06 07 08 09"))
                              .build()});
    StatsRun r(frames, "10.0.0.1/32");
    EXPECT_EQ(r("L7_UDP_num_out"), "48 1\n");
    EXPECT_EQ(r("L7_UDP_num_in"), "48 1\n");
}

// Skype (-B, spec §9.8): a confirmed end-to-end UDP direction counts as L7 5 where it goes
// (print_skype_conn_stats_UDP), and the flow is left out of make_p2p_conn_stats' counts; a
// confirmed TCP direction makes the flow SKYPE_TCP (7) and adds its bytes to the L7 bitrate.
TEST(FlowRules, SkypeCallsCountAsSkype) {
    auto cfg = classify::skype::load_skype_config(std::string(TSTAT_SOURCE_DIR) +
                                                  "/tests/data/skype");
    ASSERT_TRUE(cfg) << cfg.error();
    uint32_t seed = 7;
    auto rnd = [&] {
        seed = seed * 1103515245u + 12345u;
        return static_cast<char>(seed >> 16);
    };
    std::vector<TimedFrame> frames;
    const Timestamp t = Timestamp::from_parts(1'600'000'000, 0);
    for (int i = 0; i < 150; ++i) {
        std::string p(100, '\0');
        for (auto& c : p) c = rnd();
        p[2] = static_cast<char>(0x0d | (p[2] & 0x70));   // FUNC 13: end-to-end data
        frames.push_back({Timestamp{t.us + i * 20'000}, capture::link::kEthernet,
                          udp_packet({"10.0.0.1", 40000}, {"192.0.2.20", 50000}, p)});
    }
    for (int i = 0; i < 3; ++i)
        frames.push_back({Timestamp{t.us + i * 20'000 + 5000}, capture::link::kEthernet,
                          udp_packet({"192.0.2.20", 50000}, {"10.0.0.1", 40000}, "short reply")});
    TcpSession s({"10.0.0.1", 40001}, {"192.0.2.30", 443}, t);
    s.step_us(10'000).handshake();
    for (int i = 0; i < 60; ++i) {
        std::string data(100, '\0');
        for (auto& c : data) c = rnd();
        s.client_send(data);
    }
    s.close();
    for (const auto& f : s.frames()) frames.push_back(f);
    std::stable_sort(frames.begin(), frames.end(),
                     [](const TimedFrame& a, const TimedFrame& b) { return a.ts < b.ts; });
    StatsRun r(frames, "10.0.0.1/32",
               std::make_shared<const classify::skype::SkypeConfig>(std::move(*cfg)));
    EXPECT_EQ(r("L7_UDP_num_out"), "5 1\n");
    EXPECT_EQ(r("L7_UDP_num_nc_out"), "5 1\n");
    EXPECT_EQ(r("L7_UDP_num_in"), "");   // the replies' direction is the Skype flow's too
    EXPECT_EQ(r("L7_TCP_num_out"), "7 1\n");
    // 6000 data bytes in SKYPE_TCP's bin of the outgoing TCP bitrate.
    EXPECT_NE(("\n" + r("tcp_bitrate_out")).find("\n7 "), std::string::npos) << r("tcp_bitrate_out");
    // ... and the 15000 bytes of the UDP call in SKYPE_E2E's (5) of the UDP bitrate.
    EXPECT_NE(("\n" + r("udp_bitrate_out")).find("\n5 "), std::string::npos) << r("udp_bitrate_out");
}

std::vector<TimedFrame> rtp_stream(const std::vector<uint16_t>& seqs) {
    std::vector<TimedFrame> frames;
    const Timestamp t = Timestamp::from_parts(1'600'000'000, 0);
    for (size_t i = 0; i < seqs.size(); ++i)
        frames.push_back({Timestamp{t.us + static_cast<int64_t>(i) * 20'000},
                          capture::link::kEthernet,
                          udp_packet({"10.0.0.1", 5000}, {"10.0.0.2", 6000},
                                     rtp_payload(seqs[i], 0xdee0ee8f))});
    return frames;
}

TEST(FlowRules, RtpInSequenceWithALoss) {
    std::vector<uint16_t> seqs;
    for (uint16_t k = 0; k < 50; ++k)
        if (k != 30) seqs.push_back(static_cast<uint16_t>(100 + k));
    StatsRun r(rtp_stream(seqs));
    // L7_FLOW_RTP (1) twice: rtp.c when the second datagram confirms the direction, and
    // make_p2p_conn_stats() at the close (it leaves out types 3..6, not RTP+).
    EXPECT_EQ(r("L7_UDP_num_loc"), "1 2\n");
    // Once 16 numbers were seen, each datagram a window after its slot's previous one closes
    // a burst: offsets 16..49 less the lost 30, less 46 (which finds 30's slot still holding
    // 14: one more lost); 47 closes the one-datagram burst.
    EXPECT_EQ(r("mm_burst_loss_loc"), "0 31\n1 1\n");
    // 31 after 29: out of sequence (1 lands in the overflow bin of a 0..0 histogram).
    EXPECT_EQ(r("mm_oos_p_loc"), "0 1\n");
    EXPECT_EQ(r("mm_reord_p_n_loc"), "");
    EXPECT_EQ(r("mm_burst_loss_in"), "");
    EXPECT_EQ(r("mm_burst_loss_out"), "");
}

TEST(FlowRules, RtpReorderedDatagram) {
    std::vector<uint16_t> seqs;
    for (uint16_t k = 0; k < 20; ++k) seqs.push_back(static_cast<uint16_t>(100 + k));
    std::swap(seqs[10], seqs[11]);
    StatsRun r(rtp_stream(seqs));
    // 111 after 109, then 110 after 111: both out of sequence, the second an older one.
    EXPECT_EQ(r("mm_oos_p_loc"), "0 2\n");
    EXPECT_EQ(r("mm_reord_p_n_loc"), "0 1\n");
    // One datagram behind (160 bytes at 8 kHz: 20 ms) plus the 20 ms since 111.
    EXPECT_EQ(r("mm_reord_delay_loc"), "40 1\n");
    EXPECT_EQ(r("mm_burst_loss_loc"), "0 4\n");   // 116..119
}

TEST(FlowRules, RtpOutgoingDirection) {
    std::vector<uint16_t> seqs;
    for (uint16_t k = 0; k < 20; ++k) seqs.push_back(static_cast<uint16_t>(100 + k));
    StatsRun r(rtp_stream(seqs), "10.0.0.1/32");
    EXPECT_EQ(r("L7_UDP_num_out"), "1 2\n");
    EXPECT_EQ(r("L7_UDP_num_nc_out"), "1 2\n");
    EXPECT_EQ(r("L7_UDP_num_loc"), "");
    EXPECT_EQ(r("mm_burst_loss_out"), "0 4\n");
    EXPECT_EQ(r("mm_burst_loss_loc"), "");
}

// An RTCP sender report of SSRC 0x01020304 announcing `octets` sent, with one report block
// (fraction lost 64/256, jitter 12) when `block`.
std::string rtcp_sender_report(uint32_t octets, bool block) {
    std::string p(block ? 52 : 28, '\0');
    auto put32 = [&p](size_t at, uint32_t v) {
        for (int k = 0; k < 4; ++k) p[at + k] = static_cast<char>(v >> (24 - 8 * k));
    };
    p[0] = static_cast<char>(block ? 0x81 : 0x80);
    p[1] = static_cast<char>(200);
    p[3] = static_cast<char>(p.size() / 4 - 1);
    put32(4, 0x01020304);
    put32(8, 0xe0000000);   // NTP time
    put32(20, 10);           // packets sent
    put32(24, octets);
    if (block) {
        put32(28, 0xdee0ee8f);
        p[32] = 64;          // fraction lost
        put32(36, 100);      // highest sequence number
        put32(40, 12);       // jitter
    }
    return p;
}

TEST(FlowRules, RtcpSenderReports) {
    std::vector<TimedFrame> frames;
    const Timestamp t = Timestamp::from_parts(1'600'000'000, 0);
    frames.push_back({t, capture::link::kEthernet,
                      udp_packet({"10.0.0.1", 5005}, {"10.0.0.2", 6005},
                                 rtcp_sender_report(1000, false))});
    frames.push_back({Timestamp{t.us + 5'000'000}, capture::link::kEthernet,
                      udp_packet({"10.0.0.1", 5005}, {"10.0.0.2", 6005},
                                 rtcp_sender_report(6000, true))});
    StatsRun r(frames);
    // L7_FLOW_RTCP when confirmed; at the close the RTP+ class counts as L7_FLOW_RTP.
    EXPECT_EQ(r("L7_UDP_num_loc"), "1 1\n2 1\n");
    // 5000 octets more in 5000 ms: 8 bit/ms.
    EXPECT_EQ(r("rtcp_mm_bt_loc"), "8 1\n");
    EXPECT_EQ(r("rtcp_jitter_loc"), "12 1\n");
    EXPECT_EQ(r("rtcp_f_lost_loc"), "25 1\n");   // 64/256 of 100
    EXPECT_EQ(r("rtcp_lost_loc"), "");            // a single report: no difference yet
    EXPECT_EQ(r("rtcp_rtt_loc"), "");             // no report comes back
}

}  // namespace
}  // namespace tstat::testing
