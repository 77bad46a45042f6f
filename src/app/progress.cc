#include "app/progress.h"

#include <unistd.h>

namespace tstat::app {

Progress::Progress(bool enabled)
    : enabled_(enabled),
      tty_(isatty(STDERR_FILENO) != 0),
      start_(std::chrono::steady_clock::now()),
      last_draw_(start_) {}

void Progress::update(uint64_t packets, uint64_t tcp_flows, uint64_t udp_flows, uint64_t trash,
                      const capture::Progress& input) {
    if (!enabled_) return;
    const auto now = std::chrono::steady_clock::now();
    if (tty_) {
        if (now - last_draw_ < std::chrono::milliseconds(250)) return;
        last_draw_ = now;
        const double secs = std::chrono::duration<double>(now - start_).count();
        const double rate = secs > 0 ? static_cast<double>(packets) / secs : 0;
        char share[32] = "";
        if (input.total_bytes > 0)
            std::snprintf(share, sizeof share, " %5.1f%%",
                          100.0 * static_cast<double>(input.bytes_read) /
                              static_cast<double>(input.total_bytes));
        std::fprintf(stderr,
                     "\r%s %12llu pkts %9.0f pkts/s  flows TCP %llu UDP %llu  trash %llu   ",
                     share, static_cast<unsigned long long>(packets), rate,
                     static_cast<unsigned long long>(tcp_flows),
                     static_cast<unsigned long long>(udp_flows),
                     static_cast<unsigned long long>(trash));
        drawn_ = true;
        return;
    }
    // Not a terminal: Tstat's ticks (the packet count crosses 10, 20..100, 200..1000, ...).
    while (packets >= next_tick_) {
        std::fprintf(stdout, "Tp= %llu Tf=%llu Nf(TCP)=%llu Nf(UDP)=%llu Ntrash=%llu\n",
                     static_cast<unsigned long long>(next_tick_),
                     static_cast<unsigned long long>(tcp_flows + udp_flows),
                     static_cast<unsigned long long>(tcp_flows),
                     static_cast<unsigned long long>(udp_flows),
                     static_cast<unsigned long long>(trash));
        uint64_t step = 10;
        while (step * 10 <= next_tick_ && step < 100000) step *= 10;
        next_tick_ += step;
    }
}

void Progress::finish() {
    if (enabled_ && tty_ && drawn_) std::fprintf(stderr, "\n");
}

}  // namespace tstat::app
