#include "output/log_catalog.h"

#include "output/logs/classified_logs.h"
#include "output/logs/dns_log.h"
#include "output/logs/http_log.h"
#include "output/logs/periodic_log.h"
#include "output/logs/tcp_log.h"
#include "output/logs/udp_log.h"
#include "output/logs/video_log.h"

namespace tstat::output {

namespace {

std::string no_header(const LogOptions&) { return {}; }

const LogInfo kLogs[kLogCount] = {
    {LogId::kTcpComplete, "log_tcp_complete", log_bit::kTcpComplete,
     [](const LogOptions& o) { return tcp_log_header(o.tcp_level, true); }},
    {LogId::kTcpNocomplete, "log_tcp_nocomplete", log_bit::kTcpNocomplete,
     [](const LogOptions& o) { return tcp_log_header(o.tcp_level, false); }},
    {LogId::kUdpComplete, "log_udp_complete", log_bit::kUdpComplete,
     [](const LogOptions&) { return udp_log_header(); }},
    {LogId::kMmComplete, "log_mm_complete", log_bit::kMmComplete,
     [](const LogOptions&) { return mm_log_header(); }},
    {LogId::kSkypeComplete, "log_skype_complete", log_bit::kSkypeComplete, no_header},
    {LogId::kChatComplete, "log_chat_complete", log_bit::kChatComplete,
     [](const LogOptions&) { return chat_complete_header(); }},
    {LogId::kChatMessages, "log_chat_messages", log_bit::kChatMessages,
     [](const LogOptions&) { return chat_messages_header(); }},
    {LogId::kVideoComplete, "log_video_complete", log_bit::kVideoComplete,
     [](const LogOptions& o) { return video_log_header(o.video_level); }},
    {LogId::kHttpComplete, "log_http_complete", log_bit::kHttpComplete,
     [](const LogOptions&) { return http_log_header(); }},
    {LogId::kDnsComplete, "log_dns_complete", log_bit::kDnsComplete,
     [](const LogOptions&) { return dns_log_header(); }},
    {LogId::kTcpPeriodic, "log_tcp_periodic", log_bit::kTcpPeriodic,
     [](const LogOptions&) { return tcp_periodic_header(); }},
    {LogId::kUdpPeriodic, "log_udp_periodic", log_bit::kUdpPeriodic,
     [](const LogOptions&) { return udp_periodic_header(); }},
};

}  // namespace

const LogInfo& log_info(LogId id) { return kLogs[static_cast<int>(id)]; }

bool log_enabled(LogId id, const LogOptions& options) {
    if (!options.enabled(log_info(id).bit)) return false;
    if (id == LogId::kSkypeComplete) return options.skype;
    return true;
}

}  // namespace tstat::output
