// log_dns_complete (spec §7.4): one row per question of a query, one per answer-section
// record of a response, or one RESP_ERR row for a response with an error code. Rows are built
// by the worker from the DNS messages classification reports.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "classify/event_sink.h"
#include "classify/protocols/dns/dns_message.h"
#include "output/line_buffer.h"
#include "output/logs/periodic_log.h"

namespace tstat::output {

class LogWriter;

const std::vector<ColumnDoc>& dns_log_columns();
std::string dns_log_header();

class DnsLog {
public:
    explicit DnsLog(LogWriter* writer) : writer_(writer) {}
    // Writes the rows of one message; returns how many.
    int write(const classify::DnsEvent& ev) noexcept;
    // The last row built (tests).
    std::string_view line() const { return line_.view(); }

private:
    void emit() noexcept;
    LogWriter* writer_;
    LineBuffer line_;
    classify::dns::Record rr_;
    char text_[4096 + 64];
};

}  // namespace tstat::output
