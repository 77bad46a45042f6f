// Graphite export of the histograms (--graphite host:port): every closed window becomes
// plaintext lines `tstat.<probe>.<histogram>.<bin> <value> <timestamp>`, one per non-zero bin
// of each histogram that -H or -R turned on, stamped with the window's closing time (trace
// time, in seconds). <bin> is the label Tstat prints in the histogram files (the lower edge of
// the bin; the class number of a rate or count histogram). A bin left out is zero.
#pragma once

#include <memory>
#include <string>

#include "export/graphite/carbon_client.h"
#include "stats/window_engine.h"

namespace tstat::exporter::graphite {

// A name part carbon stores as one folder: letters, digits, '-' and '_' are kept, anything
// else (dots, spaces, slashes) becomes '_'.
std::string metric_part(std::string_view text);

// The lines of one closed window.
std::string format_window(const stats::HistogramSet& histos, std::string_view probe,
                          int64_t timestamp);

class GraphiteSink final : public stats::WindowSink {
public:
    // `probe` empty: the host name.
    GraphiteSink(std::unique_ptr<CarbonClient> client, std::string probe);
    void window_closed(stats::ClosedWindow& w) override;
    CarbonClient& client() { return *client_; }
    const std::string& probe() const { return probe_; }

private:
    std::unique_ptr<CarbonClient> client_;
    std::string probe_;
};

}  // namespace tstat::exporter::graphite
