// Retransmission, out-of-sequence and RTT bookkeeping of one TCP direction, as Tstat's
// rexmit.c does it (spec §8.2, §8.3): the same ranges, the same anomaly heuristics of
// Mellia/Meo/Muscariello, the same Karn-style RTT samples.
#pragma once

#include <cstdint>

#include "common/timestamp.h"
#include "flow/tcp/segment.h"
#include "flow/tcp/tcp_flow.h"

namespace tstat::flow::tcp {

// Anomaly codes of a segment (tstat.h): low 4 bits select the log counter.
namespace anomaly {
inline constexpr int kInSequence = 0;
inline constexpr int kRetransmissionRto = 1;
inline constexpr int kRetransmissionFr = 2;
inline constexpr int kReordering = 3;
inline constexpr int kNetworkDuplicate = 4;
inline constexpr int kFlowControl = 5;
inline constexpr int kUnnecessaryRto = 6;
inline constexpr int kUnnecessaryFr = 7;
inline constexpr int kDupRcBelowRtt = 8;
inline constexpr int kDupRcBetweenRttRto = 9;
inline constexpr int kOooRcBelowRtt = 10;
inline constexpr int kOooRcBetweenRttRto = 11;
inline constexpr int kUnnecessaryRcBelowRtt = 12;
inline constexpr int kUnnecessaryRcBetweenRttRto = 13;
inline constexpr int kUnknown = 63;
inline constexpr int kBatch = 16;
inline constexpr int kNoRttSample = 32;
}  // namespace anomaly

class SeqTracker {
public:
    // max_seg_per_quad: Tstat's Max_Seg_Per_Quad (0 = unlimited).
    explicit SeqTracker(uint32_t max_seg_per_quad) : max_seg_per_quad_(max_seg_per_quad) {}

    // Records [seq, seq+len) sent by `self`; returns the number of retransmitted sequence
    // units and sets out_order. `peer` is the other direction (its RTT and window matter).
    int rexmit(TcpDirection& self, const TcpDirection& peer, uint32_t seq, uint64_t len,
               bool& out_order, uint16_t ip_id, Timestamp now);

    // An ACK for the ranges of `sender` (sent by its peer): marks ranges acknowledged and
    // takes RTT samples into sender's RTT statistics.
    void ack_in(TcpDirection& sender, uint32_t ack, uint32_t tcp_data_length, Timestamp now);

    // Returns every range of the direction to the pool.
    void release(TcpDirection& d);

    size_t memory_bytes() const { return pool_.memory_bytes(); }
    uint32_t live_segments() const { return pool_.live(); }

private:
    int whichquad(SeqSpace& ss, uint32_t seq);
    void free_quad(SeqSpace& ss, int q);
    void insert_between(Quadrant& q, uint32_t seg, uint32_t before, uint32_t after);
    void collapse(Quadrant& q);
    int addseg(TcpDirection& self, const TcpDirection& peer, int qix, uint32_t first,
               uint64_t len, bool& out_order, uint16_t ip_id, Timestamp now);
    uint32_t create_seg(uint32_t seq, uint64_t len, uint16_t ip_id, Timestamp now);
    int classify(TcpDirection& self, const TcpDirection& peer, uint32_t seg, uint64_t len,
                 uint16_t ip_id, bool already_seen, double& recovery_time, Timestamp now);
    void rules_test(TcpDirection& self, const TcpDirection& peer, uint32_t seg, uint64_t len,
                    uint16_t ip_id, bool already_seen, double recovery_time, Timestamp now);
    void rtt_ackin(TcpDirection& d, Segment& s, bool intervening_xmits, Timestamp now);

    SegmentPool pool_;
    uint32_t max_seg_per_quad_;
};

// Tstat's Average() and Stdev() (tstat.c), quirks included: the average divides by
// count + 0.0001 and the deviation is 0 for fewer than three samples.
inline double tstat_average(double sum, uint32_t count) {
    return sum / (static_cast<double>(count) + .0001);
}
double tstat_stdev(double sum, double sum2, uint32_t n);

}  // namespace tstat::flow::tcp
