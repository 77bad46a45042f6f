// The DNS-name filter of the dump engine (-F file, [dump] dns_filter; spec §12): decides when
// a TCP flow opens, from the name DN-Hunter found for it, whether tcp_complete dumps it.
//
// File format (Tstat's DNS_config.txt): one "<name> <0|1>" per line, '#' comments, empty lines
// skipped; a name starting with "ANY.ANY" sets the default (1 when absent). Matching is Tstat's:
// the first entry that is a plain suffix of the flow's name wins (not label-aware, so
// "google.com" also matches "notgoogle.com"); a flow without a name gets the default.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace tstat::output::pcap_dump {

class DnsFilter {
  public:
    // Tstat's MAX_DOMAIN_NAMES: the 256th name is refused.
    static constexpr size_t kMaxNames = 256;
    // Tstat reads names into an 80-byte buffer.
    static constexpr size_t kMaxNameLength = 79;

    static Result<DnsFilter> parse(std::string_view text, const std::string& name);
    static Result<DnsFilter> load(const std::string& path);

    // 1: dump the flow, 0: do not. `name` empty: no DN-Hunter name.
    bool dump(std::string_view name) const noexcept;

    bool default_value() const { return default_; }
    size_t entries() const { return entries_.size(); }

  private:
    struct Entry {
        std::string name;
        bool dump = true;
    };
    std::vector<Entry> entries_;
    bool default_ = true;
};

}  // namespace tstat::output::pcap_dump
