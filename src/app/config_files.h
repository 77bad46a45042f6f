// -T runtime.conf (spec §14.1) and -G globals.conf (§14.2), read at start-up.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "common/result.h"
#include "flow/flow_config.h"
#include "output/log_options.h"

namespace tstat::app {

// Tstat's GLOBALS that are not flow-table settings; kept for the stages that use them.
struct Globals {
    flow::FlowConfig flow;
    uint32_t max_internal_hosts = 100;
    uint32_t max_cloud_hosts = 100;
    uint32_t max_crypto_hosts = 40;
    uint32_t max_white_hosts = 100;
    uint32_t max_internal_ethers = 20;
    uint32_t hash_table_size = 2000003;
    uint32_t max_adx_slots = 70001;
    // Tstat's default is 0, a bug that leaves its Crypto-PAn cache unused (spec §17.6):
    // param.h's MAX_CRYPTO_CACHE_SIZE here. The output does not depend on it.
    uint32_t max_crypto_cache_size = 130000;
    uint32_t dns_cache_size = 100000;
    uint32_t dns_cache_size_ipv6 = 1000;
    double runtime_config_idle_s = 21.0;
    uint32_t runtime_mtime_counter = 3;
    int64_t max_time_step_us = 300'000'000;
    uint32_t dirs = 12;
    int64_t rate_sampling_us = 1'000'000;
    int64_t log_periodic_interval_us = 1'000'000;
    uint32_t entropy_sample = 60;
    double entropy_threshold = 3.7;
    double min_delta_t_tcp_dup_pkt_us = 2000;
    double min_delta_t_udp_dup_pkt_us = 1000;
    uint32_t crypto_ipv6_mask[4] = {0xffffffffu, 0xf0f0f0f0u, 0x0f0f0f0fu, 0x00000000u};
};

Result<Globals> load_globals(const std::string& path, Globals base);

struct RuntimeConfig {
    output::LogOptions logs;
    bool histo_engine = true;
    bool rrd_engine = false;
    bool rrd_engine_set = false;   // the file says rrd_engine (else -R/-r decide, spec §11)
    std::map<std::string, int64_t> dump;   // [dump] keys as read (all known keys)
};

Result<RuntimeConfig> load_runtime_conf(const std::string& path, RuntimeConfig base);

}  // namespace tstat::app
