// Writers of small pcap / pcapng / gzip traces for tests, including deliberately broken ones:
// every header field can be set by hand, and the offsets of records/blocks are kept so a test
// can cut a trace at a chosen point.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace tstat::testing {

enum class ByteOrder { kLittle, kBig };

// Appends integers in a chosen byte order.
class ByteSink {
  public:
    explicit ByteSink(ByteOrder order) : order_(order) {}
    void u8(uint8_t v) { bytes_.push_back(v); }
    void u16(uint16_t v);
    void u32(uint32_t v);
    void u64(uint64_t v);
    void append(std::span<const uint8_t> data);
    void pad_to_4();
    void set_u32(size_t offset, uint32_t v);  // patch an earlier field
    ByteOrder order() const { return order_; }
    void set_order(ByteOrder order) { order_ = order; }
    std::vector<uint8_t>& bytes() { return bytes_; }
    const std::vector<uint8_t>& bytes() const { return bytes_; }
    size_t size() const { return bytes_.size(); }

  private:
    ByteOrder order_;
    std::vector<uint8_t> bytes_;
};

class PcapWriter {
  public:
    struct Options {
        ByteOrder order = ByteOrder::kLittle;
        bool nanoseconds = false;
        uint32_t link_type = 1;  // Ethernet
        uint32_t snaplen = 65535;
        uint16_t version_major = 2;
        uint16_t version_minor = 4;
        uint32_t magic = 0;  // 0: the µs or ns magic; else written as given
    };

    PcapWriter() : PcapWriter(Options{}) {}
    explicit PcapWriter(const Options& options);

    // A well-formed record: caplen = data.size(), wire_len 0 means data.size().
    PcapWriter& packet(uint32_t sec, uint32_t frac, std::span<const uint8_t> data,
                       uint32_t wire_len = 0);
    // A record header with any field values, followed by `data` (may disagree with caplen).
    PcapWriter& record(uint32_t sec, uint32_t frac, uint32_t caplen, uint32_t wire_len,
                       std::span<const uint8_t> data);
    PcapWriter& raw(std::span<const uint8_t> data);

    const std::vector<uint8_t>& bytes() const { return out_.bytes(); }
    // Offset of each record's header, in order.
    const std::vector<size_t>& record_offsets() const { return offsets_; }

  private:
    ByteSink out_;
    std::vector<size_t> offsets_;
};

struct PcapngOption {
    uint16_t code = 0;
    std::vector<uint8_t> value;
};

class PcapngWriter {
  public:
    explicit PcapngWriter(ByteOrder order = ByteOrder::kLittle) : out_(order) {}

    // Starts a section in `order` (a later section may change it); interface ids restart.
    PcapngWriter& section(std::vector<PcapngOption> options = {}, uint16_t major = 1,
                          uint16_t minor = 0);
    PcapngWriter& section_in(ByteOrder order, std::vector<PcapngOption> options = {});
    // Returns the interface id. tsresol: the raw if_tsresol byte; tsoffset in seconds.
    uint32_t interface(uint16_t link_type, uint32_t snaplen = 0,
                       std::optional<uint8_t> tsresol = {}, std::optional<int64_t> tsoffset = {},
                       std::vector<PcapngOption> extra = {});
    PcapngWriter& enhanced(uint32_t iface, uint64_t ts, std::span<const uint8_t> data,
                           uint32_t wire_len = 0, std::vector<PcapngOption> options = {});
    PcapngWriter& simple(std::span<const uint8_t> data, uint32_t wire_len = 0);
    PcapngWriter& obsolete(uint16_t iface, uint64_t ts, std::span<const uint8_t> data,
                           uint32_t wire_len = 0);
    // Any block: header, `body` padded to 4 bytes, trailer.
    PcapngWriter& block(uint32_t type, std::span<const uint8_t> body);
    PcapngWriter& raw(std::span<const uint8_t> data);

    const std::vector<uint8_t>& bytes() const { return out_.bytes(); }
    const std::vector<size_t>& block_offsets() const { return offsets_; }

  private:
    void begin_block(uint32_t type);
    void end_block();
    void options(const std::vector<PcapngOption>& opts);

    ByteSink out_;
    std::vector<size_t> offsets_;
    size_t block_start_ = 0;
    uint32_t interfaces_ = 0;
};

// One gzip member (RFC 1952) of `data`.
std::vector<uint8_t> gzip_compress(std::span<const uint8_t> data, int level = 6);

// Deterministic packet bytes: `size` bytes derived from `seed`.
std::vector<uint8_t> test_payload(size_t size, uint32_t seed);

// A minimal Ethernet + IPv4 + UDP frame (for filter tests): ports and payload size given.
std::vector<uint8_t> udp_frame(uint16_t src_port, uint16_t dst_port, size_t payload = 8);

// Writes bytes to a file; throws std::runtime_error on failure.
void write_file(const std::string& path, std::span<const uint8_t> data);

// A fresh directory under $TMPDIR, removed with its contents on destruction.
class ScratchDir {
  public:
    ScratchDir();
    ~ScratchDir();
    ScratchDir(const ScratchDir&) = delete;
    ScratchDir& operator=(const ScratchDir&) = delete;
    const std::string& path() const { return path_; }
    std::string file(const std::string& name) const { return path_ + "/" + name; }

  private:
    std::string path_;
};

}  // namespace tstat::testing
