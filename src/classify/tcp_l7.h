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
    std::string http_response = "000";  // first status code (printed only for HTTP flows)
    std::string tls_sni;             // empty: "-"
    std::string tls_scn;
    int32_t client_npnalpn = 0;
    int32_t server_npnalpn = 0;
    uint16_t tls_session_stat = 0;
    Timestamp client_before_data_time;
    Timestamp server_before_data_time;
    bool client_data_seen = false;
    bool server_data_seen = false;
    Timestamp client_data_time;
    Timestamp server_data_time;
    uint64_t client_data_byte = 0;
    uint64_t server_data_byte = 0;
    std::string http_hostname;
    std::string client_tls_version;
    std::string server_tls_version;
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
