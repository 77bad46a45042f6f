// When to re-read runtime.conf (-T, spec §14.1). Tstat looks at the file's mtime every
// Runtime_Config_Idle seconds of wall-clock time and re-reads it once the mtime has stayed
// the same for Runtime_Mtime_Counter further looks (about 63 s with the defaults), so that an
// editor's half-written file is never read. Here the same, plus a request (SIGHUP) that
// re-reads at the next poll. Polling costs a clock read; stat() runs once per idle period.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <ctime>
#include <functional>
#include <optional>
#include <string>

namespace tstat::control {

class RuntimeWatcher {
  public:
    // Seconds since the epoch (wall clock), and the file's mtime (nullopt: stat() failed).
    using Clock = std::function<double()>;
    using MtimeOf = std::function<std::optional<int64_t>(const std::string&)>;

    RuntimeWatcher(std::string path, double idle_seconds, uint32_t stable_checks);
    // For tests: a fake clock and file.
    RuntimeWatcher(std::string path, double idle_seconds, uint32_t stable_checks, Clock clock,
                   MtimeOf mtime);

    enum class Event {
        kNone,
        kReload,   // re-read the file now
        kMissing,  // stat() failed five times in a row (Tstat exits; we warn once)
    };
    // Called often (per packet batch and when the capture is idle).
    Event poll();
    // Re-read at the next poll, whatever the mtime says (SIGHUP).
    void request() { requested_ = true; }

    const std::string& path() const { return path_; }

  private:
    std::string path_;
    double idle_;
    int32_t stable_checks_;
    Clock clock_;
    MtimeOf mtime_of_;
    double last_check_;
    int64_t last_mtime_ = 0;
    int32_t stable_counter_ = -1;  // Tstat's mtime_stable_counter
    int stat_errors_left_ = 3;     // Tstat's stat_err_counter (3 at start, 5 after a success)
    bool missing_reported_ = false;
    bool requested_ = false;
};

// stat(path).st_mtime, or nullopt.
std::optional<int64_t> file_mtime(const std::string& path);

}  // namespace tstat::control
