// Tstat's per-direction record of transmitted sequence ranges (tcptrace "seqspace"): four
// 2^30-byte quadrants, each an ordered list of ranges (spec §8.2). Ranges live in a pool and
// are singly linked: a quadrant costs one handle and a count, and the tail of the quadrant in
// use is remembered per direction (appends are the common case).
#pragma once

#include <cstdint>

#include "common/timestamp.h"
#include "flow/pool.h"

namespace tstat::flow::tcp {

// 24 bytes: a busy worker holds millions. The send time keeps 56 bits of microseconds
// (±1142 years; anything beyond is clamped) and shares its word with the anomaly class.
struct Segment {
    uint32_t first = 0;          // sequence number of the first byte
    uint32_t last = 0;           // ... of the last byte
    uint32_t next = kNil;        // kNil at the tail
    uint16_t ip_id = 0;
    uint8_t acked = 0;           // times acknowledged; only "> 3" matters: saturates at 255
    uint8_t retrans = 0;         // u_char in Tstat: wraps at 256

    Timestamp time() const {
        return Timestamp{static_cast<int64_t>(time_type_ << kTypeBits) >> kTypeBits};
    }
    void set_time(Timestamp t) {
        int64_t us = t.us;
        if (us > kTimeMax) us = kTimeMax;
        if (us < -kTimeMax - 1) us = -kTimeMax - 1;
        time_type_ = (time_type_ & ~kTimeMask) | (static_cast<uint64_t>(us) & kTimeMask);
    }
    // Anomaly class of the segment (spec §8.2 codes; a signed char in Tstat).
    int8_t type() const { return static_cast<int8_t>(time_type_ >> kTimeBits); }
    void set_type(int8_t type) {
        time_type_ = (time_type_ & kTimeMask) |
                     (static_cast<uint64_t>(static_cast<uint8_t>(type)) << kTimeBits);
    }

private:
    static constexpr int kTimeBits = 56;
    static constexpr int kTypeBits = 64 - kTimeBits;
    static constexpr uint64_t kTimeMask = (uint64_t{1} << kTimeBits) - 1;
    static constexpr int64_t kTimeMax = (int64_t{1} << (kTimeBits - 1)) - 1;
    uint64_t time_type_ = 0;     // low 56 bits: send time (µs, two's complement); high 8: type
};
static_assert(sizeof(Segment) == 24);

using SegmentPool = Pool<Segment, 12>;

#pragma pack(push, 1)
struct Quadrant {
    uint32_t head = kNil;
    uint8_t count = 0;           // ranges held; saturates at 255 (then counted by walking)
};

// (Packed: its 26 bytes fill TcpDirection's tail without growing it.)
struct SeqSpace {
    Quadrant quad[4];
    uint8_t exists = 0;          // bit q: quadrant q allocated
    int8_t center = -1;          // the quadrant whose neighbours are both linked (whichquad)
    uint32_t center_tail = kNil; // last range of quadrant `center`; kNil: not known yet

    bool has(int q) const { return exists & (1u << q); }
};
#pragma pack(pop)

}  // namespace tstat::flow::tcp
