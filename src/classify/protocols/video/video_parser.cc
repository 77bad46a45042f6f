#include "classify/protocols/video/video_parser.h"

#include <cmath>
#include <cstring>
#include <string_view>

namespace tstat::classify::video {

namespace {

bool eq(Segment s, int64_t off, std::string_view lit) {
    for (size_t i = 0; i < lit.size(); ++i)
        if (s.at(off + static_cast<int64_t>(i)) != static_cast<uint8_t>(lit[i])) return false;
    return true;
}
uint16_t be16(Segment s, int64_t i) { return static_cast<uint16_t>(s.at(i) << 8 | s.at(i + 1)); }
uint32_t be32(Segment s, int64_t i) {
    return uint32_t{s.at(i)} << 24 | uint32_t{s.at(i + 1)} << 16 | uint32_t{s.at(i + 2)} << 8 |
           s.at(i + 3);
}
uint32_t le32(Segment s, int64_t i) {
    return uint32_t{s.at(i + 3)} << 24 | uint32_t{s.at(i + 2)} << 16 | uint32_t{s.at(i + 1)} << 8 |
           s.at(i);
}
double be_double(Segment s, int64_t i) {
    const uint64_t bits = uint64_t{be32(s, i)} << 32 | be32(s, i + 4);
    double d;
    std::memcpy(&d, &bits, sizeof d);
    return d;
}
// (int) floor(x) as x86 converts it: out of range gives INT_MIN.
int32_t floor_to_int(double x) {
    const double f = std::floor(x);
    if (!(f >= -2147483648.0 && f < 2147483648.0)) return INT32_MIN;
    return static_cast<int32_t>(f);
}
// (u_int32_t) x as gcc compiles it on x86-64: through a signed 64-bit conversion.
uint32_t to_u32(double x) {
    if (!(x >= -9223372036854775808.0 && x < 9223372036854775808.0)) return 0;
    return static_cast<uint32_t>(static_cast<int64_t>(x));
}

int64_t find(Segment s, int64_t from, std::string_view what, int64_t limit) {
    for (int64_t pos = 0; pos < limit; ++pos)
        if (eq(s, from + pos, what)) return from + pos;
    return -1;
}

// parse_flv_metadata(): the AMF0 properties of onMetaData.
void parse_flv(Segment s, Metadata& meta) {
    const int64_t available = s.length;
    int64_t base = 0;
    const int64_t at = find(s, 0, "onMetaData", s.length);
    if (at >= 0) base = at + 9;   // Tstat stops one byte short of the end of the name
    if (available - base < 20) return;
    const uint16_t n_meta = be16(s, base + 4);
    base += 6;
    double dvalue = 0;
    for (int i = 0; i < n_meta; ++i) {
        const uint16_t size = be16(s, base);
        if (available - base < size + 2) return;
        base += 2;
        char name[25];
        const int len = size < 25 ? size : 24;
        for (int k = 0; k < len; ++k) name[k] = static_cast<char>(s.at(base + k));
        name[len] = '\0';
        base += size;
        switch (s.at(base)) {
            case 0:
                if (available - base < 9) return;
                dvalue = be_double(s, base + 1);
                base += 9;
                break;
            case 1:
                if (available - base < 2) return;
                base += 2;
                break;
            case 2: {
                if (available - base < 2) return;
                const uint16_t str = be16(s, base + 1);
                if (available - base < str) return;
                base += str + 3;
                break;
            }
            case 10: {
                if (available - base < 4) return;
                // ntohs() of a 32-bit read: bytes 1 and 2, swapped
                const uint32_t count = be16(s, base + 1);
                base += 5 + count;
                break;
            }
            case 11:
                if (available - base < 2) return;
                base += 11;
                break;
            default:
                break;
        }
        // memcmp(name, literal, strlen(literal)): names continuing the literal match too.
        auto is = [&](std::string_view lit) {
            return std::string_view(name).substr(0, lit.size()) == lit;
        };
        switch (name[0]) {
            case 'a':
                if (is("audiodatarate")) {
                    meta.audiodatarate = dvalue;
                    if (meta.audiodatarate / 100000 > 1) meta.audiodatarate /= 1000;
                }
                break;
            case 'b':
                if (is("bytelength")) meta.bytelength = to_u32(dvalue);
                break;
            case 'd':
                if (is("duration")) meta.duration = dvalue;
                break;
            case 'f':
                if (is("framerate"))
                    meta.framerate = dvalue;
                else if (is("filesize"))
                    meta.bytelength = to_u32(dvalue);
                break;
            case 'h':
                if (is("height")) meta.height = floor_to_int(dvalue);
                break;
            case 's':
                if (is("starttime")) meta.starttime = dvalue;
                break;
            case 't':
                if (is("totalduration")) {
                    meta.totalduration = dvalue;
                } else if (is("totaldatarate")) {
                    meta.totaldatarate = dvalue;
                    if (meta.totaldatarate / 100000 > 1) meta.totaldatarate /= 1000;
                }
                break;
            case 'v':
                if (is("videodatarate")) {
                    meta.videodatarate = dvalue;
                    if (meta.videodatarate / 100000 > 1) meta.videodatarate /= 1000;
                }
                break;
            case 'w':
                if (is("width")) meta.width = floor_to_int(dvalue);
                break;
            default:
                break;
        }
    }
}

// parse_mp4_metadata(): duration from mvhd, frame size from tkhd, bit rate from btrt.
void parse_mp4(Segment s, Metadata& meta) {
    int64_t base = find(s, 0, "mvhd", s.length);
    if (base < 0 || s.length - base < 24) return;
    const uint32_t timescale = be32(s, base + 16);
    const uint32_t duration = be32(s, base + 20);
    if (timescale > 0) meta.duration = static_cast<double>(duration) / static_cast<double>(timescale);
    base = find(s, base, "tkhd", s.length);
    if (base < 0 || s.length - base < 84) return;
    base += 4 + 74;
    meta.width = static_cast<int32_t>(be32(s, base) & 0xFFFF);
    meta.height = static_cast<int32_t>(be32(s, base + 4) & 0xFFFF);
    base = find(s, base, "btrt", s.length);
    if (base < 0 || s.length - base < 16) return;
    base += 4;
    meta.videodatarate = static_cast<double>(be32(s, base + 8));
}

// parse_avi_metadata(): frame count and size from avih, frame rate from strh.
void parse_avi(Segment s, Metadata& meta) {
    int64_t base = find(s, 0, "avih", s.length);
    if (base < 0 || s.length - base < 7 * 4) return;
    meta.total_frames = le32(s, base + 24);
    base += 7 * 4;
    if (s.length - base < 5 * 4) return;
    meta.width = static_cast<int32_t>(le32(s, base + 12));
    meta.height = static_cast<int32_t>(le32(s, base + 16));
    base += 5 * 4;
    int64_t found = -1;
    for (int64_t pos = 4; pos < s.length; ++pos) {
        if (eq(s, base + pos, "strh")) {
            found = base + pos;
            break;
        }
    }
    if (found < 0 || s.length - found < 9 * 4) return;
    const uint32_t scale = le32(s, found + 28);
    const uint32_t rate = le32(s, found + 32);
    if (scale > 0 && rate > 0)
        meta.duration = meta.total_frames / (static_cast<double>(rate) / static_cast<double>(scale));
}

bool ascii_ieq(uint8_t a, uint8_t b) {
    auto low = [](uint8_t c) { return c >= 'A' && c <= 'Z' ? static_cast<uint8_t>(c + 32) : c; };
    return low(a) == low(b);
}
bool ctype_char(uint8_t c) {
    // [a-z0-9"/.-] with REG_ICASE
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '"' || c == '/' || c == '.' || c == '-';
}

}  // namespace

Format format_from_content_type(Segment seg) {
    if (seg.length - 4 < 1) return Format::kNone;
    if (seg.at(4) != '/') return Format::kNone;
    // regexec on the segment as a C string
    int64_t n = 0;
    while (n < seg.length && seg.at(n) != 0) ++n;
    static constexpr std::string_view kName = "Content-Type: ";
    int64_t b = -1, e = -1;
    for (int64_t p = 0; p + static_cast<int64_t>(kName.size()) <= n && b < 0; ++p) {
        bool same = true;
        for (size_t k = 0; k < kName.size() && same; ++k)
            same = ascii_ieq(seg.at(p + static_cast<int64_t>(k)), static_cast<uint8_t>(kName[k]));
        if (!same) continue;
        const int64_t g = p + static_cast<int64_t>(kName.size());
        int64_t q = g;
        while (q < n && ctype_char(seg.at(q))) ++q;
        if (q > g) {
            b = g;
            e = q;
        }
    }
    if (b < 0) return Format::kNone;
    if (seg.at(b) == '"') ++b;
    if (e > b && seg.at(e - 1) == '"') --e;
    if (e - b <= 0) return Format::kNone;
    char ct[61];
    const int64_t len = e - b < 60 ? e - b : 60;
    for (int64_t i = 0; i < len; ++i) ct[i] = static_cast<char>(seg.at(b + i));
    const std::string_view t(ct, static_cast<size_t>(len));

    // memcmp(t + off, lit, min(remaining, strlen(lit))) == 0
    auto pm = [&](size_t off, std::string_view lit, int64_t remaining) {
        const size_t n2 = static_cast<size_t>(remaining < static_cast<int64_t>(lit.size())
                                                  ? remaining
                                                  : static_cast<int64_t>(lit.size()));
        return t.substr(off, n2) == lit.substr(0, n2);
    };
    const auto tl = static_cast<int64_t>(t.size());
    switch (t[0]) {
        case 'a':
            if (pm(0, "application", tl)) {
                if (tl <= 12) return Format::kNone;
                const int64_t sub = tl - 12;
                if (pm(12, "x-mms-framed", sub)) return Format::kWmv;
                if (pm(12, "x-mpegURL", sub)) return Format::kHls;
                if (pm(12, "vnd.apple.mpegurl", sub)) return Format::kHls;
                if (pm(12, "mp4", sub)) return Format::kMp4;
                return Format::kNone;
            }
            if (pm(0, "audio", tl)) {
                if (tl <= 6) return Format::kNone;
                return pm(6, "mp4", tl - 6) ? Format::kMp4 : Format::kNone;
            }
            return Format::kNone;
        case 'v': {
            if (!pm(0, "video", tl)) return Format::kNone;
            if (tl <= 6) return Format::kNone;
            const int64_t sub = tl - 6;
            auto v = [&](std::string_view lit) { return pm(6, lit, sub); };
            switch (t[6]) {
                case 'x':
                    if (v("x-mp4") || v("x-m4v")) return Format::kMp4;
                    if (v("x-flv")) return Format::kFlv;
                    if (v("x-f4v") || v("x-f4f")) return Format::kMp4;
                    if (v("x-msvideo")) return Format::kAvi;
                    if (v("x-ms-asf")) return Format::kAsf;
                    if (v("x-ms-wmv")) return Format::kWmv;
                    return Format::kUnknown;
                case 'm':
                    if (v("mp4")) return Format::kMp4;
                    if (v("mpeg")) return Format::kMpeg;
                    if (v("mp2t")) return Format::kHls;
                    return Format::kUnknown;
                case 'M':
                    return v("MP2T") ? Format::kHls : Format::kUnknown;
                case 'f':
                    if (v("flv")) return Format::kFlv;
                    if (v("f4v") || v("f4m") || v("f4f")) return Format::kMp4;
                    return Format::kUnknown;
                case 'a':
                    return v("abst") ? Format::kMp4 : Format::kUnknown;
                case '3':
                    return v("3gpp") ? Format::k3gpp : Format::kUnknown;
                case 'n':
                    return v("nff") ? Format::kNff : Format::kUnknown;
                case 'o':
                    return v("ogg") ? Format::kOgg : Format::kUnknown;
                case 'q':
                    return v("quicktime") ? Format::kQuicktime : Format::kUnknown;
                case 'w':
                    return v("webm") ? Format::kWebm : Format::kUnknown;
                default:
                    return Format::kUnknown;
            }
        }
        case 'f':
            return pm(0, "flv-application", tl) ? Format::kFlv : Format::kNone;
        default:
            return Format::kNone;
    }
}

int32_t body_offset(Segment seg) {
    const int32_t available = seg.length;
    if (available <= 4) return -1;
    if (!eq(seg, 0, "HTTP")) return 0;
    if (available > 8 && eq(seg, available - 4, "\r\n\r\n")) return -1;
    for (int32_t p = 0; p + 4 <= available; ++p) {
        if (seg.at(p) == 0) return -1;   // regexec stops at the C string's end
        if (eq(seg, p, "\r\n\r\n")) return available != p + 4 ? p + 4 : -1;
    }
    return -1;
}

Format format_from_payload(Segment full, int32_t offset, Metadata& meta) {
    const Segment s{full.data + offset, full.length - offset};
    const int32_t available = s.length;
    auto word = [&](uint8_t a, uint8_t b, uint8_t c, uint8_t d) {
        return s.at(0) == a && s.at(1) == b && s.at(2) == c && s.at(3) == d;
    };
    if (word('F', 'L', 'V', 0x01) || word(0x12, 0x00, 0x03, 0x4B)) {
        if (available < 27) return Format::kNone;
        parse_flv(s, meta);
        if (meta.duration > 0 && meta.bytelength > 0 && meta.videodatarate == 0)
            meta.videodatarate = 8.0 * meta.bytelength / meta.duration / 1000;
        else if (meta.videodatarate != 0 && meta.audiodatarate != 0)
            meta.videodatarate += meta.audiodatarate;
        return Format::kFlv;
    }
    if (word('R', 'I', 'F', 'F')) {
        if (available >= 16 && eq(s, 8, "AVI LIST")) {
            parse_avi(s, meta);
            return Format::kAvi;
        }
        return Format::kNone;
    }
    if (word(0x30, 0x26, 0xB2, 0x75) || word(0xA6, 0xD9, 0x00, 0xAA)) {
        if (available >= 8 &&
            (eq(s, 4, "\x8E\x66\xCF\x11") || eq(s, 4, std::string_view("\x00\x62\xCE\x6C", 4))))
            return Format::kWmv;
        return Format::kNone;
    }
    if (word(0x1A, 0x45, 0xDF, 0xA3)) {
        if ((available >= 28 && eq(s, 24, "webm")) || (available >= 36 && eq(s, 31, "webm")))
            return Format::kWebm;
        return Format::kNone;
    }
    if (word('O', 'g', 'g', 'S')) {
        if (available >= 8 && eq(s, 4, std::string_view("\x00\x02\x00\x00", 4))) return Format::kOgg;
        return Format::kNone;
    }
    if (available >= 12 && s.at(0) == 0 && s.at(1) == 0 && s.at(2) == 0 && eq(s, 4, "ftyp")) {
        if (s.at(3) == 0x14 || s.at(0) == 0x20 || s.at(0) == 0x1C) return Format::k3gpp;
        parse_mp4(s, meta);
        return Format::kMp4;
    }
    if (available >= 8 && eq(s, 4, "moof")) return Format::kMp4;
    if (available >= 4 && s.at(0) == 0 && s.at(1) == 0 && s.at(2) == 1 && (s.at(3) >> 4) == 0xB)
        return Format::kMpeg;
    if (available >= 16 && s.at(0) == 0x24 && s.at(1) == 0x4D && eq(s, 12, "play"))
        return Format::kWmv;
    if (available >= 400 && s.at(0) == 0x47 && s.at(188) == 0x47 && s.at(376) == 0x47)
        return Format::kHls;
    if (available >= 16 && word(0x47, 0x1F, 0xFF, 0x10) && eq(s, 4, "NDS File"))
        return Format::kNff;
    return Format::kNone;
}

}  // namespace tstat::classify::video
