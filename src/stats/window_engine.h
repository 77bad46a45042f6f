// The histogram engine's clock and window close (spec §5, §10.2; Tstat's flush_histo_engine,
// stat_dumping_old_style, update_fake_histos, ProcessFileCompleted): trace-time windows of
// Max_Time_Step, the rate ("fake") histograms computed from the byte counters, the NNN/,
// LAST/ and GLOBAL/ files, the addresses files, folder rotation, and the sinks (RRD,
// Graphite) that see every closed window.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/background_tasks.h"
#include "common/timestamp.h"
#include "stats/collector.h"
#include "stats/histo_conf.h"
#include "stats/histogram_set.h"

namespace tstat::stats {

struct EngineConfig {
    HistoConfig histo;               // -H (nothing on without it)
    HistoFlags rrd_histos{};         // histograms an rrd.conf names: on, with running stats
    bool histo_engine = true;        // false with -S
    bool histo_engine_log = true;    // runtime.conf [log] histo_engine: write the files
    bool global = false;             // -g
    bool rrd_engine = false;         // -R/-r, or runtime.conf rrd_engine
    int64_t max_time_step_us = 300'000'000;
    uint32_t dirs = 12;              // windows per time folder when rotating
    bool rotate = false;             // stdin or live input: rotate every `dirs` windows
    uint32_t adx_slots = 70001;      // Max_ADX_Slots
    bool adx_filter_internal = false;   // -N or -M given
};

// A closed window as the sinks see it. `histos` holds the window's bins, the rate histograms
// and the running statistics; a sink may read them (the RRD engine also consumes the sample
// counter, so it runs last).
struct ClosedWindow {
    Timestamp now;                   // the packet that closed it (or the last packet)
    uint32_t index = 0;              // NNN, or the number LAST would have had
    bool last = false;               // LAST: end of input or signal
    bool rrd_engine = false;         // RRD updates on (-R/-r, runtime.conf rrd_engine)
    HistogramSet& histos;
};

class WindowSink {
public:
    virtual ~WindowSink() = default;
    virtual void window_closed(ClosedWindow& w) = 0;
};

class Engine {
public:
    explicit Engine(const EngineConfig& cfg);

    const EngineConfig& config() const { return cfg_; }
    Collector& collector() { return collector_; }
    // Whether the per-packet rules have anything to fill.
    bool collecting() const { return collecting_; }
    // Whether windows close at all (Tstat: histo_engine || rrd_engine).
    bool windows() const { return cfg_.histo_engine || cfg_.rrd_engine; }

    // The time folder histograms go to (NNN/, LAST/, GLOBAL/ are made inside it).
    void set_time_dir(const std::string& dir) { time_dir_ = dir; }
    // Called when a window close asks for a new time folder (rotation, spec §5); the callee
    // makes it and calls set_time_dir().
    void set_rotate_handler(std::function<void(Timestamp)> fn) { rotate_ = std::move(fn); }
    void add_sink(WindowSink* s) { sinks_.push_back(s); }
    // Called when a window closes, before the collector's counts are taken: whoever counts
    // packets in bulk (Collector::tcp_tally()) hands them over there.
    void set_before_close(std::function<void()> fn) { before_close_ = std::move(fn); }
    // runtime.conf switches.
    void set_histo_engine_log(bool on) { cfg_.histo_engine_log = on; }
    void set_rrd_engine(bool on) { cfg_.rrd_engine = on; }
    // Whether the current input rotates its time folder (stdin and live captures).
    void set_rotate(bool on) { cfg_.rotate = on; }

    // A trace starts (each input without -c): the chat averages restart at its first packet.
    void trace_started(Timestamp first);
    // Every IP packet, before its transport layer (the addresses2 sampling of ip_header_stat).
    void before_packet(Timestamp now) {
        if (!clock_started_ || sampling_adx2_) [[unlikely]] clock_and_adx2(now);
    }
    // Every IP packet, after everything else: closes the window when it is due.
    void after_packet(Timestamp now) {
        if (windows() && elapsed_us(last_step_, now) > cfg_.max_time_step_us) flush(now, true);
    }
    // End of a file inside a -c group (Tstat closes the window twice there, spec §10.2).
    void file_boundary(Timestamp now);
    // End of input (or SIGINT/SIGTERM): LAST/, GLOBAL/, addresses.
    void end_of_trace(Timestamp now);

    uint32_t window_index() const { return step_; }
    // Problems met writing files (cold path): taken by the app and printed.
    std::vector<std::string> take_errors();
    // Returns once the files of every window closed so far are written (end_of_trace() waits
    // by itself).
    void wait_for_files() { files_.drain(); }

private:
    // before_packet()'s rare work: the clock's start, the addresses2 samples.
    void clock_and_adx2(Timestamp now);
    void flush(Timestamp now, bool reset_rates);
    void merge_collectors();
    void update_fake_histos(Timestamp now);
    void fake_rate(HistoId id, double elapsed_ms, const uint64_t* bytes, size_t n);
    // Writes every histogram's file; true when it printed the window's bins (and so left
    // them zero, take_window_histogram()).
    bool print_all(const std::string& dir, bool global);
    void print_adx(const std::string& dir);
    void print_adx2(const std::string& dir, Timestamp now, double delta_us);
    void notify(Timestamp now, bool last);
    void record(const Status& s);   // (any thread)
    void write_later(const std::string& dir, std::string_view name, std::string text,
                     bool append = false);
    // Files (name, text) of one folder, written by one task.
    using TextFiles = std::vector<std::pair<std::string_view, std::string>>;
    void write_later(const std::string& dir, TextFiles files);
    std::string window_dir() const;
    // The window being closed: with one collector, its own bins.
    HistogramSet& window() { return collector_.histos(); }

    EngineConfig cfg_;
    bool collecting_ = false;
    bool clock_started_ = false;
    bool sampling_adx2_ = false;   // addresses2 on (`adx2`): before_packet() takes samples
    Collector collector_;
    Rates rates_;                  // merged byte counters
    AdxTable adx_;
    AdxTable adx2_;
    AdxTable adx2_max_;
    std::vector<int64_t> global_;  // GLOBAL accumulator (window()'s layout)
    Timestamp last_step_;
    Timestamp adx2_last_;
    Timestamp adx3_last_;
    uint32_t step_ = 0;
    std::string time_dir_;
    std::function<void(Timestamp)> rotate_;
    std::function<void()> before_close_;
    std::vector<WindowSink*> sinks_;
    std::mutex errors_mu_;
    std::vector<std::string> errors_;
    BackgroundTasks files_;        // last: its thread ends before the members it uses go
};

}  // namespace tstat::stats
