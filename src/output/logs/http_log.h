// log_http_complete (spec §7.3; tstat/http.c): one TAB-separated row per HTTP request and per
// response head, written as the segments go by. Two header lines, one per row kind.
#pragma once

#include <string>
#include <vector>

#include "classify/tcp/tcp_events.h"
#include "output/line_buffer.h"
#include "output/logs/periodic_log.h"

namespace tstat::output {

// The columns of request rows (#C#) and of response rows (#S#).
const std::vector<ColumnDoc>& http_request_columns();
const std::vector<ColumnDoc>& http_response_columns();

// "#C#c_ip:1\t...\n#S#c_ip:1\t..." (the writer adds the final newline).
std::string http_log_header();

void format_http_request(const classify::tcp::HttpRequestRow& r, LineBuffer& out);
void format_http_response(const classify::tcp::HttpResponseRow& r, LineBuffer& out);

}  // namespace tstat::output
