// log_tcp_complete / log_tcp_nocomplete (spec §7.1): column sets in Tstat's fixed order.
#pragma once

#include <string>
#include <vector>

#include "output/log_schema.h"
#include "output/records.h"

namespace tstat::output {

// Detail bitmask of log_tcp_complete (tstat.h TCP_LOG_*).
namespace tcp_set {
inline constexpr int kEndToEnd = 1;
inline constexpr int kLayer7 = 2;
inline constexpr int kP2p = 4;
inline constexpr int kOptions = 8;
inline constexpr int kAdvanced = 16;   // empty in a default Tstat build
inline constexpr int kDefault = 15;
}  // namespace tcp_set

const ColumnSet<TcpRecord>& tcp_core_columns();
const ColumnSet<TcpRecord>& tcp_e2e_columns();
const ColumnSet<TcpRecord>& tcp_p2p_columns();
const ColumnSet<TcpRecord>& tcp_options_columns();
const ColumnSet<TcpRecord>& tcp_layer7_columns();

// The sets of log_tcp_complete enabled by `level`, in print order (no allocation).
struct TcpSets {
    const ColumnSet<TcpRecord>* sets[5] = {};
    int count = 0;
    const ColumnSet<TcpRecord>* const* begin() const { return sets; }
    const ColumnSet<TcpRecord>* const* end() const { return sets + count; }
};
TcpSets tcp_complete_sets(int level);

// Header line (without newline): "#NN#c_ip:1 ..."; nocomplete lists the Core set only.
std::string tcp_log_header(int level, bool complete);

// One row (without newline). Incomplete flows print the Core set only.
void format_tcp_row(const TcpRecord& r, int level, LineBuffer& out);

}  // namespace tstat::output
