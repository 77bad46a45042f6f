#include "app/stats_tap.h"

#include <algorithm>

namespace tstat::app {

namespace {
constexpr uint32_t kSslBit = 8192;   // con_t SSL_PROTOCOL

// in_out_loc() of the direction a packet travelled in: the way from its sender to its
// receiver.
template <class Flow>
stats::Way sending_way(const Flow& f, flow::Dir dir) {
    return dir == flow::Dir::kC2S ? stats::way_of(f.internal_src, f.internal_dst)
                                  : stats::way_of(f.internal_dst, f.internal_src);
}

// The histogram side of a flow direction's packets, as the analyzer gives it per packet.
template <class Flow>
stats::PacketSide sending_side(const Flow& f, flow::Dir dir) {
    const bool c2s = dir == flow::Dir::kC2S;
    return {sending_way(f, dir), c2s ? f.cloud_src : f.cloud_dst, c2s ? f.cloud_dst : f.cloud_src};
}

using HistoView = classify::tcp::TcpClassifier::HistoView;

// A TCP flow's class inputs but the TLS service (kept in the slot) in one word, so that a
// packet compares one word with its slot's: con_t (32 bits), p2p_type (12), http_data (8),
// the RTMP handshake (1) and the two video formats (4 each), under bit 63. 0 when a value
// does not fit: that packet's rate is counted at once.
uint64_t rate_key(const HistoView& v) {
    const auto p2p = static_cast<uint32_t>(v.p2p_type);
    const auto http = static_cast<uint32_t>(v.http_data);
    if (p2p >= 4096 || http >= 256 || v.video_content >= 16 || v.video_payload >= 16) return 0;
    return uint64_t{1} << 63 | uint64_t{v.con_type} | uint64_t{p2p} << 32 | uint64_t{http} << 44 |
           uint64_t{v.rtmp_handshake} << 52 | uint64_t{v.video_content} << 53 |
           uint64_t{v.video_payload} << 57;
}

stats::TcpClassInput class_input(const HistoView& v, uint8_t tls) {
    stats::TcpClassInput in;
    in.con_type = v.con_type;
    in.p2p_type = v.p2p_type;
    in.http_data = v.http_data;
    in.rtmp_handshake = v.rtmp_handshake;
    in.tls = tls;
    in.video_content = v.video_content;
    in.video_payload = v.video_payload;
    return in;
}

HistoView view_of(uint64_t key) {
    HistoView v;
    v.con_type = static_cast<uint32_t>(key);
    v.p2p_type = static_cast<int32_t>(key >> 32 & 0xfff);
    v.http_data = static_cast<int32_t>(key >> 44 & 0xff);
    v.rtmp_handshake = (key >> 52 & 1) != 0;
    v.video_content = static_cast<uint8_t>(key >> 53 & 0xf);
    v.video_payload = static_cast<uint8_t>(key >> 57 & 0xf);
    return v;
}
}  // namespace

StatsTap::StatsTap(std::unique_ptr<stats::Engine> engine, bool ignore_ipv6_l4,
                   uint32_t max_tcp_pairs, uint32_t max_udp_pairs)
    : engine_(std::move(engine)), ignore_ipv6_l4_(ignore_ipv6_l4),
      on_(engine_->collecting()) {
    if (!on_) return;
    tcp_slots_.reset(max_tcp_pairs);
    udp_slots_.reset(max_udp_pairs);
    engine_->set_before_close([this] { flush_tallies(); });
}

template <class Slot>
void StatsTap::grow(ZeroedArray<Slot>& slots, uint32_t slot) {
    slots.resize(std::max<size_t>(size_t{slot} + 1, slots.size() + slots.size() / 2));
}

template <class Flow>
void StatsTap::count(const Flow& f, Tally& t, bool tcp, flow::Dir dir,
                     const decode::DecodedPacket& pkt) {
    stats::Collector& col = engine_->collector();
    if (!t.decided) {
        t.decided = true;
        t.ports = col.tally_ports(tcp);
        t.adx = col.tally_adx(pkt);
        t.ip = col.tally_ip();
    }
    if (!(t.ports || t.adx || t.ip)) return;
    const auto i = static_cast<size_t>(dir);
    if (t.packets[i] == UINT32_MAX || t.bytes[i] > UINT32_MAX - pkt.ip_total_len) [[unlikely]]
        flush(f, t, tcp);
    if (t.packets[i] == 0) {   // the direction's first packet in the window: its number
        const uint64_t since_start = col.packet_no() - window_start_;
        if (since_start > UINT32_MAX) return;   // past 4 G packets a window: counted at once
        t.first[i] = static_cast<uint32_t>(since_start);
    }
    ++t.packets[i];
    t.bytes[i] += pkt.ip_total_len;
    ports_tallied_ = t.ports;
    adx_tallied_ = t.adx;
    ip_tallied_ = t.ip;
}

template <class Flow>
void StatsTap::flush(const Flow& f, Tally& t, bool tcp) {
    stats::Collector& col = engine_->collector();
    for (const flow::Dir d : {flow::Dir::kC2S, flow::Dir::kS2C}) {
        const auto i = static_cast<size_t>(d);
        if (t.packets[i] == 0) continue;
        const bool c2s = d == flow::Dir::kC2S;
        const IpAddress& src = c2s ? f.key.a : f.key.b;
        const IpAddress& dst = c2s ? f.key.b : f.key.a;
        stats::Collector::TallyDir td;
        td.tcp = tcp;
        td.ipv6 = src.is_v6();
        td.side = sending_side(f, d);
        td.src = t.adx ? src.bytes() : nullptr;
        td.dst = t.adx ? dst.bytes() : nullptr;
        td.sport = c2s ? f.key.a_port : f.key.b_port;
        td.dport = c2s ? f.key.b_port : f.key.a_port;
        td.packets = t.packets[i];
        td.bytes = t.bytes[i];
        td.first = window_start_ + t.first[i];
        td.ports = t.ports;
        td.ip = t.ip;
        col.tally(td);
        t.packets[i] = 0;
        t.bytes[i] = 0;
    }
}

void StatsTap::flush_tallies() {
    for (uint32_t i : pending_tcp_) {
        TcpSlot& slot = tcp_slots_[i];
        slot.tally.listed = false;
        if (slot.idle()) continue;
        if (const flow::tcp::TcpFlow* f = flows_ ? flows_->tcp_flow_in_slot(i) : nullptr) {
            flush(*f, slot.tally, true);
            flush_rates(*f, slot);
        }
    }
    for (uint32_t i : pending_udp_) {
        UdpSlot& slot = udp_slots_[i];
        slot.tally.listed = false;
        if (slot.idle()) continue;
        if (const flow::udp::UdpFlow* f = flows_ ? flows_->udp_flow_in_slot(i) : nullptr)
            flush(*f, slot.tally, false);
    }
    pending_tcp_.clear();
    pending_udp_.clear();
    window_start_ = engine_->collector().packet_no();
}

template <class SniFn>
uint8_t StatsTap::tls_service(const flow::tcp::TcpFlow& f, uint32_t con_type, SniFn&& sni) {
    if (!(con_type & kSslBit)) return 0;
    uint8_t& s = slot_of(tcp_slots_, f.slot).tls_service;
    if (s == 0) s = static_cast<uint8_t>(stats::tls_service(sni()) + 1);
    return static_cast<uint8_t>(s - 1);
}

void StatsTap::trace_started(Timestamp first, const std::string& dir) {
    engine_->set_time_dir(dir);
    engine_->trace_started(first);
}

void StatsTap::before_flows(const decode::DecodedPacket& pkt, bool fragment,
                            const flow::PacketContext& ctx) {
    engine_->before_packet(pkt.ts);
    if (!on_) return;
    engine_->collector().next_packet();
    ports_tallied_ = adx_tallied_ = ip_tallied_ = false;
    side_.way = stats::way_of(ctx.internal_src, ctx.internal_dst);
    side_.cloud_src = ctx.cloud_src;
    side_.cloud_dst = ctx.cloud_dst;
    // IPv6_support() runs in ip_header_stat(), before the transport layer.
    if (pkt.ip_version == 6) engine_->collector().ipv6_packet(pkt, fragment, side_);
}

void StatsTap::after_flows(const decode::DecodedPacket& pkt, bool fragment,
                           const flow::PacketResult* result) {
    const bool v6_stops = pkt.ip_version == 6 && ignore_ipv6_l4_;
    if (on_) {
        stats::Collector& col = engine_->collector();
        const bool traced = result != nullptr && (*result == flow::PacketResult::kTraced ||
                                                  *result == flow::PacketResult::kNoFlow);
        // A packet whose ports and rates went to its flow's tally has only a SYN left to count.
        const bool tallied = ports_tallied_ && ip_tallied_;
        if (traced && !fragment && pkt.protocol == decode::ip_proto::kTcp &&
            (!tallied || pkt.tcp.syn()))
            col.tcp_header(pkt, side_, ports_tallied_, ip_tallied_);
        if (traced && !fragment && pkt.protocol == decode::ip_proto::kUdp && !tallied)
            col.udp_header(pkt, side_, ports_tallied_, ip_tallied_);
        // ip_histo_stat(): IPv4 only, after the transport layer.
        if (pkt.ip_version == 4) col.ipv4_packet(pkt, side_, adx_tallied_, ip_tallied_);
    }
    // ProcessPacket() returns before the window check for IPv6 under -6.
    if (!v6_stops) engine_->after_packet(pkt.ts);
}

void StatsTap::tcp_packet(const flow::tcp::TcpFlow& f, flow::Dir dir,
                          const decode::DecodedPacket& pkt,
                          const classify::tcp::TcpClassifier& dpi) {
    if (!on_) return;
    TcpSlot& slot = slot_of(tcp_slots_, f.slot);
    list(slot.tally, f.slot, pending_tcp_);
    uint64_t window = 0;
    if (flows_ != nullptr && flows_->window_sample(window)) slot.win.of(dir) += window;
    count(f, slot.tally, true, dir, pkt);
    tcp_rate(f, slot, dir, pkt.ip_total_len, dpi);
}

void StatsTap::tcp_rate(const flow::tcp::TcpFlow& f, TcpSlot& slot, flow::Dir dir,
                        uint32_t ip_len, const classify::tcp::TcpClassifier& dpi) {
    const HistoView v = dpi.histo_view(f);
    const uint64_t key = rate_key(v);
    const int32_t len = stats::tcp_rate_length(ip_len);
    if (key != slot.rate_key || key == 0) [[unlikely]] {
        flush_rates(f, slot);
        slot.rate_key = key;
        const uint8_t tls = tls_service(f, v.con_type, [&] { return dpi.sni(f); });
        if (key == 0) {
            engine_->collector().tcp_rate(tcp_class_(class_input(v, tls)), side_, len);
            return;
        }
    }
    int32_t& sum = slot.rate_bytes[static_cast<size_t>(dir)];
    if (sum > INT32_MAX - 32768 || sum < INT32_MIN + 32768) [[unlikely]] flush_rates(f, slot);
    sum += len;
}

void StatsTap::flush_rates(const flow::tcp::TcpFlow& f, TcpSlot& slot) {
    if (slot.rate_key == 0) return;   // nothing summed
    const HistoView v = view_of(slot.rate_key);
    // The service was decided when the class became TLS (tcp_rate()).
    const bool tls = (v.con_type & kSslBit) != 0 && slot.tls_service != 0;
    const stats::TcpClass cls = tcp_class_(class_input(v, tls ? slot.tls_service - 1 : 0));
    for (const flow::Dir d : {flow::Dir::kC2S, flow::Dir::kS2C}) {
        int32_t& sum = slot.rate_bytes[static_cast<size_t>(d)];
        if (sum == 0) continue;
        engine_->collector().tcp_rate(cls, sending_side(f, d), sum);
        sum = 0;
    }
}

void StatsTap::udp_packet(const flow::udp::UdpFlow& f, flow::Dir dir,
                          const decode::DecodedPacket& pkt) {
    if (!on_) return;
    stats::Collector& col = engine_->collector();
    const flow::udp::UdpDirection& d = f.dir(dir);
    UdpSlot& slot = slot_of(udp_slots_, f.slot);
    list(slot.tally, f.slot, pending_udp_);
    count(f, slot.tally, false, dir, pkt);
    if (d.packets == 1) col.udp_first_of_direction(pkt.udp.dst_port);
    col.udp_rate(d.type, side_, pkt.ip_total_len);
}

void StatsTap::tcp_closed(const flow::tcp::TcpFlow& f, const flow::tcp::TcpAnomalies& an,
                          bool complete, const classify::TcpL7& l7, bool rtmp_handshake,
                          bool departs, Timestamp now) {
    if (!on_) return;
    stats::TcpClassInput in;
    in.con_type = l7.con_type;
    in.p2p_type = l7.p2p_type;
    in.http_data = l7.http_data;
    in.rtmp_handshake = rtmp_handshake;
    in.tls = tls_service(f, l7.con_type, [&] { return l7.tls_sni.view(); });
    in.video_content = l7.video.content_format;
    in.video_payload = l7.video.payload_format;
    TcpSlot& slot = slot_of(tcp_slots_, f.slot);
    flush(f, slot.tally, true);
    flush_rates(f, slot);
    const flow::tcp::WindowTotals win = slot.win;
    slot = TcpSlot{};   // the slot is free
    stats::Collector& col = engine_->collector();
    col.tcp_closed(f, an, win, complete, tcp_class_(in));
    if (departs) col.flow_departure(true, now);
}

void StatsTap::udp_closed(const flow::udp::UdpFlow& f, const classify::UdpL7& l7,
                          Timestamp now) {
    if (!on_) return;
    UdpSlot& slot = slot_of(udp_slots_, f.slot);
    flush(f, slot.tally, false);
    slot = UdpSlot{};   // the slot is free
    stats::Collector& col = engine_->collector();
    col.udp_closed(f, l7.c_type, l7.s_type);
    col.flow_departure(false, now);
}

void StatsTap::skype_confirmed(const classify::skype::SkypeConfirmed& ev) {
    if (!on_) return;
    stats::Collector& col = engine_->collector();
    // in_out_loc() of the direction: the server's roles are the client's swapped.
    const bool c2s = ev.dir == flow::Dir::kC2S;
    const stats::Way w = c2s ? stats::way_of(ev.internal_src, ev.internal_dst)
                             : stats::way_of(ev.internal_dst, ev.internal_src);
    if (ev.tcp)
        col.skype_tcp(w, ev.bytes);
    else
        col.skype_udp(w, c2s ? ev.cloud_src : ev.cloud_dst, ev.l7, ev.bytes);
}

void StatsTap::mm_event(const flow::udp::UdpFlow& f, flow::Dir dir,
                        classify::rtp::MmEvent ev, double value) {
    if (!on_) return;
    using classify::rtp::MmEvent;
    stats::Collector& col = engine_->collector();
    const stats::Way w = sending_way(f, dir);
    switch (ev) {
        case MmEvent::kRtpConfirmed:
        case MmEvent::kRtcpConfirmed: {
            // The external peer: the receiver of an outgoing direction, the sender of an
            // incoming one.
            const bool receiver_cloud = dir == flow::Dir::kC2S ? f.cloud_dst : f.cloud_src;
            const bool sender_cloud = dir == flow::Dir::kC2S ? f.cloud_src : f.cloud_dst;
            col.rtp_confirmed(w, w == stats::Way::kOut ? receiver_cloud : sender_cloud,
                              ev == MmEvent::kRtcpConfirmed);
            break;
        }
        case MmEvent::kOutOfSequence: col.mm_out_of_sequence(w); break;
        case MmEvent::kReordered: col.mm_reordered(w, value); break;
        case MmEvent::kBurstEnd: col.mm_burst_end(w, value); break;
        case MmEvent::kRtcpMmBitrate: col.rtcp_mm_bitrate(w, value); break;
    }
}

void StatsTap::rtcp_report(const flow::udp::UdpFlow& f, flow::Dir dir,
                           const classify::rtp::RtcpReportSample& r) {
    if (!on_) return;
    engine_->collector().rtcp_report(sending_way(f, dir), r.jitter, r.fraction_lost,
                                     r.lost_known, r.delta_lost, r.rtt);
}

}  // namespace tstat::app
