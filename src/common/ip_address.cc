#include "common/ip_address.h"

#include <arpa/inet.h>

namespace tstat {

size_t IpAddress::format(char* buf) const {
    if (is_v4()) {
        char* p = buf;
        for (int i = 0; i < 4; ++i) {
            unsigned v = bytes_[i];
            if (v >= 100) *p++ = static_cast<char>('0' + v / 100);
            if (v >= 10) *p++ = static_cast<char>('0' + (v / 10) % 10);
            *p++ = static_cast<char>('0' + v % 10);
            if (i < 3) *p++ = '.';
        }
        *p = '\0';
        return static_cast<size_t>(p - buf);
    }
    if (is_v6()) {
        if (inet_ntop(AF_INET6, bytes_.data(), buf, 46) == nullptr) buf[0] = '\0';
        return std::strlen(buf);
    }
    buf[0] = '-';
    buf[1] = '\0';
    return 1;
}

std::string IpAddress::to_string() const {
    char buf[64];
    size_t n = format(buf);
    return std::string(buf, n);
}

bool IpAddress::parse(const std::string& text, IpAddress& out) {
    uint8_t b[16];
    if (inet_pton(AF_INET, text.c_str(), b) == 1) {
        out = v4(b);
        return true;
    }
    if (inet_pton(AF_INET6, text.c_str(), b) == 1) {
        out = v6(b);
        return true;
    }
    return false;
}

}  // namespace tstat
