#include "classify/protocols/dns/dns_presentation.h"

#include <charconv>
#include <ctime>

#include "classify/protocols/dns/dns_types.h"
#include "common/byte_reader.h"
#include "common/ip_address.h"

namespace tstat::classify::dns {

void TextOut::dec(uint64_t v) {
    char tmp[24];
    auto r = std::to_chars(tmp, tmp + sizeof tmp, v);
    put(tmp, static_cast<size_t>(r.ptr - tmp));
}

namespace {

void escaped_byte(uint8_t c, TextOut& out) {
    char tmp[5] = {'\\', static_cast<char>('0' + c / 100), static_cast<char>('0' + c / 10 % 10),
                   static_cast<char>('0' + c % 10), 0};
    out.put(tmp, 4);
}

bool is_graph(uint8_t c) { return c > 0x20 && c < 0x7f; }
bool is_print(uint8_t c) { return c >= 0x20 && c < 0x7f; }

void hex(std::span<const uint8_t> b, TextOut& out) {
    static const char kDigits[] = "0123456789abcdef";
    for (uint8_t c : b) {
        out.put(kDigits[c >> 4]);
        out.put(kDigits[c & 15]);
    }
}

void base64(std::span<const uint8_t> b, TextOut& out) {
    static const char kAlphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t i = 0;
    for (; i + 3 <= b.size(); i += 3) {
        const uint32_t v = uint32_t{b[i]} << 16 | uint32_t{b[i + 1]} << 8 | b[i + 2];
        for (int s = 18; s >= 0; s -= 6) out.put(kAlphabet[(v >> s) & 63]);
    }
    if (i + 1 == b.size()) {
        const uint32_t v = uint32_t{b[i]} << 16;
        out.put(kAlphabet[(v >> 18) & 63]);
        out.put(kAlphabet[(v >> 12) & 63]);
        out.put("==");
    } else if (i + 2 == b.size()) {
        const uint32_t v = uint32_t{b[i]} << 16 | uint32_t{b[i + 1]} << 8;
        out.put(kAlphabet[(v >> 18) & 63]);
        out.put(kAlphabet[(v >> 12) & 63]);
        out.put(kAlphabet[(v >> 6) & 63]);
        out.put('=');
    }
}

void base32hex(std::span<const uint8_t> b, TextOut& out) {
    static const char kAlphabet[] = "0123456789abcdefghijklmnopqrstuv";
    uint64_t acc = 0;
    int bits = 0;
    for (uint8_t c : b) {
        acc = acc << 8 | c;
        bits += 8;
        while (bits >= 5) {
            out.put(kAlphabet[(acc >> (bits - 5)) & 31]);
            bits -= 5;
        }
    }
    if (bits > 0) out.put(kAlphabet[(acc << (5 - bits)) & 31]);
}

void type_name(uint16_t type, TextOut& out) {
    char tmp[16];
    out.put(tmp, ldns_type_name(type, tmp));
}

// A character-string: quoted, '"' and '\' escaped, non-printable bytes as \DDD.
void char_string(std::span<const uint8_t> b, TextOut& out) {
    out.put('"');
    for (uint8_t c : b) {
        if (is_print(c) || c == '\t') {
            if (c == '"' || c == '\\') out.put('\\');
            out.put(static_cast<char>(c));
        } else {
            escaped_byte(c, out);
        }
    }
    out.put('"');
}

void time_field(uint32_t t, TextOut& out) {
    const time_t tt = static_cast<time_t>(t);
    std::tm tm{};
    gmtime_r(&tt, &tm);
    char tmp[32];
    const size_t n = std::strftime(tmp, sizeof tmp, "%Y%m%d%H%M%S", &tm);
    out.put(tmp, n);
}

void type_bitmap(std::span<const uint8_t> b, TextOut& out) {
    size_t pos = 0;
    bool first = true;
    while (pos + 2 <= b.size()) {
        const uint8_t window = b[pos];
        const uint8_t len = b[pos + 1];
        pos += 2;
        if (pos + len > b.size()) break;
        for (uint32_t i = 0; i < len; ++i)
            for (int bit = 0; bit < 8; ++bit)
                if (b[pos + i] & (0x80 >> bit)) {
                    if (!first) out.put(' ');
                    first = false;
                    type_name(static_cast<uint16_t>(window * 256 + i * 8 + bit), out);
                }
        pos += len;
    }
}

void print_rdf(std::span<const uint8_t> msg, const Rdf& f, TextOut& out) {
    const std::span<const uint8_t> b = msg.subspan(f.pos, f.size);
    switch (f.type) {
        case RdfType::kDname: {
            WireName n;
            size_t pos = f.pos;
            if (read_name(msg, pos, n)) print_name(n, out);
            break;
        }
        case RdfType::kInt8:
        case RdfType::kAlg:
        case RdfType::kCertificateUsage:
        case RdfType::kSelector:
        case RdfType::kMatchingType: out.dec(b[0]); break;
        case RdfType::kInt16:
        case RdfType::kCertAlg: out.dec(load_be16(b.data())); break;
        case RdfType::kInt32:
        case RdfType::kPeriod: out.dec(load_be32(b.data())); break;
        case RdfType::kTime: time_field(load_be32(b.data()), out); break;
        case RdfType::kA:
        case RdfType::kAaaa: {
            const IpAddress ip = f.type == RdfType::kA ? IpAddress::v4(b.data())
                                                       : IpAddress::v6(b.data());
            char tmp[64];
            out.put(tmp, ip.format(tmp));
            break;
        }
        case RdfType::kStr:
        case RdfType::kTag: char_string(b.subspan(1), out); break;
        case RdfType::kLongStr: char_string(b, out); break;
        case RdfType::kB64:
            if (b.empty())
                out.put('0');
            else
                base64(b, out);
            break;
        case RdfType::kType: type_name(load_be16(b.data()), out); break;
        case RdfType::kClass: {
            char tmp[16];
            out.put(tmp, ldns_class_name(b[0], tmp));
            break;
        }
        case RdfType::kNsec: type_bitmap(b, out); break;
        case RdfType::kNsec3Salt:
            if (b[0] == 0)
                out.put('-');
            else
                hex(b.subspan(1), out);
            break;
        case RdfType::kNsec3NextOwner: base32hex(b.subspan(1), out); break;
        case RdfType::kUnknown:
            out.put("\\# ");
            out.dec(b.size());
            out.put(' ');
            hex(b, out);
            break;
        default: hex(b, out); break;
    }
}

// RFC 4034 appendix B over the record's rdata, as ldns_calc_keytag() does.
uint16_t key_tag(std::span<const uint8_t> msg, const Record& rr) {
    uint32_t ac = 0;
    size_t i = 0;
    for (uint16_t k = 0; k < rr.rdf_count && k < kMaxRdfs; ++k)
        for (uint32_t j = 0; j < rr.rdfs[k].size; ++j, ++i) {
            const uint8_t c = msg[rr.rdfs[k].pos + j];
            ac += (i & 1) ? c : uint32_t{c} << 8;
        }
    ac += (ac >> 16) & 0xffff;
    return static_cast<uint16_t>(ac & 0xffff);
}

// ldns_rr_dnskey_key_size(): bits of the public key for the algorithms ldns knows.
uint32_t key_size(std::span<const uint8_t> key, uint8_t alg) {
    const size_t len = key.size();
    switch (alg) {
        case 3:
        case 6: return len > 0 ? (64 + key[0] * 8u) * 8 : 0;
        case 1:
        case 5:
        case 7:
        case 8:
        case 10:
            if (len == 0) return 0;
            if (key[0] == 0) {
                if (len <= 3) return 0;
                const uint16_t exp = load_be16(key.data() + 1);
                return static_cast<uint32_t>((len - exp - 3) * 8);
            }
            return static_cast<uint32_t>((len - key[0] - 1) * 8);
        case 12: return 512;
        case 13: return 256;
        case 14: return 384;
        case 15: return 256;
        case 16: return 456;
        case 157: return static_cast<uint32_t>(len);
        default: return 0;
    }
}

}  // namespace

void print_name(const WireName& name, TextOut& out) {
    if (name.size <= 1) {
        out.put('.');
        return;
    }
    size_t pos = 0;
    while (pos < name.size && name.bytes[pos] != 0) {
        const uint8_t len = name.bytes[pos++];
        for (uint8_t i = 0; i < len && pos < name.size; ++i, ++pos) {
            const uint8_t c = name.bytes[pos];
            if (c == '.' || c == ';' || c == '(' || c == ')' || c == '\\') {
                out.put('\\');
                out.put(static_cast<char>(c));
            } else if (!is_graph(c)) {
                escaped_byte(c, out);
            } else {
                out.put(static_cast<char>(c));
            }
        }
        out.put('.');
    }
}

void print_record(std::span<const uint8_t> msg, const Record& rr, TextOut& out) {
    print_name(rr.owner, out);
    out.put('\t');
    char tmp[24];
    auto r = std::to_chars(tmp, tmp + sizeof tmp, static_cast<int32_t>(rr.ttl));  // "%d"
    out.put(tmp, static_cast<size_t>(r.ptr - tmp));
    out.put('\t');
    out.put(tmp, ldns_class_name(rr.rclass, tmp));
    out.put('\t');
    type_name(rr.type, out);
    if (rr.rdf_count > 0) {
        out.put('\t');
    } else {
        out.put("\t\\# 0");
    }
    const uint16_t kept = rr.rdf_count < kMaxRdfs ? rr.rdf_count : uint16_t{kMaxRdfs};
    for (uint16_t i = 0; i < kept; ++i) {
        print_rdf(msg, rr.rdfs[i], out);
        if (i + 1 < kept) out.put(' ');
    }
    if (rr.type == kTypeDnskey && kept >= 4) {
        const uint16_t flags = load_be16(msg.data() + rr.rdfs[0].pos);
        out.put(" ;{id = ");
        out.dec(key_tag(msg, rr));
        if (flags & 0x0100) {   // zone key
            out.put((flags & 0x0001) ? " (ksk)" : " (zsk)");
        }
        out.put(", size = ");
        const uint8_t alg = msg[rr.rdfs[2].pos];
        out.dec(key_size(msg.subspan(rr.rdfs[3].pos, rr.rdfs[3].size), alg));
        out.put("b}");
    } else if (rr.type == kTypeDnskey && kept > 0) {
        out.put(" ;{id = ");
        out.dec(key_tag(msg, rr));
        const uint16_t flags = load_be16(msg.data() + rr.rdfs[0].pos);
        if (flags & 0x0100) out.put((flags & 0x0001) ? " (ksk)" : " (zsk)");
        out.put(", size = 0b}");
    }
    out.put('\n');
}

}  // namespace tstat::classify::dns
