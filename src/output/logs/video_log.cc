#include "output/logs/video_log.h"

#include <cmath>
#include <cstdio>

#include "output/logs/classified_logs.h"
#include "output/logs/tcp_log.h"

namespace tstat::output {

namespace {

using classify::VideoRates;

// print_video_stats_advanced(): rates in kbit/s, zeros below two samples.
template <int kSide, int kWhat>
void rate_col(const TcpRecord& r, LineBuffer& o) {
    const VideoRates& v = r.l7.rates[kSide];
    if (v.samples <= 1) {
        if (kWhat < 3)
            o.num(0);
        else
            o.str("0.000");
        return;
    }
    const double n = v.samples;
    switch (kWhat) {
        case 0: o.num(v.samples); break;
        case 1: o.num(v.empty_samples); break;
        case 2: o.num(v.empty_streak); break;
        case 3: o.fixed(8e-3 * v.sum / n, 3); break;
        case 4: o.fixed(8e-3 * std::sqrt((v.sum2 - v.sum * v.sum / n) / (n - 1)), 3); break;
        case 5: o.fixed(8e-3 * v.min, 3); break;
        default: o.fixed(8e-3 * v.max, 3); break;
    }
}

template <int kSide, int kBin>
void begin_col(const TcpRecord& r, LineBuffer& o) {
    o.num(r.l7.rates[kSide].begin_bytes[kBin]);
}

template <int kIndex>
void msg_col(const TcpRecord& r, LineBuffer& o) {
    o.num(r.l7.server_msg_sizes[kIndex]);
}

template <int kSide, int... kWhat>
void add_rates(ColumnSet<TcpRecord>& s, const char* prefix, std::integer_sequence<int, kWhat...>) {
    static const char* kNames[] = {"rate_smpl", "rate_zero", "rate_streak", "rate_avg",
                                   "rate_std",  "rate_min",  "rate_max"};
    static const char* kDocs[] = {"rate samples (Rate_Sampling bins)", "empty samples",
                                  "longest run of empty samples",
                                  "average payload rate [kbit/s]",
                                  "standard deviation of the rate [kbit/s]",
                                  "smallest rate sample [kbit/s]", "largest rate sample [kbit/s]"};
    (s.push_back({std::string(prefix) + kNames[kWhat], kDocs[kWhat], &rate_col<kSide, kWhat>}), ...);
}

template <int kSide, int... kBin>
void add_begin(ColumnSet<TcpRecord>& s, const char* prefix, std::integer_sequence<int, kBin...>) {
    (s.push_back({std::string(prefix) + "rate" + std::to_string(kBin + 1),
                  "payload bytes in rate sample " + std::to_string(kBin + 1),
                  &begin_col<kSide, kBin>}),
     ...);
}

template <int... kIdx>
void add_msgs(ColumnSet<TcpRecord>& s, std::integer_sequence<int, kIdx...>) {
    (s.push_back({"s_msgsize" + std::to_string(kIdx + 1),
                  "size of server message " + std::to_string(kIdx + 1), &msg_col<kIdx>}),
     ...);
}

}  // namespace

const ColumnSet<TcpRecord>& video_core_columns() {
    static const ColumnSet<TcpRecord> set = {
        {"vd_type_cont", "video format from the HTTP Content-Type (spec 9.4)",
         [](const TcpRecord& r, LineBuffer& o) { o.num(unsigned{r.l7.video.content_format}); }},
        {"vd_type_pay", "video format from the payload signature",
         [](const TcpRecord& r, LineBuffer& o) { o.num(unsigned{r.l7.video.payload_format}); }},
        {"yt_id16_46", "YouTube video id, 16 or 46 characters (-- if none, XXX with -0)",
         [](const TcpRecord& r, LineBuffer& o) { o.str(r.l7.video.id16_46); }},
        {"yt_itag", "YouTube format (itag), -- if none",
         [](const TcpRecord& r, LineBuffer& o) { o.str(r.l7.video.itag); }},
    };
    return set;
}

const ColumnSet<TcpRecord>& video_info_columns() {
    static const ColumnSet<TcpRecord> set = {
        {"vd_dur", "video duration from the container metadata [s]",
         [](const TcpRecord& r, LineBuffer& o) { o.fixed(r.l7.video.duration); }},
        {"vd_rate_tot", "video data rate from the metadata (Tstat prints the video rate here)",
         [](const TcpRecord& r, LineBuffer& o) { o.fixed(r.l7.video.rate); }},
        {"vd_width", "frame width",
         [](const TcpRecord& r, LineBuffer& o) { o.num(r.l7.video.width); }},
        {"vd_height", "frame height",
         [](const TcpRecord& r, LineBuffer& o) { o.num(r.l7.video.height); }},
    };
    return set;
}

const ColumnSet<TcpRecord>& video_youtube_columns() {
    static const ColumnSet<TcpRecord> set = {
        {"yt_id11", "YouTube video id, 11 characters (-- if none, XXX with -0)",
         [](const TcpRecord& r, LineBuffer& o) { o.str(r.l7.video.id11); }},
        {"yt_seek", "YouTube begin offset [ms]",
         [](const TcpRecord& r, LineBuffer& o) { o.num(r.l7.video.seek); }},
        {"yt_red_mode", "YouTube redirection mode",
         [](const TcpRecord& r, LineBuffer& o) { o.num(r.l7.video.redir_mode); }},
        {"yt_red_cnt", "YouTube redirection count",
         [](const TcpRecord& r, LineBuffer& o) { o.num(r.l7.video.redir_count); }},
        {"yt_mobile", "YouTube device: 0 desktop, 1 other, 2 Apple, 3 Android",
         [](const TcpRecord& r, LineBuffer& o) { o.num(r.l7.video.mobile); }},
        {"yt_stream", "YouTube stream kind: 0 progressive, 1 HLS, 2 HLS live, 3 ad, 4, 5 live",
         [](const TcpRecord& r, LineBuffer& o) { o.num(r.l7.video.stream); }},
    };
    return set;
}

const ColumnSet<TcpRecord>& video_advanced_columns() {
    static const ColumnSet<TcpRecord> set = [] {
        ColumnSet<TcpRecord> s;
        add_rates<0>(s, "c_", std::make_integer_sequence<int, 7>{});
        add_rates<1>(s, "s_", std::make_integer_sequence<int, 7>{});
        add_begin<0>(s, "c_", std::make_integer_sequence<int, 10>{});
        add_begin<1>(s, "s_", std::make_integer_sequence<int, 10>{});
        s.push_back({"s_msg", "server PSH-delimited messages",
                     [](const TcpRecord& r, LineBuffer& o) { o.num(r.flow.s2c.msg_count); }});
        add_msgs(s, std::make_integer_sequence<int, 10>{});
        return s;
    }();
    return set;
}

VideoSets video_sets(int level) {
    VideoSets v;
    v.sets[v.count++] = &tcp_core_columns();
    if (level & video_set::kEndToEnd) v.sets[v.count++] = &tcp_e2e_columns();
    v.sets[v.count++] = &video_core_columns();
    if (level & video_set::kVideoInfo) v.sets[v.count++] = &video_info_columns();
    if (level & video_set::kYoutube) v.sets[v.count++] = &video_youtube_columns();
    if (level & video_set::kAdvanced) v.sets[v.count++] = &video_advanced_columns();
    if (level & video_set::kOptions) v.sets[v.count++] = &tcp_options_columns();
    if (level & video_set::kLayer7) v.sets[v.count++] = &tcp_layer7_columns();
    return v;
}

std::string video_log_header(int level) {
    std::vector<std::string> names;
    for (const auto* s : video_sets(level))
        for (const auto& c : *s) names.push_back(c.name);
    char magic[8];
    std::snprintf(magic, sizeof magic, "#%02d#", level);
    std::string out = magic;
    append_header_names(out, names);
    return out;
}

void format_video_row(const TcpRecord& r, int level, LineBuffer& out) {
    bool first = true;
    for (const auto* s : video_sets(level)) {
        for (const auto& c : *s) {
            if (!first) out.sep();
            first = false;
            c.print(r, out);
        }
    }
}

}  // namespace tstat::output
