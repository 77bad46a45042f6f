#include "stats/histogram_table.h"

#include <array>

namespace tstat::stats {

namespace {

constexpr std::array<HistoDef, kHistoCount> kDefs = {{
#define TSTAT_HISTO(id, name, min, bin, max, global_only, descr) \
    HistoDef{name, min, bin, max, global_only, descr},
#include "stats/histogram_table.inc"
#undef TSTAT_HISTO
}};

}  // namespace

const HistoDef& histo_def(HistoId id) { return kDefs[index_of(id)]; }

bool find_histo(std::string_view name, bool with_globals, HistoId& out) {
    for (size_t i = 0; i < kHistoCount; ++i) {
        if (kDefs[i].name != name) continue;
        if (kDefs[i].global_only && !with_globals) continue;
        out = histo_at(i);
        return true;
    }
    return false;
}

}  // namespace tstat::stats
