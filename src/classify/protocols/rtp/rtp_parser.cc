#include "classify/protocols/rtp/rtp_parser.h"

namespace tstat::classify::rtp {

Header read_header(Bytes b) noexcept {
    Header h;
    const uint8_t b0 = b.at(0);
    const uint8_t b1 = b.at(1);
    h.version = static_cast<uint8_t>(b0 >> 6);
    h.padding = (b0 & 0x20) != 0;
    h.extension = (b0 & 0x10) != 0;
    h.csrc_count = static_cast<uint8_t>(b0 & 0x0f);
    h.marker = (b1 & 0x80) != 0;
    h.payload_type = static_cast<uint8_t>(b1 & 0x7f);
    h.rtcp_type = b1;
    h.report_count = static_cast<uint8_t>(b0 & 0x1f);
    h.seq = b.be16(2);
    h.timestamp = b.be32(4);
    h.ssrc = b.be32(8);
    return h;
}

bool valid_payload_type(uint8_t pt) noexcept {
    return pt == 0 || (pt >= 3 && pt <= 18) || pt == 25 || pt == 26 || pt == 28 ||
           (pt >= 31 && pt <= 34) || (pt >= 96 && pt <= 127);
}

int clock_rate(uint8_t pt) noexcept {
    switch (pt) {
        case 0:
        case 1:
        case 2:
        case 3:
        case 4:
        case 5:
        case 7:
        case 8:
        case 9:
        case 12:
        case 13:
        case 15:
        case 18:
            return 8000;
        case 16:
            return 11025;
        case 6:
            return 16000;
        case 17:
            return 22050;
        case 10:
        case 11:
            return 44100;
        case 14:
        case 25:
        case 26:
        case 28:
        case 31:
        case 32:
        case 33:
            return 90000;
        default:
            return 0;
    }
}

uint8_t classify(Bytes b) noexcept {
    const uint8_t first = b.at(0);
    if (first <= 3) return mux::kStun;
    if (first >= 16 && first <= 19) return mux::kZrtp;
    if (first >= 20 && first <= 63) return mux::kDtls;
    if (first >= 64 && first <= 79) return mux::kTurn;
    if (first >= 128 && first <= 191) {
        // RFC 5761: RTP unless the payload type is unassigned and, with the marker bit, in
        // the RTCP range.
        const Header h = read_header(b);
        if (h.version == 2 && valid_payload_type(h.payload_type)) return mux::kRtp;
        if (h.version == 2 && h.rtcp_type >= kRtcpMinPt && h.rtcp_type <= kRtcpMaxPt)
            return mux::kRtcp;
        return mux::kUnknown;
    }
    if (first == 0xff && b.at(1) == 0x10) return mux::kMturn;
    return mux::kUnknown;
}

int extension_size(Bytes b, const Header& h) noexcept {
    if (!h.extension) return 0;
    const size_t base = kHeaderSize + size_t{h.csrc_count} * 4;
    const uint8_t x0 = b.at(base);
    const uint8_t x1 = b.at(base + 1);
    int size = 4;
    if ((x0 == 0xbe && x1 == 0xde) || (x0 == 0x10 && (x1 & 0xf0) == 0))
        size += 4 * b.be16(base + 2);
    return size;
}

Report read_report(Bytes b, uint8_t rtcp_type, uint8_t report_count) noexcept {
    Report r;
    const size_t available = b.data.size();
    size_t block = 8;  // after the common header (and the SSRC)
    if (rtcp_type == kRtcpSr) {
        // Tstat's test `pdecode + sizeof(struct rtcp_SR) > plast` is one byte too strict.
        if (block + 20 + 1 > available) r.header_error |= kTruncated;
        r.sender = true;
        r.ntp_middle = b.be32(10);
        r.sent_packets = b.be32(20);
        r.sent_bytes = b.be32(24);
        if (report_count == 0) return r;
        block += 20;
    } else if (rtcp_type != kRtcpRr || report_count == 0) {
        return r;
    }
    if (report_count > 1) {
        r.header_error |= kTooManyReports;
        return r;
    }
    if (block + 24 + 1 > available) r.header_error |= kTruncated;
    r.block = true;
    r.fraction_lost = b.at(block + 4);
    const uint32_t lost = static_cast<uint32_t>(b.at(block + 5)) << 16 |
                          static_cast<uint32_t>(b.at(block + 6)) << 8 | b.at(block + 7);
    r.cumulative_lost =
        lost > 0x7fffff ? static_cast<int32_t>(lost) - 0x1000000 : static_cast<int32_t>(lost);
    r.jitter = b.be32(block + 12);
    r.lsr = b.be32(block + 16);
    r.dlsr = b.be32(block + 20);
    return r;
}

}  // namespace tstat::classify::rtp
