#include "stats/window_engine.h"

#include <cstdio>

#include "stats/histo_writer.h"

namespace tstat::stats {

using enum HistoId;

namespace {

// Chat averages in the order of chat_flow_num's bins 1..6 (MSN, Jabber, Yahoo chat/presence).
constexpr int kChatBins = 6;

std::string join(const std::string& dir, const char* leaf) { return dir + "/" + leaf; }

}  // namespace

Engine::Engine(const EngineConfig& cfg) : cfg_(cfg) {
    HistoFlags on = cfg.histo.on;
    for (size_t i = 0; i < kHistoCount; ++i) {
        if (cfg.rrd_histos[i]) on[i] = true;
        // The g_* histograms exist only with -g.
        if (histo_def(histo_at(i)).global_only && !cfg.global) on[i] = false;
    }
    bool any = cfg.histo.adx;
    for (bool b : on) any = any || b;
    collecting_ = any;
    collector_.configure(cfg.histo, on, cfg.rrd_histos, cfg.adx_slots, cfg.adx_filter_internal);
    if (cfg.histo.adx) adx_.reset(cfg.adx_slots, cfg.histo.adx_mask);
    sampling_adx2_ = cfg.histo.adx && cfg.histo.adx2;
    if (sampling_adx2_) {
        adx2_.reset(cfg.adx_slots, cfg.histo.adx2_mask);
        adx2_max_.reset(cfg.adx_slots, cfg.histo.adx2_mask);
    }
}

void Engine::record(const Status& s) {
    if (s) return;
    std::lock_guard lock(errors_mu_);
    if (errors_.size() < 20) errors_.push_back(s.error());
}

std::vector<std::string> Engine::take_errors() {
    std::lock_guard lock(errors_mu_);
    return std::move(errors_);
}

// Creating ~350 files a window costs more system time than filling the histograms: the
// writer thread does it while the packets go on.
void Engine::write_later(const std::string& dir, std::string_view name, std::string text,
                         bool append) {
    const size_t bytes = text.size();
    files_.post(
        [this, dir, name = std::string(name), text = std::move(text), append] {
            const Status made = make_text_folder(dir);
            record(made);
            if (made) record(write_text_file(dir, name, text, append));
        },
        bytes);
}

// A window's ~350 files go as one task: handing each to the writer thread cost it a wake-up
// and the packet thread a context switch on a busy core.
void Engine::write_later(const std::string& dir, TextFiles files) {
    if (files.empty()) return;   // no folder either
    size_t bytes = 0;
    for (const auto& f : files) bytes += f.second.size();
    files_.post(
        [this, dir, files = std::move(files)] {
            const Status made = make_text_folder(dir);
            record(made);
            if (!made) return;
            for (const auto& [name, text] : files)
                record(write_text_file(dir, name, text));
        },
        bytes);
}

std::string Engine::window_dir() const {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%03u", step_);
    return join(time_dir_, buf);
}

void Engine::trace_started(Timestamp first) {
    // InitAfterFirstPacketReaded(): the chat averages restart, the byte counters too.
    for (WinAverage& a : collector_.chat()) a.init(first);
    rates_ = Rates{};
    collector_.rates() = Rates{};
}

void Engine::clock_and_adx2(Timestamp now) {
    if (!clock_started_) {
        // Tstat sets these once, at the first IP packet of the run.
        clock_started_ = true;
        last_step_ = now;
        adx2_last_ = now;
        adx3_last_ = now;
    }
    if (!sampling_adx2_) return;
    const int64_t d2 = elapsed_us(adx2_last_, now);
    const int64_t d3 = elapsed_us(adx3_last_, now);
    if (d2 > cfg_.histo.adx2_sample_us) {
        adx2_.merge_from(collector_.adx2());
        adx2_max_.merge_from(collector_.adx2_max());
        collector_.adx2().clear();
        collector_.adx2_max().clear();
        adx2_.take_max_rates(adx2_max_, static_cast<double>(d3));
        print_adx2(window_dir(), now, static_cast<double>(d2));
        adx2_last_ = now;
        adx3_last_ = now;
    } else if (d3 > cfg_.histo.adx3_sample_us) {
        adx2_.merge_from(collector_.adx2());
        adx2_max_.merge_from(collector_.adx2_max());
        collector_.adx2().clear();
        collector_.adx2_max().clear();
        adx2_.take_max_rates(adx2_max_, static_cast<double>(d3));
        adx3_last_ = now;
    }
}

void Engine::merge_collectors() {
    if (before_close_) before_close_();
    // One collector: its bins are the window's (read, printed and cleared in place); its
    // address table trades places with the window's when that one was printed and cleared.
    collector_.rates().merge_into(rates_);
    if (cfg_.histo.adx) {
        if (adx_.empty())
            std::swap(adx_, collector_.adx());
        else
            adx_.merge_from(collector_.adx());
        collector_.adx().clear();
    }
    collector_.clear_rates();
}

void Engine::fake_rate(HistoId id, double elapsed_ms, const uint64_t* bytes, size_t n) {
    if (!window().on(id) || elapsed_ms == 0.0) return;
    const HistoDef& d = histo_def(id);
    double tot = 0;
    for (size_t i = 0; i < n; ++i) {
        // Bytes to bit/s over the window (fake_histo_bitrate_update).
        const double v = static_cast<double>(bytes[i]) * 8000.0 / elapsed_ms;
        window().set(id, static_cast<int64_t>(i) + 1, v);
        tot += v;
    }
    window().set(id, d.sample_count(), tot);
    if (!cfg_.global) return;
    // The g_* histograms take bins 1..3 of every rate histogram, and bin 7 minus bins 1..6
    // as "other" (a bin past the end of ip_bitrate_* reads as 0 here; Tstat reads whatever
    // follows in memory). Which family is decided by strstr(name, "in"/"out").
    const std::span<const int64_t> b = window().bins(id);
    auto bin = [&](size_t i) { return i < b.size() ? static_cast<uint64_t>(b[i]) : 0u; };
    uint64_t other = bin(7);
    for (size_t i = 6; i >= 1; --i) other -= bin(i);
    HistoId tcp = kGTcpBitrateLoc, udp = kGUdpBitrateLoc, icmp = kGIcmpBitrateLoc,
            oth = kGOtherBitrateLoc;
    if (d.name.find("in") != std::string_view::npos) {
        tcp = kGTcpBitrateIn, udp = kGUdpBitrateIn, icmp = kGIcmpBitrateIn,
        oth = kGOtherBitrateIn;
    } else if (d.name.find("out") != std::string_view::npos) {
        tcp = kGTcpBitrateOut, udp = kGUdpBitrateOut, icmp = kGIcmpBitrateOut,
        oth = kGOtherBitrateOut;
    }
    window().add(tcp, static_cast<double>(static_cast<int64_t>(bin(1))));
    window().add(udp, static_cast<double>(static_cast<int64_t>(bin(2))));
    window().add(icmp, static_cast<double>(static_cast<int64_t>(bin(3))));
    window().add(oth, static_cast<double>(static_cast<int64_t>(other)));
}

void Engine::update_fake_histos(Timestamp now) {
    const double elapsed_ms = static_cast<double>(elapsed_us(last_step_, now)) / 1000.0;
    auto rates = [&](auto& counters, HistoId in, HistoId out, HistoId loc) {
        fake_rate(in, elapsed_ms, counters.side(RateSide::kIn).data(), counters.side(RateSide::kIn).size());
        fake_rate(out, elapsed_ms, counters.side(RateSide::kOut).data(), counters.side(RateSide::kOut).size());
        fake_rate(loc, elapsed_ms, counters.side(RateSide::kLoc).data(), counters.side(RateSide::kLoc).size());
    };
    auto cloud = [&](auto& counters, HistoId c_in, HistoId c_out, HistoId nc_in, HistoId nc_out) {
        const size_t n = counters.side(RateSide::kCIn).size();
        fake_rate(c_in, elapsed_ms, counters.side(RateSide::kCIn).data(), n);
        fake_rate(c_out, elapsed_ms, counters.side(RateSide::kCOut).data(), n);
        fake_rate(nc_in, elapsed_ms, counters.side(RateSide::kNcIn).data(), n);
        fake_rate(nc_out, elapsed_ms, counters.side(RateSide::kNcOut).data(), n);
    };
    rates(rates_.ip, kIpBitrateIn, kIpBitrateOut, kIpBitrateLoc);
    cloud(rates_.ip, kIpBitrateCIn, kIpBitrateCOut, kIpBitrateNcIn, kIpBitrateNcOut);
    rates(rates_.tcp, kTcpBitrateIn, kTcpBitrateOut, kTcpBitrateLoc);
    cloud(rates_.tcp, kTcpBitrateCIn, kTcpBitrateCOut, kTcpBitrateNcIn, kTcpBitrateNcOut);
    rates(rates_.udp, kUdpBitrateIn, kUdpBitrateOut, kUdpBitrateLoc);
    cloud(rates_.udp, kUdpBitrateCIn, kUdpBitrateCOut, kUdpBitrateNcIn, kUdpBitrateNcOut);
    rates(rates_.http, kHttpBitrateIn, kHttpBitrateOut, kHttpBitrateLoc);
    cloud(rates_.http, kHttpBitrateCIn, kHttpBitrateCOut, kHttpBitrateNcIn, kHttpBitrateNcOut);
    rates(rates_.web, kWebBitrateIn, kWebBitrateOut, kWebBitrateLoc);
    rates(rates_.tls, kTlsBitrateIn, kTlsBitrateOut, kTlsBitrateLoc);
    rates(rates_.l3, kL3BitrateIn, kL3BitrateOut, kL3BitrateLoc);
    rates(rates_.video, kVideoRateIn, kVideoRateOut, kVideoRateLoc);
    cloud(rates_.video, kVideoRateCIn, kVideoRateCOut, kVideoRateNcIn, kVideoRateNcOut);

    // msn_get_average(), ymsg_get_average(), jabber_get_average(): the averages are taken
    // (and restarted) even when the histogram is off.
    auto& chat = collector_.chat();
    for (int i = 0; i < kChatBins; ++i)
        window().set(kChatFlowNum, i + 1, chat[static_cast<size_t>(i)].take(now));

    if (window().on(kProfileFlows)) {
        window().set(kProfileFlows, 4, collector_.active(true).take(now));
        window().set(kProfileFlows, 2, collector_.active(false).take(now));
        window().set(kProfileFlows, 3, collector_.missed(true));
        window().set(kProfileFlows, 1, collector_.missed(false));
        collector_.missed(true) = 0;
        collector_.missed(false) = 0;
    }
    // profile_cpu holds wall-clock CPU loads in Tstat; trace time cannot reproduce them, and
    // Tstat's own first second is 0 (PROFILE_IDLE): the bins stay 0.
    if (window().on(kProfileTcpdata)) {
        window().set(kProfileTcpdata, 1, collector_.tcpdata_received());
        window().set(kProfileTcpdata, 2, collector_.tcpdata_missed());
        collector_.tcpdata_received() = 0;
        collector_.tcpdata_missed() = 0;
    }
}

void Engine::notify(Timestamp now, bool last) {
    ClosedWindow w{now, step_, last, cfg_.rrd_engine, window()};
    for (WindowSink* s : sinks_) s->window_closed(w);
}

bool Engine::print_all(const std::string& dir, bool global) {
    if (!((cfg_.histo_engine || cfg_.global) && cfg_.histo_engine_log)) return false;
    TextFiles files;
    for (size_t i = 0; i < kHistoCount; ++i) {
        const HistoId id = histo_at(i);
        if (!window().on(id)) continue;
        const HistoDef& d = histo_def(id);
        std::string text;
        if (global) {
            const auto off = static_cast<size_t>(window().offset(id));
            const std::span<const int64_t> g(global_.data() + off,
                                             static_cast<size_t>(d.bin_count()));
            text = format_global_histogram(d, g);
        } else {
            // The window's last reader: its bins are zero afterwards.
            text = take_window_histogram(d, window().bins(id));
        }
        files.emplace_back(d.name, std::move(text));
    }
    write_later(dir, std::move(files));
    return !global;
}

void Engine::print_adx(const std::string& dir) {
    // Written whenever -S is not given, even when runtime.conf turns the histogram files off.
    if (!cfg_.histo_engine || !cfg_.histo.adx) return;
    write_later(dir, "addresses", format_addresses(adx_));
    adx_.clear();
}

void Engine::print_adx2(const std::string& dir, Timestamp now, double delta_us) {
    if (cfg_.histo_engine)
        write_later(dir, "addresses2",
                    format_addresses2(adx2_, static_cast<double>(now.us) / 1e6, delta_us,
                                      cfg_.histo.adx2_sample_us, cfg_.histo.adx3_sample_us),
                    true);
    adx2_.clear();
}

void Engine::flush(Timestamp now, bool reset_rates) {
    merge_collectors();
    update_fake_histos(now);
    if (cfg_.global) window().accumulate(global_);
    notify(now, false);
    const std::string dir = window_dir();
    const bool cleared = print_all(dir, false);
    print_adx(dir);
    if (!cleared) window().clear_bins();
    ++step_;
    // stdin and live captures get a new time folder every Dirs windows (spec §5).
    if (step_ >= cfg_.dirs && cfg_.rotate) {
        if (rotate_) rotate_(now);
        step_ = 0;
    }
    if (reset_rates) {
        last_step_ = now;
        rates_ = Rates{};
    }
}

void Engine::file_boundary(Timestamp now) {
    // ProcessFileCompleted() with -c: stat_dumping_old_style() then flush_histo_engine(),
    // so the second window repeats the rates over the same interval.
    flush(now, false);
    flush(now, true);
}

void Engine::end_of_trace(Timestamp now) {
    merge_collectors();
    update_fake_histos(now);
    if (cfg_.global) window().accumulate(global_);
    notify(now, true);
    if (cfg_.global) print_all(join(time_dir_, "GLOBAL"), true);
    const std::string last = join(time_dir_, "LAST");
    const bool cleared = print_all(last, false);
    print_adx(last);
    if (cfg_.histo.adx && cfg_.histo.adx2) {
        adx2_.merge_from(collector_.adx2());
        adx2_max_.merge_from(collector_.adx2_max());
        collector_.adx2().clear();
        collector_.adx2_max().clear();
        adx2_.take_max_rates(adx2_max_,
                             static_cast<double>(elapsed_us(adx3_last_, now)));
        print_adx2(last, now, static_cast<double>(elapsed_us(adx2_last_, now)));
    }
    if (!cleared) window().clear_bins();
    step_ = 0;
    files_.drain();   // every file is there when the run reports
}

}  // namespace tstat::stats
