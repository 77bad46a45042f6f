#include "output/log_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <cerrno>
#include <cstring>

namespace tstat::output {

namespace {
constexpr size_t kBufferSize = 1 << 18;
}

LogFile::~LogFile() { close(); }

Status LogFile::open(const std::string& path, bool gzip) {
    close();
    path_ = gzip ? path + ".gz" : path;
    failed_ = false;
    reported_ = false;
    failure_.clear();
    lines_ = 0;
    if (gzip) {
        gz_ = gzopen(path_.c_str(), "ab");
        if (gz_ == nullptr)
            return make_error(path_ + ": cannot open for writing: " + std::strerror(errno));
    } else {
        fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
        if (fd_ < 0)
            return make_error(path_ + ": cannot open for writing: " + std::strerror(errno));
        struct stat st {};
        committed_ = fstat(fd_, &st) == 0 ? static_cast<uint64_t>(st.st_size) : 0;
    }
    buf_.reserve(kBufferSize + 4096);
    return {};
}

void LogFile::write_line(std::string_view line) {
    if (failed_ || !is_open()) return;
    buf_.append(line);
    ++lines_;
    if (buf_.size() >= kBufferSize) flush();
}

void LogFile::fail(const std::string& what) {
    failed_ = true;
    failure_ = path_ + ": " + what + "; the file keeps its lines up to the last complete one";
    if (fd_ >= 0 && ftruncate(fd_, static_cast<off_t>(committed_)) != 0) {
        // Nothing more can be done: the message above already tells the user.
    }
    buf_.clear();
}

void LogFile::flush() {
    if (failed_ || buf_.empty()) return;
    if (gz_ != nullptr) {
        const int n = gzwrite(static_cast<gzFile>(gz_), buf_.data(),
                              static_cast<unsigned>(buf_.size()));
        if (n <= 0 || static_cast<size_t>(n) != buf_.size()) {
            int err = 0;
            const char* msg = gzerror(static_cast<gzFile>(gz_), &err);
            fail(std::string("write failed: ") + (err == Z_ERRNO ? std::strerror(errno) : msg));
            return;
        }
        buf_.clear();
        return;
    }
    size_t done = 0;
    while (done < buf_.size()) {
        const ssize_t n = ::write(fd_, buf_.data() + done, buf_.size() - done);
        if (n < 0) {
            if (errno == EINTR) continue;
            fail(std::string("write failed: ") + std::strerror(errno));
            return;
        }
        done += static_cast<size_t>(n);
    }
    committed_ += done;
    buf_.clear();
}

void LogFile::close() {
    flush();
    if (fd_ >= 0) {
        ::close(fd_);
        fd_ = -1;
    }
    if (gz_ != nullptr) {
        gzclose(static_cast<gzFile>(gz_));
        gz_ = nullptr;
    }
}

}  // namespace tstat::output
