#include "output/out_dir.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <system_error>

namespace tstat::output {

std::string default_root(const std::string& trace_path, bool is_stdin_or_live) {
    if (is_stdin_or_live) return "stdin";
    struct stat st {};
    if (stat(trace_path.c_str(), &st) == 0 && S_ISREG(st.st_mode)) {
        // Tstat: the trace's base name + ".out", in the current folder.
        const auto slash = trace_path.find_last_of('/');
        return (slash == std::string::npos ? trace_path : trace_path.substr(slash + 1)) + ".out";
    }
    return "stdin";
}

std::string time_dir_name(Timestamp t) {
    const time_t secs = static_cast<time_t>(t.sec());
    struct tm tm {};
    localtime_r(&secs, &tm);
    char buf[64];
    std::strftime(buf, sizeof buf, "%Y_%m_%d_%H_%M.out", &tm);
    return buf;
}

Result<std::string> make_time_dir(const std::string& root, Timestamp first_packet) {
    return make_time_dir_named(root, time_dir_name(first_packet));
}

Result<std::string> make_time_dir_named(const std::string& root, const std::string& name) {
    std::error_code ec;
    std::filesystem::create_directories(root, ec);
    if (ec) return make_error(root + ": cannot create the output folder: " + ec.message());
    const std::string dir = root + "/" + name;
    std::filesystem::remove_all(dir, ec);
    if (ec) return make_error(dir + ": cannot remove the old folder: " + ec.message());
    std::filesystem::create_directories(dir, ec);
    if (ec) return make_error(dir + ": cannot create: " + ec.message());
    return dir;
}

}  // namespace tstat::output
