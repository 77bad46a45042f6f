// Per-segment TCP bookkeeping: Tstat's FindTTP() and tcp_flow_stat() (spec §6.1, §8), step by
// step and in the same order, because the order decides the numbers.
#include "flow/flow_engine.h"
#include "flow/tcp/tcp_options.h"

namespace tstat::flow {

using tcp::TcpDirection;
using tcp::TcpFlow;

uint32_t FlowEngine::find_tcp(const decode::DecodedPacket& pkt, uint64_t hash, Dir& dir) const {
    const uint16_t sport = pkt.tcp.src_port, dport = pkt.tcp.dst_port;
    return tcp_table_.find(hash, [&](uint32_t h) {
        return tcp_pool_[h].key.match(pkt.src, sport, pkt.dst, dport, dir);
    });
}

// rtt_ackin(): lifetime min/max/sum of the samples (µs). Values of 71 minutes or more do
// not fit the 32-bit fields and go to the flow's rare-counter record.
void FlowEngine::record_rtt(TcpFlow& f, Dir d, int64_t sample) {
    TcpDirection& t = f.dir(d);
    const auto e = static_cast<uint64_t>(sample);
    const bool wide_min = t.rtt_min == tcp::kWide, wide_max = t.rtt_max == tcp::kWide;
    const uint64_t cur_min = wide_min ? anomalies_of(f, d).rtt_min_wide : t.rtt_min;
    const uint64_t cur_max = wide_max ? anomalies_of(f, d).rtt_max_wide : t.rtt_max;
    if (cur_min == 0 || cur_min > e) {
        if (e < tcp::kWide) {
            t.rtt_min = static_cast<uint32_t>(e);
        } else {
            t.rtt_min = tcp::kWide;
            anomalies_of(f, d).rtt_min_wide = e;
        }
    }
    if (cur_max < e) {
        if (e < tcp::kWide) {
            t.rtt_max = static_cast<uint32_t>(e);
        } else {
            t.rtt_max = tcp::kWide;
            anomalies_of(f, d).rtt_max_wide = e;
        }
    }
    const double v = static_cast<double>(e);
    t.rtt_sum += v;
    t.rtt_sum2 += v * v;
    ++t.rtt_count;
}

// Elapsed time from the flow's first packet, as Tstat's elapsed() computes it (0 when the
// clock went backwards).
void FlowEngine::store_offset(TcpFlow& f, Dir d, uint32_t TcpDirection::*narrow,
                              uint64_t tcp::DirectionAnomalies::*wide, Timestamp now) {
    const auto off = static_cast<uint64_t>(elapsed_us(f.first_time, now));
    if (off < tcp::kWide) {
        f.dir(d).*narrow = static_cast<uint32_t>(off);
    } else {
        f.dir(d).*narrow = tcp::kWide;
        anomalies_of(f, d).*wide = off;
    }
}

PacketResult FlowEngine::process_tcp(const decode::DecodedPacket& pkt, const PacketContext& ctx) {
    ++counters_.tcp_packets;
    has_window_sample_ = false;
    if (!pkt.transport_ok) {
        ++counters_.tcp_short;
        return PacketResult::kShort;
    }
    const decode::TcpHeader& th = pkt.tcp;
    const Timestamp now = pkt.ts;
    const uint64_t hash = flow_hash(pkt.src, th.src_port, pkt.dst, th.dst_port);

    Dir dir = Dir::kC2S;
    uint32_t handle = find_tcp(pkt, hash, dir);
    if (handle == kNil) {
        if (!(th.syn() && !th.ack_set())) {  // only a pure SYN opens a flow
            ++counters_.tcp_trash;
            observer_.tcp_trash();
            return PacketResult::kNoFlow;
        }
        collect_garbage(now);
        ++counters_.tcp_flows;
        handle = tcp_pool_.alloc();
        const uint32_t slot = tcp_slots_.allocate(handle);
        if (slot == kNil) {
            tcp_pool_.release(handle);
            ++counters_.tcp_missed;
            ++counters_.tcp_trash;
            observer_.flow_attempted(true, true, now);
            observer_.tcp_trash();
            return PacketResult::kNoFlow;
        }
        observer_.flow_attempted(true, false, now);
        TcpFlow& nf = tcp_pool_[handle];
        open_flow(nf, FlowKey{pkt.src, pkt.dst, th.src_port, th.dst_port}, slot, ctx);
        nf.id = static_cast<uint32_t>(counters_.tcp_flows);
        tcp_table_.insert(hash, handle);
        dir = Dir::kC2S;
        observer_.tcp_opened(nf);
    }
    ++counters_.tcp_traced;

    TcpFlow& f = tcp_pool_[handle];
    observer_.tcp_before_update(f, dir, now);
    if (f.first_time.is_zero()) f.first_time = now;
    f.last_time = now;

    TcpDirection& self = f.dir(dir);
    TcpDirection& peer = f.dir(dir == Dir::kC2S ? Dir::kS2C : Dir::kC2S);

    // Tstat's int arithmetic: the IP lengths may make this negative on garbage.
    const int32_t data_len = pkt.payload_len;
    const bool syn = th.syn(), fin = th.fin(), rst = th.rst(), ack = th.ack_set();

    if (syn) ++self.syn_count;
    if (rst) ++self.reset_count;
    if (fin) {
        ++self.fin_count;
        self.fin_seqno = th.seq + static_cast<uint32_t>(data_len);
    }

    // Client data while the server never sent a SYN: a half-duplex flow, closed now.
    if (dir == Dir::kC2S && !syn && peer.syn_count == 0 && data_len != 0) {
        f.ignore_dpi = true;
        close_tcp(handle, f.s2c.syn_count > 0 && f.c2s.syn_count > 0);
        return PacketResult::kTraced;
    }

    if (ack && peer.fin_count >= 1 && th.ack >= peer.fin_seqno + 1) peer.closed = true;

    if (ack && peer.cwnd_flag) {  // tcp_cwnd histogram sample point
        observer_.tcp_flight_sample(f, dir, uint64_t{peer.seq} - uint64_t{self.ack});
        peer.cwnd_flag = false;
    }

    uint64_t eff_win = 0;
    if (ack || syn) {
        eff_win = th.window;
        if (self.f1323_ws && peer.f1323_ws) eff_win <<= (self.window_scale & 63);
    }

    if (data_len != 0 || syn || fin || rst) self.cwnd_flag = true;

    const uint32_t start = th.seq;
    // u_long in Tstat: may exceed 2^32 near the wrap, which matters for max_seq below.
    const uint64_t end = uint64_t{start} + static_cast<uint64_t>(static_cast<int64_t>(data_len));

    if (syn) {
        if (self.syn_count > 1 && self.syn != start) self.bad_behavior = true;
        self.syn = start;
        peer.ack = start;
    }
    if (fin) {
        const uint64_t fin_end = end;
        if (self.fin_count > 1 && uint64_t{self.fin} != fin_end) self.bad_behavior = true;
        self.fin = static_cast<uint32_t>(fin_end);
    }

    const tcp::TcpOptions opt = tcp::parse_tcp_options(th);
    if (opt.has_mss) self.mss = opt.mss;
    if (opt.has_ws) {
        self.window_scale = opt.ws;
        self.f1323_ws = true;
    }
    if (opt.has_ts) self.f1323_ts = true;
    // Scaling holds only if both sides asked for it in their SYNs.
    if (!syn && (!self.f1323_ws || !peer.f1323_ws)) self.window_scale = peer.window_scale = 0;
    if (opt.sack_permitted) self.fsack_req = true;
    if (opt.sack_blocks > 0) ++anomalies_of(f, dir).sacks_sent;
    if (opt.mptcp) self.mptcp_req = true;

    if (data_len > 0) {
        const auto len = static_cast<uint16_t>(data_len);  // < 64 KiB: from a 16-bit length
        ++self.data_pkts;
        self.data_bytes += len;
        if (len > self.max_seg_size) self.max_seg_size = len;
        if (self.min_seg_size == 0 || len < self.min_seg_size) self.min_seg_size = len;
    }

    if (self.ttl_min == 0 || self.ttl_min > pkt.ttl) self.ttl_min = pkt.ttl;
    if (self.ttl_max < pkt.ttl) self.ttl_max = pkt.ttl;

    ++self.packets;
    if (end > self.max_seq) self.max_seq = static_cast<uint32_t>(end);

    bool out_order = false;
    int retrans_num_bytes = 0;
    int retrans_actual_bytes = 0;
    tcp::AnomalyCounts found;
    if (syn || fin || data_len > 0) {
        int len = data_len + (syn ? 1 : 0) + (fin ? 1 : 0);
        const tcp::TcpAnomalies& an = anomalies(f);
        const tcp::SeqTracker::RttMins mins{
            tcp::rtt_min_of(self.rtt_min, dir == Dir::kC2S ? an.c2s : an.s2c),
            tcp::rtt_min_of(peer.rtt_min, dir == Dir::kC2S ? an.s2c : an.c2s)};
        retrans_num_bytes = seq_.rexmit(self, peer, mins, start,
                                        static_cast<uint64_t>(static_cast<int64_t>(len)),
                                        out_order, pkt.ip_id, now, found);
        retrans_actual_bytes = retrans_num_bytes;
        // The SYN and FIN units are not data; nor are their retransmissions.
        if (syn) {
            --len;
            if (self.syn_count > 1 && retrans_actual_bytes > 0) --retrans_actual_bytes;
        }
        if (fin) {
            --len;
            if (self.fin_count > 1 && retrans_actual_bytes > 0) --retrans_actual_bytes;
        }
        if (retrans_actual_bytes < len)
            self.unique_bytes += static_cast<uint64_t>(len - retrans_actual_bytes);
        observer_.tcp_segment_classes(f, dir, found);
    }
    if (ack) {
        const int64_t sample = seq_.ack_in(peer, th.ack, now);
        if (sample >= 0) record_rtt(f, dir == Dir::kC2S ? Dir::kS2C : Dir::kC2S, sample);
    }

    bool is_retrans = false;
    if (out_order || retrans_num_bytes > 0 || found.total > 0) {
        tcp::DirectionAnomalies& an = anomalies_of(f, dir);
        if (out_order) ++an.out_order_pkts;
        tcp::add_anomalies(an, found);
        if (retrans_num_bytes > 0) {
            ++an.rexmit_pkts;
            an.rexmit_bytes += static_cast<uint32_t>(retrans_actual_bytes);
        }
    }
    if (retrans_num_bytes > 0) {
        is_retrans = true;
    } else {
        self.seq = static_cast<uint32_t>(end);
    }

    if (rst) {
        if (ack) ++self.ack_pkts;
        observer_.tcp_packet(f, dir, pkt);
        close_tcp(handle, f.s2c.syn_count > 0 && f.c2s.syn_count > 0);
        return PacketResult::kTraced;
    }

    if (ack || syn) {
        self.win_curr = static_cast<uint32_t>(eff_win);
        if (eff_win > self.win_max) self.win_max = static_cast<uint32_t>(eff_win);
        if (eff_win > 0 && (self.win_min == 0 || eff_win < self.win_min))
            self.win_min = static_cast<uint32_t>(eff_win);
        window_sample_ = eff_win;
        has_window_sample_ = true;
    }

    if (ack) {
        if (eff_win == 0) ++anomalies_of(f, dir).win_zero_ct;
        ++self.ack_pkts;
        if (data_len == 0 && !syn && !fin) ++self.pureack_pkts;
        self.ack = th.ack;
    }

    // Initial window: data sent before the peer ACKed anything beyond our SYN.
    if (!peer.data_acked && ack && peer.syn + 1 != th.ack) peer.data_acked = true;
    if (data_len > 0 && !self.data_acked && !is_retrans)
        self.initialwin_bytes += static_cast<uint32_t>(data_len);

    if (ack && !syn && !self.has_ack_start) {
        self.has_ack_start = true;
        store_offset(f, dir, &TcpDirection::ack_start_us, &tcp::DirectionAnomalies::ack_start_wide,
                     now);
    }
    if (data_len != 0) {
        if (!self.has_payload) {
            self.has_payload = true;
            store_offset(f, dir, &TcpDirection::payload_start_us,
                         &tcp::DirectionAnomalies::payload_start_wide, now);
        }
        store_offset(f, dir, &TcpDirection::payload_end_us,
                     &tcp::DirectionAnomalies::payload_end_wide, now);
    }

    // In-flight size (spec §8.4).
    if (!syn && !out_order && !is_retrans) {
        const uint32_t cwin = static_cast<uint32_t>(end - peer.ack);
        if (static_cast<int32_t>(cwin) > 0) {
            if (cwin > self.cwin_max) self.cwin_max = cwin;
            if (self.cwin_min == 0 || cwin < self.cwin_min) self.cwin_min = cwin;
            observer_.tcp_cwin(f, dir, cwin);
        }
    }

    // PSH-delimited messages (spec §8.5).
    if (ack && (th.psh() || fin) && self.msg_last_seq < self.seq) {
        const uint32_t size = self.msg_last_seq == 0 ? self.seq - self.syn - 1
                                                     : self.seq - self.msg_last_seq;
        if (size > 0) ++self.msg_count;
        self.msg_last_seq = self.seq;
    }

    observer_.tcp_packet(f, dir, pkt);

    if (f.c2s.closed && f.s2c.closed)
        close_tcp(handle, true);
    else
        refresh_deadline(f);
    return PacketResult::kTraced;
}

}  // namespace tstat::flow
