// Fuzzes the trace-file readers (pcap, pcapng, gzip) on arbitrary bytes. Each input is read
// twice — in place and streamed through a tiny chunk buffer (every record straddles refills)
// — and both readings must agree exactly; every packet is touched end to end so the sanitizers
// see any view that leaves its buffer, and the source's promises are checked.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <span>
#include <string>

#include "capture/pcap_file/trace_source.h"
#include "capture/source.h"

namespace {

using tstat::capture::CaptureSource;
using tstat::capture::PacketBatch;
using tstat::capture::RawPacket;
using tstat::capture::ReadStatus;
using tstat::capture::SourceSpec;
namespace pcap_file = tstat::capture::pcap_file;

struct Outcome {
    bool opened = false;
    std::string message;  // open error or final error
    ReadStatus last = ReadStatus::kOk;
    uint64_t packets = 0;
    uint64_t digest = 1469598103934665603ULL;
};

void check(bool ok) {
    if (!ok) std::abort();
}

void mix(uint64_t& h, uint64_t v) {
    h ^= v;
    h *= 1099511628211ULL;
}

Outcome read_all(std::span<const uint8_t> data, const pcap_file::ReaderOptions& options,
                 const std::string& filter) {
    Outcome out;
    SourceSpec spec;
    spec.path = "fuzz";
    spec.bpf_filter = filter;
    auto src = pcap_file::open_memory_source(data, spec, options);
    if (!src.ok()) {
        out.message = src.error();
        check(!out.message.empty() && out.message.find('\n') == std::string::npos);
        return out;
    }
    out.opened = true;
    CaptureSource& s = **src;
    (void)s.describe();
    PacketBatch batch;
    // Every call consumes at least a record header or ends; gzip inflates at most ~1032:1.
    const size_t max_calls = (data.size() + 2) * 1100;
    for (size_t calls = 0; calls <= max_calls; ++calls) {
        ReadStatus st = s.next_batch(batch);
        if (st != ReadStatus::kOk) {
            check(batch.count == 0 && st != ReadStatus::kTimeout);
            out.last = st;
            if (st == ReadStatus::kError) {
                out.message = s.error();
                check(!out.message.empty() && out.message.find('\n') == std::string::npos);
            }
            check(s.next_batch(batch) == st);  // the end (or error) is sticky
            return out;
        }
        check(batch.count > 0 && batch.count <= PacketBatch::kCapacity);
        for (size_t i = 0; i < batch.count; ++i) {
            const RawPacket& p = batch.packets[i];
            check(p.caplen <= pcap_file::kMaxCaplen && p.wire_len >= p.caplen);
            uint64_t sum = 0;
            for (uint32_t k = 0; k < p.caplen; ++k) sum += p.data[k];
            mix(out.digest, static_cast<uint64_t>(p.ts.us));
            mix(out.digest, p.caplen);
            mix(out.digest, p.wire_len);
            mix(out.digest, p.link_type);
            mix(out.digest, sum);
            ++out.packets;
        }
        tstat::capture::Progress pr = s.progress();
        check(pr.bytes_read <= pr.total_bytes);
    }
    std::abort();  // never ended
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::span<const uint8_t> bytes(data, size);
    // A filter on some inputs (compiling one per input would slow the fuzzer down).
    std::string filter;
    if (size > 0 && data[size - 1] % 8 == 1) filter = "udp or ip6 or (tcp and less 200)";

    pcap_file::ReaderOptions in_place;
    Outcome a = read_all(bytes, in_place, filter);

    pcap_file::ReaderOptions streamed;
    streamed.stream_memory = true;
    streamed.chunk_size = 64;
    Outcome b = read_all(bytes, streamed, filter);

    check(a.opened == b.opened);
    check(a.message == b.message);
    check(a.last == b.last);
    check(a.packets == b.packets);
    check(a.digest == b.digest);
    return 0;
}
