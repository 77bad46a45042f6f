// -t: a progress line on a terminal (rate, flows, share of the input read); on a pipe,
// Tstat's tick lines at 10, 20, ..., 100, 200, ... packets.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>

#include "capture/source.h"

namespace tstat::app {

class Progress {
public:
    explicit Progress(bool enabled);
    // Called once per batch.
    void update(uint64_t packets, uint64_t tcp_flows, uint64_t udp_flows, uint64_t trash,
                const capture::Progress& input);
    void finish();

private:
    bool enabled_;
    bool tty_;
    std::chrono::steady_clock::time_point start_;
    std::chrono::steady_clock::time_point last_draw_;
    uint64_t next_tick_ = 10;
    bool drawn_ = false;
};

}  // namespace tstat::app
