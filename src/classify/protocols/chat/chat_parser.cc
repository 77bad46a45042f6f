#include "classify/protocols/chat/chat_parser.h"

#include <cstring>
#include <string_view>

namespace tstat::classify::chat {

MsnCommand msn_command(Segment s) {
    struct Entry {
        const char word[5];
        MsnCommand cmd;
    };
    static constexpr Entry kCommands[] = {
        {"VER ", MsnCommand::kVer}, {"CVR ", MsnCommand::kCvr}, {"USR ", MsnCommand::kUsr},
        {"XFR ", MsnCommand::kXfr}, {"PNG\r", MsnCommand::kPng}, {"QNG ", MsnCommand::kQng},
        {"CHL ", MsnCommand::kChl}, {"QRY ", MsnCommand::kQry}, {"CAL ", MsnCommand::kCal},
        {"JOI ", MsnCommand::kJoi}, {"RNG ", MsnCommand::kRng}, {"ANS ", MsnCommand::kAns},
        {"IRO ", MsnCommand::kIro}, {"MSG ", MsnCommand::kMsg}, {"UUM ", MsnCommand::kUum},
        {"UBM ", MsnCommand::kUbm}, {"BYE ", MsnCommand::kBye}, {"OUT ", MsnCommand::kOut},
        {"OUT\r", MsnCommand::kOutSb},
    };
    for (const Entry& e : kCommands)
        if (s.word(e.word)) return e.cmd;
    return MsnCommand::kNone;
}

namespace {
bool space(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }
// sscanf %d: optional blanks, sign, digits. Returns false when no digit.
bool scan_int(std::string_view t, size_t& i, int32_t& out) {
    while (i < t.size() && space(t[i])) ++i;
    bool neg = false;
    if (i < t.size() && (t[i] == '-' || t[i] == '+')) neg = t[i++] == '-';
    const size_t start = i;
    int64_t v = 0;
    while (i < t.size() && t[i] >= '0' && t[i] <= '9') {
        v = v * 10 + (t[i++] - '0');
        if (v > 0x7fffffff) v = 0x80000000;
    }
    if (i == start) return false;
    out = static_cast<int32_t>(neg ? -v : v);
    return true;
}
}  // namespace

MsnMsgHeader parse_msn_msg(Segment s) {
    MsnMsgHeader h;
    // bytes after "MSG ", at most 19, in a zeroed buffer: a C string
    const int32_t available = s.length - 5;   // Tstat: plast - (pdata + 4)
    if (available < 1) return h;
    char buf[20] = {};
    const int32_t n = available < 19 ? available : 19;
    for (int32_t i = 0; i < n; ++i) buf[i] = static_cast<char>(s.at(4 + i));
    const std::string_view t(buf, std::strlen(buf));
    if (t.size() < 3) return h;
    size_t i = 0;
    int32_t tr = 0;
    if (!scan_int(t, i, tr)) return h;
    h.fields = 1;
    while (i < t.size() && space(t[i])) ++i;
    if (i >= t.size()) return h;
    h.type = t[i++];
    h.fields = 2;
    if (scan_int(t, i, h.length)) h.fields = 3;
    return h;
}

int msn_version(Segment s, char out[8]) {
    int32_t i = 6;
    while (i < s.length && space(static_cast<char>(s.at(i)))) ++i;
    int n = 0;
    while (n < 7 && i < s.length && s.at(i) != 0 && !space(static_cast<char>(s.at(i))))
        out[n++] = static_cast<char>(s.at(i++));
    out[n] = '\0';
    return n;
}

JabberStanza jabber_stanza(Segment s) {
    int32_t len = 0;   // strlen of the payload (Tstat reads on past it; here it ends there)
    while (len < s.length && s.at(len) != 0) ++len;
    auto cmp = [&](std::string_view lit) {
        const int32_t n = len < static_cast<int32_t>(lit.size()) ? len : static_cast<int32_t>(lit.size());
        for (int32_t i = 0; i < n; ++i)
            if (s.at(i) != static_cast<uint8_t>(lit[static_cast<size_t>(i)])) return false;
        return true;
    };
    if (cmp("<presence")) return JabberStanza::kPresence;
    if (cmp("<message ")) return JabberStanza::kMessage;
    return JabberStanza::kNone;
}

}  // namespace tstat::classify::chat
