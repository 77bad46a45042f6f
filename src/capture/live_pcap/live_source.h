// Live capture through libpcap, as Tstat's -l: promiscuous, 1000 ms read timeout, optional
// BPF filter (spec §3.6).
#pragma once

#include <memory>

#include "capture/source.h"
#include "common/result.h"

namespace tstat::capture::live_pcap {

// spec.interface empty: the first device pcap_findalldevs() lists.
Result<std::unique_ptr<CaptureSource>> open_live_source(const SourceSpec& spec);

}  // namespace tstat::capture::live_pcap
