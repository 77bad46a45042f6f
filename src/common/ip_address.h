// An IPv4 or IPv6 address, stored as 16 network-order bytes (IPv4 in the first four).
#pragma once

#include <array>
#include <cstdint>
#include <cstring>
#include <string>

namespace tstat {

class IpAddress {
public:
    IpAddress() = default;

    static IpAddress v4(const uint8_t* bytes) {
        IpAddress a;
        a.version_ = 4;
        std::memcpy(a.bytes_.data(), bytes, 4);
        return a;
    }
    static IpAddress v4(uint32_t host_order) {
        uint8_t b[4] = {static_cast<uint8_t>(host_order >> 24), static_cast<uint8_t>(host_order >> 16),
                        static_cast<uint8_t>(host_order >> 8), static_cast<uint8_t>(host_order)};
        return v4(b);
    }
    static IpAddress v6(const uint8_t* bytes) {
        IpAddress a;
        a.version_ = 6;
        std::memcpy(a.bytes_.data(), bytes, 16);
        return a;
    }

    uint8_t version() const { return version_; }
    bool is_v4() const { return version_ == 4; }
    bool is_v6() const { return version_ == 6; }
    const uint8_t* bytes() const { return bytes_.data(); }
    uint8_t* mutable_bytes() { return bytes_.data(); }
    // IPv4 address in host byte order (0 for IPv6).
    uint32_t v4_host() const {
        return is_v4() ? (uint32_t{bytes_[0]} << 24 | uint32_t{bytes_[1]} << 16 |
                          uint32_t{bytes_[2]} << 8 | bytes_[3])
                       : 0;
    }

    // Numeric text form: dotted quad, or RFC 5952 compressed IPv6 (as inet_ntop prints).
    std::string to_string() const;
    // Appends the text form to buf (at least 46 bytes free); returns the length written.
    size_t format(char* buf) const;

    // Parses a dotted quad or an IPv6 literal.
    static bool parse(const std::string& text, IpAddress& out);

    friend bool operator==(const IpAddress& a, const IpAddress& b) {
        return a.version_ == b.version_ && a.bytes_ == b.bytes_;
    }

private:
    std::array<uint8_t, 16> bytes_{};
    uint8_t version_ = 0;
};

}  // namespace tstat
