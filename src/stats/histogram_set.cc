#include "stats/histogram_set.h"

#include <algorithm>

namespace tstat::stats {

void HistogramSet::configure(const HistoFlags& on, const HistoFlags& stats) {
    on_ = on;
    int64_t next = 0;
    for (size_t i = 0; i < kHistoCount; ++i) {
        const HistoDef& d = histo_def(histo_at(i));
        Geometry& g = geometry_[i];
        g.min = d.min;
        g.max = d.max;
        g.min_d = static_cast<double>(d.min);
        g.max_d = static_cast<double>(d.max);
        g.bin = d.bin_size;
        g.more_max = d.more_max();
        g.count = d.bin_count();
        has_stats_[i] = on[i] && stats[i];
        if (!on[i]) {
            offset_[i] = -1;
            continue;
        }
        offset_[i] = next;
        next += g.count;
    }
    data_.reset(static_cast<size_t>(next));
    for (size_t i = 0; i < kHistoCount; ++i)
        plain_[i] = offset_[i] >= 0 && !has_stats_[i] ? data_.data() + offset_[i] : nullptr;
    stats_.fill(RunningStats{});
}

void HistogramSet::clear_bins() { data_.zero(); }

void HistogramSet::accumulate(std::vector<int64_t>& global) const {
    if (global.size() != data_.size()) global.assign(data_.size(), 0);
    for (size_t i = 0; i < data_.size(); ++i)
        global[i] = static_cast<int64_t>(static_cast<uint64_t>(global[i]) +
                                         static_cast<uint64_t>(data_[i]));
}

}  // namespace tstat::stats
