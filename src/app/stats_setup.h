// The histogram engine, the RRD databases and the Graphite exporter as the command line asks
// for them (-H, -g, -S, -R/-r, --graphite; spec §10, §11).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "app/config_files.h"
#include "app/options.h"
#include "app/stats_tap.h"
#include "common/result.h"
#include "export/graphite/graphite_sink.h"
#include "stats/rrd/rrd_writer.h"

namespace tstat::app {

struct StatsSetup {
    std::unique_ptr<StatsTap> tap;
    std::vector<std::unique_ptr<stats::WindowSink>> sinks;   // RRD, Graphite
    std::vector<std::string> warnings;                       // printed, not fatal
    stats::rrd::RrdWriter* rrd = nullptr;                    // in sinks, when -R/-r
    exporter::graphite::GraphiteSink* graphite = nullptr;    // in sinks, when --graphite
    // End of the run: what the sinks still hold goes out (Graphite waits a little).
    std::vector<std::string> finish();
};

Result<StatsSetup> setup_stats(const Options& o, const Globals& g, const RuntimeConfig& rc);

}  // namespace tstat::app
