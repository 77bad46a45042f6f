// Record types and classes: ldns' rdata descriptors (how rdata is split into fields) and the
// mnemonics both ldns and Tstat print.
#pragma once

#include <cstdint>
#include <string_view>

#include "classify/protocols/dns/dns_message.h"

namespace tstat::classify::dns {

inline constexpr uint16_t kTypeA = 1;
inline constexpr uint16_t kTypeAaaa = 28;
inline constexpr uint16_t kTypeOpt = 41;
inline constexpr uint16_t kTypeDnskey = 48;
inline constexpr uint16_t kTypeTsig = 250;
inline constexpr uint16_t kTypeAny = 255;
inline constexpr uint16_t kClassIn = 1;

struct Descriptor {
    const char* name;        // ldns' mnemonic, null when ldns has none ("TYPEnn")
    uint8_t count;           // fixed fields (ldns' _maximum)
    RdfType variable;        // repeated after the fixed ones, kNone if none
    RdfType fields[9];
};

const Descriptor& descriptor(uint16_t type) noexcept;

// ldns' names: ldns_rr_type2buffer_str / ldns_rr_class2buffer_str ("TYPE%u", "CLASS%u").
// Return the length written to `out` (at least 16 bytes).
size_t ldns_type_name(uint16_t type, char* out) noexcept;
size_t ldns_class_name(uint16_t rclass, char* out) noexcept;

// Tstat's own short lists (log_dns.c rr_type2str / rr_class2str / pkt_rcode2str), used for
// questions and error rows: anything else is "OTHER" / "UNKNOWN-ERROR".
std::string_view tstat_type_name(uint16_t type) noexcept;
std::string_view tstat_class_name(uint16_t rclass) noexcept;
std::string_view tstat_rcode_name(uint8_t rcode) noexcept;

}  // namespace tstat::classify::dns
