// Tstat's output layout (spec §5): <root>/<YYYY_MM_DD_HH_MM>.out/, named from the first
// packet in local time; an existing time folder is removed and made again, as Tstat does.
#pragma once

#include <string>

#include "common/result.h"
#include "common/timestamp.h"

namespace tstat::output {

// "<root>": -s dir, else "<trace>.out" for a regular file, else "stdin".
std::string default_root(const std::string& trace_path, bool is_stdin_or_live);

// "YYYY_MM_DD_HH_MM.out" in local time.
std::string time_dir_name(Timestamp t);

// Creates root (mkdir -p) and a fresh time folder; returns its path.
Result<std::string> make_time_dir(const std::string& root, Timestamp first_packet);
// The same with the folder's name given (a second folder of the same minute).
Result<std::string> make_time_dir_named(const std::string& root, const std::string& name);

}  // namespace tstat::output
