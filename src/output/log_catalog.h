// Every log file Tstat writes (spec §5, §7): its name, the log_bitmask bit that enables it and
// its header line. The writer opens what is enabled; rows come as records or as text lines.
#pragma once

#include <cstdint>
#include <string>

#include "output/log_options.h"

namespace tstat::output {

enum class LogId : uint8_t {
    kTcpComplete,
    kTcpNocomplete,
    kUdpComplete,
    kMmComplete,
    kSkypeComplete,
    kChatComplete,
    kChatMessages,
    kVideoComplete,
    kHttpComplete,
    kDnsComplete,
    kTcpPeriodic,
    kUdpPeriodic,
    kCount
};

inline constexpr int kLogCount = static_cast<int>(LogId::kCount);

struct LogInfo {
    LogId id;
    const char* file;        // name in the time folder
    uint32_t bit;            // log_bitmask bit
    // Header line without '\n'; empty for logs Tstat writes without one (skype).
    std::string (*header)(const LogOptions&);
};

const LogInfo& log_info(LogId id);

// Whether the file exists for these options (log_skype_complete needs -B too).
bool log_enabled(LogId id, const LogOptions& options);

}  // namespace tstat::output
