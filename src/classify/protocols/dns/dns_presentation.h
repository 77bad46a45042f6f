// ldns' presentation format of a resource record (ldns_rr2buffer_str_fmt with the default
// output format: DNSKEY records carry the ";{id = …, size = …b}" comment), which Tstat prints in
// log_dns_complete's answer column (spec §7.4).
#pragma once

#include <cstddef>
#include <span>
#include <string_view>

#include "classify/protocols/dns/dns_message.h"

namespace tstat::classify::dns {

// A bounded text buffer: appends past the capacity are dropped.
class TextOut {
public:
    TextOut(char* buf, size_t cap) : buf_(buf), cap_(cap) {}
    void put(char c) {
        if (size_ < cap_) buf_[size_++] = c;
    }
    void put(const char* s, size_t n) {
        for (size_t i = 0; i < n; ++i) put(s[i]);
    }
    void put(std::string_view s) { put(s.data(), s.size()); }
    void dec(uint64_t v);
    size_t size() const { return size_; }
    const char* data() const { return buf_; }

private:
    char* buf_;
    size_t cap_;
    size_t size_ = 0;
};

// The owner name (or any uncompressed wire name) in presentation form: "." for the root,
// special characters escaped as ldns does.
void print_name(const WireName& name, TextOut& out);

// "owner<TAB>ttl<TAB>class<TAB>type<TAB>rdata…" then "\n", as ldns_rr2str() writes it.
void print_record(std::span<const uint8_t> msg, const Record& rr, TextOut& out);

}  // namespace tstat::classify::dns
