// log_mm_complete (spec §7.6; update_conn_log_v3 in tstat/rtp.c): when a UDP flow with an
// RTP_PLUS direction closes, one row per RTP SSRC and per RTCP SSRC of each direction, in
// Tstat's order (client RTP, client RTCP, server RTP, server RTCP; newest SSRC first).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "classify/event_sink.h"
#include "output/line_buffer.h"
#include "output/logs/periodic_log.h"

namespace tstat::output {

class LogWriter;

const std::vector<ColumnDoc>& mm_log_columns();

class MmLog {
  public:
    explicit MmLog(LogWriter* writer) : writer_(writer) {}
    // Writes the rows of one flow; returns how many.
    int write(const classify::MmEvent& ev) noexcept;
    // The last row built (tests).
    std::string_view line() const { return line_.view(); }

  private:
    LogWriter* writer_;
    LineBuffer line_;
};

}  // namespace tstat::output
