// Writes the traces of the golden tests (the project's own, built packet by packet) into the
// folder given on the command line. Deterministic: the same bytes on every run.
#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "decode/decoded_packet.h"
#include "support/packet_builder.h"
#include "support/pcap_writer.h"

namespace {

using namespace tstat;
using namespace tstat::testing;
using decode::tcp_flag::kAck;
using decode::tcp_flag::kPsh;
using decode::tcp_flag::kRst;
using decode::tcp_flag::kSyn;

Timestamp t(int64_t sec, int64_t usec = 0) {
    return Timestamp::from_parts(1'700'000'000 + sec, usec);
}

void add(std::vector<TimedFrame>& out, const std::vector<TimedFrame>& more) {
    out.insert(out.end(), more.begin(), more.end());
}

void add(std::vector<TimedFrame>& out, Timestamp ts, Bytes frame) {
    out.push_back({ts, capture::link::kEthernet, std::move(frame)});
}

// The mixed trace: one of each life-cycle and statistic the core logs report.
std::vector<TimedFrame> basics() {
    std::vector<TimedFrame> f;
    {   // a complete HTTP-like exchange, internal client
        TcpSession s({"10.0.0.1", 40001}, {"93.184.216.34", 80}, t(0));
        s.handshake().client_send("GET / HTTP/1.1\r\nHost: example.org\r\n\r\n")
            .server_send(std::string(3000, 'a')).close();
        add(f, s.frames());
    }
    {   // a connection reset by the client after some data
        TcpSession s({"10.0.0.2", 40002}, {"198.51.100.7", 443}, t(1));
        s.handshake().client_send("hello").server_send("world").client_reset();
        add(f, s.frames());
    }
    {   // retransmission with a new IP ID, and an out-of-order pair (built by hand)
        const Endpoint c{"10.0.0.3", 40003}, s{"203.0.113.9", 8080};
        auto seg = [&](bool from_c, uint8_t flags, uint32_t seq, uint32_t ack,
                       std::string_view data, uint16_t id) {
            return tcp_builder(from_c ? c : s, from_c ? s : c).flags(flags).seq(seq).ack(ack)
                .ip_id(id).window(29200).payload(data).build();
        };
        add(f, t(2, 0), tcp_builder(c, s).flags(kSyn).seq(100).mss(1460).sack_permitted()
                            .window_scale(7).timestamps(1, 0).build());
        add(f, t(2, 20000), tcp_builder(s, c).flags(kSyn | kAck).seq(900).ack(101).mss(1400)
                                .sack_permitted().window_scale(2).timestamps(5, 1).build());
        add(f, t(2, 40000), seg(true, kAck, 101, 901, "", 2));
        add(f, t(2, 41000), seg(true, kAck | kPsh, 101, 901, std::string(500, 'x'), 3));
        add(f, t(2, 42000), seg(true, kAck, 601, 901, std::string(500, 'y'), 4));
        add(f, t(2, 61000), seg(false, kAck, 901, 601, "", 10));
        add(f, t(2, 300000), seg(true, kAck, 601, 901, std::string(500, 'y'), 5));  // RTO retx
        add(f, t(2, 320000), seg(false, kAck, 901, 1101, "", 11));
        add(f, t(2, 330000), seg(false, kAck, 1201, 1101, std::string(100, 'b'), 12));
        add(f, t(2, 331000), seg(false, kAck | kPsh, 901, 1101, std::string(300, 'a'), 13));
        add(f, t(2, 350000), seg(true, kAck, 1101, 1301, "", 6));
        add(f, t(2, 360000), seg(true, kRst | kAck, 1101, 1301, "", 7));
    }
    // a refused connection: SYN answered by RST (incomplete)
    add(f, t(3), tcp_packet({"10.0.0.4", 40004}, {"192.0.2.1", 22}, kSyn, 555));
    add(f, t(3, 500), tcp_packet({"192.0.2.1", 22}, {"10.0.0.4", 40004}, kRst | kAck, 0, 556));
    // a SYN nobody answers (still open at the end: incomplete)
    add(f, t(4), tcp_packet({"10.0.0.5", 40005}, {"192.0.2.2", 25}, kSyn, 1));
    // trash: a segment of no known flow
    add(f, t(4, 100), tcp_packet({"10.0.0.6", 40006}, {"192.0.2.3", 80}, kAck, 5, 5));
    // UDP: a query and its answer; a lone datagram
    add(f, t(5), udp_packet({"10.0.0.7", 53001}, {"192.0.2.53", 53}, std::string(30, 'q')));
    add(f, t(5, 2500), udp_packet({"192.0.2.53", 53}, {"10.0.0.7", 53001}, std::string(90, 'r')));
    add(f, t(6), udp_packet({"10.0.0.8", 12345}, {"192.0.2.99", 9999}, "ping"));
    // between two external hosts: tracked, never logged (spec §4.2)
    {
        TcpSession s({"8.8.8.8", 1000}, {"9.9.9.9", 2000}, t(7));
        s.handshake().client_send("x").close();
        add(f, s.frames());
    }
    {   // IPv6 and an 802.1Q tag
        TcpSession s({"2001:db8::10", 40010}, {"2001:db8:1::80", 443}, t(8));
        s.handshake().server_send(std::string(2000, 'z')).close();
        add(f, s.frames());
        TcpSession v({"10.0.0.11", 40011}, {"192.0.2.80", 80}, t(9));
        v.over(PacketBuilder().ethernet().vlan(42), capture::link::kEthernet);
        v.handshake().client_send("vlan").close();
        add(f, v.frames());
    }
    std::stable_sort(f.begin(), f.end(),
                     [](const TimedFrame& a, const TimedFrame& b) { return a.ts < b.ts; });
    return f;
}

// Timeouts: idle and singleton flows are closed by the garbage collector (spec §6.1).
std::vector<TimedFrame> timeouts() {
    std::vector<TimedFrame> f;
    TcpSession idle({"10.1.0.1", 1001}, {"192.0.2.10", 80}, t(0));
    idle.handshake().client_send("before the silence");
    add(f, idle.frames());
    add(f, t(1), tcp_packet({"10.1.0.2", 1002}, {"192.0.2.11", 80}, kSyn, 1));    // singleton
    add(f, t(2), udp_packet({"10.1.0.3", 1003}, {"192.0.2.12", 53}, "lonely"));  // singleton
    // 20 s later: the SYN-only and single-datagram flows are closed by the next new flow
    add(f, t(22), udp_packet({"10.1.0.4", 1004}, {"192.0.2.13", 53}, "trigger"));
    // 400 s later: the idle TCP flow is closed as complete (both SYNs seen)
    add(f, t(400), tcp_packet({"10.1.0.5", 1005}, {"192.0.2.14", 80}, kSyn, 9));
    // the late segment of the closed flow is now trash
    add(f, t(401), tcp_builder({"10.1.0.1", 1001}, {"192.0.2.10", 80}).flags(kAck).seq(1)
                       .ack(1).payload("late").build());
    return f;
}

void write_pcap(const std::string& path, const std::vector<TimedFrame>& frames) {
    PcapWriter w;
    for (const auto& fr : frames)
        w.packet(static_cast<uint32_t>(fr.ts.sec()), static_cast<uint32_t>(fr.ts.usec()),
                 fr.bytes);
    write_file(path, w.bytes());
}

// The same packets as pcapng (nanosecond resolution), gzip-compressed.
void write_pcapng_gz(const std::string& path, const std::vector<TimedFrame>& frames) {
    PcapngWriter w;
    w.section();
    const uint32_t iface = w.interface(1, 65535, uint8_t{9});
    for (const auto& fr : frames)
        w.enhanced(iface, static_cast<uint64_t>(fr.ts.us) * 1000u, fr.bytes);
    write_file(path, gzip_compress(w.bytes()));
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: make_golden_traces OUT_DIR\n");
        return 2;
    }
    const std::string dir = argv[1];
    const auto b = basics();
    write_pcap(dir + "/basics.pcap", b);
    write_pcapng_gz(dir + "/basics.pcapng.gz", b);
    write_pcap(dir + "/timeouts.pcap", timeouts());
    return 0;
}
