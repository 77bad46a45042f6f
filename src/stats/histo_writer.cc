#include "stats/histo_writer.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <type_traits>

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

namespace {
// The lines of bins [0, more_max]; writable bins are left zero (only the non-zero ones are
// written).
template <class Bin>
std::string window_text(const HistoDef& d, std::span<Bin> bins) {
    constexpr bool kClear = !std::is_const_v<Bin>;
    std::string out;
    header(out, d);
    char buf[48];
    const size_t n = std::min(static_cast<size_t>(d.more_max()) + 1, bins.size());
    for (size_t i = 0; i < n; ++i) {
        // Most bins are zero (the port histograms hold 65 539): skip them four at a time.
        while (i + 4 <= n && (bins[i] | bins[i + 1] | bins[i + 2] | bins[i + 3]) == 0) i += 4;
        if (i >= n) break;
        const int64_t v = bins[i];
        if (v == 0) continue;
        // "%lld %lld\n" (to_chars: the port histograms have tens of thousands of lines)
        char* p = std::to_chars(buf, buf + 20, d.label(static_cast<int64_t>(i))).ptr;
        *p++ = ' ';
        p = std::to_chars(p, p + 20, v).ptr;
        *p++ = '\n';
        out.append(buf, static_cast<size_t>(p - buf));
        if constexpr (kClear) bins[i] = 0;
    }
    if constexpr (kClear)   // the sample counter past more_max
        for (size_t i = n; i < bins.size(); ++i) bins[i] = 0;
    return out;
}
}  // namespace

std::string format_window_histogram(const HistoDef& d, std::span<const int64_t> bins) {
    return window_text(d, bins);
}

std::string take_window_histogram(const HistoDef& d, std::span<int64_t> bins) {
    return window_text(d, bins);
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

Status make_text_folder(const std::string& dir) {
    if (mkdir(dir.c_str(), 0775) != 0 && errno != EEXIST)
        return make_error(dir + ": cannot create the histogram folder: " + std::strerror(errno));
    return {};
}

// open/write/close rather than stdio: a window writes ~350 small files, and stdio's fstat and
// buffer cost a third of each file's system time.
Status write_text_file(const std::string& dir, std::string_view name, const std::string& text,
                       bool append) {
    const std::string path = dir + "/" + std::string(name);
    const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC | (append ? O_APPEND : O_TRUNC),
                        0666);
    if (fd < 0) return make_error(path + ": cannot write: " + std::strerror(errno));
    size_t done = 0;
    while (done < text.size()) {
        const ssize_t n = write(fd, text.data() + done, text.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            const int err = n < 0 ? errno : ENOSPC;
            close(fd);
            return make_error(path + ": write failed: " + std::strerror(err));
        }
        done += static_cast<size_t>(n);
    }
    if (close(fd) != 0) return make_error(path + ": write failed: " + std::strerror(errno));
    return {};
}

}  // namespace tstat::stats
