#include "capture/pcap_file/byte_input.h"

#include <poll.h>
#include <unistd.h>
#include <zlib.h>

#include <cerrno>
#include <cstring>

namespace tstat::capture::pcap_file {

FdInput::FdInput(int fd, bool owns_fd, std::span<const uint8_t> prefix)
    : fd_(fd), owns_fd_(owns_fd) {
    prefix_size_ = prefix.size() < sizeof(prefix_) ? prefix.size() : sizeof(prefix_);
    if (prefix_size_ > 0) std::memcpy(prefix_, prefix.data(), prefix_size_);
}

FdInput::~FdInput() {
    if (owns_fd_ && fd_ >= 0) ::close(fd_);
}

ByteInput::ReadResult FdInput::read(uint8_t* dst, size_t size) {
    if (prefix_pos_ < prefix_size_) {
        size_t n = prefix_size_ - prefix_pos_;
        if (n > size) n = size;
        std::memcpy(dst, prefix_ + prefix_pos_, n);
        prefix_pos_ += n;
        consumed_ += n;
        return {Status::kData, n};
    }
    for (;;) {
        ssize_t n = ::read(fd_, dst, size);
        if (n > 0) {
            consumed_ += static_cast<uint64_t>(n);
            return {Status::kData, static_cast<size_t>(n)};
        }
        if (n == 0) return {Status::kEnd, 0};
        if (errno == EINTR) return {Status::kInterrupted, 0};
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
            // A non-blocking stdin: wait a while, then let the caller check its signals.
            pollfd pfd{fd_, POLLIN, 0};
            if (::poll(&pfd, 1, 1000) <= 0) return {Status::kInterrupted, 0};
            continue;
        }
        error_ = std::string("read error: ") + std::strerror(errno);
        return {Status::kError, 0};
    }
}

ByteInput::ReadResult MemoryInput::read(uint8_t* dst, size_t size) {
    size_t left = data_.size() - pos_;
    if (left == 0) return {Status::kEnd, 0};
    size_t n = left < size ? left : size;
    std::memcpy(dst, data_.data() + pos_, n);
    pos_ += n;
    return {Status::kData, n};
}

struct GzipInput::State {
    z_stream z{};
    bool initialised = false;
};

GzipInput::GzipInput(std::unique_ptr<ByteInput> raw, size_t in_buffer_size)
    : raw_(std::move(raw)),
      z_(std::make_unique<State>()),
      in_(std::make_unique<uint8_t[]>(in_buffer_size < 64 ? 64 : in_buffer_size)),
      in_size_(in_buffer_size < 64 ? 64 : in_buffer_size) {
    z_->z.next_in = in_.get();
    z_->z.avail_in = 0;
    // 16 + MAX_WBITS: gzip wrapper only (the caller saw the 1f 8b magic), CRC-32 checked.
    if (inflateInit2(&z_->z, 16 + MAX_WBITS) == Z_OK) {
        z_->initialised = true;
    } else {
        fail("cannot initialise zlib");
    }
}

GzipInput::~GzipInput() {
    if (z_->initialised) inflateEnd(&z_->z);
}

uint64_t GzipInput::consumed() const { return compressed_offset(); }

uint64_t GzipInput::compressed_offset() const { return raw_->consumed() - z_->z.avail_in; }

bool GzipInput::fail(std::string message) {
    failed_ = true;
    error_ = std::move(message);
    return false;
}

// Makes at least `min_bytes` compressed bytes available unless the raw stream ends first.
GzipInput::Fetch GzipInput::fetch_input(size_t min_bytes) {
    z_stream& z = z_->z;
    while (z.avail_in < min_bytes) {
        if (raw_end_) return Fetch::kEnd;
        if (z.next_in != in_.get()) {
            std::memmove(in_.get(), z.next_in, z.avail_in);
            z.next_in = in_.get();
        }
        ReadResult r = raw_->read(in_.get() + z.avail_in, in_size_ - z.avail_in);
        switch (r.status) {
            case Status::kData:
                z.avail_in += static_cast<uInt>(r.count);
                break;
            case Status::kEnd:
                raw_end_ = true;
                break;
            case Status::kError:
                fail(raw_->error());
                return Fetch::kError;
            case Status::kInterrupted:
                return Fetch::kInterrupted;
        }
    }
    return Fetch::kData;
}

ByteInput::ReadResult GzipInput::read(uint8_t* dst, size_t size) {
    if (failed_) return {Status::kError, 0};
    if (finished_) return {Status::kEnd, 0};
    z_stream& z = z_->z;
    const size_t want = size > (1u << 30) ? (1u << 30) : size;
    z.next_out = dst;
    z.avail_out = static_cast<uInt>(want);
    while (z.avail_out == want) {
        if (!member_open_) {
            // Between members: another one follows only if it starts with the gzip magic.
            Fetch f = fetch_input(2);
            if (f == Fetch::kError) return {Status::kError, 0};
            if (f == Fetch::kInterrupted) return {Status::kInterrupted, 0};
            if (z.avail_in < 2 || z.next_in[0] != 0x1f || z.next_in[1] != 0x8b) {
                finished_ = true;
                return {Status::kEnd, 0};
            }
            inflateReset(&z);
            member_open_ = true;
        }
        if (z.avail_in == 0) {
            Fetch f = fetch_input(1);
            if (f == Fetch::kError) return {Status::kError, 0};
            if (f == Fetch::kInterrupted) return {Status::kInterrupted, 0};
            // At the end of the input, zlib may still hold inflated bytes that an earlier
            // small output buffer could not take: inflate once more before calling it cut.
        }
        int ret = inflate(&z, Z_NO_FLUSH);
        if (ret == Z_STREAM_END) {
            member_open_ = false;
            ++members_;
        } else if ((ret == Z_OK || ret == Z_BUF_ERROR) && z.avail_out == want && z.avail_in == 0 &&
                   raw_end_) {
            fail("gzip data cut short at compressed offset " + std::to_string(compressed_offset()) +
                 " (member " + std::to_string(members_ + 1) + " has no end)");
            return {Status::kError, 0};
        } else if (ret != Z_OK && ret != Z_BUF_ERROR) {
            fail("gzip data corrupt at compressed offset " + std::to_string(compressed_offset()) +
                 ": " + (z.msg != nullptr ? z.msg : "zlib error " + std::to_string(ret)));
            // Hand out what this call inflated; the error follows on the next call.
            size_t produced = want - z.avail_out;
            if (produced > 0) return {Status::kData, produced};
            return {Status::kError, 0};
        }
    }
    return {Status::kData, want - z.avail_out};
}

}  // namespace tstat::capture::pcap_file
