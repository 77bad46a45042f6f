// Chat protocols of Tstat's TCP DPI (spec §9.9; tstat/msn.c, tstat/ymsg.c, tstat/jabber.c):
// the per-segment recognisers. The per-flow counters and flow types live in the TCP
// classifier; these functions only read bytes (zero past the capture).
#pragma once

#include <cstdint>

namespace tstat::classify::chat {

struct Segment {
    const uint8_t* data = nullptr;
    int32_t length = 0;   // Tstat's data_length
    uint8_t at(int32_t i) const { return i >= 0 && i < length ? data[i] : 0; }
    bool word(const char (&w)[5]) const {
        return at(0) == uint8_t(w[0]) && at(1) == uint8_t(w[1]) && at(2) == uint8_t(w[2]) &&
               at(3) == uint8_t(w[3]);
    }
};

// MSN commands (msn.h): the first four bytes of a segment.
enum class MsnCommand : uint8_t {
    kNone,
    kVer, kCvr, kUsr, kXfr, kPng, kQng, kChl, kQry, kCal, kJoi, kRng, kAns, kIro, kMsg, kUum,
    kUbm, kBye, kOut, kOutSb,
};
MsnCommand msn_command(Segment s);

// "MSG <trID> <type> <len>": sscanf("%d %c %d") of the 19 bytes after "MSG ".
struct MsnMsgHeader {
    int fields = 0;       // sscanf's result (0 when fewer than three characters)
    char type = '?';
    int32_t length = 0;
};
MsnMsgHeader parse_msn_msg(Segment s);

// The negotiated protocol in a server VER reply: sscanf("%7s") from offset 6. Returns the
// length of the word (0: none, where Tstat keeps its "?").
int msn_version(Segment s, char out[8]);

// Jabber stanzas (jabber.c compares min(9, strlen(payload)) characters).
enum class JabberStanza : uint8_t { kNone, kPresence, kMessage };
JabberStanza jabber_stanza(Segment s);

}  // namespace tstat::classify::chat
