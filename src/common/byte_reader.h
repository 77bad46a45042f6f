// Bounds-checked, allocation-free reads of network-order and host-order integers.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>

namespace tstat {

inline uint16_t load_be16(const uint8_t* p) { return static_cast<uint16_t>(p[0] << 8 | p[1]); }
inline uint32_t load_be32(const uint8_t* p) {
    return uint32_t{p[0]} << 24 | uint32_t{p[1]} << 16 | uint32_t{p[2]} << 8 | p[3];
}
inline uint16_t load_le16(const uint8_t* p) { return static_cast<uint16_t>(p[1] << 8 | p[0]); }
inline uint32_t load_le32(const uint8_t* p) {
    return uint32_t{p[3]} << 24 | uint32_t{p[2]} << 16 | uint32_t{p[1]} << 8 | p[0];
}
inline uint64_t load_le64(const uint8_t* p) {
    return uint64_t{load_le32(p + 4)} << 32 | load_le32(p);
}

// A cursor over a byte span; every read checks the remaining length first.
class ByteReader {
public:
    ByteReader() = default;
    ByteReader(const uint8_t* data, size_t size) : data_(data), size_(size) {}
    explicit ByteReader(std::span<const uint8_t> s) : data_(s.data()), size_(s.size()) {}

    size_t remaining() const { return size_ - pos_; }
    size_t position() const { return pos_; }
    const uint8_t* current() const { return data_ + pos_; }
    bool has(size_t n) const { return remaining() >= n; }

    bool skip(size_t n) {
        if (!has(n)) return false;
        pos_ += n;
        return true;
    }
    bool u8(uint8_t& out) {
        if (!has(1)) return false;
        out = data_[pos_++];
        return true;
    }
    bool be16(uint16_t& out) {
        if (!has(2)) return false;
        out = load_be16(data_ + pos_);
        pos_ += 2;
        return true;
    }
    bool be32(uint32_t& out) {
        if (!has(4)) return false;
        out = load_be32(data_ + pos_);
        pos_ += 4;
        return true;
    }
    bool bytes(size_t n, std::span<const uint8_t>& out) {
        if (!has(n)) return false;
        out = {data_ + pos_, n};
        pos_ += n;
        return true;
    }

private:
    const uint8_t* data_ = nullptr;
    size_t size_ = 0;
    size_t pos_ = 0;
};

}  // namespace tstat
