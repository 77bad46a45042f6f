#include "flow/tcp/tcp_options.h"

#include "common/byte_reader.h"

namespace tstat::flow::tcp {

namespace {
constexpr uint8_t kEol = 0, kNop = 1, kMss = 2, kWs = 3, kSackPerm = 4, kSack = 5, kTs = 8,
                  kMptcp = 30;
constexpr int kMaxSacks = 10;
}  // namespace

TcpOptions parse_tcp_options(const decode::TcpHeader& tcp) noexcept {
    TcpOptions o;
    const uint8_t* p = tcp.options;
    if (p == nullptr) return o;
    // Options end at th_off*4; the captured bytes may end earlier.
    const uint32_t end = tcp.options_len;
    const uint32_t cap = tcp.options_caplen;
    uint32_t i = 0;
    while (i < end) {
        if (i >= cap) break;  // truncated: stop
        const uint8_t kind = p[i];
        if (kind == kEol || kind == kNop) {
            ++i;
            continue;
        }
        if (i + 1 >= cap) break;  // the length byte was not captured
        const uint8_t len = p[i + 1];
        if (len == 0) break;                  // "option has length 0, skipping other options"
        if (i + len > cap) break;             // option truncated
        switch (kind) {
            case kMss:
                if (len >= 4) {
                    o.mss = static_cast<int16_t>(load_be16(p + i + 2));
                    o.has_mss = o.mss != -1;
                }
                break;
            case kWs:
                if (len >= 3 && p[i + 2] != 0xff) {
                    o.has_ws = true;
                    o.ws = p[i + 2];
                }
                break;
            case kTs: o.has_ts = true; break;
            case kSackPerm: o.sack_permitted = true; break;
            case kSack: {
                int blocks = (len - 2) / 8;
                if (blocks > kMaxSacks) blocks = kMaxSacks;
                o.sack_blocks = blocks;
                break;
            }
            case kMptcp: o.mptcp = true; break;
            default: break;
        }
        i += len;
    }
    return o;
}

}  // namespace tstat::flow::tcp
