#include "flow/tcp/seq_tracker.h"

#include <cmath>

namespace tstat::flow::tcp {

namespace {
constexpr double kRtoMin = 100000;        // µs (tstat.h RTO_MIN)
constexpr double kRttMin = 1000;          // RTT_MIN
constexpr double kInitialRto = 500000;    // INITIAL_RTO
constexpr double kInitialRttMin = 5000;   // INITIAL_RTT_MIN

int quadnum(uint32_t seq) { return static_cast<int>(seq >> 30); }  // 0..3 (Tstat: 1..4)
uint32_t first_seq(int q) { return static_cast<uint32_t>(q) << 30; }
// tcptrace's LAST_SEQ is (QUADSIZE-1)*quadnum, not QUADSIZE*quadnum-1: a segment crossing
// into the next quadrant is split 1-3 bytes early, so those bytes later count as
// retransmitted. Tstat kept that arithmetic; so do we (u32, as the C code wraps).
uint32_t last_seq(int q) { return ((1u << 30) - 1) * static_cast<uint32_t>(q + 1); }
double us(Timestamp t) { return t.as_double_us(); }
}  // namespace

double tstat_stdev(double sum, double sum2, uint32_t n) {
    if (n <= 2) return 0.0;
    double term = sum2 - (sum * sum) / static_cast<double>(n);
    term /= static_cast<double>(n - 1);
    return std::sqrt(term);
}

uint32_t SeqTracker::count(const Quadrant& q) const {
    if (q.count < 0xff) return q.count;
    uint32_t n = 0;
    for (uint32_t p = q.head; p != kNil; p = pool_[p].next) ++n;
    return n;
}

void SeqTracker::free_quad(SeqSpace& ss, int q) {
    for (uint32_t s = ss.quad[q].head; s != kNil;) {
        const uint32_t next = pool_[s].next;
        pool_.release(s);
        s = next;
    }
    ss.quad[q] = Quadrant{};
    ss.exists &= static_cast<uint8_t>(~(1u << q));
    if (q == ss.center) ss.center_tail = kNil;
}

void SeqTracker::release(TcpDirection& d) {
    for (int q = 0; q < 4; ++q)
        if (d.ss.has(q)) free_quad(d.ss, q);
    d.ss.center = -1;
    d.ss.center_tail = kNil;
}

uint32_t SeqTracker::tail(SeqSpace& ss, int q) {
    const uint32_t head = ss.quad[q].head;
    if (head == kNil) return kNil;
    if (q == ss.center && ss.center_tail != kNil) return ss.center_tail;
    uint32_t p = head;
    while (pool_[p].next != kNil) p = pool_[p].next;
    if (q == ss.center) ss.center_tail = p;
    return p;
}

SeqTracker::Before SeqTracker::before(const Quadrant& q, uint32_t seg) const {
    Before b;
    for (uint32_t p = q.head; p != kNil && p != seg; p = pool_[p].next) {
        b.prev_prev = b.prev;
        b.prev = p;
    }
    return b;
}

// tcptrace's whichquad(): only the quadrant last asked for has both neighbours linked; asking
// for any other one creates its neighbours and frees the opposite quadrant with its ranges.
int SeqTracker::whichquad(SeqSpace& ss, uint32_t seq) {
    const int q = quadnum(seq);
    if (ss.center == q) return q;
    const int next = (q + 1) % 4, opposite = (q + 2) % 4, prev = (q + 3) % 4;
    ss.exists |= static_cast<uint8_t>((1u << q) | (1u << next) | (1u << prev));
    if (ss.has(opposite)) free_quad(ss, opposite);
    ss.center = static_cast<int8_t>(q);
    ss.center_tail = kNil;  // found again by the first append that needs it
    return q;
}

uint32_t SeqTracker::create_seg(uint32_t seq, uint64_t len, uint16_t ip_id, Timestamp now) {
    const uint32_t h = pool_.alloc();
    Segment& s = pool_[h];
    s.set_time(now);
    s.first = seq;
    s.last = static_cast<uint32_t>(seq + len - 1);
    s.ip_id = ip_id;
    return h;
}

// Links `seg` after `before` (kNil: as the new head).
void SeqTracker::insert_after(SeqSpace& ss, int qix, uint32_t seg, uint32_t before) {
    Quadrant& q = ss.quad[qix];
    if (q.count < 0xff) ++q.count;
    Segment& s = pool_[seg];
    if (before == kNil) {
        s.next = q.head;
        q.head = seg;
    } else {
        Segment& b = pool_[before];
        s.next = b.next;
        b.next = seg;
    }
    // Keep the remembered tail exact (an unknown one stays unknown).
    if (qix == ss.center && s.next == kNil && (ss.center_tail != kNil || before == kNil))
        ss.center_tail = seg;
}

void SeqTracker::collapse(SeqSpace& ss, int qix) {
    Quadrant& q = ss.quad[qix];
    uint32_t p = q.head;
    while (p != kNil) {
        Segment& s = pool_[p];
        if (s.next == kNil || !s.acked) break;
        Segment& n = pool_[s.next];
        if (n.acked && s.last + 1 == n.first) {
            s.last = n.last;
            s.acked = n.acked;
            if (n.time() > s.time()) {
                s.set_time(n.time());
                s.ip_id = n.ip_id;
                s.set_type(n.type());
            }
            const uint32_t gone = s.next;
            s.next = n.next;
            if (qix == ss.center && ss.center_tail == gone) ss.center_tail = p;
            pool_.release(gone);
            if (q.count > 0 && q.count < 0xff) --q.count;
            continue;  // see whether the following range also fits
        }
        p = s.next;
    }
}

int SeqTracker::rexmit(TcpDirection& self, const TcpDirection& peer, RttMins mins, uint32_t seq,
                       uint64_t len, bool& out_order, uint16_t ip_id, Timestamp now,
                       AnomalyCounts& found) {
    Context c{self, peer, mins, ip_id, now, found};
    const uint32_t seq_last = static_cast<uint32_t>(seq + len - 1);
    out_order = false;
    const int q = whichquad(self.ss, seq);
    if (quadnum(seq) != quadnum(seq_last)) {
        // Spans two quadrants (never more).
        const uint64_t len1 = static_cast<uint32_t>(last_seq(quadnum(seq)) - seq + 1);
        int rexlen = addseg(c, q, seq, len1, out_order);
        rexlen += addseg(c, (q + 1) % 4, first_seq(quadnum(seq_last)), len - len1, out_order);
        return rexlen;
    }
    return addseg(c, q, seq, len, out_order);
}

int SeqTracker::addseg(Context& c, int qix, uint32_t first, uint64_t len, bool& out_order) {
    Quadrant& quad = c.self.ss.quad[qix];
    uint32_t last = static_cast<uint32_t>(first + len - 1);
    int rexlen = 0;
    bool split = false;
    double recovery_time = 0;

    uint32_t p = quad.head;
    uint32_t prev = kNil;   // the range before p
    const uint32_t t = tail(c.self.ss, qix);
    if (t != kNil && first > pool_[t].last) {  // the usual append
        p = kNil;
        prev = t;
    }
    for (; p != kNil; prev = p, p = pool_[p].next) {
        Segment* s = &pool_[p];
        if (first > s->last) continue;
        if (first < s->first) {
            // Starts before this range: out of order if it also ends before its end.
            if (last < s->last) out_order = true;
            const uint32_t fresh = create_seg(first, len, c.ip_id, c.now);
            insert_after(c.self.ss, qix, fresh, prev);
            prev = fresh;
            s = &pool_[p];
            if (last <= s->first) {
                rules_test(c, quad, p, len, false, recovery_time);
                return rexlen;
            }
            // Overlaps: keep the part before, go on with the rest as a retransmission.
            Segment& f = pool_[fresh];
            f.last = s->first - 1;
            rules_test(c, quad, p, static_cast<uint32_t>(f.last - f.first), false, recovery_time);
            s = &pool_[p];
            first = s->first;
            len = static_cast<uint32_t>(last - first + 1);
        }
        if (first >= s->first) {
            // Starts inside this range: a retransmission.
            ++s->retrans;
            recovery_time = us(c.now) - us(s->time());
            if (!split) s->set_time(c.now);  // rtt_retrans(): the range was sent again
            if (last <= s->last) {
                rexlen += static_cast<int>(len);
                rules_test(c, quad, p, len, true, recovery_time);
                return rexlen;
            }
            split = true;
            rexlen += static_cast<int>(s->last - first + 1);
            first = s->last + 1;
            rules_test(c, quad, p, static_cast<uint64_t>(static_cast<int64_t>(rexlen)), true,
                       recovery_time);
            len = static_cast<uint32_t>(last - first + 1);
        }
    }

    // Nothing recorded after it: append.
    const uint32_t fresh = create_seg(first, len, c.ip_id, c.now);
    insert_after(c.self.ss, qix, fresh, prev);   // after the last range walked: the tail
    if (max_seg_per_quad_ > 0 && count(quad) > max_seg_per_quad_) {
        // Forget the oldest range; its successor inherits its first byte.
        const uint32_t oldest = quad.head;
        Segment& o = pool_[oldest];
        const uint32_t new_head = o.next;  // (never kNil: the count passed a limit >= 1)
        pool_[new_head].first = o.first;
        quad.head = new_head;
        pool_.release(oldest);
        if (quad.count > 0 && quad.count < 0xff) --quad.count;
    }
    pool_[fresh].set_type(anomaly::kInSequence);
    ++c.found.in_sequence;
    return rexlen;
}

// real_rules_test(): the classification heuristic (spec §8.2). `seg` is the recorded range hit
// by the new segment; when !already_seen the new range sits just before it.
int SeqTracker::classify(const Context& c, Before b, uint32_t seg, uint64_t len,
                         bool already_seen, double& recovery_time) {
    const TcpDirection& self = c.self;
    const TcpDirection& peer = c.peer;
    const Segment& s = pool_[seg];
    const double mean_rtt =
        tstat_average(self.rtt_sum, self.rtt_count) + tstat_average(peer.rtt_sum, peer.rtt_count);
    double rto = mean_rtt + 4 * tstat_stdev(self.rtt_sum + peer.rtt_sum,
                                            self.rtt_sum2 + peer.rtt_sum2,
                                            self.rtt_count + peer.rtt_count);
    double rtt = static_cast<double>(c.mins.self + c.mins.peer);
    const bool valid_rtt = self.rtt_count != 0 && peer.rtt_count != 0;
    if (rto < kRtoMin) rto = kRtoMin;
    if (rtt < kRttMin) rtt = kRttMin;

    const uint32_t prev = b.prev;
    const uint32_t prev_prev = b.prev_prev;
    if (!already_seen)
        recovery_time = prev_prev != kNil ? us(c.now) - us(pool_[prev_prev].time()) : -1.0;

    int prev_tos = anomaly::kInSequence;
    if (prev != kNil) {
        if (already_seen)
            prev_tos = pool_[prev].type();
        else
            prev_tos = prev_prev != kNil ? pool_[prev_prev].type() : anomaly::kInSequence;
    }

    if (!valid_rtt) {
        rtt = kInitialRttMin;
        rto = kInitialRto;
        if (recovery_time == -1.0) recovery_time = us(c.now) - us(s.time());
    }

    const bool rule1a = s.ip_id != c.ip_id;
    const bool rule1b = recovery_time > rto;
    const bool rule1d = recovery_time < mean_rtt;
    bool rule2b;
    if (already_seen)
        rule2b = prev != kNil ? (pool_[prev].acked > 3 && recovery_time < rto) : false;
    else
        rule2b = prev_prev != kNil ? (pool_[prev_prev].acked > 3 && recovery_time < rto) : false;
    const bool rule2c = us(c.now) - us(s.time()) < rtt;
    const bool probing =
        len == 1 && peer.win_curr == 0 && self.syn_count != 0 && peer.syn_count != 0;

    auto cls = [valid_rtt](int x) { return valid_rtt ? x : (x | anomaly::kNoRttSample); };
    using namespace anomaly;
    if (probing) return kFlowControl;
    if (rule1d && prev_tos != kInSequence) return prev_tos | kBatch;

    if (!s.acked) {
        if (already_seen) {
            if (!rule1a) return cls(kNetworkDuplicate);
            if (rule1b || rule2b) return cls(rule2b ? kRetransmissionFr : kRetransmissionRto);
            if (rule1d) return cls(kDupRcBelowRtt);
            if (!rule1b) return cls(kDupRcBetweenRttRto);
            return cls(kUnknown);
        }
        if (rule1b || rule2b) return cls(rule2b ? kRetransmissionFr : kRetransmissionRto);
        if (rule2c) return cls(kReordering);
        if (rule1d) return cls(kOooRcBelowRtt);
        if (!rule1b) return cls(kOooRcBetweenRttRto);
        return cls(kUnknown);
    }
    if (!rule1a) return cls(kNetworkDuplicate);
    if (rule1b || rule2b) return cls(rule2b ? kUnnecessaryFr : kUnnecessaryRto);
    if (rule1d) return cls(kUnnecessaryRcBelowRtt);
    if (!rule1b) return cls(kUnnecessaryRcBetweenRttRto);
    return cls(kUnknown);
}

void SeqTracker::rules_test(Context& c, const Quadrant& q, uint32_t seg, uint64_t len,
                            bool already_seen, double recovery_time) {
    // Tstat keeps the class in a (signed) char.
    const Before b = before(q, seg);
    const int8_t type =
        static_cast<int8_t>(classify(c, b, seg, len, already_seen, recovery_time));
    pool_[already_seen ? seg : b.prev].set_type(type);
    ++c.found.by_class[type & (anomaly::kBatch - 1)];
    ++c.found.total;
}

void add_anomalies(DirectionAnomalies& d, const AnomalyCounts& found) {
    for (int c = 1; c < 16; ++c) {
        const uint32_t n = found.by_class[c];
        if (n == 0) continue;
        switch (c) {
            case anomaly::kRetransmissionRto: d.rtx_rto += n; break;
            case anomaly::kRetransmissionFr: d.rtx_fr += n; break;
            case anomaly::kReordering: d.reordering += n; break;
            case anomaly::kNetworkDuplicate: d.net_dup += n; break;
            case anomaly::kFlowControl: d.flow_control += n; break;
            case anomaly::kUnnecessaryFr: d.unnecessary_rtx_fr += n; break;
            case anomaly::kUnnecessaryRto: d.unnecessary_rtx_rto += n; break;
            default: d.unknown += n;
        }
    }
}

int64_t SeqTracker::ack_in(TcpDirection& sender, uint32_t ack, Timestamp now) {
    SeqSpace& ss = sender.ss;
    const int q = whichquad(ss, ack);
    const int qprev = (q + 3) % 4;
    Timestamp last_xmit{0};
    int64_t sample = -1;

    bool changed = false;
    for (uint32_t p = ss.quad[qprev].head; p != kNil; p = pool_[p].next) {
        Segment& s = pool_[p];
        if (!s.acked) {
            s.acked = 1;
            changed = true;
            if (s.time() > last_xmit) last_xmit = s.time();
        }
    }
    if (changed) collapse(ss, qprev);

    changed = false;
    for (uint32_t p = ss.quad[q].head; p != kNil; p = pool_[p].next) {
        Segment& s = pool_[p];
        if (ack <= s.first) break;
        if (s.time() > last_xmit) last_xmit = s.time();
        if (s.acked) {
            if (s.acked < 0xff) ++s.acked;
            continue;
        }
        s.acked = 1;
        changed = true;
        // Exactly acknowledged, never retransmitted (Karn), nothing older resent after it.
        if (ack == s.last + 1 && !(last_xmit > s.time()) && s.retrans == 0)
            sample = elapsed_us(s.time(), now);
    }
    if (changed) collapse(ss, q);
    return sample;
}

}  // namespace tstat::flow::tcp
