// One log file: appended, buffered, optionally gzip-compressed (-Z). Only whole lines ever
// reach the disk: a failed write (full disk, I/O error) truncates the file back to its last
// complete line and reports once.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"

namespace tstat::output {

class LogFile {
public:
    LogFile() = default;
    ~LogFile();
    LogFile(const LogFile&) = delete;
    LogFile& operator=(const LogFile&) = delete;

    Status open(const std::string& path, bool gzip);
    bool is_open() const { return fd_ >= 0 || gz_ != nullptr; }
    const std::string& path() const { return path_; }

    // `line` must end with '\n'.
    void write_line(std::string_view line);
    void flush();
    void close();

    // Set after a write failed; the message names the file and the cause.
    bool failed() const { return failed_; }
    const std::string& failure() const { return failure_; }
    // True the first time it is asked after a failure, so each failure is reported once.
    bool report_failure() {
        const bool first = failed_ && !reported_;
        reported_ = reported_ || failed_;
        return first;
    }
    uint64_t lines() const { return lines_; }

private:
    void fail(const std::string& what);

    std::string path_;
    int fd_ = -1;
    void* gz_ = nullptr;        // gzFile
    std::string buf_;
    uint64_t committed_ = 0;    // file size after the last successful flush
    uint64_t lines_ = 0;
    bool failed_ = false;
    bool reported_ = false;
    std::string failure_;
};

}  // namespace tstat::output
