// libFuzzer target: every IPP2P UDP matcher and the SYE payload matcher over arbitrary
// datagrams (first two bytes: the UDP length field to claim).
#include <cstddef>
#include <cstdint>

#include "classify/protocols/ipp2p/udp_matchers.h"
#include "classify/protocols/sye/sye_matcher.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace tstat::classify::ipp2p;
    if (size < 2) return 0;
    const Datagram d{{data + 2, size - 2}, static_cast<uint16_t>(data[0] << 8 | data[1])};
    (void)match_udp(d);
    for (auto fn : {match_dns, match_bittorrent, match_edonkey, match_sip, match_pplive,
                    match_sopcast, match_tvants, match_ppstream, match_teredo, match_dtls,
                    match_mturn})
        (void)fn(d);
    if (d.bytes.size() >= 8) (void)tstat::classify::sye::kind(d.bytes.subspan(8));
    return 0;
}
