// Flow-table limits and timeouts: Tstat's globals (spec §14.2), in microseconds.
#pragma once

#include <cstdint>

namespace tstat::flow {

struct FlowConfig {
    uint32_t max_tcp_pairs = 180000;
    uint32_t max_udp_pairs = 360000;
    // Tstat refuses new flows when its fixed table is full (spec §6.3). We grow the table
    // instead, unless the user fixed its size with -G (then Tstat's limit applies exactly).
    bool growable_tables = true;
    uint32_t list_search_dept = 200;
    int64_t tcp_idle_us = 300'000'000;
    int64_t udp_idle_us = 200'000'000;
    int64_t tcp_singleton_us = 10'000'000;
    int64_t udp_singleton_us = 10'000'000;
    int64_t gc_cycle_us = 5'000'000;
    uint32_t gc_split_ratio = 10000;
    uint32_t max_seg_per_quad = 100;
    bool do_udp = true;          // -u turns UDP off
    bool ignore_ipv6_l4 = false; // -6
};

// What the caller knows about a packet's endpoints (from -N/-M/-C/-Y).
struct PacketContext {
    bool internal_src = true;
    bool internal_dst = true;
    bool cloud_src = false;
    bool cloud_dst = false;
    bool crypto_src = false;
    bool crypto_dst = false;
};

}  // namespace tstat::flow
