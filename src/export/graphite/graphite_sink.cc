#include "export/graphite/graphite_sink.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>

namespace tstat::exporter::graphite {

std::string metric_part(std::string_view text) {
    std::string out(text);
    for (char& c : out) {
        const bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                          (c >= '0' && c <= '9') || c == '-' || c == '_';
        if (!keep) c = '_';
    }
    return out.empty() ? "_" : out;
}

std::string format_window(const stats::HistogramSet& histos, std::string_view probe,
                          int64_t timestamp) {
    std::string out;
    char line[256];
    for (size_t i = 0; i < stats::kHistoCount; ++i) {
        const stats::HistoId id = stats::histo_at(i);
        if (!histos.on(id)) continue;
        const stats::HistoDef& d = stats::histo_def(id);
        const auto bins = histos.bins(id);
        // The regular bins and the two outer ones; the sample counter is not a bin.
        for (int64_t b = 0; b <= d.more_max(); ++b) {
            const int64_t v = bins[static_cast<size_t>(b)];
            if (v == 0) continue;
            const int n = std::snprintf(line, sizeof line, "tstat.%.*s.%.*s.%lld %lld %lld\n",
                                        static_cast<int>(probe.size()), probe.data(),
                                        static_cast<int>(d.name.size()), d.name.data(),
                                        static_cast<long long>(d.label(b)),
                                        static_cast<long long>(v),
                                        static_cast<long long>(timestamp));
            if (n > 0) out.append(line, static_cast<size_t>(std::min<int>(n, sizeof line - 1)));
        }
    }
    return out;
}

GraphiteSink::GraphiteSink(std::unique_ptr<CarbonClient> client, std::string probe)
    : client_(std::move(client)) {
    if (probe.empty()) {
        char host[256] = {};
        if (::gethostname(host, sizeof host - 1) != 0 || host[0] == '\0')
            std::snprintf(host, sizeof host, "tstat");
        probe = host;
    }
    probe_ = metric_part(probe);
}

void GraphiteSink::window_closed(stats::ClosedWindow& w) {
    client_->send(format_window(w.histos, probe_, w.now.sec()));
}

}  // namespace tstat::exporter::graphite
