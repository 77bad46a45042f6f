// The RRD engine (spec §11, Tstat's rrdtool_update_all): at every closed window, each
// histogram an rrd.conf names feeds one RRD per statistic, <dir>/<name>.<stat>.rrd, through
// librrd. Files are made at the first update (step = window, start = first update - 10,
// one GAUGE data source, four AVERAGE archives) and reused when they already exist.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "common/result.h"
#include "stats/rrd/rrd_conf.h"
#include "stats/rrd/rrd_lib.h"
#include "stats/window_engine.h"

namespace tstat::stats::rrd {

// One value for one file, as a window close produces them.
struct RrdValue {
    std::string stat;   // "avg", "idx40", "prc95", ...
    double value = 0;
};

// The values rrdtool_update() sends for one histogram of a closed window, in its order:
// hit, avg, min, max, var, stdev, percentiles, idx bins, idxoth. `bins` is the window's
// layout (underflow, regular bins, overflow, sample counter).
std::vector<RrdValue> histogram_values(const HistoRrd& conf, const HistoDef& d,
                                       std::span<const int64_t> bins, const RunningStats& st);

// The text librrd parses for a value: Tstat formats it with "%f" ("nan" for an empty
// variance), and the stored value is what that text says.
std::string update_text(int64_t when, double value);

class RrdWriter final : public WindowSink {
public:
    // `dir` is made (mkdir -p) by create(); `step_us` is the window (Max_Time_Step).
    static Result<std::unique_ptr<RrdWriter>> create(RrdConfig conf, std::string dir,
                                                     int64_t step_us);

    void window_closed(ClosedWindow& w) override;
    // Problems met by librrd (cold path): Tstat stops there; we report and carry on.
    std::vector<std::string> take_errors() { return std::move(errors_); }
    const std::string& dir() const { return dir_; }

private:
    RrdWriter(const RrdApi& api, RrdConfig conf, std::string dir, int64_t step_us);
    void update_histogram(size_t k, ClosedWindow& w);
    void update_file(const std::string& file, int64_t when, double value);
    void create_missing(int64_t when);
    void record(std::string msg);

    const RrdApi& api_;
    RrdConfig conf_;
    std::string dir_;
    int64_t step_s_;
    std::vector<int64_t> last_update_s_;   // per configured histogram: once a second at most
    std::vector<std::string> errors_;
};

}  // namespace tstat::stats::rrd
