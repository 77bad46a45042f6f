// Classic pcap (libpcap savefile): µs and ns magics in both byte orders, plus the old
// Kuznetzov (patched libpcap) record layout.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

#include "capture/pcap_file/trace_source.h"

namespace tstat::capture::pcap_file {

class PcapSource final : public TraceSource {
  public:
    static bool recognises(const uint8_t* p, size_t n);
    static Result<std::unique_ptr<CaptureSource>> open(TraceInput input);

    ReadStatus next_batch(PacketBatch& batch) override;

  private:
    // Which of the record's length fields holds caplen (see open()).
    enum class LengthOrder : uint8_t { kNormal, kSwapped, kMaybeSwapped };

    explicit PcapSource(TraceInput input) : TraceSource(std::move(input)) {}
    std::string format_description() const override;
    std::string record_where() const;

    bool swapped_ = false;
    bool nanoseconds_ = false;
    bool bogus_nanoseconds_ = false;
    LengthOrder length_order_ = LengthOrder::kNormal;
    uint32_t record_header_size_ = 16;
    uint32_t link_type_ = 0;
    uint32_t snapshot_ = kMaxCaplen;
    size_t filter_program_ = 0;
    uint16_t version_major_ = 0;
    uint16_t version_minor_ = 0;
};

}  // namespace tstat::capture::pcap_file
