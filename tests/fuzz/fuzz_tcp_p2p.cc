// libFuzzer target: the IPP2P TCP matchers Tstat runs (search_all_edk, search_bittorrent) and
// the eDonkey message kinds. Bytes 0-1: the IP payload length to claim; the rest is captured.
#include <cstddef>
#include <cstdint>

#include "classify/protocols/bittorrent/bittorrent_matcher.h"
#include "classify/protocols/edonkey/edonkey_matcher.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace tstat::classify;
    if (size < 2) return 0;
    const int32_t claimed = data[0] << 8 | data[1];
    const auto captured = static_cast<int32_t>(size - 2);
    const auto m = edonkey::search_all_edk({data + 2, captured, claimed});
    if (m.code != 0 && m.code / 100 != edonkey::kProtocol) __builtin_trap();
    (void)edonkey::is_data(m.type, m.opcode);
    (void)edonkey::is_client_server(m.type, m.opcode);
    (void)edonkey::is_chat(m.type, m.opcode);
    const int b = bittorrent::search_bittorrent({data + 2, captured, claimed});
    if (b != 0 && b / 100 != bittorrent::kProtocol) __builtin_trap();
    return 0;
}
