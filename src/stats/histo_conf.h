// The -H histogram configuration file (spec §10.1; Tstat's histo_parse_conf()): which
// histograms are collected and how the address histograms aggregate.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "stats/histogram_set.h"

namespace tstat::stats {

// An IPv4 netmask as the four bytes of its dotted form (network order).
using Mask4 = std::array<uint8_t, 4>;
inline constexpr Mask4 kDefaultAdxMask = {255, 255, 255, 0};   // ADDR_MASK, ADDR2_MASK

struct HistoConfig {
    HistoFlags on{};                 // histograms to collect
    bool adx = false;                // the `addresses` file of each window
    bool adx2 = false;               // the `addresses2` file (internal subnets)
    Mask4 adx_mask = kDefaultAdxMask;
    Mask4 adx2_mask = kDefaultAdxMask;
    int64_t adx2_sample_us = 60'000'000;   // ADX2_BITRATE_DELTA
    int64_t adx3_sample_us = 1'000'000;    // ADX2_MAX_DELTA
    std::vector<std::string> warnings;     // what Tstat would print and go on with
};

// Parses the text of a -H file. `source` names it in messages; `with_globals`: -g was given,
// so the g_* histograms exist. Keywords: include NAME|ALL|ADX, include_matching TEXT,
// adx_mask N|MASK, adx2_mask N|MASK, adx2_sample S, adx3_sample S; '#' starts a comment
// where a keyword is expected. Unknown keywords and histogram names are errors, as in Tstat.
Result<HistoConfig> parse_histo_conf(std::string_view text, const std::string& source,
                                     bool with_globals);
Result<HistoConfig> load_histo_conf(const std::string& path, bool with_globals);

// validate_adx_mask(): a prefix length 1..32 or a dotted mask (inet_aton forms); anything
// else leaves `fallback` and a warning.
Mask4 parse_adx_mask(const std::string& text, Mask4 fallback, std::vector<std::string>& warnings);

// `tstat -H ?`: the definitions, one per line, in Tstat's format.
std::string histogram_definitions(bool with_globals);

}  // namespace tstat::stats
