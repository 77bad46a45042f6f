#include "stats/l7_map.h"

#include <initializer_list>

namespace tstat::stats {

namespace {
// con_t bits (spec §9.1).
constexpr uint32_t kHttpBit = 1, kRtspBit = 2, kRtpBit = 4, kIcyBit = 8, kRtcpBit = 16,
                   kMsnBit = 32, kYmsgBit = 64, kXmppBit = 128, kP2pBit = 256,
                   kSkypeBit = 512, kSmtpBit = 1024, kPop3Bit = 2048, kImapBit = 4096,
                   kSslBit = 8192, kObfBit = 16384, kSshBit = 32768, kRtmpBit = 65536,
                   kMseBit = 131072, kFb0Bit = 262144;
}  // namespace

TcpClass classify_tcp(const TcpClassInput& in) {
    const uint32_t c = in.con_type;
    uint8_t t = l7::kUnknown;
    if (c & kMseBit) t = l7::kMse;
    if (c & kObfBit) t = l7::kObf;
    if ((c & kRtmpBit) && in.rtmp_handshake) t = l7::kRtmp;
    if (c & kHttpBit) t = l7::kHttp;
    if (c & kRtspBit) t = l7::kRtsp;
    if (c & kRtpBit) t = l7::kRtp;
    if (c & kIcyBit) t = l7::kIcy;
    if (c & kRtcpBit) t = l7::kRtcp;
    if (c & kMsnBit) t = l7::kMsn;
    if (c & kYmsgBit) t = l7::kYmsg;
    if (c & kXmppBit) t = l7::kXmpp;
    if (c & kSmtpBit) t = l7::kSmtp;
    if (c & kPop3Bit) t = l7::kPop3;
    if (c & kImapBit) t = l7::kImap;
    if (c & kSslBit) t = l7::kSsl;
    if (c & kSshBit) t = l7::kSsh;
    if (c & kFb0Bit) t = l7::kFb0;
    if (c & kP2pBit) t = tcp_p2p_l7(in.p2p_type);
    if (c & kSkypeBit) t = l7::kSkypeTcp;
    TcpClass out;
    out.l7 = t;
    out.http = fold_http_class(in.http_data);
    const uint8_t video = video_map(in.video_content, in.video_payload);
    out.web = web_category(in.http_data, video);
    out.tls = in.tls < kTlsClasses ? in.tls : 0;
    // map_video_flow_type(): only HTTP flows with a format found are video flows.
    if ((c & kHttpBit) && (in.video_content != 0 || in.video_payload != 0) &&
        video < kVideoClasses)
        out.video = static_cast<int8_t>(video);
    return out;
}

namespace {
bool ends_with(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}
bool any_suffix(std::string_view s, std::initializer_list<std::string_view> suffixes) {
    for (std::string_view x : suffixes)
        if (ends_with(s, x)) return true;
    return false;
}
}  // namespace

uint8_t tls_service(std::string_view n) {
    enum : uint8_t { kOther, kGoogle, kYoutube, kFacebook, kNetflix, kDropbox, kMicrosoft,
                     kApple, kInstagram };
    if (n.empty()) return kOther;
    // Tstat's regexes: "\\.x\\.com$" are suffixes with the dot, "^x" prefixes.
    if (any_suffix(n, {".cdninstagram.com", ".instagram.com"}) ||
        (n.starts_with("instagram.") && n.size() >= 20 && ends_with(n, ".fbcdn.net")))
        return kInstagram;
    // is_tls_facebook() stops one pattern early: "^fbexternal" is never tried (quirk).
    if (any_suffix(n, {".facebook.com", ".fbcdn.net", ".facebook.net"}) ||
        n.starts_with("fbcdn") || n.starts_with("fbstatic"))
        return kFacebook;
    if (n == "officecdn" || any_suffix(n, {".live.com", ".microsoft.com", ".windows.net",
                                           ".live.net", ".sharepoint.com"}))
        return kMicrosoft;
    if (any_suffix(n, {".google.com", ".googleusercontent.com", ".googleapis.com",
                       ".gstatic.com"}))
        return kGoogle;
    if (any_suffix(n, {".googlevideo.com", ".gvt1.com", ".youtube.com", ".youtube-nocookie.com",
                       ".ytimg.com"}))
        return kYoutube;
    if (any_suffix(n, {".dropbox.com", ".dropboxstatic.com", ".dropboxusercontent.com"}))
        return kDropbox;
    if (any_suffix(n, {".icloud-content.com", ".apple.com", ".icloud.com", ".apple.com.",
                       ".icloud.com."}))
        return kApple;
    if (ends_with(n, ".nflxvideo.net")) return kNetflix;
    return kOther;
}

uint8_t video_map(uint8_t content, uint8_t payload) {
    const uint8_t v = content == 0 ? payload : payload == 0 ? content : payload;
    switch (v) {
        case 7: case 8: case 9: return 9;   // 3GPP, OGG, QUICKTIME -> QUICKTIME
        default: return v;
    }
}

uint8_t web_category(int32_t http_data, uint8_t video) {
    enum : uint8_t { kGet, kPost, kStorage, kYoutube, kVideo, kSocial, kOther, kNetflix };
    switch (fold_http_class(http_data)) {   // YTMAP() first
        case 2: case 3: case 10: case 16: return kSocial;   // MSN, RTMPT, FACEBOOK, SOCIAL
        case 4: return kYoutube;
        case 14: return kNetflix;
        default: break;
    }
    if (video != 0) return kVideo;
    switch (fold_http_class(http_data)) {
        case 0: return kGet;
        case 1: return kPost;
        case 5: case 6: case 17: return kVideo;             // VIDEO_CONTENT, VIMEO, FLASHVIDEO
        case 8: case 9: case 18: case 19: case 20: return kStorage;
        default: return kOther;
    }
}

uint8_t udp_l7(uint8_t udp_type) {
    switch (udp_type) {
        case 3: case 29: return l7::kRtp;      // RTP, RTP_PLUS
        case 4: return l7::kRtcp;
        case 5: return l7::kSkypeE2E;
        case 6: return l7::kSkypeE2O;
        case 7: return l7::kSkypeSig;
        case 8: return l7::kEdk;
        case 9: return l7::kKad;
        case 10: return l7::kKadu;
        case 11: return l7::kGnu;
        case 12: return l7::kBit;
        case 13: return l7::kDc;
        case 14: return l7::kKazaa;
        case 15: return l7::kPplive;
        case 16: return l7::kSopcast;
        case 17: return l7::kTvants;
        case 18: return l7::kObfKad;
        case 19: return l7::kDns;
        case 20: case 21: return l7::kUtp;
        case 22: return l7::kVod;
        case 23: return l7::kPpstream;
        case 24: return l7::kTeredo;
        case 25: return l7::kSip;
        case 26: return l7::kDtls;
        case 27: return l7::kQuic;
        case 30: return l7::kMturn;
        case 31: return l7::kSye;
        default: return l7::kUnknown;   // UNKNOWN, FIRST_RTP, FIRST_RTCP, FIRST_RTP_PLUS
    }
}

}  // namespace tstat::stats
