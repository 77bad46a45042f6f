#include "stats/histo_writer.h"

#include <sys/stat.h>

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>

namespace tstat::stats {

namespace {

void header(std::string& out, const HistoDef& d) {
    char buf[160];
    out += '#';
    out.append(d.description);
    std::snprintf(buf, sizeof buf, "\n#RANGE: min=%lld bin_size=%lld max=%lld\n",
                  static_cast<long long>(d.min), static_cast<long long>(d.bin_size),
                  static_cast<long long>(d.max));
    out += buf;
}

// The x86 "default NaN" Tstat's 0/0 produces prints as -nan.
double tstat_div(double num, double den) {
    if (den == 0.0) {
        if (num == 0.0 || std::isnan(num)) return -std::numeric_limits<double>::quiet_NaN();
        return num > 0 ? HUGE_VAL : -HUGE_VAL;
    }
    return num / den;
}

}  // namespace

std::string format_window_histogram(const HistoDef& d, std::span<const int64_t> bins) {
    std::string out;
    header(out, d);
    char buf[48];
    const int64_t last = d.more_max();
    for (int64_t i = 0; i <= last && i < static_cast<int64_t>(bins.size()); ++i) {
        const int64_t v = bins[static_cast<size_t>(i)];
        if (v == 0) continue;
        // "%lld %lld\n" (to_chars: the port histograms have tens of thousands of lines)
        char* p = std::to_chars(buf, buf + 20, d.label(i)).ptr;
        *p++ = ' ';
        p = std::to_chars(p, p + 20, v).ptr;
        *p++ = '\n';
        out.append(buf, static_cast<size_t>(p - buf));
    }
    return out;
}

std::string format_global_histogram(const HistoDef& d, std::span<const int64_t> bins) {
    std::string out;
    header(out, d);
    if (bins.size() < static_cast<size_t>(d.bin_count())) return out;
    const auto at = [&](int64_t i) { return bins[static_cast<size_t>(i)]; };
    // u_int64 sum of the sample counter and the two outer bins, as Tstat adds them.
    const uint64_t tot = static_cast<uint64_t>(at(d.sample_count())) +
                         static_cast<uint64_t>(at(0)) + static_cast<uint64_t>(at(d.more_max()));
    char buf[160];
    std::snprintf(buf, sizeof buf, "#SAMPLES: <min=%.0f valid=%.0f >max=%.0f tot=%.0f\n",
                  static_cast<double>(at(0)), static_cast<double>(at(d.sample_count())),
                  static_cast<double>(at(d.more_max())), static_cast<double>(tot));
    out += buf;
    double cdf = 0.0;
    for (int64_t i = 0; i <= d.more_max(); ++i) {
        const double pdf = tstat_div(static_cast<double>(at(i)), static_cast<double>(tot));
        // NaN + x keeps the first NaN, as the x86 FPU does.
        cdf = std::isnan(cdf) ? cdf : std::isnan(pdf) ? pdf : cdf + pdf;
        if (pdf > 0.0) {
            std::snprintf(buf, sizeof buf, "%lld %e %e\n", static_cast<long long>(d.label(i)),
                          pdf, cdf);
            out += buf;
        }
    }
    return out;
}

Status write_text_file(const std::string& dir, std::string_view name, const std::string& text,
                       bool append) {
    struct stat st {};
    if (stat(dir.c_str(), &st) != 0 && mkdir(dir.c_str(), 0775) != 0 && errno != EEXIST)
        return make_error(dir + ": cannot create the histogram folder: " + std::strerror(errno));
    const std::string path = dir + "/" + std::string(name);
    std::FILE* f = std::fopen(path.c_str(), append ? "a" : "w");
    if (f == nullptr) return make_error(path + ": cannot write: " + std::strerror(errno));
    const bool ok = std::fwrite(text.data(), 1, text.size(), f) == text.size();
    const bool closed = std::fclose(f) == 0;
    if (!ok || !closed) return make_error(path + ": write failed: " + std::strerror(errno));
    return {};
}

}  // namespace tstat::stats
