// The [dump] section of runtime.conf (spec §12, §14.1), typed. Tstat numbers its dump files
// (proto2dump) by UDP class first (enum udp_type, 0-31), then the aggregates; log.txt lists the
// enabled ones in that order, so the same numbering is kept here.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

namespace tstat::output::pcap_dump {

// Dump targets: UDP classes keep their udp_type number.
namespace target {
inline constexpr int kUdpUnknown = 0;
inline constexpr int kUdpUtp = 20;
inline constexpr int kUdpQuic = 27;
inline constexpr int kUdpSye = 31;
inline constexpr int kIpComplete = 32;
inline constexpr int kUdpComplete = 33;
inline constexpr int kTcpVideostreaming = 34;
inline constexpr int kTcpComplete = 35;
inline constexpr int kUdpStun = 36;
inline constexpr int kCount = 37;
}  // namespace target

// File name (without ".pcap") of a target, or "" for a UDP class Tstat has no dump for.
std::string_view target_name(int target);
// The target of a [dump] switch name, or -1.
int target_of(std::string_view key);

struct DumpConfig {
    std::array<bool, target::kCount> enabled{};
    int64_t snap_len = 0;   // bytes kept from the IP header (0: all)
    int64_t slice_win = 0;  // seconds of trace time per file (0: one file)
    int64_t tcp_maxpackets = 0;
    int64_t tcp_maxbytes = 0;
    int64_t udp_maxpackets = 0;
    int64_t udp_maxbytes = 0;
    uint32_t stop_dumping_mask = 0;
    // dns_filter: Tstat turns the -F filter on when the file loads and the key only switches
    // it; so with -F and no dns_filter key the filter is on.
    bool dns_filter_key = false;  // the key was given
    bool dns_filter = false;      // ...and its value was not 0

    // Tstat's dump_engine: at least one switch is on.
    bool active() const;
    bool operator==(const DumpConfig&) const = default;

    // From the [dump] keys as read (values already checked by the runtime.conf reader).
    static DumpConfig from_keys(const std::map<std::string, int64_t>& keys);
};

}  // namespace tstat::output::pcap_dump
