#include "stats/histogram_table.h"

namespace tstat::stats {

bool find_histo(std::string_view name, bool with_globals, HistoId& out) {
    for (size_t i = 0; i < kHistoCount; ++i) {
        if (kHistoDefs[i].name != name) continue;
        if (kHistoDefs[i].global_only && !with_globals) continue;
        out = histo_at(i);
        return true;
    }
    return false;
}

}  // namespace tstat::stats
