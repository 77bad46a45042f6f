// The histograms of the current window (spec §10): Tstat's add_histo() call sites — per packet
// (ip_histo_stat, IPv6_support, tcp_header_stat, udp_header_stat, rexmit's anomaly classes,
// the L7 bitrate counters), per closed flow (make_conn_stats, make_udp_conn_stats,
// make_tcpL7_conn_stats, make_p2p_conn_stats), and a flow's packets in bulk (tally()). The
// window engine reads and clears its bins when a window closes. Nothing here allocates once
// the address table has seen its subnets.
#pragma once

#include <array>
#include <cstdint>

#include "common/timestamp.h"
#include "decode/decoded_packet.h"
#include "flow/flow_key.h"
#include "flow/tcp/seq_tracker.h"
#include "flow/tcp/tcp_flow.h"
#include "flow/udp/udp_flow.h"
#include "stats/adx.h"
#include "stats/histo_conf.h"
#include "stats/histogram_set.h"
#include "stats/l7_map.h"

namespace tstat::stats {

// Where a packet or flow lies with respect to the internal networks (spec §4.2, §10.2):
// out = internal source to external destination, in = the reverse, loc = both internal,
// ext = both external (no histogram counts it, as Tstat's LOG_UNKNOWN is off).
enum class Way : uint8_t { kOut = 0, kIn = 1, kLoc = 2, kExt = 3 };
inline Way way_of(bool internal_src, bool internal_dst) {
    if (internal_src) return internal_dst ? Way::kLoc : Way::kOut;
    return internal_dst ? Way::kIn : Way::kExt;
}

// The seven sides of Tstat's bitrate structs: in, out, loc, then cloud / non-cloud in, out.
enum class RateSide : uint8_t { kIn = 0, kOut, kLoc, kCIn, kCOut, kNcIn, kNcOut, kCount };

// Bytes per class and side of one "fake" rate histogram family (spec §10.2): Tstat's
// unsigned long long counters, which wrap when handed a negative length.
template <size_t N>
struct RateCounters {
    std::array<std::array<uint64_t, N>, static_cast<size_t>(RateSide::kCount)> bytes{};
    void add(RateSide s, size_t cls, int64_t len) {
        bytes[static_cast<size_t>(s)][cls] += static_cast<uint64_t>(len);
    }
    const std::array<uint64_t, N>& side(RateSide s) const {
        return bytes[static_cast<size_t>(s)];
    }
    void merge_into(RateCounters& d) const {
        for (size_t s = 0; s < bytes.size(); ++s)
            for (size_t c = 0; c < N; ++c) d.bytes[s][c] += bytes[s][c];
    }
};

struct Rates {
    RateCounters<4> ip;                      // L4_bitrate: TCP, UDP, ICMP, IP total
    RateCounters<6> l3;                      // L3_bitrate: IPv4 TCP/UDP/other, IPv6 ...
    RateCounters<l7::kCount> tcp;            // L7_bitrate
    RateCounters<l7::kCount> udp;            // L7_udp_bitrate
    RateCounters<kHttpClasses> http;
    RateCounters<kWebClasses> web;
    RateCounters<kTlsClasses> tls;
    RateCounters<kVideoClasses> video;
    void merge_into(Rates& d) const;
};

// Tstat's AVE_* (misc.c): the time average of a count that rises and falls (active flows).
struct WinAverage {
    double tot = 0;
    double n = 0;
    Timestamp t;
    Timestamp t0;
    void init(Timestamp now) { *this = WinAverage{0, 0, now, now}; }
    void step(Timestamp now) {
        tot += static_cast<double>(elapsed_us(t, now)) / 1000.0 * n;
        t = now;
    }
    void arrival(Timestamp now) { step(now); n += 1; }
    void departure(Timestamp now) { step(now); n -= 1; }
    // AVE_get_stat(): the average since the last call (NaN over an empty interval, as in Tstat).
    double take(Timestamp now);
};

// One packet as the per-packet rules see it.
struct PacketSide {
    Way way = Way::kExt;
    bool cloud_src = false;
    bool cloud_dst = false;
};

// tcp_flow_stat() keeps a packet's IP length in a short (spec §16) for the TCP rates.
inline int32_t tcp_rate_length(uint32_t ip_len) {
    return static_cast<int16_t>(static_cast<uint16_t>(ip_len));
}

class Collector {
public:
    // `on`: the histograms collected; `stats`: those with RRD running statistics;
    // `adx_filter_internal`: Tstat counts only external addresses in `addresses` when -N/-M
    // define internal networks, every address otherwise.
    void configure(const HistoConfig& conf, const HistoFlags& on, const HistoFlags& stats,
                   uint32_t adx_slots, bool adx_filter_internal);

    HistogramSet& histos() { return histos_; }
    const HistogramSet& histos() const { return histos_; }
    Rates& rates() { return rates_; }
    const Rates& rates() const { return rates_; }

    // --- per packet -------------------------------------------------------------------
    // Every IP packet, first: numbers it (the address histograms list subnets in the order of
    // their first packet).
    void next_packet() { ++packet_no_; }
    uint64_t packet_no() const { return packet_no_; }
    // ip_histo_stat() (IPv4, after the transport layer) and IPv6_support() (IPv6).
    // `adx_tallied`: the packet's addresses are counted with its flow's (tally());
    // `ip_tallied`: its protocol, L3 class and IP byte rates too.
    void ipv4_packet(const decode::DecodedPacket& p, const PacketSide& s,
                     bool adx_tallied = false, bool ip_tallied = false);
    void ipv6_packet(const decode::DecodedPacket& p, bool non_initial_fragment,
                     const PacketSide& s);
    // tcp_header_stat() / udp_header_stat(): every TCP/UDP packet long enough to trace.
    // `ports_tallied`: the packet's ports are counted with its flow's (tally());
    // `ip_tallied`: its TCP/UDP and L3 byte rates too.
    void tcp_header(const decode::DecodedPacket& p, const PacketSide& s,
                    bool ports_tallied = false, bool ip_tallied = false);
    void udp_header(const decode::DecodedPacket& p, const PacketSide& s,
                    bool ports_tallied = false, bool ip_tallied = false);
    // make_tcpL7_rate_stats(): `len` is Tstat's IP length as a short (tcp_rate_length()), or
    // the sum of such lengths of a flow direction's packets of one class.
    void tcp_rate(const TcpClass& c, const PacketSide& s, int64_t len);
    // make_udpL7_rate_stats() with the sending direction's UDP class.
    void udp_rate(uint8_t udp_type, const PacketSide& s, uint32_t ip_len);
    // The in-flight size at an ACK after new data in the other direction (tcp_cwnd).
    void tcp_cwnd(uint64_t flight) {
        if (flight <= uint64_t{INT64_MAX})
            histos_.add_int<HistoId::kTcpCwnd>(HistoId::kTcpCwnd, static_cast<int64_t>(flight));
        else   // a wrapped difference: the double above max, as Tstat has it
            histos_.add<HistoId::kTcpCwnd>(static_cast<double>(flight));
    }
    // rexmit()'s classification of one segment's ranges (tcp_anomalies_*).
    void tcp_segment_classes(const PacketSide& s, flow::Dir dir,
                             const flow::tcp::AnomalyCounts& found);
    // First packet of a UDP flow in a direction (udp_port_flow_dst).
    void udp_first_of_direction(uint16_t dst_port) {
        histos_.add<HistoId::kUdpPortFlowDst>(dst_port);
    }
    // A new flow was attempted (L4_flow_number, profile_flows); `missed`: the table was full.
    void flow_attempt(bool tcp, Timestamp now, bool missed);
    void flow_departure(bool tcp, Timestamp now);
    // A TCP packet that opens nothing and belongs to nothing (profile_trash).
    void trash_packet() { histos_.add<HistoId::kProfileTrash>(0); }
    // rtp.c's per-packet samples (RTP+ engine). `w`: the way of the sending direction (Tstat's
    // in_out_loc(); kExt: nothing), `cloud`: its external peer is a cloud address.
    void rtp_confirmed(Way w, bool cloud, bool rtcp);
    void mm_out_of_sequence(Way w);
    void mm_reordered(Way w, double delay_ms);
    void mm_burst_end(Way w, double burst);
    void rtcp_mm_bitrate(Way w, double v);
    // One receiver report: jitter, fraction lost [%.], and once two were seen, the duplicates
    // (negative `delta_lost`) or losses since the previous one; the RTT when one was measured.
    void rtcp_report(Way w, double jitter, double fraction_lost, bool lost_known,
                     int32_t delta_lost, double rtt_ms);
    // print_skype_conn_stats_UDP(): a direction the Skype engine confirmed as L7 `l7` (5 E2E,
    // 6 SkypeOut) counts once in L7_UDP_num and its data bytes in the UDP L7 bitrate; `w` is
    // where the direction goes, `sender_cloud` whether its sender is a cloud address (Tstat's
    // test for the c_/nc_ split).
    void skype_udp(Way w, bool sender_cloud, uint8_t l7, uint64_t bytes);
    // print_skype_conn_stats_TCP(): a confirmed direction's data bytes as SKYPE_TCP bitrate.
    void skype_tcp(Way w, uint64_t bytes);
    // Any sample from an engine outside this file (mm_*, rtcp_*, L7 counts of RTP/Skype).
    void add(HistoId id, double v) { histos_.add(id, v); }

    // --- a flow direction's packets in bulk ----------------------------------------------
    // The address and port histograms are sums: a flow's packets may be counted when the
    // window or the flow closes rather than one at a time, which spares the per-packet cache
    // misses in the address table and the 64 K-bin port histograms. Tallied only where the
    // result is the same: ports when no RRD statistics run on them, addresses without the
    // addresses2 sampling and outside Tstat's bucket 0 (whose chain takes hits in order).
    bool tally_ports(bool tcp) const { return tcp ? tally_tcp_ports_ : tally_udp_ports_; }
    // The IP byte rates, and the protocol and L3 class histograms (IPv4).
    bool tally_ip() const { return tally_ip_; }
    bool tally_adx(const decode::DecodedPacket& p) const {
        return adx_on_ && !adx2_on_ && p.ip_version == 4 && !adx_.in_bucket0(p.src.bytes()) &&
               !adx_.in_bucket0(p.dst.bytes());
    }
    // One direction of a flow: `packets` TCP (or UDP) packets, `bytes` IP bytes, the first
    // numbered `first`, going from side `side`.
    struct TallyDir {
        bool tcp = true;
        bool ipv6 = false;
        PacketSide side;                 // the way and cloud flags of its packets
        const uint8_t* src = nullptr;    // IPv4 addresses when the address histograms take it
        const uint8_t* dst = nullptr;
        uint16_t sport = 0, dport = 0;
        uint32_t packets = 0;
        uint64_t bytes = 0;
        uint64_t first = 0;
        bool ports = false;              // the port histograms take it
        bool ip = false;                 // the IP rates, protocol and L3 histograms take it
    };
    void tally(const TallyDir& t);

    // --- per closed flow ----------------------------------------------------------------
    // make_conn_stats(ptp, complete) with the flow's classification at close.
    void tcp_closed(const flow::tcp::TcpFlow& f, const flow::tcp::TcpAnomalies& an,
                    const flow::tcp::WindowTotals& win, bool complete, const TcpClass& cls);
    // make_udp_conn_stats(): `c_type`/`s_type` are the classes of the two directions.
    void udp_closed(const flow::udp::UdpFlow& f, uint8_t c_type, uint8_t s_type);

    // --- window state ---------------------------------------------------------------------
    AdxTable& adx() { return adx_; }
    AdxTable& adx2() { return adx2_; }
    AdxTable& adx2_max() { return adx2_max_; }
    WinAverage& active(bool tcp) { return tcp ? active_tcp_ : active_udp_; }
    double& missed(bool tcp) { return tcp ? missed_tcp_ : missed_udp_; }
    double& tcpdata_received() { return tcpdata_received_; }
    double& tcpdata_missed() { return tcpdata_missed_; }
    // The six chat averages (MSN, Jabber, Yahoo chat/presence), restarted with each trace.
    std::array<WinAverage, 6>& chat() { return chat_; }
    // Window closed, its bins handed over: the byte counters start again (averages carry on).
    void clear_rates() { rates_ = Rates{}; }

private:
    // One segment class `cls` counted `n` times, by way and by direction.
    void add_segment_class(const PacketSide& s, flow::Dir dir, int64_t cls, uint32_t n);
    // The anomalies of a segment (rare): classes 1..15.
    [[gnu::noinline]] void segment_anomalies(const PacketSide& s, flow::Dir dir,
                                             const flow::tcp::AnomalyCounts& found);
    void adx_packet(const uint8_t* src, const uint8_t* dst, Way w, uint32_t packets,
                    uint64_t bytes, uint64_t first);
    // ip_histo_stat()'s protocol and L3 class histograms and IP byte rates, for `packets`
    // IPv4 packets of protocol `proto`, `bytes` in all.
    void ipv4_class(Way w, const PacketSide& s, uint8_t proto, uint32_t packets, int64_t bytes);
    // tcp_header_stat()/udp_header_stat()'s byte rates: transport `type`, L3 class `l3`.
    void transport_rates(Way w, const PacketSide& s, size_t type, size_t l3, int64_t bytes);

    HistogramSet histos_;
    Rates rates_;
    AdxTable adx_;
    AdxTable adx2_;
    AdxTable adx2_max_;
    bool adx_on_ = false;
    bool adx2_on_ = false;
    bool adx_filter_internal_ = false;
    bool tally_tcp_ports_ = false;
    bool tally_udp_ports_ = false;
    bool tally_ip_ = false;
    uint64_t packet_no_ = 0;
    WinAverage active_tcp_;
    WinAverage active_udp_;
    double missed_tcp_ = 0;
    double missed_udp_ = 0;
    double tcpdata_received_ = 0;
    double tcpdata_missed_ = 0;
    std::array<WinAverage, 6> chat_{};
};

}  // namespace tstat::stats
