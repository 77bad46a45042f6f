#include "output/pcap_dump/dump_config.h"

namespace tstat::output::pcap_dump {

namespace {
// dump_init()'s registrations.
constexpr std::array<std::string_view, target::kCount> kNames = [] {
    std::array<std::string_view, target::kCount> n{};
    n[0] = "udp_unknown";
    n[3] = "udp_rtp";
    n[4] = "udp_rtcp";
    n[8] = "udp_edk";
    n[9] = "udp_kad";
    n[10] = "udp_kadu";
    n[11] = "udp_gnutella";
    n[12] = "udp_bittorrent";
    n[13] = "udp_dc";
    n[14] = "udp_kazaa";
    n[15] = "udp_pplive";
    n[16] = "udp_sopcast";
    n[17] = "udp_tvants";
    n[18] = "udp_okad";
    n[19] = "udp_dns";
    n[20] = "udp_utp";
    n[22] = "udp_vod";
    n[23] = "udp_ppstream";
    n[24] = "udp_teredo";
    n[25] = "udp_sip";
    n[26] = "udp_dtls";
    n[27] = "udp_quic";
    n[30] = "udp_mturn";
    n[31] = "udp_sye";
    n[target::kIpComplete] = "ip_complete";
    n[target::kUdpComplete] = "udp_complete";
    n[target::kTcpVideostreaming] = "tcp_videostreaming";
    n[target::kTcpComplete] = "tcp_complete";
    n[target::kUdpStun] = "udp_stun";
    return n;
}();
}  // namespace

std::string_view target_name(int t) {
    return t >= 0 && t < target::kCount ? kNames[static_cast<size_t>(t)] : std::string_view();
}

int target_of(std::string_view key) {
    if (key.empty()) return -1;
    for (int t = 0; t < target::kCount; ++t)
        if (kNames[static_cast<size_t>(t)] == key) return t;
    return -1;
}

bool DumpConfig::active() const {
    for (bool e : enabled)
        if (e) return true;
    return false;
}

DumpConfig DumpConfig::from_keys(const std::map<std::string, int64_t>& keys) {
    DumpConfig c;
    for (const auto& [key, v] : keys) {
        if (const int t = target_of(key); t >= 0) {
            c.enabled[static_cast<size_t>(t)] = v != 0;
        } else if (key == "snap_len") {
            c.snap_len = v;
        } else if (key == "slice_win") {
            c.slice_win = v;
        } else if (key == "tcp_maxpackets") {
            if (v > 0) c.tcp_maxpackets = v;  // Tstat ignores values <= 0
        } else if (key == "tcp_maxbytes") {
            if (v > 0) c.tcp_maxbytes = v;
        } else if (key == "udp_maxpackets") {
            if (v > 0) c.udp_maxpackets = v;
        } else if (key == "udp_maxbytes") {
            if (v > 0) c.udp_maxbytes = v;
        } else if (key == "stop_dumping_mask") {
            if (v > 0) c.stop_dumping_mask = static_cast<uint32_t>(v);
        } else if (key == "dns_filter") {
            c.dns_filter_key = true;
            c.dns_filter = v > 0;
        }
    }
    return c;
}

}  // namespace tstat::output::pcap_dump
