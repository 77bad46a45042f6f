#include "app/stats_setup.h"

#include <chrono>

#include "export/graphite/graphite_sink.h"
#include "stats/rrd/rrd_writer.h"

namespace tstat::app {

Result<StatsSetup> setup_stats(const Options& o, const Globals& g, const RuntimeConfig& rc) {
    StatsSetup s;
    stats::EngineConfig cfg;
    cfg.global = o.global_histo;
    if (!o.histo_conf.empty()) {
        auto h = stats::load_histo_conf(o.histo_conf, o.global_histo);
        if (!h) return Error{h.error()};
        cfg.histo = std::move(*h);
        for (auto& w : cfg.histo.warnings) s.warnings.push_back(o.histo_conf + ": " + w);
    }
    if (o.rrd_conf.empty() != o.rrd_dir.empty())
        return make_error("-R and -r go together: the RRD configuration and the folder of the "
                          "databases (spec §11)");
    std::unique_ptr<stats::rrd::RrdWriter> rrd;
    if (!o.rrd_conf.empty()) {
        auto conf = stats::rrd::load_rrd_conf(o.rrd_conf, o.global_histo);
        if (!conf) return Error{conf.error()};
        cfg.rrd_histos = conf->on;
        auto w = stats::rrd::RrdWriter::create(std::move(*conf), o.rrd_dir, g.max_time_step_us);
        if (!w) return Error{w.error()};
        rrd = std::move(*w);
    }
    std::unique_ptr<exporter::graphite::GraphiteSink> graphite;
    if (!o.graphite.empty()) {
        auto address = exporter::graphite::parse_carbon_address(o.graphite);
        if (!address) return Error{address.error()};
        graphite = std::make_unique<exporter::graphite::GraphiteSink>(
            std::make_unique<exporter::graphite::CarbonClient>(*address), o.graphite_probe);
        bool any = cfg.histo.adx;
        for (size_t i = 0; i < stats::kHistoCount; ++i) any = any || cfg.histo.on[i] || cfg.rrd_histos[i];
        if (!any)
            s.warnings.push_back("--graphite sends the histograms -H or -R turn on, and none is on");
    } else if (!o.graphite_probe.empty()) {
        return make_error("--graphite-probe names the probe of --graphite, which is not given");
    }
    cfg.histo_engine = !o.no_histo;
    cfg.histo_engine_log = rc.histo_engine;
    cfg.rrd_engine = !o.rrd_conf.empty();
    if (rc.rrd_engine_set) cfg.rrd_engine = cfg.rrd_engine ? rc.rrd_engine : false;
    cfg.max_time_step_us = g.max_time_step_us;
    cfg.dirs = g.dirs;
    cfg.adx_slots = g.max_adx_slots;
    cfg.adx_filter_internal = !o.net_file.empty() || !o.mac_file.empty();
    auto engine = std::make_unique<stats::Engine>(cfg);
    if (graphite) {
        s.graphite = graphite.get();
        engine->add_sink(graphite.get());
        s.sinks.push_back(std::move(graphite));
    }
    if (rrd) {
        // Last sink: it resets the running statistics it reads.
        s.rrd = rrd.get();
        engine->add_sink(rrd.get());
        s.sinks.push_back(std::move(rrd));
    }
    s.tap = std::make_unique<StatsTap>(std::move(engine), g.flow.ignore_ipv6_l4,
                                       g.flow.max_tcp_pairs, g.flow.max_udp_pairs);
    return s;
}

std::vector<std::string> StatsSetup::finish() {
    std::vector<std::string> out;
    if (rrd)
        for (auto& e : rrd->take_errors()) out.push_back(std::move(e));
    if (graphite) {
        auto& client = graphite->client();
        const auto left = client.finish(std::chrono::seconds(10));
        const std::string where = client.address().host + ":" + client.address().port;
        if (left.pending_bytes > 0)
            out.push_back("graphite: " + std::to_string(left.pending_bytes) +
                          " bytes of metrics not delivered to " + where + " (" +
                          left.last_error + ")");
        if (left.dropped_bytes > 0)
            out.push_back("graphite: " + std::to_string(left.dropped_bytes) +
                          " bytes of metrics dropped: carbon at " + where +
                          " was away while the queue filled");
    }
    return out;
}

}  // namespace tstat::app
