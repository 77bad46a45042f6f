// The definitions of every Tstat histogram (spec §10.3): name, description and bins, in the
// order `tstat -H ?` lists them. Ids are indices into that list.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace tstat::stats {

enum class HistoId : uint16_t {
#define TSTAT_HISTO(id, name, min, bin, max, global_only, descr) id,
#include "stats/histogram_table.inc"
#undef TSTAT_HISTO
    kCount
};

inline constexpr size_t kHistoCount = static_cast<size_t>(HistoId::kCount);

struct HistoDef {
    std::string_view name;
    int64_t min;
    int64_t bin_size;
    int64_t max;
    bool global_only;   // g_*: defined only with -g
    std::string_view description;

    // Tstat's layout: [0] below min, [1..n] regular bins, [n+1] at or above max, [n+2] the
    // sample counter (values inside [min, max) only). n = (max - min) / bin_size.
    constexpr int64_t regular_bins() const { return (max - min) / bin_size; }
    constexpr int64_t bin_count() const { return regular_bins() + 3; }
    constexpr int64_t more_max() const { return regular_bins() + 1; }
    constexpr int64_t sample_count() const { return regular_bins() + 2; }
    // The label Tstat prints for bin i: its lower edge (min - bin_size below min, max above).
    constexpr int64_t label(int64_t i) const { return min + (i - 1) * bin_size; }
};

inline constexpr size_t index_of(HistoId id) { return static_cast<size_t>(id); }

// Every definition, in listing order (constant: the per-packet rules fold the bins of the
// histograms they fill into their code).
inline constexpr std::array<HistoDef, kHistoCount> kHistoDefs = {{
#define TSTAT_HISTO(id, name, min, bin, max, global_only, descr) \
    HistoDef{name, min, bin, max, global_only, descr},
#include "stats/histogram_table.inc"
#undef TSTAT_HISTO
}};

constexpr const HistoDef& histo_def(HistoId id) { return kHistoDefs[index_of(id)]; }
// Whether two histograms have the same bins (the out/in/loc variants of one quantity).
constexpr bool same_bins(HistoId a, HistoId b) {
    return histo_def(a).min == histo_def(b).min && histo_def(a).max == histo_def(b).max &&
           histo_def(a).bin_size == histo_def(b).bin_size;
}
inline HistoId histo_at(size_t i) { return static_cast<HistoId>(i); }

// Tstat's find_histo(): the first histogram of that name in listing order (for the doubly
// defined tcp_net_dup_out that is the one filled with local flows, spec §17.11).
// Returns false if no histogram has that name; g_* count only when `with_globals`.
bool find_histo(std::string_view name, bool with_globals, HistoId& out);

}  // namespace tstat::stats
