// A log is described by tables of columns: a name, a line of documentation and how to print
// the value from a record. The header line, --list-columns and docs/logs.md are all made from
// these tables, so they cannot drift apart (DESIGN.md "Logs").
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "output/line_buffer.h"

namespace tstat::output {

template <class Record>
struct Column {
    std::string name;
    std::string doc;
    void (*print)(const Record&, LineBuffer&);
};

template <class Record>
using ColumnSet = std::vector<Column<Record>>;

// "#NN#" prefix (Tstat's detail bitmask, %02d) or none, then "name:index" separated by spaces
// (or tabs), numbering from `first_index`.
inline void append_header_names(std::string& out, const std::vector<std::string>& names,
                                char separator = ' ', int first_index = 1) {
    int i = first_index;
    for (const auto& n : names) {
        if (i != first_index) out += separator;
        out += n;
        out += ':';
        out += std::to_string(i++);
    }
}

}  // namespace tstat::output
