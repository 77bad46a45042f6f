#include "capture/pcap_file/chunk_buffer.h"

#include <cstring>

namespace tstat::capture::pcap_file {

namespace {
const std::string& no_error() {
    static const std::string empty;
    return empty;
}
}  // namespace

ChunkBuffer::ChunkBuffer(std::unique_ptr<ByteInput> input, size_t chunk_size)
    : input_(std::move(input)), chunk_size_(chunk_size < 64 ? 64 : chunk_size) {
    capacity_ = chunk_size_;
    storage_ = std::make_unique_for_overwrite<uint8_t[]>(capacity_);
    data_ = pos_ = end_ = storage_.get();
}

ChunkBuffer::ChunkBuffer(const uint8_t* data, size_t size)
    : data_(data), pos_(data), end_(data + size), input_ended_(true) {}

ChunkBuffer::Fill ChunkBuffer::refill(size_t need) {
    if (available() >= need) return Fill::kData;
    if (input_ended_ || input_ == nullptr) return Fill::kEnd;

    // Move the unconsumed tail to the front; grow (rarely) if one record exceeds the chunk.
    size_t keep = available();
    base_offset_ += static_cast<uint64_t>(pos_ - data_);
    if (need > capacity_) {
        size_t grown = capacity_;
        while (grown < need) grown *= 2;
        auto bigger = std::make_unique_for_overwrite<uint8_t[]>(grown);
        if (keep > 0) std::memcpy(bigger.get(), pos_, keep);
        storage_ = std::move(bigger);
        capacity_ = grown;
    } else if (keep > 0 && pos_ != storage_.get()) {
        std::memmove(storage_.get(), pos_, keep);
    }
    uint8_t* base = storage_.get();
    data_ = pos_ = base;
    end_ = base + keep;

    // Read until `need` bytes are there; each read asks for all the free space, but one that
    // returns less is accepted once `need` is met (a pipe must not wait for a full chunk).
    while (available() < need) {
        ByteInput::ReadResult r = input_->read(base + available(), capacity_ - available());
        switch (r.status) {
            case ByteInput::Status::kData:
                end_ += r.count;
                break;
            case ByteInput::Status::kEnd:
                input_ended_ = true;
                return Fill::kEnd;
            case ByteInput::Status::kError:
                return Fill::kError;
            case ByteInput::Status::kInterrupted:
                return Fill::kInterrupted;
        }
    }
    return Fill::kData;
}

uint64_t ChunkBuffer::input_consumed() const {
    return input_ != nullptr ? input_->consumed() : offset();
}

const std::string& ChunkBuffer::input_error() const {
    return input_ != nullptr ? input_->error() : no_error();
}

}  // namespace tstat::capture::pcap_file
