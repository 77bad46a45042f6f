// Byte streams under the trace readers: a file descriptor (file, pipe, stdin), a memory span,
// or gzip data inflated from another stream. Called once per buffer refill, never per packet.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>

namespace tstat::capture::pcap_file {

class ByteInput {
  public:
    enum class Status {
        kData,         // `count` bytes were stored (count >= 1)
        kEnd,          // clean end of the stream
        kError,        // see error()
        kInterrupted,  // a signal interrupted a blocking read; call again later
    };
    struct ReadResult {
        Status status = Status::kEnd;
        size_t count = 0;
    };

    virtual ~ByteInput() = default;

    // Stores up to `size` (> 0) bytes at `dst`; may store fewer than asked.
    virtual ReadResult read(uint8_t* dst, size_t size) = 0;

    // Bytes taken from the underlying file so far (compressed bytes for gzip), for progress.
    virtual uint64_t consumed() const = 0;

    // After kError: what went wrong, without the input name (the reader adds it).
    const std::string& error() const { return error_; }

  protected:
    std::string error_;
};

// read(2) on a descriptor. `prefix` holds bytes already read while sniffing the format; they
// are returned first, so detection works on pipes too.
class FdInput final : public ByteInput {
  public:
    FdInput(int fd, bool owns_fd, std::span<const uint8_t> prefix = {});
    ~FdInput() override;
    FdInput(const FdInput&) = delete;
    FdInput& operator=(const FdInput&) = delete;

    ReadResult read(uint8_t* dst, size_t size) override;
    uint64_t consumed() const override { return consumed_; }

  private:
    int fd_;
    bool owns_fd_;
    uint8_t prefix_[16] = {};
    size_t prefix_size_ = 0;
    size_t prefix_pos_ = 0;
    uint64_t consumed_ = 0;
};

// Copies from a caller-owned span (tests, fuzzing, gzip data held in memory).
class MemoryInput final : public ByteInput {
  public:
    explicit MemoryInput(std::span<const uint8_t> data) : data_(data) {}

    ReadResult read(uint8_t* dst, size_t size) override;
    uint64_t consumed() const override { return pos_; }

  private:
    std::span<const uint8_t> data_;
    size_t pos_ = 0;
};

// Inflates gzip data (RFC 1952), including several concatenated members as `gzip -c a b`
// writes them. Bytes after the last member that do not start a new member are ignored, as
// gunzip does (Tstat 3.3 decompressed through `gunzip -c`, spec §3.2).
class GzipInput final : public ByteInput {
  public:
    // `in_buffer_size`: compressed bytes read from `raw` at a time.
    explicit GzipInput(std::unique_ptr<ByteInput> raw, size_t in_buffer_size = 256 * 1024);
    ~GzipInput() override;
    GzipInput(const GzipInput&) = delete;
    GzipInput& operator=(const GzipInput&) = delete;

    ReadResult read(uint8_t* dst, size_t size) override;
    uint64_t consumed() const override;

    int members() const { return members_; }

  private:
    enum class Fetch { kData, kEnd, kError, kInterrupted };
    Fetch fetch_input(size_t min_bytes);
    bool fail(std::string message);
    uint64_t compressed_offset() const;

    std::unique_ptr<ByteInput> raw_;
    struct State;
    std::unique_ptr<State> z_;
    std::unique_ptr<uint8_t[]> in_;
    size_t in_size_;
    bool raw_end_ = false;
    bool member_open_ = true;  // inside a member (its trailer not yet seen)
    bool finished_ = false;    // clean end reached
    bool failed_ = false;
    int members_ = 0;
};

}  // namespace tstat::capture::pcap_file
