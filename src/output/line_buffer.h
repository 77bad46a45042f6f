// Builds one log line without allocating: printf's %lu/%d/%f spelled out by hand, because
// formatting is most of the writer's work. %f output is the exactly rounded decimal value,
// as glibc prints it.
#pragma once

#include <charconv>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "common/ip_address.h"
#include "output/anonymize/thread_anonymizer.h"

namespace tstat::output {

class LineBuffer {
public:
    static constexpr size_t kCapacity = 16384;

    void clear() { size_ = 0; }
    std::string_view view() const { return {buf_, size_}; }
    size_t size() const { return size_; }

    void sep() { put(' '); }
    void put(char c) {
        if (size_ < kCapacity) buf_[size_++] = c;
    }
    void str(std::string_view s) {
        const size_t n = s.size() < kCapacity - size_ ? s.size() : kCapacity - size_;
        std::memcpy(buf_ + size_, s.data(), n);
        size_ += n;
    }
    // A string column: "-" when empty.
    void str_or_dash(std::string_view s) { s.empty() ? put('-') : str(s); }

    template <class Int>
    void num(Int v) {
        if (kCapacity - size_ < 24) return;
        auto r = std::to_chars(buf_ + size_, buf_ + kCapacity, v);
        size_ = static_cast<size_t>(r.ptr - buf_);
    }
    // printf("%f") / "%.Nf"
    void fixed(double v, int decimals = 6) {
        if (kCapacity - size_ < 350) return;
        auto r = std::to_chars(buf_ + size_, buf_ + kCapacity, v, std::chars_format::fixed,
                               decimals);
        size_ = static_cast<size_t>(r.ptr - buf_);
    }
    // printf("0x%08x")
    void hex8(uint32_t v) {
        static const char kDigits[] = "0123456789abcdef";
        str("0x");
        for (int i = 7; i >= 0; --i) put(kDigits[(v >> (i * 4)) & 0xf]);
    }
    void ip(const IpAddress& a) {
        if (kCapacity - size_ < 64) return;
        size_ += a.format(buf_ + size_);
    }
    // An address whose iscrypto flag is `anonymized`: its Crypto-PAn image when this thread
    // formats with an Anonymizer (-Y, spec §13), the address itself otherwise.
    void ip(const IpAddress& a, bool anonymized) {
        anonymize::Anonymizer* an = anonymized ? anonymize::thread_anonymizer() : nullptr;
        ip(an != nullptr ? an->address(a) : a);
    }
    // A host name (SNI, certificate CN, FQDN, Host, QUIC SNI/UA): "-" when empty, the Base64
    // of its encryption under --enc (spec §13).
    void name_or_dash(std::string_view s) {
        if (s.empty()) {
            put('-');
            return;
        }
        anonymize::Anonymizer* an = anonymize::thread_anonymizer();
        str(an != nullptr && an->encrypts_names() ? an->name(s) : s);
    }
    void newline() { put('\n'); }

private:
    char buf_[kCapacity];
    size_t size_ = 0;
};

}  // namespace tstat::output
