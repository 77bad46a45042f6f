// Headers of logs whose rows come only from application classifiers (multimedia, chat) and
// the detail bitmask of log_video_complete (its columns: logs/video_log.h).
#pragma once

#include <string>

namespace tstat::output {

// Detail bitmask of log_video_complete (tstat.h VIDEO_LOG_*): differs from the TCP one.
namespace video_set {
inline constexpr int kEndToEnd = 1;
inline constexpr int kLayer7 = 2;
inline constexpr int kOptions = 4;
inline constexpr int kVideoInfo = 8;
inline constexpr int kYoutube = 16;
inline constexpr int kAdvanced = 32;
inline constexpr int kDefault = 31;
}  // namespace video_set

std::string mm_log_header();
std::string chat_complete_header();
std::string chat_messages_header();

}  // namespace tstat::output
