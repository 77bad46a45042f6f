// Which log files exist and how detailed they are (spec §7.0, §14.1).
#pragma once

#include <cstdint>

namespace tstat::output {

// tstat.h LOG_* bits of log_bitmask.
namespace log_bit {
inline constexpr uint32_t kTcpComplete = 0x1;
inline constexpr uint32_t kTcpNocomplete = 0x2;
inline constexpr uint32_t kUdpComplete = 0x4;
inline constexpr uint32_t kMmComplete = 0x8;
inline constexpr uint32_t kSkypeComplete = 0x10;
inline constexpr uint32_t kChatComplete = 0x20;
inline constexpr uint32_t kChatMessages = 0x40;
inline constexpr uint32_t kVideoComplete = 0x80;
inline constexpr uint32_t kStreaming = 0x100;     // obsolete: no file
inline constexpr uint32_t kHttpComplete = 0x200;
inline constexpr uint32_t kDnsComplete = 0x400;
inline constexpr uint32_t kTcpPeriodic = 0x800;
inline constexpr uint32_t kUdpPeriodic = 0x1000;
inline constexpr uint32_t kDefault = 0x1FF;       // LOG_ALL
}  // namespace log_bit

struct LogOptions {
    uint32_t log_bitmask = log_bit::kDefault;
    int tcp_level = 15;          // TCP_LOG_ALL
    int video_level = 31;        // VIDEO_LOG_ALL
    int httplog_full_url = 0;
    bool gzip = false;           // -Z
    bool skype = false;          // -B: log_skype_complete exists only then

    bool enabled(uint32_t bit) const { return (log_bitmask & bit) != 0; }
};

}  // namespace tstat::output
