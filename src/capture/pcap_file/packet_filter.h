// BPF filtering of trace-file packets: Tstat applies -f to offline reading too (spec §3.6,
// tcpdump_install_filter). Compiled once per link type (pcapng interfaces may differ).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "capture/raw_packet.h"
#include "common/result.h"

namespace tstat::capture::pcap_file {

class PacketFilter {
public:
    explicit PacketFilter(std::string expression);
    ~PacketFilter();
    PacketFilter(const PacketFilter&) = delete;
    PacketFilter& operator=(const PacketFilter&) = delete;

    // Compiles the expression for `link_type` unless already done (cold path).
    Status prepare(uint32_t link_type);

    // Hot path; prepare(p.link_type) must have succeeded before.
    bool matches(const RawPacket& p) const;

    const std::string& expression() const { return expression_; }

private:
    struct Program;
    std::string expression_;
    std::vector<std::unique_ptr<Program>> programs_;
    mutable size_t last_ = 0;
};

}  // namespace tstat::capture::pcap_file
