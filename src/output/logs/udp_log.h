// log_udp_complete (spec §7.2): 25 columns, client columns then server columns.
#pragma once

#include <string>

#include "output/log_schema.h"
#include "output/records.h"

namespace tstat::output {

const ColumnSet<UdpRecord>& udp_columns();
std::string udp_log_header();
void format_udp_row(const UdpRecord& r, LineBuffer& out);

}  // namespace tstat::output
