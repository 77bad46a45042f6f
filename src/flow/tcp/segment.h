// Tstat's per-direction record of transmitted sequence ranges (tcptrace "seqspace"): four
// 2^30-byte quadrants, each an ordered list of ranges (spec §8.2). Ranges live in a pool;
// each list is doubly linked with the head's `prev` pointing at the tail, so a quadrant costs
// one handle and a count.
#pragma once

#include <cstdint>

#include "common/timestamp.h"
#include "flow/pool.h"

namespace tstat::flow::tcp {

struct Segment {
    uint32_t first = 0;          // sequence number of the first byte
    uint32_t last = 0;           // ... of the last byte
    Timestamp time;              // when it was (last) sent
    uint32_t next = kNil;        // kNil at the tail
    uint32_t prev = kNil;        // the head's prev is the tail
    uint16_t ip_id = 0;
    uint8_t acked = 0;           // times acknowledged; only "> 3" matters: saturates at 255
    uint8_t retrans = 0;         // u_char in Tstat: wraps at 256
    int8_t type = 0;             // anomaly class of the segment (spec §8.2 codes)
};

using SegmentPool = Pool<Segment, 12>;

#pragma pack(push, 1)
struct Quadrant {
    uint32_t head = kNil;
    uint8_t count = 0;           // ranges held; saturates at 255 (then counted by walking)
};
#pragma pack(pop)

struct SeqSpace {
    Quadrant quad[4];
    uint8_t exists = 0;          // bit q: quadrant q allocated
    int8_t center = -1;          // the quadrant whose neighbours are both linked (whichquad)

    bool has(int q) const { return exists & (1u << q); }
};

}  // namespace tstat::flow::tcp
