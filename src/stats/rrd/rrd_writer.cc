#include "stats/rrd/rrd_writer.h"

#include <sys/stat.h>

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <system_error>

namespace tstat::stats::rrd {

namespace {

// Tstat's MRTG-like archives: 2 days of windows, 2 weeks of 30 min, 2 months of 2 h,
// 2 years of a day (for the default 300 s window).
constexpr const char* kArchives[] = {"RRA:AVERAGE:0.5:1:600", "RRA:AVERAGE:0.5:6:700",
                                     "RRA:AVERAGE:0.5:24:775", "RRA:AVERAGE:0.5:288:797"};

bool exists(const std::string& path) {
    struct stat sb {};
    return ::stat(path.c_str(), &sb) == 0;
}

// librrd's message, naming `file` once (librrd's own messages mostly start with it).
std::string librrd_error(const RrdApi& api, const std::string& file, const std::string& what) {
    std::string e = api.get_error();
    api.clear_error();
    if (e.rfind(file + ": ", 0) == 0) e = e.substr(file.size() + 2);
    return file + ": " + what + ": " + e;
}

}  // namespace

std::string update_text(int64_t when, double value) {
    char buf[512];
    std::snprintf(buf, sizeof buf, "%lld:%f", static_cast<long long>(when), value);
    return buf;
}

std::vector<RrdValue> histogram_values(const HistoRrd& c, const HistoDef& d,
                                       std::span<const int64_t> bins, const RunningStats& st) {
    std::vector<RrdValue> out;
    if (bins.size() != static_cast<size_t>(d.bin_count())) return out;
    // Tstat's rrdstat counts with a signed long: an empty interval gives a variance of
    // 0 / -1 = -0, a single sample 0 / 0 = NaN.
    const double count = static_cast<double>(static_cast<int64_t>(st.count));
    if (c.hit) out.push_back({"hit", count});
    if (c.avg) out.push_back({"avg", st.avg});
    if (c.min && st.min <= 1E90) out.push_back({"min", st.min});
    if (c.max && st.max > -1E90) out.push_back({"max", st.max});
    if (c.var || c.stdev) {
        const double var = st.pseudovar / (count - 1);
        if (c.var) out.push_back({"var", var});
        if (c.stdev) out.push_back({"stdev", std::sqrt(var)});
    }
    const int64_t num = d.more_max();   // the overflow bin: percentiles never reach it
    int64_t samples = bins[static_cast<size_t>(d.sample_count())];
    for (double p : c.prc) {
        // The first bin whose cumulative count reaches p% of the samples; its lower edge.
        const double target = p * static_cast<double>(samples) / 100;
        double cdf = 0;
        for (int64_t j = 0; j < num; ++j) {
            cdf += static_cast<double>(bins[static_cast<size_t>(j)]);
            if (cdf >= target) {
                out.push_back({prc_name(p), static_cast<double>(d.label(j))});
                break;
            }
        }
    }
    for (int idx : c.idx) {
        // The bin holding value idx (long arithmetic as in Tstat); a value outside the
        // histogram counts 0 where Tstat would read past its array.
        const int64_t pos = (static_cast<int64_t>(idx) - d.min) / d.bin_size + 1;
        const int64_t v = pos >= 0 && pos < d.bin_count() ? bins[static_cast<size_t>(pos)] : 0;
        out.push_back({"idx" + std::to_string(idx), static_cast<double>(v)});
        samples -= v;
    }
    if (c.idxoth) out.push_back({"idxoth", static_cast<double>(samples)});
    return out;
}

Result<std::unique_ptr<RrdWriter>> RrdWriter::create(RrdConfig conf, std::string dir,
                                                     int64_t step_us) {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec || !std::filesystem::is_directory(dir))
        return make_error(dir + ": cannot make the RRD folder (-r): " +
                          (ec ? ec.message() : std::string("not a folder")));
    if (step_us < 1'000'000)
        return make_error("RRD: the window (Max_Time_Step) must be at least 1 s for librrd");
    auto api = rrd_api();
    if (!api) return Error{api.error()};
    return std::unique_ptr<RrdWriter>(
        new RrdWriter(**api, std::move(conf), std::move(dir), step_us));
}

RrdWriter::RrdWriter(const RrdApi& api, RrdConfig conf, std::string dir, int64_t step_us)
    : api_(api),
      conf_(std::move(conf)),
      dir_(std::move(dir)),
      step_s_(step_us / 1'000'000),
      last_update_s_(conf_.histograms.size(), 0) {}

void RrdWriter::record(std::string msg) {
    if (errors_.size() < 20) errors_.push_back(std::move(msg));
}

void RrdWriter::create_missing(int64_t when) {
    // rrdtool_create_all(): every configured file, started 10 s before the first update.
    for (const HistoRrd& h : conf_.histograms) {
        const std::string ds = "DS:" + std::string(histo_def(h.id).name) + ":GAUGE:" +
                               std::to_string(2 * step_s_) + ":U:U";
        const char* args[] = {ds.c_str(), kArchives[0], kArchives[1], kArchives[2],
                              kArchives[3]};
        for (const std::string& name : rrd_files(h)) {
            const std::string file = dir_ + "/" + name;
            if (exists(file)) continue;
            api_.clear_error();
            if (api_.create_r(file.c_str(), static_cast<unsigned long>(step_s_),
                              static_cast<time_t>(when - 10), 5, args) != 0)
                record(librrd_error(api_, file, "RRD create failed"));
        }
    }
}

void RrdWriter::update_file(const std::string& file, int64_t when, double value) {
    if (!exists(file)) create_missing(when);
    const std::string text = update_text(when, value);
    const char* args[] = {text.c_str()};
    api_.clear_error();
    if (api_.update_r(file.c_str(), nullptr, 1, args) != 0)
        record(librrd_error(api_, file, "RRD update " + text + " failed"));
}

void RrdWriter::update_histogram(size_t k, ClosedWindow& w) {
    const HistoRrd& h = conf_.histograms[k];
    const int64_t when = w.now.sec();
    // Not twice in the same second (a -c file boundary closes two windows at once).
    if (last_update_s_[k] >= when) return;
    last_update_s_[k] = when;
    const HistoDef& d = histo_def(h.id);
    const std::string base = dir_ + "/" + std::string(d.name) + ".";
    RunningStats& st = w.histos.stats(h.id);
    for (const RrdValue& v : histogram_values(h, d, w.histos.bins(h.id), st))
        update_file(base + v.stat + ".rrd", when, v.value);
    // The statistics cover one update interval.
    w.histos.reset_stats(h.id);
}

void RrdWriter::window_closed(ClosedWindow& w) {
    if (!w.rrd_engine) return;
    for (size_t k = 0; k < conf_.histograms.size(); ++k)
        if (w.histos.on(conf_.histograms[k].id)) update_histogram(k, w);
}

}  // namespace tstat::stats::rrd
