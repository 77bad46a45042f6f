#include "control/runtime_watcher.h"

#include <sys/stat.h>

#include <chrono>

namespace tstat::control {

std::optional<int64_t> file_mtime(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return std::nullopt;
    return static_cast<int64_t>(st.st_mtime);
}

namespace {
double wall_clock() {
    return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}
}  // namespace

RuntimeWatcher::RuntimeWatcher(std::string path, double idle_seconds, uint32_t stable_checks)
    : RuntimeWatcher(std::move(path), idle_seconds, stable_checks, wall_clock, file_mtime) {}

RuntimeWatcher::RuntimeWatcher(std::string path, double idle_seconds, uint32_t stable_checks,
                               Clock clock, MtimeOf mtime)
    : path_(std::move(path)),
      idle_(idle_seconds),
      stable_checks_(static_cast<int32_t>(stable_checks)),
      clock_(std::move(clock)),
      mtime_of_(std::move(mtime)) {
    // Tstat takes the mtime when it reads -T; the first look comes one idle period later.
    last_check_ = clock_();
    last_mtime_ = mtime_of_(path_).value_or(0);
}

RuntimeWatcher::Event RuntimeWatcher::poll() {
    if (requested_) {
        requested_ = false;
        // The file as it is now becomes the reference: no second reload for this change.
        last_check_ = clock_();
        if (auto m = mtime_of_(path_)) last_mtime_ = *m;
        stable_counter_ = -1;
        return Event::kReload;
    }
    const double now = clock_();
    if (now - last_check_ < idle_) return Event::kNone;
    last_check_ = now;
    const std::optional<int64_t> m = mtime_of_(path_);
    if (!m) {
        // An editor may replace the file (write a copy, rename): a few misses are normal.
        if (stat_errors_left_ > 0) {
            --stat_errors_left_;
            return Event::kNone;
        }
        if (missing_reported_) return Event::kNone;
        missing_reported_ = true;
        return Event::kMissing;
    }
    stat_errors_left_ = 5;
    missing_reported_ = false;
    if (*m != last_mtime_) {
        stable_counter_ = stable_checks_;
        last_mtime_ = *m;
    } else if (stable_counter_ >= 0) {
        --stable_counter_;
        if (stable_counter_ == 0) return Event::kReload;
    }
    return Event::kNone;
}

}  // namespace tstat::control
