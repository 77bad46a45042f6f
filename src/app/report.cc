#include "app/report.h"

namespace tstat::app {

namespace {
std::string elapsed_str(double seconds) {
    const auto secs = static_cast<unsigned long>(seconds);
    const auto usecs = static_cast<unsigned long>((seconds - static_cast<double>(secs)) * 1e6);
    char buf[64];
    std::snprintf(buf, sizeof buf, "%lu:%02lu:%02lu.%06lu", secs / 3600, secs % 3600 / 60,
                  secs % 60, usecs);
    return buf;
}
}  // namespace

void print_report(const Analyzer& a, const output::WriterStats& w, const RunTotals& t,
                  std::FILE* out) {
    const auto& c = a.counters();
    const auto& f = a.engine().counters();
    const double wall = t.wall_seconds > 0 ? t.wall_seconds : 1e-9;
    std::fprintf(out, "\n---\nDumping internal status variables:\n---\n");
    std::fprintf(out, "total packet analized : %llu\n", static_cast<unsigned long long>(c.ip_packets));
    std::fprintf(out, "total flows analized : %llu\n",
                 static_cast<unsigned long long>(f.tcp_flows + f.udp_flows));
    std::fprintf(out, "total TCP flows analized : %llu\n", static_cast<unsigned long long>(f.tcp_flows));
    std::fprintf(out, "total UDP flows analized : %llu\n", static_cast<unsigned long long>(f.udp_flows));
    std::fprintf(out, "total analyzed TCP packet: %llu \n", static_cast<unsigned long long>(f.tcp_packets));
    std::fprintf(out, "total analyzed UDP packet: %llu \n", static_cast<unsigned long long>(f.udp_traced));
    std::fprintf(out, "total trash TCP packet: %llu \n", static_cast<unsigned long long>(f.tcp_trash));
    std::fprintf(out, "Current opened flows: TCP = %u UDP = %u\n", a.engine().open_tcp(),
                 a.engine().open_udp());
    std::fprintf(out, "Most flows open at once: %llu\n",
                 static_cast<unsigned long long>(f.peak_open));
    std::fprintf(out, "elapsed wallclock time: %s\n", elapsed_str(t.wall_seconds).c_str());
    std::fprintf(out, "%.0f pkts/sec analyzed\n", static_cast<double>(c.frames) / wall);
    std::fprintf(out, "%.0f flows/sec analyzed\n",
                 static_cast<double>(f.tcp_flows + f.udp_flows) / wall);
    if (!t.source_stats.empty()) std::fprintf(out, "%s\n", t.source_stats.c_str());
    std::fprintf(out, "frames read: %llu; not IP: %llu; truncated: %llu; malformed: %llu; "
                 "non-initial fragments: %llu; unsupported link: %llu\n",
                 static_cast<unsigned long long>(c.frames),
                 static_cast<unsigned long long>(c.by_status[int(decode::DecodeStatus::kNotIp)]),
                 static_cast<unsigned long long>(c.by_status[int(decode::DecodeStatus::kTruncated)]),
                 static_cast<unsigned long long>(c.by_status[int(decode::DecodeStatus::kMalformed)]),
                 static_cast<unsigned long long>(c.by_status[int(decode::DecodeStatus::kFragment)]),
                 static_cast<unsigned long long>(
                     c.by_status[int(decode::DecodeStatus::kUnsupportedLink)]));
    std::fprintf(out, "rows written: log_tcp_complete %llu, log_tcp_nocomplete %llu, "
                 "log_udp_complete %llu; flows between external hosts (not logged): %llu\n",
                 static_cast<unsigned long long>(w.rows_of(output::LogId::kTcpComplete)),
                 static_cast<unsigned long long>(w.rows_of(output::LogId::kTcpNocomplete)),
                 static_cast<unsigned long long>(w.rows_of(output::LogId::kUdpComplete)),
                 static_cast<unsigned long long>(c.external_flows));
    if (a.started()) {
        const double span = static_cast<double>(a.last_packet().us - a.first_packet().us) / 1e6;
        std::fprintf(out, "%llu packets seen, %llu TCP packets traced, %llu UDP packets traced\n",
                     static_cast<unsigned long long>(c.ip_packets),
                     static_cast<unsigned long long>(f.tcp_traced),
                     static_cast<unsigned long long>(f.udp_traced));
        std::fprintf(out, "trace file elapsed time: %s\n", elapsed_str(span).c_str());
        std::fprintf(out, "logs written to %s\n", a.time_dir().c_str());
    }
}

}  // namespace tstat::app
