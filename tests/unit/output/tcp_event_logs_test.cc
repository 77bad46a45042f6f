// Rows of log_http_complete, log_chat_complete, log_chat_messages and log_video_complete as
// Tstat prints them (spec §7.3, §7.5, §7.7; tstat/http.c, msn.c, tcp.c update_video_log).
#include <gtest/gtest.h>

#include <string>

#include "output/logs/chat_log.h"
#include "output/logs/classified_logs.h"
#include "output/logs/http_log.h"
#include "output/logs/video_log.h"

namespace tstat::output {
namespace {

flow::tcp::TcpFlow a_flow() {
    flow::tcp::TcpFlow f;
    IpAddress::parse("10.0.0.1", f.key.a);
    IpAddress::parse("192.0.2.9", f.key.b);
    f.key.a_port = 40000;
    f.key.b_port = 80;
    f.first_time = Timestamp{1'600'000'000'250'000};
    f.last_time = Timestamp{1'600'000'002'750'000};
    f.id = 17;
    return f;
}

int count(const std::string& s, char c) {
    int n = 0;
    for (char x : s) n += x == c;
    return n;
}

TEST(HttpLog, TwoTabSeparatedHeaderLines) {
    const std::string h = http_log_header();
    EXPECT_EQ(h,
              "#C#c_ip:1\tc_port:2\ts_ip:3\ts_port:4\ttime_abs:5\tmethod:6\thostname:7\tfqdn:8\t"
              "path:9\treferer:10\tuser_agent:11\tcookie:12\tdnt:13\n"
              "#S#c_ip:1\tc_port:2\ts_ip:3\ts_port:4\ttime_abs:5\tHTTP:6\tresponse:7\t"
              "content_len:8\tcontent_type:9\tserver:10\trange:11\tlocation:12\tset_cookie:13");
}

TEST(HttpLog, RequestRow) {
    const auto f = a_flow();
    classify::tcp::HttpRequestRow r;
    r.flow = &f;
    r.time = Timestamp{1'600'000'001'500'000};
    r.method = "GET";
    r.host = "www.example.com";
    r.path = {"/a", false, false};
    r.user_agent = {"Mozil", false, true};   // cut by the end of the segment
    LineBuffer b;
    format_http_request(r, b);
    // time_abs in seconds; an empty DN-Hunter name prints "-".
    EXPECT_EQ(std::string(b.view()),
              "10.0.0.1\t40000\t192.0.2.9\t80\t1600000001.500000\tGET\twww.example.com\t-\t/a\t-\t"
              "Mozil[*]\t-\t-");
}

TEST(HttpLog, ContinuationRowsMarkTheRestOfACutValue) {
    const auto f = a_flow();
    classify::tcp::HttpRequestRow q;
    q.flow = &f;
    q.method = "REQ2";
    q.fqdn = "cdn.example.net";
    q.user_agent = {"la/5.0", true, false};
    LineBuffer b;
    format_http_request(q, b);
    const std::string row(b.view());
    EXPECT_NE(row.find("\tREQ2\t-\tcdn.example.net\t-\t-\t[*]la/5.0\t-\t-"), std::string::npos)
        << row;

    classify::tcp::HttpResponseRow r;
    r.flow = &f;
    r.continuation = true;
    r.location = {"https://x.example/", true, false};
    b.clear();
    format_http_response(r, b);
    const std::string res(b.view());
    EXPECT_NE(res.find("\tRES2\t-\t-\t-\t-\t-\t[*]https://x.example/\t-"), std::string::npos)
        << res;
    EXPECT_EQ(count(res, '\t'), 12);   // 13 columns
}

TEST(HttpLog, ResponseRow) {
    const auto f = a_flow();
    classify::tcp::HttpResponseRow r;
    r.flow = &f;
    r.time = Timestamp{1'600'000'001'000'001};
    r.status = "200";
    r.content_length = "5";
    r.content_type = "text/html";
    r.server = "nginx";
    LineBuffer b;
    format_http_response(r, b);
    EXPECT_EQ(std::string(b.view()),
              "10.0.0.1\t40000\t192.0.2.9\t80\t1600000001.000001\tHTTP\t200\t5\ttext/html\tnginx\t-"
              "\t-\t-");
}

TEST(ChatLog, MessageRow) {
    const auto f = a_flow();
    classify::tcp::ChatMessageRow r;
    r.flow = &f;
    r.time = Timestamp{1'600'000'001'250'000};
    r.type = "MSG_A";
    r.dir = -1;
    r.length_known = true;
    r.length = 135;
    r.payload_len = 160;
    r.con_type = 32;
    LineBuffer b;
    format_chat_message(r, b);
    // idflow type dir paylen first_tm durat con_t: the flow's first time in seconds, the
    // message time from it in seconds with three decimals.
    EXPECT_EQ(std::string(b.view()), "17 MSG_A -1 135 160 1600000000.250000 1.000 32");
    r.length_known = false;
    b.clear();
    format_chat_message(r, b);
    EXPECT_EQ(std::string(b.view()), "17 MSG_A -1 ? 160 1600000000.250000 1.000 32");
}

TEST(ChatLog, FlowRowHasThirtyColumns) {
    auto f = a_flow();
    f.c2s.unique_bytes = 100;
    f.c2s.packets = 4;
    f.internal_dst = true;
    classify::ChatSummary c;
    c.kind = classify::ChatSummary::Kind::kMsn;
    c.flow_type = 2;
    c.messages[0] = 3;
    c.by_type[0][0] = 2;
    c.by_type[0][4] = 1;
    c.version = std::string_view("MSNP15");
    LineBuffer b;
    format_chat_flow(f, c, 32, b);
    const std::string row(b.view());
    EXPECT_EQ(row.rfind("10.0.0.1 40000 100 4 3 2 0 0 0 1 192.0.2.9 80 0 0 0 0 0 0 0 0 ", 0), 0u)
        << row;
    EXPECT_NE(row.find(" 1600000000.250000 2.500 2 MSNP15 1 17 T 32 0 0"), std::string::npos)
        << row;
    // One value per header column ("flowid T con_t" are three: Tstat prints "%d T %d").
    EXPECT_EQ(count(row, ' ') + 1, 30);
}

// The column documentation (--list-columns, docs/logs.md) names the header's columns.
TEST(ChatLog, DocumentedColumnsAreTheHeaders) {
    auto names = [](const std::vector<ColumnDoc>& cols) {
        std::string h;
        for (size_t i = 0; i < cols.size(); ++i)
            h += (i > 0 ? " " : "") + std::string(cols[i].name) + ":" + std::to_string(i + 1);
        return h;
    };
    EXPECT_EQ(chat_complete_header(), "#" + names(chat_complete_columns()));
    EXPECT_EQ(chat_messages_header(), "#" + names(chat_messages_columns()));
}

TEST(VideoLog, RowFollowsItsHeader) {
    for (int level : {0, video_set::kDefault, 63}) {
        TcpRecord r;
        r.flow = a_flow();
        r.complete = true;
        r.video = true;
        r.l7.video.logged = true;
        LineBuffer b;
        format_video_row(r, level, b);
        const std::string row(b.view());
        EXPECT_EQ(count(row, ' ') + 1, count(video_log_header(level), ' ') + 1) << level;
    }
}

TEST(VideoLog, VideoCoreColumns) {
    TcpRecord r;
    r.flow = a_flow();
    r.l7.video.logged = true;
    r.l7.video.content_format = 2;
    r.l7.video.payload_format = 1;
    r.l7.video.id16_46 = std::string_view("0123456789abcdef");
    r.l7.video.itag = std::string_view("18");
    LineBuffer b;
    format_video_row(r, 0, b);   // Core + Video core only
    const std::string row(b.view());
    EXPECT_EQ(row.substr(row.size() - std::string(" 2 1 0123456789abcdef 18").size()),
              " 2 1 0123456789abcdef 18")
        << row;
}

}  // namespace
}  // namespace tstat::output
