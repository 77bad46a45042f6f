// log_skype_complete (spec §7.8; print_skype_conn_stats_UDP/_TCP in tstat/skype.c): no header
// line; UDP rows of 51 fields ending in `U`, TCP rows of 37 ending in `T`.
#pragma once

#include <string_view>
#include <vector>

#include "classify/protocols/skype/skype_row.h"
#include "output/line_buffer.h"
#include "output/logs/periodic_log.h"

namespace tstat::output {

class LogWriter;

// Per direction (the client's, then the server's), then the flow's columns.
const std::vector<ColumnDoc>& skype_udp_columns();
const std::vector<ColumnDoc>& skype_tcp_columns();

class SkypeLog {
public:
    explicit SkypeLog(LogWriter* writer) : writer_(writer) {}
    void write(const classify::skype::SkypeRow& row) noexcept;
    // The last row built (tests).
    std::string_view line() const { return line_.view(); }

private:
    LogWriter* writer_;
    LineBuffer line_;
};

}  // namespace tstat::output
