// One window's worth of the histograms that are on (Tstat's double_histo_list, spec §10.2):
// bins in one flat array, and the running statistics the RRD engine reads (spec §11).
// add() is on the per-packet path: no allocation, a handful of integer operations.
#pragma once

#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <span>
#include <vector>

#include "common/zeroed_array.h"
#include "stats/histogram_table.h"

namespace tstat::stats {

// Tstat's rrdstat: the samples of the current RRD interval. Zero-initialised like Tstat's
// (so before the first RRD update min and max start from 0, not from the first sample).
struct RunningStats {
    uint64_t count = 0;
    double avg = 0;
    double pseudovar = 0;
    double min = 0;
    double max = 0;

    void add(double v) {
        const double old = avg;
        ++count;
        avg += (v - old) / static_cast<double>(count);
        pseudovar += (v - old) * (v - avg);
        if (v > max) max = v;
        if (v < min) min = v;
    }
    // After an RRD update (rrdtool_update): a fresh interval.
    void reset() { *this = RunningStats{0, 0.0, 0.0, 1.e99, -1.e99}; }
};

// (long)v as the x86-64 conversion Tstat relies on does it: NaN and values out of range
// become INT64_MIN (spec §10.2: the NaN averages of an empty interval print that way).
inline int64_t to_long(double v) {
    if (!(v >= -9223372036854775808.0 && v < 9223372036854775808.0))
        return std::numeric_limits<int64_t>::min();
    return static_cast<int64_t>(v);
}

using HistoFlags = std::array<bool, kHistoCount>;

class HistogramSet {
public:
    HistogramSet() { offset_.fill(-1); }

    // Allocates the histograms marked in `on`; `stats` marks those with running statistics.
    void configure(const HistoFlags& on, const HistoFlags& stats);

    bool on(HistoId id) const { return offset_[index_of(id)] >= 0; }
    bool any_on() const { return !data_.empty(); }

    // Tstat's __add_histo(): NaN and infinities are ignored; below min and at/above max go to
    // the two outer bins; the sample counter counts the values in between.
    void add(HistoId id, double v) noexcept {
        const size_t i = index_of(id);
        const int64_t off = offset_[i];
        if (off < 0) return;
        if (std::isnan(v) || std::isinf(v)) return;
        if (has_stats_[i]) stats_[i].add(v);
        const Geometry& g = geometry_[i];
        int64_t* d = data_.data() + off;
        if (v < g.min_d) {
            ++d[0];
        } else if (v >= g.max_d) {
            ++d[g.more_max];
        } else {
            // (int)v, then long arithmetic, exactly as histo.c computes the index. Most
            // histograms have unit bins: skip the division (tens of cycles) for them.
            const int64_t iv = static_cast<int32_t>(v);
            ++d[g.bin == 1 ? iv + 1 - g.min : (iv + g.bin - g.min) / g.bin];
            ++d[g.more_max + 1];
        }
    }

    // add() of a sample to histogram `id`, whose bins are those of `G`, known here: no
    // geometry to load and no division by a variable (the per-flow rules, a hundred additions
    // a closed flow). The same bins as add(): (int)v counts from min in steps of the bin.
    template <HistoId G>
    void add_as(HistoId id, double v) noexcept {
        constexpr HistoDef d = histo_def(G);
        static_assert(d.max <= std::numeric_limits<int32_t>::max() &&
                      d.min >= std::numeric_limits<int32_t>::min());
        int64_t* b = plain_[index_of(id)];
        if (b == nullptr) [[unlikely]] {   // off, or with running statistics
            add(id, v);
            return;
        }
        if (!(std::fabs(v) <= std::numeric_limits<double>::max())) return;   // NaN, infinities
        if (v < static_cast<double>(d.min)) {
            ++b[0];
        } else if (v >= static_cast<double>(d.max)) {
            ++b[d.more_max()];
        } else {
            // (int)v truncates toward zero, so it is at least min: (iv + bin - min) / bin.
            ++b[(static_cast<int64_t>(static_cast<int32_t>(v)) - d.min) / d.bin_size + 1];
            ++b[d.more_max() + 1];
        }
    }
    template <HistoId Id>
    void add(double v) noexcept {
        add_as<Id>(Id, v);
    }

    // add() of an integer sample `n` times, to histogram `id`, whose bins are those of `G`
    // (known here, so the bin is found without loading them): the per-packet rules.
    template <HistoId G>
    void add_int(HistoId id, int64_t v, uint32_t n = 1) noexcept {
        constexpr HistoDef d = histo_def(G);
        const size_t i = index_of(id);
        int64_t* b = plain_[i];
        if (b == nullptr) [[unlikely]] {   // off, or with running statistics
            const int64_t off = offset_[i];
            if (off < 0) return;
            for (uint32_t k = 0; k < n; ++k) stats_[i].add(static_cast<double>(v));
            b = data_.data() + off;
        }
        if (v < d.min) {
            b[0] += n;
        } else if (v >= d.max) {
            b[d.more_max()] += n;
        } else {
            b[(v - d.min) / d.bin_size + 1] += n;   // as add(): (int)v in [min, max)
            b[d.more_max() + 1] += n;
        }
    }

    // Tstat's set_histo(): overwrites one bin with (long)v.
    void set(HistoId id, int64_t index, double v) noexcept {
        const int64_t off = offset_[index_of(id)];
        if (off >= 0) data_[static_cast<size_t>(off + index)] = to_long(v);
    }

    std::span<int64_t> bins(HistoId id) {
        const size_t i = index_of(id);
        if (offset_[i] < 0) return {};
        return {data_.data() + offset_[i], static_cast<size_t>(geometry_[i].count)};
    }
    std::span<const int64_t> bins(HistoId id) const {
        const size_t i = index_of(id);
        if (offset_[i] < 0) return {};
        return {data_.data() + offset_[i], static_cast<size_t>(geometry_[i].count)};
    }
    bool has_stats(HistoId id) const { return has_stats_[index_of(id)]; }
    RunningStats& stats(HistoId id) { return stats_[index_of(id)]; }
    const RunningStats& stats(HistoId id) const { return stats_[index_of(id)]; }

    // Zeroes every bin (the running statistics live on until the RRD update resets them).
    void clear_bins();
    // Fresh intervals for every histogram (after an RRD update of all of them).
    void reset_stats(HistoId id) { stats_[index_of(id)].reset(); }
    // Adds the bins into a GLOBAL accumulator laid out like data (uint64 wrap, as Tstat's
    // global_data += (u_int64_t) current_data).
    void accumulate(std::vector<int64_t>& global) const;
    int64_t offset(HistoId id) const { return offset_[index_of(id)]; }
    size_t size() const { return data_.size(); }
    const HistoFlags& on_flags() const { return on_; }

private:
    struct Geometry {
        int64_t min = 0;
        int64_t max = 0;
        double min_d = 0;    // min and max as the comparisons need them
        double max_d = 0;
        int64_t bin = 1;
        int64_t more_max = 0;
        int64_t count = 0;
    };
    std::array<int64_t, kHistoCount> offset_{};
    // The bins of each histogram that is on and has no running statistics (nullptr for the
    // others): add_int()'s common case is one load and a test.
    std::array<int64_t*, kHistoCount> plain_{};
    std::array<Geometry, kHistoCount> geometry_{};
    std::array<bool, kHistoCount> has_stats_{};
    HistoFlags on_{};
    std::array<RunningStats, kHistoCount> stats_{};
    ZeroedArray<int64_t> data_;
};

}  // namespace tstat::stats
