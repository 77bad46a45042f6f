#include "capture/link_type.h"

#include <pcap/pcap.h>

#include "capture/raw_packet.h"

namespace tstat::capture {

namespace {
// LINKTYPE_ values that differ from the DLT_ values on some platforms (libpcap's
// pcap-common.c keeps the same table); everything else is numerically identical.
constexpr uint32_t kLinktypeAtmRfc1483 = 100;
constexpr uint32_t kLinktypeSlipBsdos = 102;
constexpr uint32_t kLinktypePppBsdos = 103;
constexpr uint32_t kLinktypeAtmClip = 106;
}  // namespace

int linktype_to_dlt(uint32_t link_type) {
    switch (link_type) {
        case kLinktypeAtmRfc1483:
            return DLT_ATM_RFC1483;
        case link::kRaw:
            return DLT_RAW;
        case kLinktypeSlipBsdos:
            return DLT_SLIP_BSDOS;
        case kLinktypePppBsdos:
            return DLT_PPP_BSDOS;
        case kLinktypeAtmClip:
            return DLT_ATM_CLIP;
        default:
            return static_cast<int>(link_type);
    }
}

uint32_t dlt_to_linktype(int dlt) {
    switch (dlt) {
        case DLT_ATM_RFC1483:
            return kLinktypeAtmRfc1483;
        case DLT_RAW:
            return link::kRaw;
        case DLT_SLIP_BSDOS:
            return kLinktypeSlipBsdos;
        case DLT_PPP_BSDOS:
            return kLinktypePppBsdos;
        case DLT_ATM_CLIP:
            return kLinktypeAtmClip;
        default:
            return dlt < 0 ? 0u : static_cast<uint32_t>(dlt);
    }
}

std::string link_type_name(uint32_t link_type) {
    switch (link_type) {
        case link::kNull:
            return "BSD loopback";
        case link::kEthernet:
            return "Ethernet";
        case link::kPpp:
            return "PPP";
        case link::kRaw:
        case link::kRawDlt12:
        case link::kRawDlt14:
            return "raw IP";
        case link::kPppHdlc:
            return "PPP in HDLC";
        case link::kCiscoHdlc:
            return "Cisco HDLC";
        case link::kLoop:
            return "OpenBSD loopback";
        case link::kLinuxSll:
            return "Linux cooked";
        case link::kIpv4:
            return "raw IPv4";
        case link::kIpv6:
            return "raw IPv6";
        case link::kLinuxSll2:
            return "Linux cooked v2";
        case 105:
            return "IEEE 802.11";
        case 127:
            return "802.11 radiotap";
        default:
            return "link type " + std::to_string(link_type);
    }
}

}  // namespace tstat::capture
