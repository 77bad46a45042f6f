#include "flow/flow_engine.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace tstat::flow {

FlowEngine::FlowEngine(const FlowConfig& cfg, FlowObserver& observer)
    : cfg_(cfg),
      observer_(observer),
      tcp_slots_(cfg.max_tcp_pairs, cfg.gc_split_ratio, 0, cfg.list_search_dept,
                 cfg.growable_tables),
      udp_slots_(cfg.max_udp_pairs, cfg.gc_split_ratio, -1, cfg.list_search_dept,
                 cfg.growable_tables),
      seq_(cfg.max_seg_per_quad) {}

void FlowEngine::start(Timestamp first_packet) { last_cleaned_ = first_packet; }

std::string FlowEngine::memory_breakdown() const {
    char buf[512];
    std::snprintf(buf, sizeof buf,
                  "tcp flows %zu (cap %u), anomalies %zu, segments %zu (live %u), udp flows %zu, "
                  "tcp table %zu, udp table %zu, tcp slots %zu, udp slots %zu",
                  tcp_pool_.memory_bytes(), tcp_pool_.capacity(), anomaly_pool_.memory_bytes(),
                  seq_.memory_bytes(), seq_.live_segments(), udp_pool_.memory_bytes(),
                  tcp_table_.memory_bytes(), udp_table_.memory_bytes(),
                  tcp_slots_.memory_bytes(), udp_slots_.memory_bytes());
    return buf;
}

size_t FlowEngine::memory_bytes() const {
    return tcp_pool_.memory_bytes() + anomaly_pool_.memory_bytes() + udp_pool_.memory_bytes() +
           tcp_table_.memory_bytes() +
           udp_table_.memory_bytes() + tcp_slots_.memory_bytes() + udp_slots_.memory_bytes() +
           seq_.memory_bytes();
}

PacketResult FlowEngine::process(const decode::DecodedPacket& pkt, const PacketContext& ctx) {
    if (pkt.ip_version == 6 && cfg_.ignore_ipv6_l4) return PacketResult::kIgnored;
    if (pkt.protocol == decode::ip_proto::kTcp) return process_tcp(pkt, ctx);
    if (pkt.protocol == decode::ip_proto::kUdp && cfg_.do_udp) return process_udp(pkt, ctx);
    return PacketResult::kIgnored;
}

// Timeouts as trace_done_periodic() tests them (WIPE_*_SINGLETONS builds): a flow of one-way
// SYNs only times out after TCP_Singleton_Time, any flow after TCP_Idle_Time. Whether the
// singleton rule applies changes only with a packet, so each packet stores the instant after
// which the flow is expired: expired(now) == (now > deadline).
bool FlowEngine::tcp_singleton(const tcp::TcpFlow& f) {
    const bool one_sided_syns = (f.c2s.syn_count > 0 && f.s2c.syn_count == 0) ||
                                (f.c2s.syn_count == 0 && f.s2c.syn_count > 0);
    return one_sided_syns && f.packets() == uint32_t{f.c2s.syn_count} + f.s2c.syn_count;
}

int64_t FlowEngine::timeout_us(const tcp::TcpFlow& f) const {
    return tcp_singleton(f) ? std::min(cfg_.tcp_singleton_us, cfg_.tcp_idle_us)
                            : cfg_.tcp_idle_us;
}

int64_t FlowEngine::timeout_us(const udp::UdpFlow& f) const {
    return f.packets() == 1 ? std::min(cfg_.udp_singleton_us, cfg_.udp_idle_us)
                            : cfg_.udp_idle_us;
}

void FlowEngine::refresh_deadline(const tcp::TcpFlow& f) {
    tcp_slots_.set_deadline(f.slot, f.last_time.us + timeout_us(f));
}

void FlowEngine::refresh_deadline(const udp::UdpFlow& f) {
    udp_slots_.set_deadline(f.slot, f.last_time.us + timeout_us(f));
}

tcp::DirectionAnomalies& FlowEngine::anomalies_of(tcp::TcpFlow& f, Dir d) {
    if (f.anomalies == kNil) f.anomalies = anomaly_pool_.alloc();
    tcp::TcpAnomalies& a = anomaly_pool_[f.anomalies];
    return d == Dir::kC2S ? a.c2s : a.s2c;
}

const tcp::TcpAnomalies& FlowEngine::anomalies(const tcp::TcpFlow& f) const {
    static const tcp::TcpAnomalies kNone{};
    return f.anomalies == kNil ? kNone : anomaly_pool_[f.anomalies];
}

void FlowEngine::close_tcp(uint32_t handle, bool complete) {
    tcp::TcpFlow& f = tcp_pool_[handle];
    observer_.tcp_closed(f, complete);
    tcp_table_.erase(flow_hash(f.key.a, f.key.a_port, f.key.b, f.key.b_port), handle);
    if (f.anomalies != kNil) anomaly_pool_.release(f.anomalies);
    if (f.slot != kNil) tcp_slots_.release(f.slot);
    seq_.release(f.c2s);
    seq_.release(f.s2c);
    tcp_pool_.release(handle);
}

void FlowEngine::close_udp(uint32_t handle) {
    udp::UdpFlow& f = udp_pool_[handle];
    observer_.udp_closed(f);
    udp_table_.erase(flow_hash(f.key.a, f.key.a_port, f.key.b, f.key.b_port), handle);
    if (f.slot != kNil) udp_slots_.release(f.slot);
    udp_pool_.release(handle);
}

// One trace_done_periodic() call: slots index, index+ratio, ... of both tables; or every slot
// when the caller knows that enough passes happen to cover the whole table.
void FlowEngine::gc_pass(Timestamp now, bool tcp_sweep_all, bool udp_sweep_all) {
    const uint32_t slices = cfg_.gc_split_ratio;
    // (The slot rings keep deadlines to the second: the flow itself says whether it expired.)
    auto close_tcp_slot = [&](uint32_t, uint32_t h) {
        const tcp::TcpFlow& f = tcp_pool_[h];
        if (expired(f, now)) close_tcp(h, f.s2c.syn_count > 0 && f.c2s.syn_count > 0);
    };
    if (tcp_sweep_all) {
        for (uint32_t s = 0; s < slices; ++s) tcp_slots_.due_in_slice(s, now.us, close_tcp_slot);
    } else {
        tcp_slots_.due_in_slice(tcp_gc_index_, now.us, close_tcp_slot);
    }
    if (!cfg_.do_udp) return;
    auto close_udp_slot = [&](uint32_t, uint32_t h) {
        if (expired(udp_pool_[h], now)) close_udp(h);
    };
    if (udp_sweep_all) {
        for (uint32_t s = 0; s < slices; ++s) udp_slots_.due_in_slice(s, now.us, close_udp_slot);
    } else {
        udp_slots_.due_in_slice(udp_gc_index_, now.us, close_udp_slot);
    }
}

// Tstat fires the GC only when a new flow arrives, and then runs one incremental pass per
// GC_Fire_Time elapsed since the previous run (spec §6.1). A year-long gap means billions of
// passes in Tstat; here any count >= GC_Split_Ratio is one full sweep, with the slice indices
// advanced exactly as the passes would have left them.
void FlowEngine::collect_garbage(Timestamp now) {
    const double fire =
        static_cast<double>(cfg_.gc_cycle_us) / static_cast<double>(cfg_.gc_split_ratio);
    const double elapsed = static_cast<double>(elapsed_us(last_cleaned_, now));
    if (!(elapsed > fire)) return;
    const double passes_d = std::ceil(elapsed / fire);
    const uint32_t ratio = cfg_.gc_split_ratio;
    ++counters_.gc_runs;
    if (passes_d >= ratio) {
        gc_pass(now, true, true);
        const auto advance = static_cast<uint64_t>(std::fmod(passes_d, static_cast<double>(ratio)));
        tcp_gc_index_ = static_cast<uint32_t>((tcp_gc_index_ + advance) % ratio);
        if (cfg_.do_udp) udp_gc_index_ = static_cast<uint32_t>((udp_gc_index_ + advance) % ratio);
    } else {
        const auto passes = static_cast<uint32_t>(passes_d);
        for (uint32_t i = 0; i < passes; ++i) {
            gc_pass(now, false, false);
            tcp_gc_index_ = (tcp_gc_index_ + 1) % ratio;
            if (cfg_.do_udp) udp_gc_index_ = (udp_gc_index_ + 1) % ratio;
        }
    }
    last_cleaned_ = now;
}

void FlowEngine::finish(Timestamp now) {
    // trace_done(): expired flows first, as the GC would close them...
    for (uint32_t ix = 0; ix < tcp_slots_.size(); ++ix) {
        const uint32_t h = tcp_slots_.at(ix);
        if (h == kNil) continue;
        const tcp::TcpFlow& f = tcp_pool_[h];
        if (expired(f, now)) close_tcp(h, f.s2c.syn_count > 0 && f.c2s.syn_count > 0);
    }
    // ...then every flow still open is incomplete.
    for (uint32_t ix = 0; ix < tcp_slots_.size(); ++ix) {
        const uint32_t h = tcp_slots_.at(ix);
        if (h != kNil) close_tcp(h, false);
    }
    for (uint32_t ix = 0; ix < udp_slots_.size(); ++ix) {
        const uint32_t h = udp_slots_.at(ix);
        if (h != kNil) close_udp(h);
    }
}

template <class Flow>
void FlowEngine::open_flow(Flow& f, const FlowKey& key, uint32_t slot, const PacketContext& ctx) {
    f.key = key;
    f.slot = slot;
    f.internal_src = ctx.internal_src;
    f.internal_dst = ctx.internal_dst;
    f.cloud_src = ctx.cloud_src;
    f.cloud_dst = ctx.cloud_dst;
    f.crypto_src = ctx.crypto_src;
    f.crypto_dst = ctx.crypto_dst;
    const uint64_t open = tcp_pool_.live() + udp_pool_.live();
    if (open > counters_.peak_open) counters_.peak_open = open;
}

template void FlowEngine::open_flow(tcp::TcpFlow&, const FlowKey&, uint32_t, const PacketContext&);
template void FlowEngine::open_flow(udp::UdpFlow&, const FlowKey&, uint32_t, const PacketContext&);

}  // namespace tstat::flow
