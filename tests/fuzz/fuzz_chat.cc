// libFuzzer target: the chat recognisers (MSN commands, MSG headers and VER replies, XMPP
// stanzas) over arbitrary segments.
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "classify/protocols/chat/chat_parser.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace tstat::classify::chat;
    const Segment s{data, static_cast<int32_t>(size)};
    (void)msn_command(s);
    (void)parse_msn_msg(s);
    char version[8];
    const int n = msn_version(s, version);
    if (n < 0 || n > 7 || std::strlen(version) != static_cast<size_t>(n)) __builtin_trap();
    (void)jabber_stanza(s);
    return 0;
}
