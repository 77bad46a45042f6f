// pcapng: several sections (each with its own byte order), several interfaces with their own
// link type, time resolution (if_tsresol) and offset (if_tsoffset); Enhanced, Simple and the
// obsolete Packet blocks carry packets, every other block type is skipped.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "capture/pcap_file/trace_source.h"

namespace tstat::capture::pcap_file {

class PcapngSource final : public TraceSource {
  public:
    static bool recognises(const uint8_t* p, size_t n);
    static Result<std::unique_ptr<CaptureSource>> open(TraceInput input);

    ReadStatus next_batch(PacketBatch& batch) override;

  private:
    // How an interface's timestamp units become microseconds.
    enum class TsScale : uint8_t { kMicro, kDivide, kMultiply, kBinary };
    struct Interface {
        uint32_t link_type = 0;
        uint32_t snaplen = kMaxCaplen;  // adjusted as libpcap does (0 = maximum)
        TsScale scale = TsScale::kMicro;
        uint8_t shift = 0;  // kBinary: units are 2^-shift s
        uint64_t units_per_sec = 1000000;
        uint64_t factor = 1;     // kDivide: units per µs; kMultiply: µs per unit
        int64_t offset_sec = 0;  // if_tsoffset
        size_t filter_program = 0;
    };
    // What one block turned out to be.
    enum class Step : uint8_t { kPacket, kOther, kWait, kInterrupted, kStop };

    explicit PcapngSource(TraceInput input) : TraceSource(std::move(input)) {}
    std::string format_description() const override;

    // Parses one block; packet blocks fill `p`. Refills only if `may_refill`, else kWait.
    Step read_block(RawPacket& p, size_t& program, bool may_refill);
    // `n` contiguous bytes at the cursor, or nullptr with `step` saying why.
    const uint8_t* require(size_t n, bool may_refill, bool header, Step& step);
    bool parse_section_header(const uint8_t* b, uint32_t len, bool swapped);
    bool parse_interface(const uint8_t* b, uint32_t len);
    // Fills `p`; `program` receives the filter program of the packet's interface.
    bool parse_packet(const uint8_t* b, uint32_t type, uint32_t len, RawPacket& p, size_t& program);
    bool check_options(const uint8_t* p, const uint8_t* end, const char* block_name);
    int64_t to_micros(const Interface& ifc, uint64_t t) const;
    std::string block_where() const;

    bool swapped_ = false;
    bool first_section_little_ = true;
    uint16_t version_minor_ = 0;
    std::vector<Interface> interfaces_;      // of the current section
    std::vector<uint32_t> link_types_seen_;  // for describe()
    uint64_t blocks_ = 0;
    uint64_t sections_ = 0;
    uint64_t interfaces_total_ = 0;
};

}  // namespace tstat::capture::pcap_file
