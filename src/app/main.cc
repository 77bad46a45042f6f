// tstat: command line, input loop, signals, report.
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "app/analyzer.h"
#include "app/config_files.h"
#include "app/options.h"
#include "app/privacy.h"
#include "app/progress.h"
#include "app/report.h"
#include "app/stats_setup.h"
#include "app/usage.h"
#include "capture/source.h"
#include "control/runtime_watcher.h"
#include "output/log_writer.h"
#include "output/out_dir.h"

namespace {

using namespace tstat;
using namespace tstat::app;

std::atomic<int> g_stop_signal{0};
std::atomic<bool> g_report_requested{false};
std::atomic<capture::CaptureSource*> g_source{nullptr};

extern "C" void on_stop_signal(int sig) {
    g_stop_signal.store(sig);
    if (capture::CaptureSource* s = g_source.load()) s->interrupt();
}
extern "C" void on_usr1(int) { g_report_requested.store(true); }
// SIGHUP: re-read runtime.conf now (Tstat only polls its mtime).
std::atomic<bool> g_reload_requested{false};
extern "C" void on_hup(int) { g_reload_requested.store(true); }

void install_signals() {
    struct sigaction sa {};
    sa.sa_handler = on_stop_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, nullptr);
    sigaction(SIGTERM, &sa, nullptr);
    sa.sa_handler = on_usr1;
    sigaction(SIGUSR1, &sa, nullptr);
    sa.sa_handler = on_hup;
    sigaction(SIGHUP, &sa, nullptr);
}

int fail(const std::string& message) {
    std::fprintf(stderr, "tstat: %s\n", message.c_str());
    return 1;
}

// Options whose engines are not part of this build say so, instead of being ignored.
Status check_supported(const Options& o) {
    struct Pending {
        bool used;
        const char* what;
    };
    const Pending pending[] = {
        {o.dns_wrap_report, "-Q (DN-Hunter cache reports)"},
    };
    for (const Pending& p : pending)
        if (p.used)
            return make_error(std::string(p.what) + " is not available in this build yet");
    return {};
}

struct Input {
    std::string path;     // file, "stdin" or "-"; empty for live
};

bool is_stdin(const std::string& p) { return p == "stdin" || p == "-"; }

}  // namespace

int main(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty()) {
        // Tstat reads its options from ./tstat.conf when started without arguments.
        auto from_file = read_options_file("tstat.conf");
        if (!from_file) {
            print_usage(stderr);
            return fail("no arguments and no ./tstat.conf to read them from");
        }
        args = *from_file;
    }
    auto parsed = parse_options(args);
    if (!parsed) return fail(parsed.error());
    Options& opt = *parsed;

    if (!opt.redirect_file.empty()) {
        if (std::freopen(opt.redirect_file.c_str(), "a", stdout) == nullptr)
            return fail(opt.redirect_file + ": cannot open for writing (-z)");
        dup2(fileno(stdout), fileno(stderr));
    }

    Globals globals;
    if (!opt.globals_conf.empty()) {
        auto g = load_globals(opt.globals_conf, globals);
        if (!g) return fail(g.error());
        globals = *g;
    }
    globals.flow.do_udp = !opt.no_udp;
    globals.flow.ignore_ipv6_l4 = opt.ignore_ipv6;

    if (opt.help) {
        print_help(stdout, globals);
        return 0;
    }
    if (opt.version) {
        print_version(stdout);
        return 0;
    }
    if (opt.list_columns) {
        print_columns(stdout);
        return 0;
    }
    if (opt.histo_conf == "?") {   // -H ?: the histogram definitions
        std::fputs(stats::histogram_definitions(opt.global_histo).c_str(), stdout);
        return 0;
    }

    RuntimeConfig runtime;
    if (!opt.runtime_conf.empty()) {
        auto rc = load_runtime_conf(opt.runtime_conf, runtime);
        if (!rc) return fail(rc.error());
        runtime = *rc;
    }
    // -B: the Skype classifier's two naive-Bayes files; log_skype_complete exists only then.
    std::shared_ptr<const classify::skype::SkypeConfig> skype;
    if (!opt.bayes_dir.empty()) {
        auto sk = classify::skype::load_skype_config(opt.bayes_dir);
        if (!sk) return fail(sk.error() + " (-B " + opt.bayes_dir + ")");
        skype = std::make_shared<const classify::skype::SkypeConfig>(std::move(*sk));
        runtime.logs.skype = true;
    }
    if (opt.no_logs) runtime.logs.log_bitmask = 0;
    runtime.logs.gzip = opt.gzip_logs;
    if (Status s = check_supported(opt); !s) return fail(s.error());

    auto privacy = load_privacy(opt, globals, stdout);
    if (!privacy) return fail(privacy.error());
    // -F is read by the dump engine, which only exists with -T (Tstat's DUMP plugin).
    std::optional<output::pcap_dump::DnsFilter> dns_filter;
    if (!opt.dns_filter_file.empty()) {
        if (opt.runtime_conf.empty()) {
            std::fprintf(stderr, "tstat: warning: -F has no effect without -T\n");
        } else {
            auto f = output::pcap_dump::DnsFilter::load(opt.dns_filter_file);
            if (!f) return fail(f.error());
            dns_filter = std::move(*f);
        }
    }

    Networks nets;
    if (!opt.net_file.empty()) {
        auto n = NetList::load(opt.net_file, globals.max_internal_hosts);
        if (!n) return fail(n.error());
        nets.internal = *n;
        // A family missing from the file is entirely internal (spec §4.1).
        if (!nets.internal.has_v4()) nets.internal.add_v4(0, 0);
        if (!nets.internal.has_v6()) {
            const uint8_t any[16] = {};
            nets.internal.add_v6(any, 0);
        }
    }
    if (!opt.mac_file.empty()) {
        auto m = MacList::load(opt.mac_file, globals.max_internal_ethers);
        if (!m) return fail(m.error());
        nets.macs = *m;
        nets.use_macs = !nets.macs.empty();
    }
    if (!opt.cloud_file.empty()) {
        auto c = NetList::load(opt.cloud_file, globals.max_cloud_hosts);
        if (!c) return fail(c.error());
        nets.cloud = *c;
    }

    std::string bpf;
    if (!opt.filter_file.empty()) {
        std::ifstream in(opt.filter_file);
        if (!in) return fail(opt.filter_file + ": cannot read the filter file (-f)");
        std::stringstream ss;
        ss << in.rdbuf();
        bpf = ss.str();
    }

    if (opt.traces.empty() && !opt.live) {
        print_usage(stderr);
        return fail("no input: give trace files, 'stdin', or -l for a live capture");
    }

    // Without -c each file is a run of its own; with -c they are one trace.
    std::vector<std::vector<Input>> groups;
    if (opt.live) {
        groups.push_back({Input{}});
    } else if (opt.concat) {
        groups.emplace_back();
        for (const auto& t : opt.traces) groups.back().push_back({t});
    } else {
        for (const auto& t : opt.traces) groups.push_back({{t}});
    }

    install_signals();
    output::LogWriter writer;
    Progress progress(opt.ticks);
    int exit_code = 0;
    const auto wall_start = std::chrono::steady_clock::now();
    decode::DecodeOptions decode_options;
    decode_options.tstat_compat = opt.decode_like_tstat;
    Analyzer analyzer(globals, runtime, nets, decode_options, writer, !opt.no_dnhunter);
    analyzer.set_warnings(opt.warnings);
    if (skype) analyzer.enable_skype(skype);
    auto stats_setup = setup_stats(opt, globals, runtime);
    if (!stats_setup) return fail(stats_setup.error());
    for (const auto& w : stats_setup->warnings) std::fprintf(stderr, "tstat: warning: %s\n", w.c_str());
    analyzer.set_stats(std::move(stats_setup->tap));
    analyzer.set_strict_privacy(opt.strict_privacy);
    analyzer.set_privacy(*privacy);
    std::optional<control::RuntimeWatcher> watcher;
    if (!opt.runtime_conf.empty()) {
        analyzer.enable_dump(opt.gzip_dumps, std::move(dns_filter));
        watcher.emplace(opt.runtime_conf, globals.runtime_config_idle_s,
                        globals.runtime_mtime_counter);
    }
    // runtime.conf: polled as Tstat does, or re-read at once on SIGHUP (spec §14.1). A file
    // that does not parse leaves the running configuration in place.
    auto check_runtime = [&] {
        if (!watcher) return;
        if (g_reload_requested.exchange(false)) watcher->request();
        const control::RuntimeWatcher::Event ev = watcher->poll();
        if (ev == control::RuntimeWatcher::Event::kMissing)
            std::fprintf(stderr,
                         "tstat: warning: %s: cannot find the runtime configuration any more; "
                         "keeping the running one\n",
                         opt.runtime_conf.c_str());
        if (ev != control::RuntimeWatcher::Event::kReload) return;
        auto rc = load_runtime_conf(opt.runtime_conf, runtime);
        if (!rc) {
            std::fprintf(stderr, "tstat: %s; keeping the running configuration\n",
                         rc.error().c_str());
            return;
        }
        const RuntimeConfig previous = runtime;
        runtime = *rc;
        analyzer.runtime_changed(previous);
    };
    capture::PacketBatch batch;

    auto report = [&](std::FILE* out, const std::string& source_stats) {
        writer.sync();
        RunTotals t;
        t.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() -
                                                       wall_start).count();
        t.source_stats = source_stats;
        print_report(analyzer, writer.stats(), t, out);
        for (const auto& e : writer.take_errors()) std::fprintf(stderr, "tstat: %s\n", e.c_str());
    };

    for (const auto& group : groups) {
        const bool stdin_like = opt.live || is_stdin(group.front().path);
        const std::string root =
            !opt.out_dir.empty() ? opt.out_dir : output::default_root(group.front().path, stdin_like);
        analyzer.begin(root);
        if (StatsTap* st = analyzer.stats()) st->engine().set_rotate(stdin_like);
        std::string source_stats;
        bool any_opened = false;   // an unopenable file already said why it was skipped
        for (const Input& in : group) {
            capture::SourceSpec spec;
            spec.path = in.path;
            spec.live = opt.live;
            spec.interface = opt.interface;
            spec.snaplen = opt.snaplen;
            spec.bpf_filter = bpf;
            spec.keep_waiting = [] { return g_stop_signal.load() == 0; };   // SIGHUP: go on
            auto src = capture::open_source(spec);
            if (!src) {
                exit_code = fail(src.error());
                continue;
            }
            any_opened = true;
            capture::CaptureSource& source = **src;
            g_source.store(&source);
            for (;;) {
                if (g_stop_signal.load() != 0) break;
                if (g_report_requested.exchange(false)) report(stderr, source.stats());
                const capture::ReadStatus st = source.next_batch(batch);
                if (st == capture::ReadStatus::kEnd) break;
                if (st == capture::ReadStatus::kTimeout) {
                    check_runtime();   // an idle capture still takes a new configuration
                    continue;
                }
                // Before the batch: a change asked for while waiting (SIGHUP before the first
                // packet included) applies to the packets that follow.
                check_runtime();
                for (size_t i = 0; i < batch.count; ++i) analyzer.process(batch.packets[i]);
                if (!analyzer.fatal_error().empty()) break;
                const auto& fc = analyzer.engine().counters();
                progress.update(analyzer.counters().frames, fc.tcp_flows, fc.udp_flows,
                                fc.tcp_trash, source.progress());
                if (st == capture::ReadStatus::kError) {
                    // What was read before the damage is analysed and logged in full.
                    std::fprintf(stderr, "tstat: warning: %s; analysis stops there\n",
                                 source.error().c_str());
                    break;
                }
            }
            source_stats = source.stats();
            g_source.store(nullptr);
            if (opt.concat && &in != &group.back()) analyzer.file_boundary();
            if (!analyzer.fatal_error().empty() || g_stop_signal.load() != 0) break;
        }
        progress.finish();
        if (!analyzer.fatal_error().empty()) {
            exit_code = fail(analyzer.fatal_error());
            break;
        }
        if (!analyzer.started()) {
            if (any_opened)
                std::fprintf(stderr, "tstat: %s: not even a single IP packet read; skipped\n",
                             opt.live ? "live capture" : group.front().path.c_str());
            if (g_stop_signal.load() != 0) break;
            continue;
        }
        analyzer.end();
        if (g_stop_signal.load() != 0) {
            std::fprintf(stdout, "Terminating processing early on signal %d\n",
                         g_stop_signal.load());
            report(stderr, source_stats);
            exit_code = 1;
            break;
        }
        report(stdout, source_stats);
    }
    for (const auto& e : stats_setup->finish()) std::fprintf(stderr, "tstat: %s\n", e.c_str());
    if (StatsTap* st = analyzer.stats())
        for (const auto& e : st->engine().take_errors()) std::fprintf(stderr, "tstat: %s\n", e.c_str());
    writer.close();
    for (const auto& e : writer.take_errors()) {
        std::fprintf(stderr, "tstat: %s\n", e.c_str());
        exit_code = 1;
    }
    if (analyzer.dump() != nullptr) {
        analyzer.dump()->close();
        for (const auto& e : analyzer.dump()->take_errors()) {
            std::fprintf(stderr, "tstat: %s\n", e.c_str());
            exit_code = 1;
        }
    }
    return exit_code;
}
