// Network lists of -N (internal), -C (cloud), -Y/-W (Crypto-PAn) (spec §4.1): a linear,
// first-match list per address family, as Tstat keeps them.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "common/ip_address.h"
#include "common/result.h"

namespace tstat {

class NetList {
public:
    // Everything matches (Tstat's default without -N).
    static NetList everything();

    // Parses a net file; `max_entries` is per address family (Max_*_Hosts).
    static Result<NetList> load(const std::string& path, uint32_t max_entries);
    static Result<NetList> parse(const std::string& text, const std::string& name,
                                 uint32_t max_entries);

    bool contains(const IpAddress& a) const;
    size_t v4_entries() const { return v4_.size(); }
    size_t v6_entries() const { return v6_.size(); }
    // Tstat treats a missing family in an -N file as "all internal".
    bool has_v4() const { return !v4_.empty(); }
    bool has_v6() const { return !v6_.empty(); }
    void add_v4(uint32_t net, uint32_t mask) { v4_.push_back({net & mask, mask}); }
    void add_v6(const uint8_t* net, int prefix);

private:
    struct V4 {
        uint32_t net;
        uint32_t mask;
    };
    struct V6 {
        uint8_t net[16];
        int prefix;
    };
    std::vector<V4> v4_;
    std::vector<V6> v6_;
};

// -M: internal MAC addresses, one per line (spec §4.2).
class MacList {
public:
    static Result<MacList> load(const std::string& path, uint32_t max_entries);
    bool contains(const uint8_t* mac) const;
    bool empty() const { return macs_.empty(); }

private:
    std::vector<std::array<uint8_t, 6>> macs_;
};

}  // namespace tstat
