// Per-flow state of the TCP classifier, split by lifetime so that a flow costs a few tens of
// bytes: a small core for every flow, records allocated only when a flow needs them (TLS,
// HTTP, the rarer P2P/chat/video details) and working state dropped as soon as Tstat's DPI
// can no longer change its verdict (spec §9.1 budgets).
#pragma once

#include <cstdint>

#include "classify/protocols/video/video_parser.h"
#include "classify/tcp_l7.h"
#include "common/timestamp.h"
#include "flow/pool.h"

namespace tstat::classify::tcp {

// enum state_type (tstat/struct.h) as the con_t FSM uses it.
enum class L7State : uint8_t {
    kUnknown,
    kRtspCommand,
    kRtspResponse,
    kHttpCommand,
    kHttpResponse,
    kMsnVerC2S,
    kMsnVerS2C,
    kMsnUsrC2S,
    kMsnUsrS2C,
    kMsnAnsCommand,
    kMsnIroCommand,
    kYmsg,
    kXmpp,
    kSmtpOpening,
    kPop3Opening,
    kImapOpening,
    kImapCommand,
    kSslHandshake,
    kSslData,
    kSshServer,
    kRtmpHandshake,
    kFb0Opening,
    kIgnore,
};

// The STREAMING plugin's own state (it only uses three of state_type's values).
enum class StreamState : uint8_t { kUnknown, kHttpCommand, kIgnore };

// con_t bits (tstat/protocol.h)
namespace con {
inline constexpr uint32_t kHttp = 1;
inline constexpr uint32_t kRtsp = 2;
inline constexpr uint32_t kRtp = 4;
inline constexpr uint32_t kIcy = 8;
inline constexpr uint32_t kRtcp = 16;
inline constexpr uint32_t kMsn = 32;
inline constexpr uint32_t kYmsg = 64;
inline constexpr uint32_t kXmpp = 128;
inline constexpr uint32_t kP2p = 256;
inline constexpr uint32_t kSkype = 512;
inline constexpr uint32_t kSmtp = 1024;
inline constexpr uint32_t kPop3 = 2048;
inline constexpr uint32_t kImap = 4096;
inline constexpr uint32_t kSsl = 8192;
inline constexpr uint32_t kObf = 16384;
inline constexpr uint32_t kSsh = 32768;
inline constexpr uint32_t kRtmp = 65536;
inline constexpr uint32_t kMse = 131072;
inline constexpr uint32_t kFb0 = 262144;
}  // namespace con

// Every flow: 32 bytes.
struct FlowDpi {
    uint32_t con_type = 0;
    uint32_t tls = flow::kNil;      // TlsInfo, from the first ClientHello
    uint32_t http = flow::kNil;     // HttpInfo, from the first request or response counted
    uint32_t work = flow::kNil;     // DpiWork, while MSE/RTMP can still change
    uint32_t extra = flow::kNil;    // FlowExtra: P2P counters, chat, video, YouTube
    uint16_t p2p_type = 0;
    L7State state = L7State::kUnknown;
    uint8_t http_data = 0;          // http::Content
    StreamState stream_state = StreamState::kUnknown;
    uint8_t stream_packets = 0;     // server packets the STREAMING plugin looked at (<= 5)
    uint8_t stream_content = 0;     // video::Format from the Content-Type
    uint8_t stream_payload = 0;     // video::Format from the body
    uint8_t obf = 0;                // ed2k_obfuscate_check() states
    bool p2p_ignore : 1 = false;
    bool rtmp_c2s_seen : 1 = false;
    bool rtmp_s2c_seen : 1 = false;
    bool rtmp_c2s_hand : 1 = false;
    bool rtmp_s2c_hand : 1 = false;
    bool mse_settled : 1 = false;   // DpiWork gone: the MSE test below is final
    bool mse_length_ok : 1 = false;
    bool mse_entropy_ok : 1 = false;
    bool rtmp_settled : 1 = false;  // DpiWork gone: the RTMP size test below is final
    bool rtmp_sizes_ok : 1 = false;
    bool http_req_status : 1 = false;   // log_http_complete: next client segment continues
    bool http_res_status : 1 = false;
    uint8_t http_req_fragment : 3 = 0;  // which field the request segment cut
    uint8_t http_res_fragment : 3 = 0;
};

// Working state of the entropy (MSE) and RTMP tests: nibble histograms of the first four
// payload packets and the first two PSH-delimited message sizes of each side.
struct DpiWork {
    uint16_t nibbles_l[16] = {};
    uint16_t nibbles_h[16] = {};
    uint16_t nibble_count = 0;      // u_int16_t in Tstat: it wraps
    uint8_t nibble_packets = 0;
    uint8_t msg_seen[2] = {0, 0};   // msg_count values already accounted for (capped)
    uint32_t msg_last_seq[2] = {0, 0};   // msg_last_seq after the last message seen
    uint32_t msg_size[2][2] = {};   // msg_size[0..1] per side
};

struct TlsInfo {
    uint32_t sni = 0xffffffffu;              // StringTable ids
    uint32_t scn = 0xffffffffu;
    uint32_t client_versions = 0xffffffffu;
    uint32_t hello = flow::kNil;             // ClientHello being reassembled
    Timestamp before_data[2];                // last handshake packet per side
    Timestamp data_time[2];                  // first Application Data record per side
    uint32_t data_byte[2] = {0, 0};
    uint16_t server_version = 0;
    uint8_t npnalpn[2] = {0, 0};
    bool server_version_set : 1 = false;
    bool data_seen_c : 1 = false;
    bool data_seen_s : 1 = false;
    bool sessionid_reuse : 1 = false;
    bool client_psk : 1 = false;
    bool early_data : 1 = false;
    bool server_psk : 1 = false;
    bool hello_retry : 1 = false;
};

struct HttpInfo {
    uint32_t hostname = 0xffffffffu;   // StringTable id
    uint32_t requests = 0;
    uint32_t responses = 0;
    char response[3] = {0, 0, 0};      // first status code, as sanitised by Tstat
    uint8_t response_len = 0;
};

// A ClientHello spread over segments, collected up to its record length.
struct HelloBuffer {
    uint8_t bytes[5 + 0x39ff];         // the record header allows at most 0x39ff bytes
    uint32_t length = 0;               // 5 + record length
    uint32_t filled = 0;
    uint32_t next_seq = 0;             // sequence number of the next byte expected
};

struct MsnSide {
    uint32_t msg = 0, msg_a = 0, msg_d = 0, msg_n = 0, msg_u = 0, msg_y = 0;
    int32_t flow_type = 0;             // MFT
    bool ver = false, usr = false, post = false;
    char version[8] = {};              // MSNPversion
};
struct YmsgSide {
    uint32_t messages = 0;
    int32_t flow_type = 0;             // YFT
    int32_t version = 0;
    bool auth_resp = false, p2p_check = false;
};
struct JabberSide {
    uint32_t messages = 0;
    int32_t flow_type = 0;             // JFT
    bool presence = false;
};

// Rare per-flow details.
struct FlowExtra {
    // P2P (eDonkey message counters)
    uint32_t p2p_data = 0, p2p_sig = 0, p2p_c2s = 0, p2p_c2c = 0, p2p_msg = 0;
    // chat
    MsnSide msn[2];
    YmsgSide ymsg[2];
    JabberSide jabber[2];
    // video
    video::Metadata meta;
    bool youtube = false;              // the YouTube details below were taken
    BoundedString<49> yt_id = std::string_view("--");
    BoundedString<4> yt_itag = std::string_view("--");
    int32_t yt_seek = 0, yt_redir_mode = 0, yt_redir_count = 0, yt_mobile = 0, yt_stream = 0;
};

// VIDEO_DETAILS payload rate sampling (only with videolog_advanced).
struct RateSide {
    Timestamp last_sample;
    double left_edge = 0;
    double right_edge = 0;
    uint32_t bytes = 0;
    VideoRates out;
};
struct RateState {
    RateSide side[2];
    uint32_t msg_sizes[10] = {};       // server messages 1..10
    uint32_t msg_last_seq = 0;
    uint32_t msg_seen = 0;
};

}  // namespace tstat::classify::tcp
