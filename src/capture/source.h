// Capture sources: trace files (pcap, pcapng, gzip, stdin) and live interfaces.
// Chosen once by open_source(); the virtual call is per batch, never per packet.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "capture/raw_packet.h"
#include "common/result.h"

namespace tstat::capture {

enum class ReadStatus {
    kOk,        // batch holds >= 1 packet
    kEnd,       // clean end of input; batch is empty
    kError,     // unreadable input (see CaptureSource::error()); packets before it were delivered
    kTimeout,   // live capture: no packet within the read timeout; batch is empty
};

struct SourceSpec {
    std::string path;            // trace file; "stdin" or "-" reads standard input
    bool live = false;           // -l: live capture from `interface`
    std::string interface;       // -i (empty: the first device libpcap finds)
    int snaplen = 550;           // -E
    std::string bpf_filter;      // -f: filter expression (already read from its file)
    // A signal interrupted the wait for a stream's first bytes: true goes on waiting (SIGHUP
    // asks for a runtime.conf re-read), false gives up (SIGINT). None: give up.
    bool (*keep_waiting)() = nullptr;
};

struct Progress {
    uint64_t bytes_read = 0;     // bytes of the (compressed) input consumed so far
    uint64_t total_bytes = 0;    // 0 when unknown (stdin, live)
    uint64_t packets = 0;        // records read (files: including those -f dropped)
};

class CaptureSource {
public:
    virtual ~CaptureSource() = default;

    // Fills `batch` (count reset to 0 first). Packets stay valid until the next call.
    virtual ReadStatus next_batch(PacketBatch& batch) = 0;

    // After kError: one line naming the input, the record number or byte offset and the
    // problem, e.g. "trace.pcap: record 1042 at offset 88412: caplen 4325376 exceeds 262144".
    virtual const std::string& error() const = 0;

    virtual Progress progress() const = 0;

    // A short description for reports: "pcap (µs, little-endian, Ethernet)", "live eth0".
    virtual std::string describe() const = 0;

    // Live sources: ask a blocked read to return (signal-safe). Files ignore it.
    virtual void interrupt() {}

    // Live sources: "N packets received, N dropped by the kernel". Empty for files.
    virtual std::string stats() const { return {}; }
};

Result<std::unique_ptr<CaptureSource>> open_source(const SourceSpec& spec);

}  // namespace tstat::capture
