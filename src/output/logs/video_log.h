// log_video_complete (spec §7.5; tstat/tcp.c update_video_log): complete TCP flows that carry
// video, with their own detail bitmask and set order: Core, [End-to-end], Video core,
// [VideoInfo], [YouTube], [Advanced], [Options], [Layer-7].
#pragma once

#include <string>

#include "output/log_schema.h"
#include "output/records.h"

namespace tstat::output {

const ColumnSet<TcpRecord>& video_core_columns();
const ColumnSet<TcpRecord>& video_info_columns();
const ColumnSet<TcpRecord>& video_youtube_columns();
const ColumnSet<TcpRecord>& video_advanced_columns();

// The sets of log_video_complete enabled by `level`, in print order.
struct VideoSets {
    const ColumnSet<TcpRecord>* sets[8] = {};
    int count = 0;
    const ColumnSet<TcpRecord>* const* begin() const { return sets; }
    const ColumnSet<TcpRecord>* const* end() const { return sets + count; }
};
VideoSets video_sets(int level);

// "#NN#c_ip:1 ..." (without newline).
std::string video_log_header(int video_level);

void format_video_row(const TcpRecord& r, int video_level, LineBuffer& out);

}  // namespace tstat::output
