#include "output/logs/tcp_log.h"

#include <gtest/gtest.h>

#include "output/logs/classified_logs.h"
#include "output/logs/udp_log.h"
#include "output/logs/video_log.h"

namespace tstat::output {
namespace {

int count_columns(const std::string& header) {
    int n = 1;
    for (char c : header) n += c == ' ';
    return n;
}

// Tstat 3.3's header with the default level (spec §7.1, verified on the reference build).
constexpr const char* kDefaultHeaderStart =
    "#15#c_ip:1 c_port:2 c_pkts_all:3 c_rst_cnt:4 c_ack_cnt:5 c_ack_cnt_p:6 c_bytes_uniq:7 "
    "c_pkts_data:8 c_bytes_all:9 c_pkts_retx:10 c_bytes_retx:11 c_pkts_ooo:12 c_syn_cnt:13 "
    "c_fin_cnt:14 s_ip:15 s_port:16";
constexpr const char* kDefaultHeaderEnd =
    "fqdn:127 dns_rslv:128 req_tm:129 res_tm:130 http_hostname:131 c_TLSvers:132 "
    "s_TLSvers:133 dns_enc:134";

TEST(TcpLog, DefaultHeaderHas134TstatColumns) {
    const std::string h = tcp_log_header(tcp_set::kDefault, true);
    EXPECT_EQ(count_columns(h), 134);
    EXPECT_EQ(h.rfind(kDefaultHeaderStart, 0), 0u) << h;
    EXPECT_EQ(h.substr(h.size() - std::string(kDefaultHeaderEnd).size()), kDefaultHeaderEnd);
    EXPECT_NE(h.find(" c_rtt_avg:45 "), std::string::npos);
    EXPECT_NE(h.find(" p2p_st:59 "), std::string::npos);
    EXPECT_NE(h.find(" c_f1323_opt:65 "), std::string::npos);
    EXPECT_NE(h.find(" s_syn_retx:110 http_req_cnt:111 "), std::string::npos);
}

TEST(TcpLog, NocompleteAndLevelZeroHaveTheCoreSetOnly) {
    EXPECT_EQ(count_columns(tcp_log_header(tcp_set::kDefault, false)), 44);
    const std::string h0 = tcp_log_header(0, true);
    EXPECT_EQ(count_columns(h0), 44);
    EXPECT_EQ(h0.rfind("#00#c_ip:1 ", 0), 0u);
    EXPECT_NE(h0.find(" con_t:42 p2p_t:43 http_t:44"), std::string::npos);
}

TEST(TcpLog, CoreRowOfAnEmptyFlowUsesTstatPlaceholders) {
    TcpRecord r;
    IpAddress::parse("10.0.0.1", r.flow.key.a);
    IpAddress::parse("10.0.0.2", r.flow.key.b);
    r.flow.key.a_port = 1;
    r.flow.key.b_port = 2;
    r.flow.first_time = Timestamp{1259023909119790};
    r.flow.last_time = Timestamp{1259023939991444};
    r.complete = true;
    LineBuffer b;
    format_tcp_row(r, tcp_set::kDefault, b);
    const std::string row(b.view());
    EXPECT_EQ(row.rfind("10.0.0.1 1 0 0 0 0 0 0 0 0 0 0 0 0 10.0.0.2 2 ", 0), 0u) << row;
    EXPECT_NE(row.find(" 1259023909119.790039 1259023939991.444092 30871.654000 0.000000 "),
              std::string::npos)
        << row;
    // Layer 7 of a flow where nothing was detected, as Tstat prints it.
    EXPECT_NE(row.find(" 0 0 --- 0 0 - - 0 0 0 0.000000 0.000000 0.000000 0.000000 0 0 - - 0.0 "
                       "0.0 - - - 0"),
              std::string::npos)
        << row;
    EXPECT_EQ(count_columns(row), 134);
}

TEST(OtherLogs, HeadersHaveTstatsColumnCounts) {
    EXPECT_EQ(count_columns(udp_log_header()), 25);
    EXPECT_EQ(count_columns(mm_log_header()), 53);
    EXPECT_EQ(count_columns(chat_complete_header()), 30);
    EXPECT_EQ(count_columns(chat_messages_header()), 7);
    EXPECT_EQ(count_columns(video_log_header(video_set::kDefault)), 142);
    EXPECT_EQ(count_columns(video_log_header(63)), 187);
    EXPECT_EQ(count_columns(video_log_header(0)), 48);
}

}  // namespace
}  // namespace tstat::output
