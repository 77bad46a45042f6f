// The text files of the histogram engine (spec §10.2, Tstat's print_histo()): one file per
// histogram per window, and the cumulative GLOBAL form with pdf and CDF.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "common/result.h"
#include "stats/histogram_table.h"

namespace tstat::stats {

// "#<description>\n#RANGE: ...\n" then "<label> <count>" for every non-zero bin.
std::string format_window_histogram(const HistoDef& d, std::span<const int64_t> bins);
// The same, and the bins (the sample counter too) are zero afterwards: a closing window's
// last reader, which writes only the bins that were not zero.
std::string take_window_histogram(const HistoDef& d, std::span<int64_t> bins);
// The GLOBAL form: a #SAMPLES line, then "<label> <pdf> <CDF>" (%e) for bins with pdf > 0.
std::string format_global_histogram(const HistoDef& d, std::span<const int64_t> bins);

// Makes a histogram folder unless it exists (as print_histo() does).
Status make_text_folder(const std::string& dir);
// Writes `text` to dir/name in a folder that exists; `append` adds to the end instead
// (addresses2).
Status write_text_file(const std::string& dir, std::string_view name, const std::string& text,
                       bool append = false);

}  // namespace tstat::stats
