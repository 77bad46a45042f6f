#include "classify/protocols/dns/dns_message.h"

#include <cstring>

#include "classify/protocols/dns/dns_types.h"
#include "common/byte_reader.h"

namespace tstat::classify::dns {

namespace {
constexpr uint32_t kMaxPointers = 65535;   // LDNS_MAX_POINTERS
constexpr uint8_t kMaxLabel = 63;          // LDNS_MAX_LABELLEN
}  // namespace

bool read_name(std::span<const uint8_t> msg, size_t& pos, WireName& out) noexcept {
    const size_t max = msg.size();
    size_t p = pos;
    size_t dname_pos = 0;
    size_t compression_pos = 0;
    uint32_t pointers = 0;
    if (p >= max) return false;
    uint8_t label = msg[p];
    while (label > 0) {
        while (label >= 192) {
            if (compression_pos == 0) compression_pos = p + 2;
            ++pointers;
            if (p + 2 > max) return false;
            const uint16_t target = static_cast<uint16_t>((msg[p] & 63) << 8 | msg[p + 1]);
            if (target == 0 || target >= max || pointers > kMaxPointers) return false;
            p = target;
            label = msg[p];
        }
        if (label == 0) break;
        if (label > kMaxLabel) return false;
        if (p + 1 + label > max) return false;
        if (dname_pos + 1 > kMaxName) return false;
        out.bytes[dname_pos++] = label;
        ++p;
        if (dname_pos + label > kMaxName) return false;
        std::memcpy(out.bytes + dname_pos, msg.data() + p, label);
        dname_pos += label;
        p += label;
        // ldns reads the next length only while inside the message; otherwise the old length
        // makes the next round fail its bounds check.
        if (p < max) label = msg[p];
    }
    pos = compression_pos > 0 ? compression_pos : p + 1;
    if (dname_pos >= kMaxName) return false;
    out.bytes[dname_pos++] = 0;
    out.size = static_cast<uint16_t>(dname_pos);
    return true;
}

namespace {

// ldns_wire2rdf(): splits the rdata into the descriptor's fields.
bool read_rdata(std::span<const uint8_t> msg, size_t& pos, Record& rr) noexcept {
    const size_t max = msg.size();
    const Descriptor& d = descriptor(rr.type);
    if (pos + 2 > max) return false;
    const uint16_t rd_length = load_be16(msg.data() + pos);
    pos += 2;
    if (pos + rd_length > max) return false;
    const size_t end = pos + rd_length;
    const uint32_t maximum = d.variable != RdfType::kNone ? 65535u : d.count;
    uint32_t index = 0;
    while (pos < end && index < maximum) {
        const RdfType t = index < d.count ? d.fields[index] : d.variable;
        size_t len = 0;
        Rdf rdf{t, static_cast<uint32_t>(pos), 0};
        bool have = false;
        switch (t) {
            case RdfType::kDname: {
                WireName scratch;
                const size_t start = pos;
                if (!read_name(msg, pos, scratch)) return false;
                rdf.size = static_cast<uint32_t>(pos - start);
                have = true;
                break;
            }
            case RdfType::kClass:
            case RdfType::kAlg:
            case RdfType::kCertificateUsage:
            case RdfType::kSelector:
            case RdfType::kMatchingType:
            case RdfType::kInt8: len = 1; break;
            case RdfType::kType:
            case RdfType::kInt16:
            case RdfType::kCertAlg: len = 2; break;
            case RdfType::kTime:
            case RdfType::kInt32:
            case RdfType::kA:
            case RdfType::kPeriod: len = 4; break;
            case RdfType::kTsigTime:
            case RdfType::kEui48: len = 6; break;
            case RdfType::kIlnp64:
            case RdfType::kEui64: len = 8; break;
            case RdfType::kAaaa: len = 16; break;
            case RdfType::kStr:
            case RdfType::kNsec3Salt:
            case RdfType::kTag:
            case RdfType::kNsec3NextOwner: len = size_t{msg[pos]} + 1; break;
            case RdfType::kInt16Data:
                if (pos + 2 > end) return false;
                len = size_t{load_be16(msg.data() + pos)} + 2;
                break;
            case RdfType::kHip:
                if (pos + 4 > end) return false;
                len = size_t{msg[pos]} + load_be16(msg.data() + pos + 2) + 4;
                break;
            default: len = end - pos; break;   // the rest of the rdata
        }
        if (len > 0) {
            if (len + pos > end) return false;
            rdf.size = static_cast<uint32_t>(len);
            pos += len;
            have = true;
        }
        if (have) {
            if (rr.rdf_count < kMaxRdfs) rr.rdfs[rr.rdf_count] = rdf;
            ++rr.rdf_count;
        }
        ++index;
    }
    return true;
}

}  // namespace

bool read_record(std::span<const uint8_t> msg, size_t& pos, Section section,
                 Record& rr) noexcept {
    rr.rdf_count = 0;
    rr.ttl = 0;
    if (!read_name(msg, pos, rr.owner)) return false;
    if (pos + 4 > msg.size()) return false;
    rr.type = load_be16(msg.data() + pos);
    rr.rclass = load_be16(msg.data() + pos + 2);
    pos += 4;
    if (section == Section::kQuestion) return true;
    if (pos + 4 > msg.size()) return false;
    rr.ttl = load_be32(msg.data() + pos);
    pos += 4;
    return read_rdata(msg, pos, rr);
}

bool parse_message(std::span<const uint8_t> msg, MessageInfo& info) noexcept {
    if (msg.size() < kHeaderSize) return false;
    Header& h = info.header;
    const uint8_t* p = msg.data();
    h.id = load_be16(p);
    h.qr = (p[2] & 0x80) != 0;
    h.opcode = static_cast<uint8_t>((p[2] >> 3) & 0x0f);
    h.aa = (p[2] & 0x04) != 0;
    h.tc = (p[2] & 0x02) != 0;
    h.rd = (p[2] & 0x01) != 0;
    h.ra = (p[3] & 0x80) != 0;
    h.ad = (p[3] & 0x20) != 0;
    h.cd = (p[3] & 0x10) != 0;
    h.rcode = p[3] & 0x0f;
    h.qdcount = load_be16(p + 4);
    h.ancount = load_be16(p + 6);
    h.nscount = load_be16(p + 8);
    h.arcount = load_be16(p + 10);
    info.size = msg.size();

    // Record is large: one per thread of parsing is enough.
    static thread_local Record rr;
    size_t pos = kHeaderSize;
    info.questions_pos = pos;
    for (uint16_t i = 0; i < h.qdcount; ++i)
        if (!read_record(msg, pos, Section::kQuestion, rr)) return false;
    info.answers_pos = pos;
    for (uint32_t i = 0; i < uint32_t{h.ancount} + h.nscount; ++i)
        if (!read_record(msg, pos, Section::kAnswer, rr)) return false;
    uint16_t removed = 0;
    for (uint16_t i = 0; i < h.arcount; ++i) {
        if (!read_record(msg, pos, Section::kAdditional, rr)) return false;
        if (rr.type == kTypeOpt || rr.type == kTypeTsig) ++removed;
    }
    h.arcount = static_cast<uint16_t>(h.arcount - removed);
    return true;
}

}  // namespace tstat::classify::dns
