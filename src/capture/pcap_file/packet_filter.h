// BPF filtering of trace-file packets: Tstat applies -f to offline reading too (spec §3.6,
// tcpdump_install_filter). Compiled once per link type and byte order (pcapng interfaces and
// sections may differ).
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

    // Compiles the expression for packets of `link_type` from a file written in the other
    // byte order than the host's (`swapped`), unless already done (cold path). Returns the
    // program's index for matches().
    Result<size_t> prepare(uint32_t link_type, bool swapped);

    // Hot path: does program `index` (from prepare()) accept the packet?
    bool matches(size_t index, const RawPacket& p) const;

    const std::string& expression() const { return expression_; }

  private:
    struct Program;
    std::string expression_;
    std::vector<std::unique_ptr<Program>> programs_;
};

}  // namespace tstat::capture::pcap_file
