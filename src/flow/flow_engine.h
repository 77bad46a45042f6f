// The worker's flow state: TCP and UDP tables, Tstat's slot arrays and its incremental
// garbage collector (spec §6). Share-nothing: one engine per worker, no globals.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/timestamp.h"
#include "decode/decoded_packet.h"
#include "flow/flow_config.h"
#include "flow/flow_observer.h"
#include "flow/flow_table.h"
#include "flow/pool.h"
#include "flow/slot_ring.h"
#include "flow/tcp/seq_tracker.h"
#include "flow/tcp/tcp_flow.h"
#include "flow/udp/udp_flow.h"

namespace tstat::flow {

struct FlowCounters {
    uint64_t tcp_packets = 0;        // TCP packets seen (Tstat's tcp_packet_count)
    uint64_t tcp_short = 0;          // TCP header not captured
    uint64_t tcp_trash = 0;          // no flow and not a pure SYN (not_id_p)
    uint64_t tcp_traced = 0;         // TCP packets that updated a flow
    uint64_t udp_packets = 0;
    uint64_t udp_short = 0;
    uint64_t udp_traced = 0;
    uint64_t tcp_flows = 0;          // flows created (f_TCP_count)
    uint64_t udp_flows = 0;
    uint64_t tcp_missed = 0;         // refused because the table was full
    uint64_t udp_missed = 0;
    uint64_t gc_runs = 0;
    uint64_t peak_open = 0;          // most TCP + UDP flows open at once
};

enum class PacketResult : uint8_t { kTraced, kNoFlow, kShort, kIgnored };

class FlowEngine {
public:
    FlowEngine(const FlowConfig& cfg, FlowObserver& observer);
    FlowEngine(const FlowEngine&) = delete;
    FlowEngine& operator=(const FlowEngine&) = delete;

    // Tstat starts its GC clock at the first IP packet of the trace (last_cleaned).
    void start(Timestamp first_packet);

    PacketResult process(const decode::DecodedPacket& pkt, const PacketContext& ctx);

    // End of input: flows past a timeout close as the GC would, the rest as incomplete
    // (spec §6.1 point 5). `now` is the last packet's time.
    void finish(Timestamp now);

    uint32_t open_tcp() const { return tcp_pool_.live(); }
    uint32_t open_udp() const { return udp_pool_.live(); }
    const FlowCounters& counters() const { return counters_; }
    size_t memory_bytes() const;
    std::string memory_breakdown() const;

    tcp::TcpFlow& tcp_flow(uint32_t h) { return tcp_pool_[h]; }
    // The open flow in TCP (UDP) slot `slot`, or nullptr.
    const tcp::TcpFlow* tcp_flow_in_slot(uint32_t slot) const {
        if (slot >= tcp_slots_.size()) return nullptr;
        const uint32_t h = tcp_slots_.at(slot);
        return h == kNil ? nullptr : &tcp_pool_[h];
    }
    const udp::UdpFlow* udp_flow_in_slot(uint32_t slot) const {
        if (slot >= udp_slots_.size()) return nullptr;
        const uint32_t h = udp_slots_.at(slot);
        return h == kNil ? nullptr : &udp_pool_[h];
    }
    // The anomaly counters of a flow (zeros if it never had one).
    const tcp::TcpAnomalies& anomalies(const tcp::TcpFlow& f) const;
    // The effective window of the TCP packet being processed, if it counts in Tstat's win_tot
    // (a SYN or ACK, not a RST): only the histograms sum it, so they keep the sums.
    bool window_sample(uint64_t& v) const {
        v = window_sample_;
        return has_window_sample_;
    }
    udp::UdpFlow& udp_flow(uint32_t h) { return udp_pool_[h]; }

private:
    PacketResult process_tcp(const decode::DecodedPacket& pkt, const PacketContext& ctx);
    PacketResult process_udp(const decode::DecodedPacket& pkt, const PacketContext& ctx);
    uint32_t find_tcp(const decode::DecodedPacket& pkt, uint64_t hash, Dir& dir) const;
    uint32_t find_udp(const decode::DecodedPacket& pkt, uint64_t hash, Dir& dir) const;

    void collect_garbage(Timestamp now);
    void gc_pass(Timestamp now, bool tcp_sweep_all, bool udp_sweep_all);
    static bool tcp_singleton(const tcp::TcpFlow& f);
    int64_t timeout_us(const tcp::TcpFlow& f) const;
    int64_t timeout_us(const udp::UdpFlow& f) const;
    void refresh_deadline(const tcp::TcpFlow& f);
    void refresh_deadline(const udp::UdpFlow& f);
    // Timed out at `now` (trace_done_periodic()'s test): more than its timeout since its last
    // packet; a packet from the past never makes it so.
    template <class Flow>
    bool expired(const Flow& f, Timestamp now) const {
        return elapsed_us(f.last_time, now) > timeout_us(f);
    }
    void close_tcp(uint32_t handle, bool complete);
    tcp::DirectionAnomalies& anomalies_of(tcp::TcpFlow& f, Dir d);
    void record_rtt(tcp::TcpFlow& f, Dir d, int64_t sample);
    void store_offset(tcp::TcpFlow& f, Dir d, uint32_t tcp::TcpDirection::*narrow,
                      uint64_t tcp::DirectionAnomalies::*wide, Timestamp now);
    void close_udp(uint32_t handle);
    // What a new flow takes from its first packet (key, slot, the sides' nets and crypto
    // flags, spec §4), and the open-flow peak it may set.
    template <class Flow>
    void open_flow(Flow& f, const FlowKey& key, uint32_t slot, const PacketContext& ctx);

    FlowConfig cfg_;
    FlowObserver& observer_;

    Pool<tcp::TcpFlow, 10> tcp_pool_;
    Pool<tcp::TcpAnomalies, 10> anomaly_pool_;
    Pool<udp::UdpFlow, 12> udp_pool_;
    FlowTable tcp_table_;
    FlowTable udp_table_;
    SlotRing tcp_slots_;
    SlotRing udp_slots_;
    tcp::SeqTracker seq_;
    uint64_t window_sample_ = 0;
    bool has_window_sample_ = false;

    Timestamp last_cleaned_;
    uint32_t tcp_gc_index_ = 0;
    uint32_t udp_gc_index_ = 0;
    FlowCounters counters_;
};

}  // namespace tstat::flow
