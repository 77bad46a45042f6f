#include "classify/protocols/ipp2p/udp_matchers.h"

namespace tstat::classify::ipp2p {

namespace {
constexpr size_t kPayload = 8;   // matchers index the datagram from its UDP header
}

int match_dns(const Datagram& d) noexcept {
    const int captured = static_cast<int>(d.bytes.size());
    auto t = [&](int i) { return d.at(kPayload + static_cast<size_t>(i)); };
    // QDCOUNT 1 or 2, a first label of 1..63 bytes starting with a letter or digit.
    if (!(t(4) == 0 && (t(5) == 0x01 || t(5) == 0x02))) return 0;
    if (t(12) < 0x01 || t(12) > 0x3F) return 0;
    const uint8_t c = t(13);
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) return 0;
    if (captured > 22) {
        int idx = 14;
        while (idx < captured - 8) {
            if (t(idx) == 0) break;
            ++idx;
        }
        if (idx < captured - 12) {
            const uint8_t type = t(idx + 2);
            const bool type_ok = (type >= 0x01 && type <= 0x10) || type == 0x1c || type == 0x40 ||
                                 type == 0x41 || type == 0x21 || type == 0x2e || type == 0xff ||
                                 type == 0xfd || type == 0xfc;
            const uint8_t cls = t(idx + 4);
            if (t(idx + 1) == 0 && type_ok && t(idx + 3) == 0 &&
                (cls == 0x01 || cls == 0x03 || cls == 0x04 || cls == 0xFF))
                return kDns * 100;
            return 0;
        }
    }
    return kDns * 100;
}

int match_bittorrent(const Datagram& d) noexcept {
    const int captured = static_cast<int>(d.bytes.size());
    const int len = d.udp_len;
    // Mainline DHT: "d1:a" / "d1:r" followed by "d2:id20:".
    if (captured > 30 && d.at(8) == 'd' && d.at(9) == '1' && d.at(10) == ':' &&
        (d.at(11) == 'a' || d.at(11) == 'r') && d.equals(12, "d2:id20:", 8))
        return kBit * 100 + 57;
    // Azureus/Vuze DHT requests and replies.
    if (captured >= 20 && d.at(16) == 0 && d.at(17) == 0 && d.at(18) == 4 && (d.at(8) & 0x80)) {
        switch (d.at(19)) {
            case 0x00: case 0x02: case 0x04: case 0x06: case 0x0A: case 0x0B: case 0x0C:
                return kBit * 100 + 98;
            default: break;
        }
    } else if (captured >= 20 && d.at(8) == 0 && d.at(9) == 0 && d.at(10) == 4 &&
               (d.at(16) & 0x80)) {
        switch (d.at(11)) {
            case 0x01: case 0x03: case 0x05: case 0x07: case 0x08: case 0x09: case 0x0D:
                return kBit * 100 + 99;
            default: break;
        }
    }
    // The original IPP2P rules, by exact datagram length.
    switch (len) {
        case 24:
            if (captured >= 16 && d.be32(8) == 0x00000417 && d.be32(12) == 0x27101980)
                return kBit * 100 + 50;
            break;
        case 44:
            if (captured >= 40 && d.be32(16) == 0x00000400 && d.be32(36) == 0x00000104)
                return kBit * 100 + 51;
            if (captured >= 20 && d.be32(16) == 0x00000400) return kBit * 100 + 61;
            break;
        case 65:
            if (captured >= 40 && d.be32(16) == 0x00000404 && d.be32(36) == 0x00000104)
                return kBit * 100 + 52;
            if (captured >= 20 && d.be32(16) == 0x00000404) return kBit * 100 + 62;
            break;
        case 67:
            if (captured >= 40 && d.be32(16) == 0x00000406 && d.be32(36) == 0x00000104)
                return kBit * 100 + 53;
            if (captured >= 20 && d.be32(16) == 0x00000406) return kBit * 100 + 63;
            break;
        case 211:
            if (captured >= 12 && d.be32(8) == 0x00000405) return kBit * 100 + 54;
            break;
        case 29:
            if (captured >= 12 && d.be32(8) == 0x00000401) return kBit * 100 + 55;
            break;
        case 52:
            if (captured >= 16 && d.be32(8) == 0x00000827 && d.be32(12) == 0x37502950)
                return kBit * 100 + 80;
            break;
        default:
            if (len >= 40 && d.be32(16) == 0x00000402 && d.be32(36) == 0x00000104)
                return kBit * 100 + 56;
            break;
    }
    return 0;
}

int match_edonkey(const Datagram& d) noexcept {
    const int captured = static_cast<int>(d.bytes.size());
    const int len = d.udp_len;
    auto t = [&](int i) { return d.at(kPayload + static_cast<size_t>(i)); };
    switch (t(0)) {
        case 0xe3:   // eDonkey
            switch (t(1)) {
                case 0x96: return len == 14 ? kEdk * 100 + 50 : 0;
                case 0x97:
                    return (len == 42 || len == 22 || len == 26 || len == 34 || len == 38 ||
                            len == 50)
                               ? kEdk * 100 + 51
                               : 0;
                case 0xa2:
                    return (len == 14 && captured > 14 && d.be16(10) == 0xfff0) ? kEdk * 100 + 52
                                                                                : 0;
                case 0xa3:
                    return (len >= 50 && captured > 14 && d.be16(10) == 0xfff0) ? kEdk * 100 + 53
                                                                                : 0;
                case 0x9a: return (len - 10) % 16 == 0 ? kEdk * 100 + 54 : 0;
                case 0x9B:
                    return (len == 33 || len == 39 || len == 56 || len == 68 || len == 79 ||
                            len == 97)
                               ? kEdk * 100 + 56
                               : 0;
                case 0x92:
                case 0x98:
                case 0x99: return kEdk * 100 + 55;
                default: return 0;
            }
        case 0xe4:   // KAD, and KAD AdunanzA (0xa4)
        case 0xa4: {
            const int p = (t(0) == 0xa4 ? kKadu : kKad) * 100;
            const bool tagged = len > 30 && captured > 30 && t(21) != 0 && t(22) >= 0x01 &&
                                t(22) < 0x0B;
            switch (t(1)) {
                case 0x00: return len == 35 ? p + 61 : 0;
                case 0x01: return len == 10 ? p + 61 : 0;
                case 0x08: return (len - 12) % 25 == 0 ? p + 75 : 0;
                case 0x09: return (len - 31) % 25 == 0 ? p + 75 : 0;
                case 0x10: return len == 35 ? p + 62 : 0;
                case 0x11:
                    if (len == 30 || tagged) return p + 62;
                    [[fallthrough]];   // Tstat's missing break
                case 0x18: return len == 35 ? p + 63 : 0;
                case 0x19: return (len == 30 || tagged) ? p + 63 : 0;
                case 0x20: return (len == 43 && captured > 10 && t(2) != 0x00) ? p + 60 : 0;
                case 0x21: return len == 43 ? p + 60 : 0;
                case 0x22: return len >= 27 ? p + 60 : 0;
                case 0x28:
                case 0x29: return (len - 52) % 25 == 0 ? p + 67 : 0;
                case 0x30: return len >= 27 ? p + 74 : 0;
                case 0x32: return len == 42 ? p + 74 : 0;
                case 0x33:
                case 0x34:
                case 0x35:
                case 0x3B:
                case 0x43:
                case 0x44:
                case 0x45: return p + 74;
                case 0x38:
                case 0x3A:
                case 0x42: return len >= 47 ? p + 74 : 0;
                case 0x40: return len >= 47 ? p + 69 : 0;
                // Tstat's missing breaks chain these five cases.
                case 0x48:
                case 0x4A:
                    if (len == 26 || len == 27) return p + 74;
                    [[fallthrough]];
                case 0x4B:
                    if (len == 27) return p + 74;
                    [[fallthrough]];
                case 0x4C:
                    if (len == 10) return p + 74;
                    [[fallthrough]];
                case 0x50: return len == 12 ? p + 68 : 0;
                case 0x51:
                case 0x5A: return (len == 44 || len == 45) ? p + 74 : 0;
                case 0x52: return len == 44 ? p + 64 : 0;
                case 0x53: return len == 29 ? p + 64 : 0;
                case 0x58: return len == 14 ? p + 65 : 0;
                case 0x59: return len == 10 ? p + 66 : 0;
                case 0x60:
                case 0x61: return len == 10 ? p + 74 : 0;
                case 0x62: return len == 13 ? p + 74 : 0;
                default: return 0;
            }
        }
        case 0xc5:   // eMule extensions
            switch (t(1)) {
                case 0x90:
                case 0x91:
                case 0x94: return kEdk * 100 + 70;
                case 0xFE:
                    if (len == 11) return kEdk * 100 + 70;
                    [[fallthrough]];
                case 0x92:
                case 0x93: return len == 10 ? kEdk * 100 + 70 : 0;
                case 0x95: return len == 29 ? kEdk * 100 + 70 : 0;
                default: return 0;
            }
        case 0xe5:   // compressed KAD: a zlib stream follows
        case 0xa5:
            if (captured > 12 && t(2) == 0x78 && (t(3) == 0xda || t(3) == 0x9c))
                return (t(0) == 0xa5 ? kKadu : kKad) * 100 + 72;
            return 0;
        default: return 0;
    }
}

int match_sip(const Datagram& d) noexcept {
    struct Method {
        const char* text;
        size_t len;
    };
    static constexpr Method kMethods[] = {
        {"SIP/2.0", 7},         {"REGISTER sip:", 13}, {"ACK sip:", 8},
        {"INVITE sip:", 11},    {"PRACK sip:", 10},    {"BYE sip:", 8},
        {"OPTIONS sip:", 12},   {"CANCEL sip:", 11},   {"UPDATE sip:", 11},
        {"SUBSCRIBE sip:", 14}, {"NOTIFY sip:", 11},   {"PUBLISH sip:", 12},
        {"INFO sip:", 9},       {"REFER sip:", 10},    {"MESSAGE sip:", 12},
    };
    int code = 1;
    for (const Method& m : kMethods) {
        if (d.equals(kPayload, m.text, m.len)) return kSip * 100 + code;
        ++code;
    }
    return 0;
}

int match_pplive(const Datagram& d) noexcept {
    if (d.at(8) == 0xe9 && d.at(9) == 0x03 && d.at(12) == 0x98 && d.at(13) == 0xab &&
        d.at(14) == 0x01 && d.at(15) == 0x02)
        return kPplive * 100;
    // Bytes 1-2 repeated at an offset chosen by the low bits of byte 0.
    const size_t ind = static_cast<size_t>(((d.at(8) & 0x0F) % 8 / 2) * 2 + 5);
    const unsigned val1 = d.at(10);
    const unsigned val2 = d.at(8 + ind + 1);
    if (d.at(8) != 0 && d.at(9) != 0 && d.at(10) != 0 && d.at(9) == d.at(8 + ind) &&
        ((val1 % 2 == 0 && val2 == val1 + 1) || val2 == val1 - 1 || val1 == val2))
        return kPplive * 100;
    return 0;
}

int match_sopcast(const Datagram& d) noexcept {
    const int len = d.udp_len;
    const uint8_t b1 = d.at(8);
    if (b1 == 0x00) {
        const uint8_t b9 = d.at(16), b10 = d.at(17);
        if (d.at(10) != 0x01 ||
            (!(b9 == 0x06 && b10 == 0x01) && !(b9 == 0x01 && b10 == 0x01) &&
             !(b9 == 0x01 && b10 == 0xFF) && !(b9 == 0x03 && b10 == 0xFF)))
            return 0;
        if (d.at(18) * 256 + d.at(19) + 16 != len) return 0;
    } else if (b1 == 0xFF) {
        if (d.at(9) != 0xFF || d.at(10) != 0x01 || d.at(18) != 0x00) return 0;
        if (d.at(19) + 16 != len) return 0;
    } else {
        return 0;
    }
    return kSopcast * 100;
}

int match_tvants(const Datagram& d) noexcept {
    if (d.at(8) != 0x04 || d.at(9) != 0x00 || (d.at(10) != 0x07 && d.at(10) != 0x05) ||
        d.at(11) != 0x00 || d.at(14) != 0x00 || d.at(15) != 0x00 ||
        (d.at(16) != 0x53 && d.at(16) != 0x44) || d.at(17) != 0x53 || d.at(18) != 0x00 ||
        (d.at(19) != 0x11 && d.at(19) != 0x12 && d.at(19) != 0x13) || d.at(20) != 0x00)
        return 0;
    return kTvants * 100;
}

int match_ppstream(const Datagram& d) noexcept {
    if (d.at(10) != 0x43) return 0;
    // Tstat reads this length without ntohs: little-endian on its hosts.
    const int len = d.at(8) | d.at(9) << 8;
    const int ulen = d.udp_len;
    if (len == ulen - 8 || len == ulen - 12 || len == ulen - 14) return kPpstream * 100;
    return 0;
}

int match_teredo(const Datagram& d) noexcept {
    auto t = [&](size_t i) { return d.at(kPayload + i); };
    if (t(0) == 0x60 && t(1) == 0x00 && t(2) == 0x00 && t(3) == 0x00 && t(8) == 0x20 &&
        t(9) == 0x01 && t(10) == 0x00 && t(11) == 0x00) {
        switch (t(6)) {
            case 0x06: return kTeredo * 100 + 1;
            case 0x11: return kTeredo * 100 + 2;
            default: return kTeredo * 100;
        }
    }
    return 0;
}

int match_dtls(const Datagram& d) noexcept {
    auto t = [&](size_t i) { return d.at(kPayload + i); };
    if (t(0) == 0x16 && t(1) == 0xFE && t(2) >= 0xFB && t(11) <= 0x39) {
        if (t(13) == 0x01) return kDtls * 100 + 1;
        if (t(13) == 0x02) return kDtls * 100 + 2;
        return kDtls * 100;
    }
    return 0;
}

int match_mturn(const Datagram& d) noexcept {
    if (d.at(8) != 0xff || d.at(9) != 0x10) return 0;
    if (d.be16(10) != d.udp_len - 12) return 0;
    return kMturn * 100;
}

int match_udp(const Datagram& d) noexcept {
    struct Entry {
        int min_len;
        int (*fn)(const Datagram&) noexcept;
    };
    static constexpr Entry kList[] = {
        {22, match_dns},     {23, match_bittorrent}, {9, match_edonkey},  {22, match_sip},
        {22, match_pplive},  {22, match_sopcast},    {22, match_tvants},  {12, match_ppstream},
        {21, match_teredo},  {25, match_dtls},       {22, match_mturn},
    };
    for (const Entry& e : kList) {
        if (d.udp_len > e.min_len) {
            if (const int r = e.fn(d)) return r;
        }
    }
    return 0;
}

}  // namespace tstat::classify::ipp2p
