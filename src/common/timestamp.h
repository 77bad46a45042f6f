// Packet time in microseconds since the epoch: Tstat's resolution (struct timeval).
#pragma once

#include <compare>
#include <cstdint>

namespace tstat {

struct Timestamp {
    int64_t us = 0;

    static constexpr Timestamp from_parts(int64_t sec, int64_t usec) {
        return Timestamp{sec * 1000000 + usec};
    }
    constexpr int64_t sec() const { return us >= 0 ? us / 1000000 : -((-us + 999999) / 1000000); }
    constexpr int64_t usec() const { return us - sec() * 1000000; }
    constexpr bool is_zero() const { return us == 0; }
    // Tstat's time2double(): microseconds as a double.
    constexpr double as_double_us() const { return static_cast<double>(us); }
    // Milliseconds since the epoch, as the logs print absolute times.
    constexpr double as_double_ms() const { return static_cast<double>(us) / 1000.0; }

    friend constexpr auto operator<=>(Timestamp, Timestamp) = default;
};

// Tstat's elapsed(start, end) in microseconds: a "bad subtraction" (end before start, or an
// event that never happened) yields 0.
constexpr int64_t elapsed_us(Timestamp start, Timestamp end) {
    return end.us >= start.us ? end.us - start.us : 0;
}

}  // namespace tstat
