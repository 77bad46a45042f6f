// The -R configuration of Tstat's RRD engine (spec §11, rrd.c rrdtool_parse_config): one line
// per histogram, `name [avg] [min] [max] [var] [stdev] [hit] [idx:i,j,...,other] [prc:p,...]`.
// A line holding '#' anywhere is ignored; unknown names and tokens are errors.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "stats/histogram_set.h"

namespace tstat::stats::rrd {

struct HistoRrd {
    HistoId id{};
    bool avg = false, min = false, max = false, var = false, stdev = false, hit = false;
    std::vector<int> idx;      // bins by value (idx<k>)
    bool idxoth = false;       // the samples of no listed bin
    std::vector<double> prc;   // percentiles (prc<p>)
};

struct RrdConfig {
    std::vector<HistoRrd> histograms;   // in -H ? order (the order Tstat updates them)
    HistoFlags on{};                    // the histograms named
};

Result<RrdConfig> parse_rrd_conf(std::string_view text, const std::string& source,
                                 bool with_globals);
Result<RrdConfig> load_rrd_conf(const std::string& path, bool with_globals);

// The statistic part of a file name: "avg", "idx40", "idxoth", "prc95", "prc99.900".
std::string prc_name(double p);

// Every file a configured histogram has, without the folder: "<name>.<stat>.rrd".
std::vector<std::string> rrd_files(const HistoRrd& h);

}  // namespace tstat::stats::rrd
