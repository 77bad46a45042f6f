// The window a trace reader parses from: either a whole input already in memory (a mapped
// file, a fuzzer's bytes) or large chunks read from a ByteInput. Records are handed out as
// pointers into it, so refill() (which moves and overwrites the bytes) may only be called
// when no packet of the current batch still points into the buffer.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "capture/pcap_file/byte_input.h"

namespace tstat::capture::pcap_file {

class ChunkBuffer {
  public:
    enum class Fill { kData, kEnd, kError, kInterrupted };

    // Streaming: reads `chunk_size` bytes at a time (grows only for a record larger than that).
    ChunkBuffer(std::unique_ptr<ByteInput> input, size_t chunk_size);
    // Whole input already in memory, owned by the caller (it must outlive the buffer).
    ChunkBuffer(const uint8_t* data, size_t size);

    // `n` contiguous bytes at the cursor, or nullptr if fewer are buffered (then refill()).
    const uint8_t* peek(size_t n) const {
        return static_cast<size_t>(end_ - pos_) >= n ? pos_ : nullptr;
    }
    const uint8_t* cursor() const { return pos_; }
    void advance(size_t n) { pos_ += n; }
    size_t available() const { return static_cast<size_t>(end_ - pos_); }

    // Offset of the cursor in the (decompressed) stream.
    uint64_t offset() const { return base_offset_ + static_cast<uint64_t>(pos_ - data_); }

    // Makes at least `need` bytes available at the cursor: kData, or kEnd if the input ends
    // first (the bytes that exist stay available). Invalidates earlier pointers.
    Fill refill(size_t need);

    // Bytes of the underlying input consumed so far (compressed size for gzip).
    uint64_t input_consumed() const;
    const std::string& input_error() const;
    bool streaming() const { return input_ != nullptr; }
    ByteInput* input() const { return input_.get(); }

  private:
    std::unique_ptr<ByteInput> input_;
    std::unique_ptr<uint8_t[]> storage_;
    size_t capacity_ = 0;
    size_t chunk_size_ = 0;
    const uint8_t* data_ = nullptr;  // start of the buffered window
    const uint8_t* pos_ = nullptr;
    const uint8_t* end_ = nullptr;
    uint64_t base_offset_ = 0;  // stream offset of data_
    bool input_ended_ = false;
};

}  // namespace tstat::capture::pcap_file
