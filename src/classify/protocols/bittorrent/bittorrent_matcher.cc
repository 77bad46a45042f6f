#include "classify/protocols/bittorrent/bittorrent_matcher.h"

#include <string_view>

namespace tstat::classify::bittorrent {

namespace {
// memcmp(payload + off, lit, min(captured - off, strlen(lit))) == 0
bool pm(Segment s, int32_t off, std::string_view lit) {
    const int32_t avail = s.captured - off;
    const int32_t n = avail < static_cast<int32_t>(lit.size()) ? avail : static_cast<int32_t>(lit.size());
    for (int32_t i = 0; i < n; ++i)
        if (s.at(off + i) != static_cast<uint8_t>(lit[static_cast<size_t>(i)])) return false;
    return true;
}
bool eq(Segment s, int32_t off, std::string_view lit) {
    for (size_t i = 0; i < lit.size(); ++i)
        if (s.at(off + static_cast<int32_t>(i)) != static_cast<uint8_t>(lit[i])) return false;
    return true;
}
int tracker(Segment s, int32_t at) {
    if (pm(s, at, "scrape?info_hash=")) return kProtocol * 100 + 1;
    if (pm(s, at, "announce?info_hash=")) return kProtocol * 100 + 2;
    if (pm(s, at, "announce.php?info_hash=")) return kProtocol * 100 + 3;
    if (pm(s, at, "announce.php?passkey=")) return kProtocol * 100 + 4;
    if (pm(s, at, "announce.php?pid=")) return kProtocol * 100 + 5;
    return 0;
}
}  // namespace

int search_bittorrent(Segment s) {
    // In ipp2p_tstat.c `plen` is the IP payload length and `payload_len` the captured bytes.
    const int32_t plen = s.payload_len;
    const int32_t captured = s.captured;
    if (plen > 20 && captured > 6) {
        if (s.at(0) == 0x13 && pm(s, 1, "BitTorrent protocol")) return kProtocol * 100;
        if (eq(s, 0, "GET /")) {
            if (s.at(5) == 'a' || s.at(5) == 's') return tracker(s, 5);
            if (captured > 45 && (s.at(38) == 'a' || s.at(38) == 's')) return tracker(s, 38);
        }
        return 0;
    }
    // bitcomet encrypts its handshake: its block requests give it away.
    if (plen == 17 && captured == plen && s.at(0) == 0 && s.at(1) == 0 && s.at(2) == 0 &&
        s.at(3) == 0x0d && s.at(4) == 0x06 && s.at(13) == 0 && s.at(14) == 0 && s.at(15) == 0x40 &&
        s.at(16) == 0)
        return kProtocol * 100 + 3;
    return 0;
}

}  // namespace tstat::classify::bittorrent
