// A DNS message read the way libldns' ldns_wire2pkt() reads it, because Tstat's
// log_dns_complete (spec §7.4) logs exactly the payloads ldns accepts and prints records in
// ldns' presentation format. Pure, allocation-free, bounds-checked: names are decoded into a
// fixed buffer, records are walked in place.
//
// ldns' rules kept on purpose: a record's rdata is split into fields by its type's descriptor
// and reading stops when the descriptor has no more fields, even before the rdata ends (the
// next record then starts inside the rdata); a name inside rdata may run past the rdata; bytes
// after the last counted record are ignored; OPT and TSIG records leave the additional count.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace tstat::classify::dns {

inline constexpr size_t kHeaderSize = 12;
inline constexpr size_t kMaxName = 255;   // LDNS_MAX_DOMAINLEN

// A domain name in uncompressed wire form (length-prefixed labels, final 0 byte).
struct WireName {
    uint8_t bytes[kMaxName + 1];
    uint16_t size = 0;
};

// Decodes the name at `pos` (compression pointers followed) and moves `pos` past it in the
// message (after the first pointer, if any). False where ldns_wire2dname() fails.
bool read_name(std::span<const uint8_t> msg, size_t& pos, WireName& out) noexcept;

// Field types of ldns' rdata descriptors (the subset of ldns_rdf_type that decides how a
// record is split and printed).
enum class RdfType : uint8_t {
    kNone,
    kDname,
    kInt8,
    kInt16,
    kInt32,
    kA,
    kAaaa,
    kStr,
    kApl,
    kB64,
    kHex,
    kNsec,
    kType,
    kClass,
    kCertAlg,
    kAlg,
    kUnknown,
    kTime,
    kPeriod,
    kTsigTime,
    kInt16Data,
    kService,
    kLoc,
    kWks,
    kNsap,
    kAtma,
    kIpseckey,
    kNsec3Salt,
    kNsec3NextOwner,
    kIlnp64,
    kEui48,
    kEui64,
    kTag,
    kLongStr,
    kCertificateUsage,
    kSelector,
    kMatchingType,
    kHip,
    kSvcParams,
};

struct Rdf {
    RdfType type = RdfType::kNone;
    uint32_t pos = 0;    // in the message
    uint32_t size = 0;   // wire bytes (for kDname: bytes read at pos, pointer included)
};

enum class Section : uint8_t { kQuestion, kAnswer, kAuthority, kAdditional };

inline constexpr size_t kMaxRdfs = 128;   // fields kept per record for printing

struct Record {
    WireName owner;
    uint16_t type = 0;
    uint16_t rclass = 0;
    uint32_t ttl = 0;
    uint16_t rdf_count = 0;   // fields read (only the first kMaxRdfs are kept)
    Rdf rdfs[kMaxRdfs];
};

// Reads one record at `pos` (ldns_wire2rr). False where ldns fails.
bool read_record(std::span<const uint8_t> msg, size_t& pos, Section section, Record& rr) noexcept;

struct Header {
    uint16_t id = 0;
    bool qr = false;
    uint8_t opcode = 0;
    bool aa = false, tc = false, rd = false, ra = false, ad = false, cd = false;
    uint8_t rcode = 0;
    uint16_t qdcount = 0;
    uint16_t ancount = 0;
    uint16_t nscount = 0;
    uint16_t arcount = 0;   // as ldns reports it: OPT and TSIG records not counted
};

// The whole message as ldns_wire2pkt() accepts it: header, then every counted record of the
// four sections. `answers_pos` is where the answer section starts (questions end).
struct MessageInfo {
    Header header;
    size_t questions_pos = kHeaderSize;
    size_t answers_pos = 0;
    size_t size = 0;   // ldns_pkt_size(): the bytes given
};

bool parse_message(std::span<const uint8_t> msg, MessageInfo& info) noexcept;

// Calls f(const Record&) for each record of `section` (count records starting at `pos`),
// stopping early when f returns false or a record does not parse. `rr` is scratch space.
template <class F>
void for_each_record(std::span<const uint8_t> msg, size_t pos, uint16_t count, Section section,
                     Record& rr, F&& f) noexcept {
    for (uint16_t i = 0; i < count; ++i) {
        if (!read_record(msg, pos, section, rr)) return;
        if (!f(static_cast<const Record&>(rr))) return;
    }
}

}  // namespace tstat::classify::dns
