// Rows of the TCP event logs, reported by the TCP classifier while packets go by: HTTP
// requests and responses (log_http_complete, spec §7.3) and chat messages
// (log_chat_messages, §7.7). The app formats them with the output stage's log writers;
// classify/ cannot see those (dependencies run one way, DESIGN.md). Views are valid for the
// duration of the call.
#pragma once

#include <cstdint>
#include <string_view>

#include "common/timestamp.h"
#include "flow/tcp/tcp_flow.h"

namespace tstat::classify::tcp {

// A field of the HTTP log with Tstat's "[*]" marks: `head` when it continues a value cut in
// the previous segment, `tail` when the segment cuts it.
struct HttpField {
    std::string_view value = "-";
    bool head = false;
    bool tail = false;
};

struct HttpRequestRow {
    const flow::tcp::TcpFlow* flow = nullptr;
    Timestamp time;
    std::string_view method;          // "GET", ..., or "REQ2" for a continuation segment
    std::string_view host = "-";
    std::string_view fqdn;            // DN-Hunter name; empty prints "-"
    HttpField path, referer, user_agent, cookie;
    std::string_view dnt = "-";
};

struct HttpResponseRow {
    const flow::tcp::TcpFlow* flow = nullptr;
    Timestamp time;
    bool continuation = false;        // "RES2" instead of "HTTP"
    std::string_view status = "-";
    std::string_view content_length = "-";
    std::string_view content_type = "-";
    std::string_view server = "-";
    std::string_view range = "-";
    HttpField location, cookie;
};

// One line of log_chat_messages, as msn.c / ymsg.c / jabber.c print it.
struct ChatMessageRow {
    const flow::tcp::TcpFlow* flow = nullptr;
    Timestamp time;
    std::string_view type;            // "MSG_A", "MSG_Y", "MESSAGE", ...
    int dir = 1;                      // 1 client to server, -1 server to client
    bool length_known = false;        // false prints "?"
    int32_t length = 0;               // message length field
    uint32_t payload_len = 0;
    uint32_t con_type = 0;
};

class TcpEventSink {
public:
    virtual ~TcpEventSink() = default;
    virtual void http_request(const HttpRequestRow& row) = 0;
    virtual void http_response(const HttpResponseRow& row) = 0;
    virtual void chat_message(const ChatMessageRow& row) = 0;
};

}  // namespace tstat::classify::tcp
