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

// Anomalies found while recording one segment, by class (low 4 bits of the code; spec §8.2).
struct AnomalyCounts {
    uint32_t by_class[16] = {};
    uint32_t total = 0;
    uint32_t in_sequence = 0;    // ranges appended in sequence (tcp_anomalies_* class 0)
};

class SeqTracker {
public:
    // max_seg_per_quad: Tstat's Max_Seg_Per_Quad (0 = unlimited).
    explicit SeqTracker(uint32_t max_seg_per_quad) : max_seg_per_quad_(max_seg_per_quad) {}

    // Minimum RTTs of the two directions (µs), which the anomaly heuristic needs.
    struct RttMins {
        uint64_t self = 0;
        uint64_t peer = 0;
    };

    // Records [seq, seq+len) sent by `self`; returns the number of retransmitted sequence
    // units and sets out_order. `peer` is the other direction (its RTT and window matter).
    int rexmit(TcpDirection& self, const TcpDirection& peer, RttMins mins, uint32_t seq,
               uint64_t len, bool& out_order, uint16_t ip_id, Timestamp now,
               AnomalyCounts& found);

    // An ACK for the ranges of `sender` (sent by its peer): marks ranges acknowledged.
    // Returns the RTT sample it yields (µs), or -1 (Karn's rule, cumulative or duplicate ACK).
    int64_t ack_in(TcpDirection& sender, uint32_t ack, Timestamp now);

    // Returns every range of the direction to the pool.
    void release(TcpDirection& d);

    size_t memory_bytes() const { return pool_.memory_bytes(); }
    uint32_t live_segments() const { return pool_.live(); }

private:
    struct Context {
        TcpDirection& self;
        const TcpDirection& peer;
        RttMins mins;
        uint16_t ip_id;
        Timestamp now;
        AnomalyCounts& found;
    };

    int whichquad(SeqSpace& ss, uint32_t seq);
    void free_quad(SeqSpace& ss, int q);
    // Last range of quadrant q: remembered for the center quadrant, walked for the others.
    uint32_t tail(SeqSpace& ss, int q);
    // The two ranges before `seg` (kNil where there is none). Walks the list: only the
    // anomaly heuristic asks, on the rare retransmission and out-of-order paths.
    struct Before {
        uint32_t prev = kNil;
        uint32_t prev_prev = kNil;
    };
    Before before(const Quadrant& q, uint32_t seg) const;
    uint32_t count(const Quadrant& q) const;
    void insert_after(SeqSpace& ss, int q, uint32_t seg, uint32_t before);
    void collapse(SeqSpace& ss, int q);
    int addseg(Context& c, int qix, uint32_t first, uint64_t len, bool& out_order);
    uint32_t create_seg(uint32_t seq, uint64_t len, uint16_t ip_id, Timestamp now);
    int classify(const Context& c, Before b, uint32_t seg, uint64_t len, bool already_seen,
                 double& recovery_time);
    void rules_test(Context& c, const Quadrant& q, uint32_t seg, uint64_t len, bool already_seen,
                    double recovery_time);

    SegmentPool pool_;
    uint32_t max_seg_per_quad_;
};

// Adds what rexmit() found to a direction's counters (switch of rules_test(), spec §8.2).
void add_anomalies(DirectionAnomalies& d, const AnomalyCounts& found);

// Tstat's Average() and Stdev() (tstat.c), quirks included: the average divides by
// count + 0.0001 and the deviation is 0 for fewer than three samples.
inline double tstat_average(double sum, uint32_t count) {
    return sum / (static_cast<double>(count) + .0001);
}
double tstat_stdev(double sum, double sum2, uint32_t n);

}  // namespace tstat::flow::tcp
