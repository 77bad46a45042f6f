// The end-of-run report (spec §2), Tstat's lines first, then what we count beyond them.
#pragma once

#include <cstdio>
#include <string>

#include "app/analyzer.h"

namespace tstat::app {

struct RunTotals {
    double wall_seconds = 0;
    std::string source_stats;   // live capture: libpcap counters
};

void print_report(const Analyzer& a, const output::WriterStats& w, const RunTotals& t,
                  std::FILE* out);

}  // namespace tstat::app
