#include "stats/collector.h"

#include <cassert>
#include <initializer_list>

namespace tstat::stats {

using enum HistoId;
using flow::Dir;

namespace {

constexpr uint8_t kProtoIcmp = 1;
constexpr uint8_t kProtoTcp = 6;
constexpr uint8_t kProtoUdp = 17;
constexpr uint8_t kProtoIcmpv6 = 58;
constexpr uint8_t kProtoFragment = 44;

// L3 classes (spec §10.2).
constexpr size_t kL3V4Tcp = 0, kL3V4Udp = 1, kL3V4Other = 2, kL3V6Tcp = 3, kL3V6Udp = 4,
                 kL3V6Other = 5;
// L4_bitrate classes.
constexpr size_t kTcpType = 0, kUdpType = 1, kIcmpType = 2, kIpType = 3;

struct Triple {
    HistoId out, in, loc;
    constexpr HistoId of(Way w) const { return w == Way::kOut ? out : w == Way::kIn ? in : loc; }
};
static_assert(static_cast<int>(Way::kOut) == 0 && static_cast<int>(Way::kIn) == 1 &&
              static_cast<int>(Way::kLoc) == 2);

// An integer sample, `n` times, in the histogram of triple T for way `w` (the three share
// their bins, which the compiler then folds in): the per-packet rules.
template <Triple T>
void add_way(HistogramSet& h, Way w, int64_t v, uint32_t n = 1) {
    static_assert(same_bins(T.out, T.in) && same_bins(T.out, T.loc));
    static constexpr HistoId kIds[3] = {T.out, T.in, T.loc};   // by Way, without branches
    assert(w != Way::kExt);   // no histogram counts those
    h.add_int<T.out>(kIds[static_cast<int>(w)], v, n);
}

// A sample in the histogram of triple T for way `w`, with add()'s rules (doubles, the per-flow
// rules): the three share their bins.
template <Triple T>
void add_to(HistogramSet& h, Way w, double v) {
    static_assert(same_bins(T.out, T.in) && same_bins(T.out, T.loc));
    static constexpr HistoId kIds[3] = {T.out, T.in, T.loc};
    assert(w != Way::kExt);
    h.add_as<T.out>(kIds[static_cast<int>(w)], v);
}

// Whether every histogram of `ids` has the bins of `g` (add_as<g> may then fill any of them).
template <size_t N>
constexpr bool all_like(HistoId g, const HistoId (&ids)[N]) {
    for (HistoId id : ids)
        if (!same_bins(g, id)) return false;
    return true;
}
static_assert(all_like(kTcpOptsSACK, {kTcpOptsWS, kTcpOptsTS, kTcpOptsMPTCP}));
static_assert(all_like(kTcpThruC2s, {kTcpThruS2c}));
static_assert(all_like(kTcpThruLfC2s,
                       {kTcpThruLfS2c, kTcpThruLfCC2s, kTcpThruLfCS2c, kTcpThruLfNcC2s,
                        kTcpThruLfNcS2c}));

// An L7 count: the way's histogram and, for outgoing and incoming traffic, the one of its
// cloud or non-cloud external peer.
struct L7Histos {
    Triple by_way;
    HistoId c_out, nc_out, c_in, nc_in;
};
template <L7Histos H>
void add_l7(HistogramSet& h, Way w, bool cloud, double v) {
    static_assert(all_like(H.c_out, {H.nc_out, H.c_in, H.nc_in}));
    add_to<H.by_way>(h, w, v);
    if (w == Way::kOut) h.add_as<H.c_out>(cloud ? H.c_out : H.nc_out, v);
    if (w == Way::kIn) h.add_as<H.c_out>(cloud ? H.c_in : H.nc_in, v);
}
constexpr L7Histos kL7Tcp{{kL7TCPNumOut, kL7TCPNumIn, kL7TCPNumLoc},
                          kL7TCPNumCOut, kL7TCPNumNcOut, kL7TCPNumCIn, kL7TCPNumNcIn};
constexpr L7Histos kL7Http{{kL7HTTPNumOut, kL7HTTPNumIn, kL7HTTPNumLoc},
                           kL7HTTPNumCOut, kL7HTTPNumNcOut, kL7HTTPNumCIn, kL7HTTPNumNcIn};
constexpr L7Histos kL7Video{{kL7VIDEONumOut, kL7VIDEONumIn, kL7VIDEONumLoc},
                            kL7VIDEONumCOut, kL7VIDEONumNcOut, kL7VIDEONumCIn, kL7VIDEONumNcIn};
constexpr L7Histos kL7Udp{{kL7UDPNumOut, kL7UDPNumIn, kL7UDPNumLoc},
                          kL7UDPNumCOut, kL7UDPNumNcOut, kL7UDPNumCIn, kL7UDPNumNcIn};

// The families more than one rule fills.
constexpr Triple kIpProto{kIpProtocolOut, kIpProtocolIn, kIpProtocolLoc};
constexpr Triple kL3Proto{kL3ProtocolOut, kL3ProtocolIn, kL3ProtocolLoc};
constexpr Triple kTcpSrcPort{kTcpPortSrcOut, kTcpPortSrcIn, kTcpPortSrcLoc};
constexpr Triple kTcpDstPort{kTcpPortDstOut, kTcpPortDstIn, kTcpPortDstLoc};
constexpr Triple kUdpDstPort{kUdpPortDstOut, kUdpPortDstIn, kUdpPortDstLoc};

RateSide side_of(Way w) {
    return w == Way::kOut ? RateSide::kOut : w == Way::kIn ? RateSide::kIn : RateSide::kLoc;
}
// The cloud split of in/out traffic: by the external peer (destination of out, source of in).
RateSide cloud_side(Way w, const PacketSide& s) {
    if (w == Way::kOut) return s.cloud_dst ? RateSide::kCOut : RateSide::kNcOut;
    return s.cloud_src ? RateSide::kCIn : RateSide::kNcIn;
}

// Tstat's Average() of an RTT sum (µs), in ms as the histograms want it.
double rtt_avg_ms(const flow::tcp::TcpDirection& d) {
    return flow::tcp::tstat_average(d.rtt_sum, d.rtt_count) / 1000.0;
}
double rtt_stdev_ms(const flow::tcp::TcpDirection& d) {
    return flow::tcp::tstat_stdev(d.rtt_sum, d.rtt_sum2, d.rtt_count) / 1000.0;
}

// One direction's size histograms (make_tcp_conn_stats, make_udp_conn_stats): its payload
// bytes in the fine and the coarse histogram, and its packets.
struct SizeHistos {
    HistoId bytes_fine, bytes_coarse, packets;
};
template <SizeHistos H, class Direction>
void add_size(HistogramSet& h, const Direction& d) {
    h.add<H.bytes_fine>(static_cast<double>(d.data_bytes));
    h.add<H.bytes_coarse>(static_cast<double>(d.data_bytes));
    h.add<H.packets>(static_cast<double>(d.packets));
}

// One direction's RTT histograms (make_tcp_conn_stats): average, minimum, maximum, standard
// deviation and count of the samples, in ms. A histogram filled twice (the local ones) gets
// its two samples in the same order as Tstat adds them.
struct RttHistos {
    HistoId avg, min, max, stdev, count;
};
template <RttHistos H>
void add_rtt(HistogramSet& h, const flow::tcp::TcpDirection& d,
             const flow::tcp::DirectionAnomalies& an) {
    h.add<H.avg>(rtt_avg_ms(d));
    h.add<H.min>(static_cast<double>(flow::tcp::rtt_min_of(d.rtt_min, an)) / 1000.0);
    h.add<H.max>(static_cast<double>(flow::tcp::rtt_max_of(d.rtt_max, an)) / 1000.0);
    h.add<H.stdev>(rtt_stdev_ms(d));
    h.add<H.count>(static_cast<double>(d.rtt_count));
}

// The expected size of a direction from its sequence numbers (make_conn_stats), in Tstat's
// u_long arithmetic.
uint64_t expected_bytes(const flow::tcp::TcpDirection& d) {
    if (d.max_seq == d.syn) return 0;
    const uint64_t span = uint64_t{d.max_seq} - uint64_t{d.syn};
    if (d.fin_count > 0 && d.max_seq > d.fin_seqno) return span - 2;
    return span - 1;
}

}  // namespace

void Rates::merge_into(Rates& d) const {
    ip.merge_into(d.ip);
    l3.merge_into(d.l3);
    tcp.merge_into(d.tcp);
    udp.merge_into(d.udp);
    http.merge_into(d.http);
    web.merge_into(d.web);
    tls.merge_into(d.tls);
    video.merge_into(d.video);
}

double WinAverage::take(Timestamp now) {
    step(now);
    // A NaN when no time has passed since the last call: Tstat divides 0 by 0 here.
    const double span = static_cast<double>(elapsed_us(t0, now));
    const double avg = tot / span * 1000;
    tot = 0;
    t = now;
    t0 = now;
    return avg;
}

void Collector::configure(const HistoConfig& conf, const HistoFlags& on, const HistoFlags& stats,
                          uint32_t adx_slots, bool adx_filter_internal) {
    histos_.configure(on, stats);
    rates_ = Rates{};
    adx_on_ = conf.adx;
    adx2_on_ = conf.adx && conf.adx2;
    adx_filter_internal_ = adx_filter_internal;
    // Running statistics sum their samples in order: those histograms take them one by one.
    auto any_of = [](const HistoFlags& flags, std::initializer_list<Triple> families) {
        for (const Triple& t : families)
            if (flags[index_of(t.out)] || flags[index_of(t.in)] || flags[index_of(t.loc)])
                return true;
        return false;
    };
    tally_tcp_ports_ = any_of(on, {kTcpSrcPort, kTcpDstPort}) &&
                       !any_of(stats, {kTcpSrcPort, kTcpDstPort});
    tally_udp_ports_ = any_of(on, {kUdpDstPort}) && !any_of(stats, {kUdpDstPort});
    tally_ip_ = !any_of(stats, {kIpProto, kL3Proto});   // byte rates have no statistics
    if (adx_on_) adx_.reset(adx_slots, conf.adx_mask);
    if (adx2_on_) {
        adx2_.reset(adx_slots, conf.adx2_mask);
        adx2_max_.reset(adx_slots, conf.adx2_mask);
    }
    // create_all_histo() runs before any packet: Tstat's clock is still 0 then.
    active_tcp_.init(Timestamp{});
    active_udp_.init(Timestamp{});
}

void Collector::adx_packet(const uint8_t* src, const uint8_t* dst, Way w, uint32_t packets,
                           uint64_t bytes, uint64_t first) {
    const bool int_src = w == Way::kOut || w == Way::kLoc;
    const bool int_dst = w == Way::kIn || w == Way::kLoc;
    // Without -N/-M every address is internal and the histogram would be empty: all count.
    if (!int_src || !adx_filter_internal_) adx_.add(src, true, packets, bytes, 2 * first);
    if (!int_dst || !adx_filter_internal_) adx_.add(dst, false, packets, bytes, 2 * first + 1);
    if (!adx2_on_) return;
    if (int_src) {
        adx2_.add(src, true, packets, bytes, 2 * first);
        adx2_max_.add(src, true, packets, bytes, 2 * first);
    }
    if (int_dst) {
        adx2_.add(dst, false, packets, bytes, 2 * first + 1);
        adx2_max_.add(dst, false, packets, bytes, 2 * first + 1);
    }
}

void Collector::ipv4_class(Way w, const PacketSide& s, uint8_t proto, uint32_t packets,
                           int64_t bytes) {
    const RateSide side = side_of(w);
    rates_.ip.add(side, kIpType, bytes);
    if (proto == kProtoIcmp) rates_.ip.add(side, kIcmpType, bytes);
    add_way<kIpProto>(histos_, w, proto, packets);
    // TCP and UDP bytes of the L3 rate are counted by the transport layer.
    const size_t l3 = proto == kProtoTcp ? kL3V4Tcp : proto == kProtoUdp ? kL3V4Udp : kL3V4Other;
    if (l3 == kL3V4Other) rates_.l3.add(side, kL3V4Other, bytes);
    add_way<kL3Proto>(histos_, w, static_cast<int64_t>(l3), packets);
    if (w == Way::kLoc) return;
    const RateSide cs = cloud_side(w, s);
    rates_.ip.add(cs, kIpType, bytes);
    if (proto == kProtoIcmp) rates_.ip.add(cs, kIcmpType, bytes);
}

void Collector::transport_rates(Way w, const PacketSide& s, size_t type, size_t l3,
                                int64_t bytes) {
    rates_.ip.add(side_of(w), type, bytes);
    rates_.l3.add(side_of(w), l3, bytes);
    if (w != Way::kLoc) rates_.ip.add(cloud_side(w, s), type, bytes);
}

void Collector::tally(const TallyDir& t) {
    const Way w = t.side.way;
    if (w != Way::kExt) {
        if (t.ports && t.tcp) {
            add_way<kTcpSrcPort>(histos_, w, t.sport, t.packets);
            add_way<kTcpDstPort>(histos_, w, t.dport, t.packets);
        } else if (t.ports) {
            add_way<kUdpDstPort>(histos_, w, t.dport, t.packets);
        }
        if (t.ip) {
            // What ipv4_packet() and tcp_header()/udp_header() add for each of the packets.
            const auto bytes = static_cast<int64_t>(t.bytes);
            transport_rates(w, t.side, t.tcp ? kTcpType : kUdpType,
                            t.ipv6 ? (t.tcp ? kL3V6Tcp : kL3V6Udp) : (t.tcp ? kL3V4Tcp : kL3V4Udp),
                            bytes);
            if (!t.ipv6) ipv4_class(w, t.side, t.tcp ? kProtoTcp : kProtoUdp, t.packets, bytes);
        }
    }
    if (t.src != nullptr) adx_packet(t.src, t.dst, w, t.packets, t.bytes, t.first);
}

void Collector::ipv4_packet(const decode::DecodedPacket& p, const PacketSide& s,
                            bool adx_tallied, bool ip_tallied) {
    static constexpr Triple kLen{kIpLenOut, kIpLenIn, kIpLenLoc};
    static constexpr Triple kTtl{kIpTtlOut, kIpTtlIn, kIpTtlLoc};
    static constexpr Triple kTos{kIpTosOut, kIpTosIn, kIpTosLoc};
    const uint32_t len = p.ip_total_len;
    const Way w = s.way;
    if (w != Way::kExt) {
        if (!ip_tallied) ipv4_class(w, s, p.protocol, 1, len);
        add_way<kLen>(histos_, w, len);
        add_way<kTtl>(histos_, w, p.ttl);
        add_way<kTos>(histos_, w, p.tos);
    }
    if (adx_on_ && !adx_tallied) adx_packet(p.src.bytes(), p.dst.bytes(), w, 1, len, packet_no_);
}

void Collector::ipv6_packet(const decode::DecodedPacket& p, bool non_initial_fragment,
                            const PacketSide& s) {
    static constexpr Triple kProto{kIp6ProtocolOut, kIp6ProtocolIn, kIp6ProtocolLoc};
    static constexpr Triple kHop{kIp6HopLimitOut, kIp6HopLimitIn, kIp6HopLimitLoc};
    static constexpr Triple kPlen{kIp6PlenOut, kIp6PlenIn, kIp6PlenLoc};
    static constexpr Triple kIcmp{kIcmpv6TypeOut, kIcmpv6TypeIn, kIcmpv6TypeLoc};
    const Way w = s.way;
    if (w == Way::kExt || p.ip == nullptr) return;
    const uint32_t plen = p.ip_total_len >= 40 ? p.ip_total_len - 40 : 0;
    add_way<kProto>(histos_, w, p.ip[6]);   // the first next-header field
    add_way<kHop>(histos_, w, p.ttl);
    add_way<kPlen>(histos_, w, plen);
    // findheader_ipv6(): a non-initial fragment stops the walk at the fragment header.
    const uint8_t proto = non_initial_fragment ? kProtoFragment : p.protocol;
    if (proto == kProtoIcmpv6 && p.l4 != nullptr && p.ip_caplen > p.ip_header_len)
        add_way<kIcmp>(histos_, w, p.l4[0]);
    if (proto == kProtoTcp) {
        add_way<kL3Proto>(histos_, w, kL3V6Tcp);
    } else if (proto == kProtoUdp) {
        add_way<kL3Proto>(histos_, w, kL3V6Udp);
    } else {
        // Only the payload length, as IPv6_support() adds it.
        rates_.l3.add(side_of(w), kL3V6Other, plen);
        add_way<kL3Proto>(histos_, w, kL3V6Other);
    }
}

void Collector::tcp_header(const decode::DecodedPacket& p, const PacketSide& s,
                           bool ports_tallied, bool ip_tallied) {
    static constexpr Triple kSynSrc{kTcpPortSynsrcOut, kTcpPortSynsrcIn, kTcpPortSynsrcLoc};
    static constexpr Triple kSynDst{kTcpPortSyndstOut, kTcpPortSyndstIn, kTcpPortSyndstLoc};
    const Way w = s.way;
    if (w == Way::kExt) return;
    if (p.tcp.syn() && !p.tcp.ack_set()) {
        add_way<kSynSrc>(histos_, w, p.tcp.src_port);
        add_way<kSynDst>(histos_, w, p.tcp.dst_port);
    }
    if (!ports_tallied) {
        add_way<kTcpSrcPort>(histos_, w, p.tcp.src_port);
        add_way<kTcpDstPort>(histos_, w, p.tcp.dst_port);
    }
    if (!ip_tallied)
        transport_rates(w, s, kTcpType, p.ip_version == 6 ? kL3V6Tcp : kL3V4Tcp, p.ip_total_len);
}

void Collector::udp_header(const decode::DecodedPacket& p, const PacketSide& s,
                           bool ports_tallied, bool ip_tallied) {
    const Way w = s.way;
    if (w == Way::kExt) return;
    if (!ports_tallied) add_way<kUdpDstPort>(histos_, w, p.udp.dst_port);
    if (!ip_tallied)
        transport_rates(w, s, kUdpType, p.ip_version == 6 ? kL3V6Udp : kL3V4Udp, p.ip_total_len);
}

void Collector::tcp_rate(const TcpClass& c, const PacketSide& s, int64_t len) {
    // Skype's TCP bitrate is counted by the Skype engine at the end of the flow.
    if (c.l7 == l7::kSkypeE2E || c.l7 == l7::kSkypeE2O || c.l7 == l7::kSkypeTcp) return;
    const Way w = s.way;
    if (w == Way::kExt) return;
    const RateSide side = side_of(w);
    rates_.tcp.add(side, c.l7, len);
    if (c.l7 == l7::kHttp) {
        rates_.http.add(side, c.http, len);
        rates_.web.add(side, c.web, len);
    } else if (c.l7 == l7::kSsl) {
        rates_.tls.add(side, c.tls, len);
    }
    if (c.video >= 0) rates_.video.add(side, static_cast<size_t>(c.video), len);
    if (w == Way::kLoc) return;
    const RateSide cs = cloud_side(w, s);
    rates_.tcp.add(cs, c.l7, len);
    if (c.l7 == l7::kHttp) rates_.http.add(cs, c.http, len);
    if (c.video >= 0) rates_.video.add(cs, static_cast<size_t>(c.video), len);
}

void Collector::udp_rate(uint8_t udp_type, const PacketSide& s, uint32_t ip_len) {
    const uint8_t t = udp_l7(udp_type);
    if (t == l7::kSkypeE2E || t == l7::kSkypeE2O || t == l7::kSkypeTcp) return;
    const Way w = s.way;
    if (w == Way::kExt) return;
    const auto len = static_cast<int64_t>(ip_len);
    rates_.udp.add(side_of(w), t, len);
    if (w != Way::kLoc) rates_.udp.add(cloud_side(w, s), t, len);
}

void Collector::skype_udp(Way w, bool sender_cloud, uint8_t l7, uint64_t bytes) {
    if (w == Way::kExt) return;
    const auto len = static_cast<int64_t>(bytes);
    add_l7<kL7Udp>(histos_, w, sender_cloud, l7);
    rates_.udp.add(side_of(w), l7, len);
    if (w == Way::kOut) rates_.udp.add(sender_cloud ? RateSide::kCOut : RateSide::kNcOut, l7, len);
    if (w == Way::kIn) rates_.udp.add(sender_cloud ? RateSide::kCIn : RateSide::kNcIn, l7, len);
}

void Collector::skype_tcp(Way w, uint64_t bytes) {
    if (w == Way::kExt) return;
    rates_.tcp.add(side_of(w), l7::kSkypeTcp, static_cast<int64_t>(bytes));
}

void Collector::add_segment_class(const PacketSide& s, Dir dir, int64_t cls, uint32_t n) {
    static constexpr Triple kWay{kTcpAnomaliesOut, kTcpAnomaliesIn, kTcpAnomaliesLoc};
    static_assert(same_bins(kTcpAnomaliesC2s, kTcpAnomaliesOut) &&
                  same_bins(kTcpAnomaliesS2c, kTcpAnomaliesOut));
    if (s.way != Way::kExt) add_way<kWay>(histos_, s.way, cls, n);
    histos_.add_int<kTcpAnomaliesOut>(dir == Dir::kC2S ? kTcpAnomaliesC2s : kTcpAnomaliesS2c,
                                      cls, n);
}

// Most segments are in sequence and nothing else: that path stays short.
void Collector::tcp_segment_classes(const PacketSide& s, Dir dir,
                                    const flow::tcp::AnomalyCounts& found) {
    if (found.total != 0) [[unlikely]] {
        segment_anomalies(s, dir, found);
        return;
    }
    if (found.in_sequence != 0) add_segment_class(s, dir, 0, found.in_sequence);
}

void Collector::segment_anomalies(const PacketSide& s, Dir dir,
                                  const flow::tcp::AnomalyCounts& found) {
    if (found.in_sequence != 0) add_segment_class(s, dir, 0, found.in_sequence);
    // aggregateType(): classes above UNNECESSARY_RETRANSMISSION_FR count as UNKNOWN (63).
    uint32_t left = found.total - found.by_class[0];   // the classes 1..15 still to add
    for (int c = 1; left != 0 && c < 16; ++c) {
        if (found.by_class[c] == 0) continue;
        add_segment_class(s, dir, c <= 7 ? c : 63, found.by_class[c]);
        left -= found.by_class[c];
    }
}

void Collector::flow_attempt(bool tcp, Timestamp now, bool missed) {
    histos_.add<kL4FlowNumber>(tcp ? 0 : 1);
    if (!histos_.on(kProfileFlows)) return;
    if (missed)
        this->missed(tcp) += 1;
    else
        active(tcp).arrival(now);
}

void Collector::flow_departure(bool tcp, Timestamp now) {
    if (histos_.on(kProfileFlows)) active(tcp).departure(now);
}

void Collector::tcp_closed(const flow::tcp::TcpFlow& f, const flow::tcp::TcpAnomalies& an,
                           const flow::tcp::WindowTotals& win, bool complete,
                           const TcpClass& cls) {
    using flow::tcp::TcpDirection;
    const Way w = way_of(f.internal_src, f.internal_dst);

    // make_tcpL7_conn_stats(), only for complete flows (make_proto_stat).
    if (complete && w != Way::kExt) {
        static constexpr Triple kWeb{kL7WEBNumOut, kL7WEBNumIn, kL7WEBNumLoc};
        static constexpr Triple kTls{kL7TLSNumOut, kL7TLSNumIn, kL7TLSNumLoc};
        const bool cloud = w == Way::kOut ? f.cloud_dst : f.cloud_src;
        add_l7<kL7Tcp>(histos_, w, cloud, cls.l7);
        if (cls.l7 == l7::kHttp) {
            add_l7<kL7Http>(histos_, w, cloud, cls.http);
            add_to<kWeb>(histos_, w, cls.web);
        } else if (cls.l7 == l7::kSsl) {
            add_to<kTls>(histos_, w, cls.tls);
        }
        if (cls.video >= 0) add_l7<kL7Video>(histos_, w, cloud, cls.video);
    }
    if (w == Way::kExt) return;   // neither incoming nor outgoing: no statistics

    const TcpDirection& c2s = f.c2s;
    const TcpDirection& s2c = f.s2c;
    const bool local = w == Way::kLoc;
    // Tstat's "outgoing"/"incoming" directions; for local flows s2c/c2s.
    const TcpDirection& outgoing = w == Way::kOut ? c2s : s2c;
    const TcpDirection& incoming = w == Way::kOut ? s2c : c2s;
    const auto& an_out = w == Way::kOut ? an.c2s : an.s2c;
    const auto& an_in = w == Way::kOut ? an.s2c : an.c2s;

    if (complete) {
        auto opt = [&](HistoId id, bool a, bool b) {
            histos_.add_as<kTcpOptsSACK>(id, a && b ? 1 : a ? 2 : b ? 3 : 4);
        };
        opt(kTcpOptsSACK, c2s.fsack_req, s2c.fsack_req);
        opt(kTcpOptsWS, c2s.f1323_ws, s2c.f1323_ws);
        opt(kTcpOptsTS, c2s.f1323_ts, s2c.f1323_ts);
        opt(kTcpOptsMPTCP, c2s.mptcp_req, s2c.mptcp_req);

        histos_.add<kTcpMssA>(c2s.mss);
        histos_.add<kTcpMssB>(s2c.mss);
        if (c2s.mss == 0 || s2c.mss == 0)
            histos_.add<kTcpMssUsed>(536);
        else
            histos_.add<kTcpMssUsed>(c2s.mss < s2c.mss ? c2s.mss : s2c.mss);

        auto dbl = [](uint64_t v) { return static_cast<double>(v); };
        static constexpr SizeHistos kSizeOut{kTcpClBSOut, kTcpClBLOut, kTcpClPOut};
        static constexpr SizeHistos kSizeIn{kTcpClBSIn, kTcpClBLIn, kTcpClPIn};
        static constexpr SizeHistos kSizeLoc{kTcpClBSLoc, kTcpClBLLoc, kTcpClPLoc};
        if (!local) {
            add_size<kSizeOut>(histos_, outgoing);
            add_size<kSizeIn>(histos_, incoming);
        } else {
            add_size<kSizeLoc>(histos_, outgoing);
            add_size<kSizeLoc>(histos_, incoming);
        }
        add_size<SizeHistos{kTcpClBSC2s, kTcpClBLC2s, kTcpClPC2s}>(histos_, c2s);
        add_size<SizeHistos{kTcpClBSS2c, kTcpClBLS2c, kTcpClPS2c}>(histos_, s2c);

        histos_.add<kTcpWinIni>(c2s.win_min);
        histos_.add<kTcpWinIni>(s2c.win_min);
        // Integer division, as Tstat's u_long fields give.
        if (c2s.packets) histos_.add<kTcpWinAvg>(dbl(win.c2s / c2s.packets));
        if (s2c.packets) histos_.add<kTcpWinAvg>(dbl(win.s2c / s2c.packets));
        histos_.add<kTcpWinMax>(c2s.win_max);
        histos_.add<kTcpWinMax>(s2c.win_max);

        if (incoming.rtt_count >= 1 && outgoing.rtt_count >= 1) {
            using R = RttHistos;
            static constexpr R kOut{kTcpRttAvgOut, kTcpRttMinOut, kTcpRttMaxOut, kTcpRttStdevOut,
                                    kTcpRttCntOut};
            static constexpr R kIn{kTcpRttAvgIn, kTcpRttMinIn, kTcpRttMaxIn, kTcpRttStdevIn,
                                   kTcpRttCntIn};
            static constexpr R kLoc{kTcpRttAvgLoc, kTcpRttMinLoc, kTcpRttMaxLoc, kTcpRttStdevLoc,
                                    kTcpRttCntLoc};
            static constexpr R kC2s{kTcpRttAvgC2s, kTcpRttMinC2s, kTcpRttMaxC2s, kTcpRttStdevC2s,
                                    kTcpRttCntC2s};
            static constexpr R kS2c{kTcpRttAvgS2c, kTcpRttMinS2c, kTcpRttMaxS2c, kTcpRttStdevS2c,
                                    kTcpRttCntS2c};
            if (!local) {
                add_rtt<kOut>(histos_, outgoing, an_out);
                add_rtt<kIn>(histos_, incoming, an_in);
                if (f.cloud_src || f.cloud_dst) {
                    histos_.add<kTcpRttCAvgOut>(rtt_avg_ms(outgoing));
                    histos_.add<kTcpRttCAvgIn>(rtt_avg_ms(incoming));
                } else {
                    histos_.add<kTcpRttNcAvgOut>(rtt_avg_ms(outgoing));
                    histos_.add<kTcpRttNcAvgIn>(rtt_avg_ms(incoming));
                }
            } else {
                add_rtt<kLoc>(histos_, outgoing, an_out);
                add_rtt<kLoc>(histos_, incoming, an_in);
            }
            add_rtt<kC2s>(histos_, c2s, an.c2s);
            add_rtt<kS2c>(histos_, s2c, an.s2c);
        }

        // Anomaly counters. The local net-duplicate histogram is the second one Tstat named
        // tcp_net_dup_out (spec §17.11).
        struct Anom {
            uint32_t flow::tcp::DirectionAnomalies::*field;
            HistoId out, in, loc, c2s, s2c;
        };
        using DA = flow::tcp::DirectionAnomalies;
        static constexpr Anom kAnoms[] = {
            {&DA::rtx_rto, kTcpRtxRTOOut, kTcpRtxRTOIn, kTcpRtxRTOLoc, kTcpRtxRTOC2s,
             kTcpRtxRTOS2c},
            {&DA::rtx_fr, kTcpRtxFROut, kTcpRtxFRIn, kTcpRtxFRLoc, kTcpRtxFRC2s, kTcpRtxFRS2c},
            {&DA::reordering, kTcpReorderingOut, kTcpReorderingIn, kTcpReorderingLoc,
             kTcpReorderingC2s, kTcpReorderingS2c},
            {&DA::net_dup, kTcpNetDupOut, kTcpNetDupIn, kTcpNetDupOutLoc, kTcpNetDupC2s,
             kTcpNetDupS2c},
            {&DA::unknown, kTcpUnknownOut, kTcpUnknownIn, kTcpUnknownLoc, kTcpUnknownC2s,
             kTcpUnknownS2c},
            {&DA::flow_control, kTcpFlowCtrlOut, kTcpFlowControlIn, kTcpFlowCtrlLoc,
             kTcpFlowCtrlC2s, kTcpFlowCtrlS2c},
            {&DA::unnecessary_rtx_rto, kTcpUnnrtxRTOOut, kTcpUnnecessaryRtxRTOIn,
             kTcpUnnrtxRTOLoc, kTcpUnnrtxRTOC2s, kTcpUnnrtxRTOS2c},
            {&DA::unnecessary_rtx_fr, kTcpUnnrtxFROut, kTcpUnnecessaryRtxFRIn, kTcpUnnrtxFRLoc,
             kTcpUnnrtxFRC2s, kTcpUnnrtxFRS2c},
        };
        static_assert([] {
            for (const Anom& a : kAnoms)
                if (!all_like(kTcpRtxRTOOut, {a.out, a.in, a.loc, a.c2s, a.s2c})) return false;
            return true;
        }());
        for (const Anom& a : kAnoms) {
            if (!local) {
                histos_.add_as<kTcpRtxRTOOut>(a.out, an_out.*a.field);
                histos_.add_as<kTcpRtxRTOOut>(a.in, an_in.*a.field);
            } else {
                histos_.add_as<kTcpRtxRTOOut>(a.loc, an_out.*a.field);
                histos_.add_as<kTcpRtxRTOOut>(a.loc, an_in.*a.field);
            }
        }
        for (const Anom& a : kAnoms) {
            histos_.add_as<kTcpRtxRTOOut>(a.c2s, an.c2s.*a.field);
            histos_.add_as<kTcpRtxRTOOut>(a.s2c, an.s2c.*a.field);
        }
    }

    const double etime_ms = static_cast<double>(elapsed_us(f.first_time, f.last_time)) / 1000;
    if (complete) {
        histos_.add<kTcpTotTime>(etime_ms);
        struct Thru {
            const TcpDirection& d;
            const flow::tcp::DirectionAnomalies& a;
            HistoId all, lf, lf_c, lf_nc;
        };
        const Thru thrus[] = {
            {c2s, an.c2s, kTcpThruC2s, kTcpThruLfC2s, kTcpThruLfCC2s, kTcpThruLfNcC2s},
            {s2c, an.s2c, kTcpThruS2c, kTcpThruLfS2c, kTcpThruLfCS2c, kTcpThruLfNcS2c},
        };
        for (const Thru& t : thrus) {
            // elapsed(first_time, payload_end_time): 0 when there was no payload.
            const auto transfer =
                static_cast<double>(flow::tcp::widen(t.d.payload_end_us, t.a.payload_end_wide));
            if (!(transfer > 0.0)) continue;
            const double thru = static_cast<double>(t.d.unique_bytes) / transfer * 8000.0;
            histos_.add_as<kTcpThruC2s>(t.all, thru);
            if (t.d.unique_bytes >= 1000000) {
                histos_.add_as<kTcpThruLfC2s>(t.lf, thru);
                histos_.add_as<kTcpThruLfC2s>(f.cloud_src || f.cloud_dst ? t.lf_c : t.lf_nc, thru);
            }
        }

        // Bytes missing from what the sequence numbers promise (profile_tcpdata).
        uint64_t missing = 0;
        for (const TcpDirection* d : {&c2s, &s2c}) {
            const uint64_t expected = expected_bytes(*d);
            if (expected <= d->unique_bytes) continue;
            const bool implausible =
                (d->data_pkts == 0 && static_cast<double>(expected) > 1e6) ||
                (d->data_pkts > 0 && expected > uint64_t{15000} * d->data_pkts);
            if (!implausible) missing += expected - d->unique_bytes;
        }
        tcpdata_received_ +=
            (static_cast<double>(c2s.unique_bytes) + static_cast<double>(s2c.unique_bytes)) / 1e6;
        tcpdata_missed_ += static_cast<double>(missing) / 1e6;
    }

    // User-interrupted flows (Rossi et al.): the server neither finished nor reset, sent
    // data, and the client reset within an RTT of the server's last data.
    const bool eligible = !(s2c.fin_count > 0 || s2c.reset_count > 0) && s2c.unique_bytes > 0 &&
                          c2s.reset_count > 0;
    const double rtt = flow::tcp::tstat_average(c2s.rtt_sum, c2s.rtt_count) +
                       flow::tcp::tstat_average(s2c.rtt_sum, s2c.rtt_count);
    // elapsed(last_time, server's last payload) is 0: the payload cannot come after the end.
    const bool interrupted = eligible && 0.0 < rtt;
    histos_.add<kTcpInterrupted>(interrupted ? 1 : 0);
}

void Collector::udp_closed(const flow::udp::UdpFlow& f, uint8_t c_type, uint8_t s_type) {
    static constexpr SizeHistos kOut{kUdpClBSOut, kUdpClBLOut, kUdpClPOut};
    static constexpr SizeHistos kIn{kUdpClBSIn, kUdpClBLIn, kUdpClPIn};
    static constexpr SizeHistos kLoc{kUdpClBSLoc, kUdpClBLLoc, kUdpClPLoc};
    const Way w = way_of(f.internal_src, f.internal_dst);
    if (w == Way::kExt) return;
    if (w != Way::kLoc) {
        // "out" is what the internal side sent.
        add_size<kOut>(histos_, w == Way::kIn ? f.s2c : f.c2s);
        add_size<kIn>(histos_, w == Way::kIn ? f.c2s : f.s2c);
    } else {
        add_size<kLoc>(histos_, f.s2c);
        add_size<kLoc>(histos_, f.c2s);
    }

    // make_p2p_conn_stats(): one count per direction that sent something. Whether the flow is
    // left to the RTP and Skype engines depends on the classes themselves: an unconfirmed
    // SKYPE_E2E/SKYPE_OUT prints 0 but is still theirs.
    if (udp_counted_by_p2p(f.c2s.type, f.s2c.type)) {
        auto count = [&](uint8_t type, Way dir_way, bool cloud) {
            add_l7<kL7Udp>(histos_, dir_way, cloud, udp_l7(type));
        };
        // in_out_loc(): the client's direction, then the server's (roles swapped).
        if (w == Way::kOut) {
            count(c_type, Way::kOut, f.cloud_dst);
            if (f.s2c.packets != 0) count(s_type, Way::kIn, f.cloud_dst);
        } else if (w == Way::kIn) {
            count(c_type, Way::kIn, f.cloud_src);
            if (f.s2c.packets != 0) count(s_type, Way::kOut, f.cloud_src);
        } else {
            count(c_type, Way::kLoc, false);
            if (f.s2c.packets != 0) count(s_type, Way::kLoc, false);
        }
    }
    histos_.add<kUdpTotTime>(static_cast<double>(elapsed_us(f.first_time, f.last_time)) / 1000);
}

void Collector::rtp_confirmed(Way w, bool cloud, bool rtcp) {
    if (w == Way::kExt) return;
    const double t = rtcp ? l7::kRtcp : l7::kRtp;
    add_l7<kL7Udp>(histos_, w, cloud, t);
    // rtp.c counts an outgoing RTCP direction twice in L7_UDP_num_out (a doubled call).
    if (rtcp && w == Way::kOut) histos_.add<kL7UDPNumOut>(t);
}

void Collector::mm_out_of_sequence(Way w) {
    static constexpr Triple kOos{kMmOosPOut, kMmOosPIn, kMmOosPLoc};
    if (w != Way::kExt) histos_.add(kOos.of(w), 1);
}

void Collector::mm_reordered(Way w, double delay_ms) {
    static constexpr Triple kN{kMmReordPNOut, kMmReordPNIn, kMmReordPNLoc};
    static constexpr Triple kDelay{kMmReordDelayOut, kMmReordDelayIn, kMmReordDelayLoc};
    if (w == Way::kExt) return;
    histos_.add(kN.of(w), 1);
    histos_.add(kDelay.of(w), delay_ms);
}

void Collector::mm_burst_end(Way w, double burst) {
    static constexpr Triple kBurst{kMmBurstLossOut, kMmBurstLossIn, kMmBurstLossLoc};
    if (w != Way::kExt) histos_.add(kBurst.of(w), burst);
}

void Collector::rtcp_mm_bitrate(Way w, double v) {
    static constexpr Triple kBt{kRtcpMmBtOut, kRtcpMmBtIn, kRtcpMmBtLoc};
    if (w != Way::kExt) histos_.add(kBt.of(w), v);
}

void Collector::rtcp_report(Way w, double jitter, double fraction_lost, bool lost_known,
                            int32_t delta_lost, double rtt_ms) {
    static constexpr Triple kJitter{kRtcpJitterOut, kRtcpJitterIn, kRtcpJitterLoc};
    static constexpr Triple kFLost{kRtcpFLostOut, kRtcpFLostIn, kRtcpFLostLoc};
    static constexpr Triple kDup{kRtcpDupOut, kRtcpDupIn, kRtcpDupLoc};
    static constexpr Triple kLost{kRtcpLostOut, kRtcpLostIn, kRtcpLostLoc};
    static constexpr Triple kRtt{kRtcpRttOut, kRtcpRttIn, kRtcpRttLoc};
    if (w == Way::kExt) return;
    histos_.add(kJitter.of(w), jitter);
    histos_.add(kFLost.of(w), fraction_lost);
    if (lost_known) {
        histos_.add(kDup.of(w), delta_lost >= 0 ? 0 : -static_cast<double>(delta_lost));
        histos_.add(kLost.of(w), delta_lost >= 0 ? delta_lost : 0);
    }
    if (rtt_ms >= 0) histos_.add(kRtt.of(w), rtt_ms);
}

}  // namespace tstat::stats
