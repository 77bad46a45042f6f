#include "capture/live_pcap/live_source.h"
#include "capture/pcap_file/trace_source.h"
#include "capture/source.h"

namespace tstat::capture {

Result<std::unique_ptr<CaptureSource>> open_source(const SourceSpec& spec) {
    if (spec.live) return live_pcap::open_live_source(spec);
    return pcap_file::open_file_source(spec);
}

}  // namespace tstat::capture
