// What the classifiers report, in the terms of the histograms: the L7 flow ids of spec §9.7
// (L7_TCP_num, tcp_bitrate, L7_UDP_num, udp_bitrate) and the HTTP/web/TLS/video classes of
// §9.2-§9.4. The classifiers (classify/) decide; this file only maps their answers the way
// Tstat's map_flow_type(), TCP_p2p_to_L7type() and UDP_p2p_to_L7type() do.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace tstat::stats {

namespace l7 {
inline constexpr uint8_t kHttp = 0;
inline constexpr uint8_t kRtp = 1;
inline constexpr uint8_t kRtcp = 2;
inline constexpr uint8_t kIcy = 3;
inline constexpr uint8_t kRtsp = 4;
inline constexpr uint8_t kSkypeE2E = 5;
inline constexpr uint8_t kSkypeE2O = 6;
inline constexpr uint8_t kSkypeTcp = 7;
inline constexpr uint8_t kMsn = 8;
inline constexpr uint8_t kXmpp = 9;
inline constexpr uint8_t kYmsg = 10;
inline constexpr uint8_t kEdk = 11;
inline constexpr uint8_t kKad = 12;
inline constexpr uint8_t kKadu = 13;
inline constexpr uint8_t kGnu = 14;
inline constexpr uint8_t kBit = 15;
inline constexpr uint8_t kUtp = 16;
inline constexpr uint8_t kDc = 17;
inline constexpr uint8_t kApple = 18;
inline constexpr uint8_t kSoul = 19;
inline constexpr uint8_t kWinmx = 20;
inline constexpr uint8_t kAres = 21;
inline constexpr uint8_t kMute = 22;
inline constexpr uint8_t kWaste = 23;
inline constexpr uint8_t kXdcc = 24;
inline constexpr uint8_t kSmtp = 25;
inline constexpr uint8_t kPop3 = 26;
inline constexpr uint8_t kImap = 27;
inline constexpr uint8_t kObf = 28;
inline constexpr uint8_t kPplive = 29;
inline constexpr uint8_t kSopcast = 30;
inline constexpr uint8_t kTvants = 31;
inline constexpr uint8_t kSkypeSig = 32;
inline constexpr uint8_t kSsl = 33;
inline constexpr uint8_t kObfKad = 34;
inline constexpr uint8_t kKazaa = 35;
inline constexpr uint8_t kDns = 36;
inline constexpr uint8_t kSsh = 37;
inline constexpr uint8_t kRtmp = 38;
inline constexpr uint8_t kMse = 39;
inline constexpr uint8_t kVod = 40;
inline constexpr uint8_t kPpstream = 41;
inline constexpr uint8_t kTeredo = 42;
inline constexpr uint8_t kSip = 43;
inline constexpr uint8_t kDtls = 44;
inline constexpr uint8_t kQuic = 45;
inline constexpr uint8_t kFb0 = 46;
inline constexpr uint8_t kMturn = 47;
inline constexpr uint8_t kSye = 48;
inline constexpr uint8_t kUnknown = 49;
inline constexpr int kCount = 50;   // L7_FLOW_TOT
}  // namespace l7

inline constexpr int kHttpClasses = 27;   // HTTP_LAST_TYPE
inline constexpr int kWebClasses = 8;     // WEB_LAST_TYPE
inline constexpr int kTlsClasses = 9;     // TLS_LAST_TYPE
inline constexpr int kVideoClasses = 14;  // VIDEO_LAST_TYPE

// The state of a TCP flow's classification that the histograms need, at a packet (bitrates)
// or when the flow closes (flow counts). Defaults: nothing found.
struct TcpClassInput {
    uint32_t con_type = 0;       // con_t bitmask (spec §9.1)
    int32_t p2p_type = 0;        // IPP2P protocol*100 + subtype (spec §9.5)
    int32_t http_data = 0;       // http_content enum, 0-based (spec §9.3)
    bool rtmp_handshake = false; // RTMP first message sizes 1537 / 1537|3073 seen (§9.1)
    uint8_t tls = 0;             // TLS service of a TLS flow (tls_service(), §9.2)
    uint8_t video_content = 0;   // streaming DPI formats (video_content enum, §9.4)
    uint8_t video_payload = 0;
};

// What the histograms use: the L7 id and the classes within it.
struct TcpClass {
    uint8_t l7 = l7::kUnknown;
    uint8_t http = 0;            // folded HTTP class (YTMAP), when l7 == kHttp
    uint8_t web = 0;
    uint8_t tls = 0;
    int8_t video = -1;
};

// Tstat's YTMAP(): the YouTube variants and the late additions folded into older classes.
inline uint8_t fold_http_class(int32_t http_data) {
    switch (http_data) {
        case 21: case 22: return 4;    // YOUTUBE_204, YOUTUBE_VIDEO204 -> YOUTUBE_VIDEO
        case 23: case 24: return 15;   // YOUTUBE_SITE_DIRECT/_EMBED -> YOUTUBE_SITE
        case 25: return 16;            // TWITTER -> SOCIAL
        case 26: return 0;             // DROPBOX -> GET
        default: return http_data >= 0 && http_data < kHttpClasses
                            ? static_cast<uint8_t>(http_data) : 0;
    }
}

// TCP_p2p_to_L7type(): the IPP2P protocol of a P2P flow.
inline uint8_t tcp_p2p_l7(int32_t p2p_type) {
    switch (p2p_type / 100) {
        case 1: case 3: return l7::kEdk;      // EDK, DATA_EDK
        case 2: case 8: return l7::kKazaa;    // DATA_KAZAA, KAZAA
        case 4: case 5: return l7::kDc;       // DATA_DC, DC
        case 6: case 7: return l7::kGnu;      // DATA_GNU, GNU
        case 9: return l7::kBit;
        case 10: return l7::kApple;
        case 11: return l7::kSoul;
        case 12: return l7::kWinmx;
        case 13: return l7::kAres;
        case 14: return l7::kMute;
        case 15: return l7::kWaste;
        case 16: return l7::kXdcc;
        default: return l7::kUnknown;
    }
}

// map_flow_type(): the con_t bits in increasing priority, later wins (spec §9.7); with the
// HTTP, web, TLS and video classes the rate and count histograms file the flow under.
TcpClass classify_tcp(const TcpClassInput& in);

// classify_tcp() remembered for the inputs last seen, in a small direct-mapped table: every
// TCP packet asks, and a trace holds a few dozen distinct inputs.
class TcpClassMemo {
public:
    TcpClass operator()(const TcpClassInput& in) {
        const uint64_t a = in.con_type | uint64_t{static_cast<uint32_t>(in.p2p_type)} << 32;
        const uint64_t b = uint64_t{static_cast<uint32_t>(in.http_data)} |
                           uint64_t{in.rtmp_handshake} << 32 | uint64_t{in.tls} << 40 |
                           uint64_t{in.video_content} << 48 | uint64_t{in.video_payload} << 56;
        constexpr uint64_t kMix = 0x9E3779B97F4A7C15ull;
        Slot& s = slots_[((a ^ (b * kMix)) * kMix) >> (64 - kBits)];
        if (!s.valid || s.a != a || s.b != b) s = Slot{a, b, classify_tcp(in), true};
        return s.cls;
    }

private:
    static constexpr int kBits = 6;
    struct Slot {
        uint64_t a = 0, b = 0;
        TcpClass cls;
        bool valid = false;
    };
    std::array<Slot, size_t{1} << kBits> slots_{};
};

// map_tls_service(): the TLS category of a server name (enum tls_category, spec §9.2).
uint8_t tls_service(std::string_view sni);

// VIDEO_MAP(): the body's format wins over the Content-Type's; 3GPP and OGG count as
// QUICKTIME. 0: no video format.
uint8_t video_map(uint8_t content, uint8_t payload);

// map_http_to_web(): the web category of an HTTP flow (enum web_category, spec §9.3).
uint8_t web_category(int32_t http_data, uint8_t video);

// UDP_p2p_to_L7type() for a direction's UDP class (spec §9.6): the class the per-packet
// bitrate and the flow counts use. Type 18 (obfuscated KAD, which Tstat derives from the
// flow's KAD state) maps to OBF_KAD when a classifier reports it.
uint8_t udp_l7(uint8_t udp_type);

// make_p2p_conn_stats() counts a UDP flow unless a direction is RTP, RTCP or Skype (types
// 3..6), which their own engines count. RTP+ (29) is not among them: a confirmed RTP+
// direction is counted twice, once by rtp.c when confirmed and once here at the close.
inline bool udp_counted_by_p2p(uint8_t c_type, uint8_t s_type) {
    auto own_engine = [](uint8_t t) { return t >= 3 && t < 7; };
    return !own_engine(c_type) && !own_engine(s_type);
}

}  // namespace tstat::stats
