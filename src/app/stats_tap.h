// Where the packet pipeline meets the histogram engine (spec §10): the analyzer forwards the
// places Tstat calls add_histo() from — IP/TCP/UDP headers, flow opening and closing, the
// segment classes and in-flight samples — and the window engine does the rest.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "classify/protocols/rtp/mm_events.h"
#include "classify/protocols/skype/skype_engine.h"
#include "classify/tcp/tcp_classifier.h"
#include "classify/tcp_l7.h"
#include "classify/udp_l7.h"
#include "common/zeroed_array.h"
#include "common/timestamp.h"
#include "decode/decoded_packet.h"
#include "flow/flow_engine.h"
#include "stats/window_engine.h"

namespace tstat::app {

class StatsTap : public classify::rtp::MmObserver {
public:
    // `ignore_ipv6_l4`: -6 (IPv6 packets stop after their IP statistics, and close no window).
    // `max_tcp_pairs`, `max_udp_pairs`: the flow slots (the slot rings may grow past them).
    StatsTap(std::unique_ptr<stats::Engine> engine, bool ignore_ipv6_l4, uint32_t max_tcp_pairs,
             uint32_t max_udp_pairs);

    stats::Engine& engine() { return *engine_; }
    // The flow engine whose TCP slots the per-flow tallies follow (set at each begin()).
    void attach_flows(const flow::FlowEngine* flows) { flows_ = flows; }
    // Whether any histogram is collected (no -H: none, and the per-packet hooks stay idle).
    bool collecting() const { return on_; }

    // The first IP packet of a trace (each input without -c), in time folder `dir`.
    void trace_started(Timestamp first, const std::string& dir);
    // An IP packet (kOk or a non-initial fragment), before the flow engine sees it.
    void before_flows(const decode::DecodedPacket& pkt, bool fragment,
                      const flow::PacketContext& ctx);
    // The same packet after the flow engine (nullptr result: the engine did not see it).
    void after_flows(const decode::DecodedPacket& pkt, bool fragment,
                     const flow::PacketResult* result);
    // A flow tried (L4_flow_number counts the refused ones too; profile_flows), a trash
    // segment (profile_trash).
    void flow_attempted(bool tcp, bool missed, Timestamp now) {
        if (on_) engine_->collector().flow_attempt(tcp, now, missed);
    }
    void tcp_trash() {
        if (on_) engine_->collector().trash_packet();
    }

    // Flow observer points. `dpi`: the classifier, in its state after this segment.
    void tcp_packet(const flow::tcp::TcpFlow& f, flow::Dir dir, const decode::DecodedPacket& pkt,
                    const classify::tcp::TcpClassifier& dpi);
    void udp_packet(const flow::udp::UdpFlow& f, flow::Dir dir,
                    const decode::DecodedPacket& pkt);
    void flight(uint64_t v) {
        if (on_) engine_->collector().tcp_cwnd(v);
    }
    void segment_classes(flow::Dir dir, const flow::tcp::AnomalyCounts& found) {
        if (on_) engine_->collector().tcp_segment_classes(side_, dir, found);
    }
    // `departs`: Tstat's trace_done() closes the remaining TCP flows without counting them
    // out of the active-flow average. `rtmp_handshake`: from the view before the close.
    void tcp_closed(const flow::tcp::TcpFlow& f, const flow::tcp::TcpAnomalies& an,
                    bool complete, const classify::TcpL7& l7, bool rtmp_handshake, bool departs,
                    Timestamp now);
    void udp_closed(const flow::udp::UdpFlow& f, const classify::UdpL7& l7, Timestamp now);
    // The Skype engine confirmed a direction (-B, spec §9.8).
    void skype_confirmed(const classify::skype::SkypeConfirmed& ev);
    // The RTP+ engine's samples (mm_*, rtcp_*, L7_UDP_num of RTP/RTCP).
    void mm_event(const flow::udp::UdpFlow& f, flow::Dir dir, classify::rtp::MmEvent ev,
                  double value) override;
    void rtcp_report(const flow::udp::UdpFlow& f, flow::Dir dir,
                     const classify::rtp::RtcpReportSample& r) override;

    void file_boundary(Timestamp now) { engine_->file_boundary(now); }
    void end(Timestamp now) { engine_->end_of_trace(now); }

private:
    // The packets of each direction of a flow counted in bulk (Collector::tally()) since
    // the window or the flow began: one cache line a packet, where the port and address
    // histograms cost several. A count that would overflow its 32 bits is handed over first.
    struct Tally {
        uint32_t packets[2] = {0, 0};    // by flow::Dir
        uint32_t bytes[2] = {0, 0};      // IP bytes
        uint32_t first[2] = {0, 0};      // the first packet's number, from window_start_
        bool decided : 1 = false;        // at the flow's first packet:
        bool ports : 1 = false;          // the port histograms are tallied
        bool adx : 1 = false;            // the address histograms are tallied
        bool ip : 1 = false;             // the IP rates, protocol and L3 histograms
        bool listed : 1 = false;         // the slot is in the window's pending list
    };
    // What the histograms keep of an open flow, by slot (zero bytes: nothing yet).
    struct alignas(64) TcpSlot {
        Tally tally;
        uint8_t tls_service = 0;         // map_tls_service() + 1; 0 until decided
        flow::tcp::WindowTotals win;     // Tstat's win_tot
        // The TCP rates' lengths (tcp_rate_length()) of each direction summed since the
        // flow's class last changed or was handed over, and that class (rate_key(); 0: none).
        uint64_t rate_key = 0;
        int32_t rate_bytes[2] = {0, 0};
        bool idle() const {
            return tally.packets[0] == 0 && tally.packets[1] == 0 && rate_bytes[0] == 0 &&
                   rate_bytes[1] == 0;
        }
    };
    static_assert(sizeof(TcpSlot) == 64, "one cache line a flow");
    struct alignas(32) UdpSlot {
        Tally tally;
        bool idle() const { return tally.packets[0] == 0 && tally.packets[1] == 0; }
    };
    template <class Slot>
    static Slot& slot_of(ZeroedArray<Slot>& slots, uint32_t slot) {
        if (slot >= slots.size()) [[unlikely]] grow(slots, slot);
        return slots[slot];
    }
    // A growable slot ring may hand out slots past the configured pairs.
    template <class Slot>
    static void grow(ZeroedArray<Slot>& slots, uint32_t slot);
    // Counts a packet of `f` into its tally when the histograms allow it; notes what was.
    template <class Flow>
    void count(const Flow& f, Tally& t, bool tcp, flow::Dir dir, const decode::DecodedPacket& pkt);
    // make_tcpL7_rate_stats() of a packet: summed in its slot while the flow's class holds.
    // (Inlined in tcp_packet(), its one caller: a call there cost a fifth of its instructions.)
    [[gnu::always_inline]] inline void tcp_rate(const flow::tcp::TcpFlow& f, TcpSlot& slot,
                                                flow::Dir dir, uint32_t ip_len,
                                                const classify::tcp::TcpClassifier& dpi);
    // Hands the slot's summed TCP rate lengths to the collector and empties them.
    void flush_rates(const flow::tcp::TcpFlow& f, TcpSlot& slot);
    // Puts a flow's slot in the window's pending list at its first packet of the window.
    static void list(Tally& t, uint32_t slot, std::vector<uint32_t>& pending) {
        if (t.listed) return;
        t.listed = true;
        pending.push_back(slot);
    }
    // Hands a tally's packets to the collector and empties it.
    template <class Flow>
    void flush(const Flow& f, Tally& t, bool tcp);
    // Window close: every open flow's tally and rate sums.
    void flush_tallies();

    // map_tls_service() runs once, when the flow becomes TLS: its answer is kept per slot.
    // `sni()` gives the flow's server name, asked only when the service is not yet known.
    template <class SniFn>
    uint8_t tls_service(const flow::tcp::TcpFlow& f, uint32_t con_type, SniFn&& sni);

    std::unique_ptr<stats::Engine> engine_;
    bool ignore_ipv6_l4_;
    bool on_;                      // anything to collect
    stats::PacketSide side_;       // the packet being processed
    ZeroedArray<TcpSlot> tcp_slots_;
    ZeroedArray<UdpSlot> udp_slots_;
    uint64_t window_start_ = 0;          // packet number when the window began
    std::vector<uint32_t> pending_tcp_;  // slots of flows seen in the window (may repeat)
    std::vector<uint32_t> pending_udp_;
    bool ports_tallied_ = false;         // the packet being processed went to a tally
    bool adx_tallied_ = false;
    bool ip_tallied_ = false;
    const flow::FlowEngine* flows_ = nullptr;
    stats::TcpClassMemo tcp_class_;
};

}  // namespace tstat::app
