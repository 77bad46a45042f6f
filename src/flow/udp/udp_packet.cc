// Per-datagram UDP bookkeeping: Tstat's FindUTP() and udp_flow_stat() (spec §6.2).
#include "flow/flow_engine.h"

namespace tstat::flow {

using udp::UdpDirection;
using udp::UdpFlow;

uint32_t FlowEngine::find_udp(const decode::DecodedPacket& pkt, uint64_t hash, Dir& dir) const {
    const uint16_t sport = pkt.udp.src_port, dport = pkt.udp.dst_port;
    return udp_table_.find(hash, [&](uint32_t h) {
        return udp_pool_[h].key.match(pkt.src, sport, pkt.dst, dport, dir);
    });
}

PacketResult FlowEngine::process_udp(const decode::DecodedPacket& pkt, const PacketContext& ctx) {
    ++counters_.udp_packets;
    if (!pkt.transport_ok) {
        ++counters_.udp_short;
        return PacketResult::kShort;
    }
    const Timestamp now = pkt.ts;
    const uint64_t hash = flow_hash(pkt.src, pkt.udp.src_port, pkt.dst, pkt.udp.dst_port);
    Dir dir = Dir::kC2S;
    uint32_t handle = find_udp(pkt, hash, dir);
    if (handle == kNil) {
        collect_garbage(now);
        ++counters_.udp_flows;
        handle = udp_pool_.alloc();
        const uint32_t slot = udp_slots_.allocate(handle);
        if (slot == kNil) {
            udp_pool_.release(handle);
            ++counters_.udp_missed;
            observer_.flow_attempted(false, true, now);
            return PacketResult::kNoFlow;
        }
        observer_.flow_attempted(false, false, now);
        UdpFlow& nf = udp_pool_[handle];
        open_flow(nf, FlowKey{pkt.src, pkt.dst, pkt.udp.src_port, pkt.udp.dst_port}, slot, ctx);
        udp_table_.insert(hash, handle);
        dir = Dir::kC2S;
        observer_.udp_opened(nf);
    }
    ++counters_.udp_traced;

    UdpFlow& f = udp_pool_[handle];
    observer_.udp_before_update(f, dir, now);
    if (f.first_time.is_zero()) f.first_time = now;
    f.last_time = now;

    UdpDirection& self = f.dir(dir);
    if (!self.seen) {
        self.seen = true;
        self.first_pkt_time = now;
    }
    self.last_pkt_time = now;
    // int arithmetic added to an unsigned 64-bit sum, as Tstat does (a UDP length below 8
    // wraps; we keep the same number in the log).
    self.data_bytes += static_cast<uint64_t>(static_cast<int64_t>(pkt.udp.length) - 8);
    ++self.packets;
    if (self.ttl_min == 0 || self.ttl_min > pkt.ttl) self.ttl_min = pkt.ttl;
    if (self.ttl_max < pkt.ttl) self.ttl_max = pkt.ttl;

    observer_.udp_packet(f, dir, pkt);
    refresh_deadline(f);
    return PacketResult::kTraced;
}

}  // namespace tstat::flow
