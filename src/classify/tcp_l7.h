// What classification found in a TCP flow: the values behind the P2P and Layer-7 columns of
// log_tcp_complete (spec §7.1). Default-constructed it is what Tstat prints for a flow in
// which nothing was detected.
#pragma once

#include <cstdint>
#include <string>

#include "classify/bounded_string.h"
#include "common/ip_address.h"
#include "common/timestamp.h"

namespace tstat::classify {

// The chat logs' view of a MSN, Yahoo or XMPP flow (spec §7.7).
struct ChatSummary {
    enum class Kind : uint8_t { kNone, kMsn, kYmsg, kJabber };
    Kind kind = Kind::kNone;
    int32_t flow_type = 0;             // MFT / YFT / JFT of the client side
    // Per side (0 client, 1 server): messages and, for MSN, messages by type A/D/N/U/Y.
    uint32_t messages[2] = {0, 0};
    uint32_t by_type[2][5] = {};
    BoundedString<8> version;          // MSN protocol ("UNK" for chats), Yahoo's as a number
};

// The video log's view of a flow (spec §7.5): classes, YouTube details and metadata, already
// in the form Tstat prints them.
struct VideoSummary {
    bool logged = false;               // is_video || is_streaming || YouTube/Netflix over TLS
    uint8_t content_format = 0;        // vd_type_cont (video_content enum)
    uint8_t payload_format = 0;        // vd_type_pay
    BoundedString<49> id16_46 = std::string_view("--");
    BoundedString<4> itag = std::string_view("--");
    BoundedString<49> id11 = std::string_view("--");
    int32_t seek = 0;
    int32_t redir_mode = 0;
    int32_t redir_count = 0;
    int32_t mobile = 0;
    int32_t stream = 0;
    double duration = 0;
    double rate = 0;                   // videodatarate (printed as vd_rate_tot, spec §17.10)
    int32_t width = 0;
    int32_t height = 0;
};

// Per-direction payload rates of the video log's Advanced set (VIDEO_DETAILS rate sampling).
struct VideoRates {
    uint32_t samples = 0;
    uint32_t empty_samples = 0;
    uint32_t empty_streak = 0;
    double sum = 0;
    double sum2 = 0;
    double min = 0;
    double max = 0;
    uint32_t begin_bytes[10] = {};
};

struct TcpL7 {
    uint32_t con_type = 0;           // con_t bitmask (spec §9.1)
    int32_t p2p_type = 0;            // IPP2P protocol*100 + subtype
    int32_t http_data = 0;           // http_content enum (log prints +1 when HTTP)
    int32_t p2p_data_count = 0;
    int32_t p2p_sig_count = 0;
    int32_t p2p_c2s_count = 0;
    int32_t p2p_c2c_count = 0;
    int32_t p2p_msg_count = 0;
    int32_t http_request_count = 0;
    int32_t http_response_count = 0;
    BoundedString<3> http_response = std::string_view("000");  // first status (HTTP flows only)
    BoundedString<119> tls_sni;      // empty: "-" (79 from TLS, 119 from Facebook Zero)
    BoundedString<79> tls_scn;
    int32_t client_npnalpn = 0;
    int32_t server_npnalpn = 0;
    uint16_t tls_session_stat = 0;
    Timestamp client_before_data_time;
    Timestamp server_before_data_time;
    bool client_data_seen = false;
    bool server_data_seen = false;
    Timestamp client_data_time;
    Timestamp server_data_time;
    uint32_t client_data_byte = 0;   // seqnum in Tstat: 32-bit arithmetic
    uint32_t server_data_byte = 0;
    BoundedString<199> http_hostname;
    BoundedString<80> client_tls_version;
    BoundedString<8> server_tls_version;
    ChatSummary chat;
    VideoSummary video;
    VideoRates rates[2];             // c2s, s2c; filled only when videolog_advanced is on
    uint32_t server_msg_sizes[10] = {};   // s_msgsize1..10 of the video log's Advanced set
};

// DN-Hunter's answer for a flow (spec §9.10), looked up once when the flow opens.
struct DnsLabel {
    BoundedString<255> name;         // empty: nothing resolved (inline: records stay alloc-free)
    IpAddress resolver;
    Timestamp request_time;
    Timestamp response_time;
    bool resolver_crypto = false;
};

}  // namespace tstat::classify
