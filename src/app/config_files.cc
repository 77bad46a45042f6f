#include "app/config_files.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <set>
#include <vector>

#include "common/ini_reader.h"

namespace tstat::app {

namespace {

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

std::string where(const std::string& path, const IniEntry& e) {
    return path + ":" + std::to_string(e.line) + ": ";
}

}  // namespace

Result<Globals> load_globals(const std::string& path, Globals g) {
    auto entries = read_ini(path);
    if (!entries) return Error{entries.error()};
    for (const IniEntry& e : *entries) {
        if (e.section != "globals")
            return make_error(where(path, e) + "'" + e.key +
                              "' is outside a [globals] section (only [globals] is valid here)");
        const std::string key = lower(e.key);
        int64_t iv = 0;
        double dv = 0;
        const bool is_int = parse_int(e.value, iv);
        const bool is_num = parse_double(e.value, dv) || is_int;
        if (is_int) dv = static_cast<double>(iv);
        auto positive_int = [&](auto& field) -> Status {
            if (!is_int || iv <= 0 || iv > 0xffffffffLL)
                return make_error(where(path, e) + key + " = " + e.value +
                                  ": expected a positive integer");
            field = static_cast<std::remove_reference_t<decltype(field)>>(iv);
            return {};
        };
        auto seconds = [&](int64_t& field_us) -> Status {
            if (!is_num || dv <= 0)
                return make_error(where(path, e) + key + " = " + e.value +
                                  ": expected a positive number of seconds");
            field_us = static_cast<int64_t>(std::llround(dv * 1e6));
            return {};
        };
        Status s;
        if (key == "max_tcp_pairs") {
            s = positive_int(g.flow.max_tcp_pairs);
            g.flow.growable_tables = false;
        } else if (key == "max_udp_pairs") {
            s = positive_int(g.flow.max_udp_pairs);
            g.flow.growable_tables = false;
        } else if (key == "hash_table_size") s = positive_int(g.hash_table_size);
        else if (key == "tcp_idle_time") s = seconds(g.flow.tcp_idle_us);
        else if (key == "udp_idle_time") s = seconds(g.flow.udp_idle_us);
        else if (key == "tcp_singleton_time") s = seconds(g.flow.tcp_singleton_us);
        else if (key == "udp_singleton_time") s = seconds(g.flow.udp_singleton_us);
        else if (key == "gc_cycle_time") s = seconds(g.flow.gc_cycle_us);
        else if (key == "gc_split_ratio") s = positive_int(g.flow.gc_split_ratio);
        else if (key == "max_adx_slots") s = positive_int(g.max_adx_slots);
        else if (key == "max_internal_hosts") s = positive_int(g.max_internal_hosts);
        else if (key == "max_cloud_hosts") s = positive_int(g.max_cloud_hosts);
        else if (key == "max_crypto_hosts") s = positive_int(g.max_crypto_hosts);
        else if (key == "max_white_hosts") s = positive_int(g.max_white_hosts);
        else if (key == "max_internal_ethers") s = positive_int(g.max_internal_ethers);
        else if (key == "max_crypto_cache_size") {
            if (!is_int || iv < 0) s = make_error(where(path, e) + key + ": expected an integer >= 0");
            else g.max_crypto_cache_size = static_cast<uint32_t>(iv);
        } else if (key == "dns_cache_size") s = positive_int(g.dns_cache_size);
        else if (key == "dns_cache_size_ipv6") s = positive_int(g.dns_cache_size_ipv6);
        else if (key == "runtime_config_idle") {
            if (!is_num || dv <= 0) s = make_error(where(path, e) + key + ": expected seconds");
            else g.runtime_config_idle_s = dv;
        } else if (key == "runtime_mtime_counter") s = positive_int(g.runtime_mtime_counter);
        else if (key == "max_time_step") s = seconds(g.max_time_step_us);
        else if (key == "dirs") s = positive_int(g.dirs);
        else if (key == "rate_sampling") s = seconds(g.rate_sampling_us);
        else if (key == "log_periodic_interval") s = seconds(g.log_periodic_interval_us);
        else if (key == "max_seg_per_quad") {
            if (!is_int || iv < 0) s = make_error(where(path, e) + key + ": expected an integer >= 0 (0 = unlimited)");
            else g.flow.max_seg_per_quad = static_cast<uint32_t>(iv);
        } else if (key == "list_search_dept") s = positive_int(g.flow.list_search_dept);
        else if (key == "entropy_sample") s = positive_int(g.entropy_sample);
        else if (key == "entropy_threshold") {
            if (!is_num || dv < 0 || dv > 4) s = make_error(where(path, e) + key + ": expected a number from 0 to 4");
            else g.entropy_threshold = dv;
        } else if (key == "min_delta_t_tcp_dup_pkt" || key == "min_delta_t_udp_dup_pkt") {
            if (!is_num || dv < 0) s = make_error(where(path, e) + key + ": expected microseconds");
            else (key == "min_delta_t_tcp_dup_pkt" ? g.min_delta_t_tcp_dup_pkt_us : g.min_delta_t_udp_dup_pkt_us) = dv;
        } else if (key.rfind("crypto_ipv6_mask_", 0) == 0 && key.size() == 18 && key[17] >= '0' && key[17] <= '3') {
            if (!is_int || iv < 0 || iv > 0xffffffffLL) s = make_error(where(path, e) + key + ": expected a 32-bit mask");
            else g.crypto_ipv6_mask[key[17] - '0'] = static_cast<uint32_t>(iv);
        } else if (key == "dns_cache_size_ipv4_dns6" || key == "dns_cache_size_ipv4_dsn6" ||
                   key == "dns_cache_size_ipv6_dns4") {
            // Tstat reads these only when built with SUPPORT_MIXED_DNS (not its default).
            s = make_error(where(path, e) + key +
                           ": mixed-family DN-Hunter caches (Tstat's SUPPORT_MIXED_DNS build) "
                           "are not supported; remove the line");
        } else {
            s = make_error(where(path, e) + "'" + e.key + "' - unknown keyword");
        }
        if (!s) return Error{s.error()};
    }
    // Tstat's own consistency rules (globals.c).
    const auto& f = g.flow;
    if (f.max_tcp_pairs % f.gc_split_ratio != 0 || f.max_udp_pairs % f.gc_split_ratio != 0 ||
        f.gc_cycle_us % f.gc_split_ratio != 0)
        return make_error(path + ": gc_split_ratio (" + std::to_string(f.gc_split_ratio) +
                          ") must divide max_tcp_pairs, max_udp_pairs and gc_cycle_time in µs");
    if (g.hash_table_size < f.max_tcp_pairs || g.hash_table_size < f.max_udp_pairs)
        return make_error(path + ": hash_table_size must be at least max_tcp_pairs and max_udp_pairs");
    return g;
}

namespace {

const std::vector<std::pair<const char*, uint32_t>>& log_keys() {
    using namespace output::log_bit;
    static const std::vector<std::pair<const char*, uint32_t>> keys = {
        {"log_tcp_complete", kTcpComplete},   {"log_tcp_nocomplete", kTcpNocomplete},
        {"log_udp_complete", kUdpComplete},   {"log_mm_complete", kMmComplete},
        {"log_skype_complete", kSkypeComplete}, {"log_chat_complete", kChatComplete},
        {"log_chat_messages", kChatMessages}, {"log_video_complete", kVideoComplete},
        {"log_http_complete", kHttpComplete}, {"log_dns_complete", kDnsComplete},
        {"log_tcp_periodic", kTcpPeriodic},   {"log_udp_periodic", kUdpPeriodic},
    };
    return keys;
}

const std::set<std::string>& dump_keys() {
    static const std::set<std::string> keys = {
        "snap_len", "slice_win", "udp_dns", "udp_rtp", "udp_rtcp", "udp_edk", "udp_kad",
        "udp_kadu", "udp_okad", "udp_gnutella", "udp_bittorrent", "udp_utp", "udp_dc",
        "udp_kazaa", "udp_pplive", "udp_sopcast", "udp_tvants", "udp_ppstream", "udp_teredo",
        "udp_vod", "udp_sip", "udp_dtls", "udp_quic", "udp_mturn", "udp_sye", "udp_stun",
        "udp_unknown", "tcp_videostreaming", "ip_complete", "udp_complete", "udp_maxpackets",
        "udp_maxbytes", "tcp_complete", "tcp_maxpackets", "tcp_maxbytes", "dns_filter",
        "stop_dumping_mask"};
    return keys;
}

}  // namespace

Result<RuntimeConfig> load_runtime_conf(const std::string& path, RuntimeConfig rc) {
    auto entries = read_ini(path);
    if (!entries) return Error{entries.error()};
    rc.dump.clear();  // [dump] restarts from all-zero (spec §14.1)
    for (const IniEntry& e : *entries) {
        int64_t v = 0;
        if (!parse_int(e.value, v)) {
            double d = 0;
            if (!parse_double(e.value, d))
                return make_error(where(path, e) + e.key + " = " + e.value +
                                  ": expected a number");
            v = static_cast<int64_t>(d);
        }
        auto bool01 = [&]() -> Status {
            if (v != 0 && v != 1)
                return make_error(where(path, e) + "expected 0|1 value near '" + e.key + "'");
            return {};
        };
        if (e.section == "log") {
            if (Status s = bool01(); !s) return Error{s.error()};
            if (e.key == "histo_engine") {
                rc.histo_engine = v != 0;
                continue;
            }
            if (e.key == "rrd_engine") {
                rc.rrd_engine = v != 0;
                rc.rrd_engine_set = true;
                continue;
            }
            bool found = false;
            for (const auto& [name, bit] : log_keys()) {
                if (e.key != name) continue;
                found = true;
                if (v) rc.logs.log_bitmask |= bit;
                else rc.logs.log_bitmask &= ~bit;
            }
            if (!found)
                return make_error(where(path, e) + "'" + e.key + "' - unknown keyword in [log]");
        } else if (e.section == "options") {
            struct Flag {
                const char* key;
                int* level;
                int bit;
            };
            const Flag flags[] = {
                {"tcplog_end_to_end", &rc.logs.tcp_level, 1},
                {"tcplog_layer7", &rc.logs.tcp_level, 2},
                {"tcplog_p2p", &rc.logs.tcp_level, 4},
                {"tcplog_options", &rc.logs.tcp_level, 8},
                {"tcplog_advanced", &rc.logs.tcp_level, 16},
                {"videolog_end_to_end", &rc.logs.video_level, 1},
                {"videolog_layer7", &rc.logs.video_level, 2},
                {"videolog_options", &rc.logs.video_level, 4},
                {"videolog_videoinfo", &rc.logs.video_level, 8},
                {"videolog_youtube", &rc.logs.video_level, 16},
                {"videolog_advanced", &rc.logs.video_level, 32},
            };
            if (e.key == "httplog_full_url") {
                if (v < 0 || v > 2)
                    return make_error(where(path, e) + "httplog_full_url must be 0, 1 or 2");
                rc.logs.httplog_full_url = static_cast<int>(v);
                continue;
            }
            bool found = false;
            for (const Flag& f : flags) {
                if (e.key != f.key) continue;
                found = true;
                if (Status s = bool01(); !s) return Error{s.error()};
                if (v) *f.level |= f.bit;
                else *f.level &= ~f.bit;
            }
            if (!found)
                return make_error(where(path, e) + "'" + e.key +
                                  "' - unknown keyword in [options]");
        } else if (e.section == "dump") {
            if (!dump_keys().count(e.key))
                return make_error(where(path, e) + "'" + e.key + "' - unknown keyword in [dump]");
            rc.dump[e.key] = v;
        } else if (e.section == "globals") {
            return make_error(where(path, e) +
                              "[globals] belongs in the -G file, not in the runtime configuration");
        } else {
            return make_error(where(path, e) + "'" + e.key + "' is outside [log], [options] or [dump]");
        }
    }
    return rc;
}

}  // namespace tstat::app
