// Trace reading speed (packets/s, bytes/s): our pcap/pcapng readers in place, streamed
// through the chunk buffer (the read(2) path), from a file (read(2) and mapped), from gzip, and
// libpcap's pcap_next_ex() on the same file as the baseline. Each pass touches one byte per
// packet. Set TSTAT_BENCH_TRACE=/path/to/trace to add a run over a real trace file.
#include <benchmark/benchmark.h>
#include <pcap/pcap.h>
#include <unistd.h>
#include <zlib.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <span>
#include <string>
#include <vector>

#include "capture/pcap_file/trace_source.h"
#include "capture/source.h"

namespace {

using tstat::capture::CaptureSource;
using tstat::capture::PacketBatch;
using tstat::capture::ReadStatus;
using tstat::capture::SourceSpec;
namespace pcap_file = tstat::capture::pcap_file;

constexpr size_t kPackets = 200000;

void put32(std::vector<uint8_t>& v, uint32_t x) {
    for (int i = 0; i < 4; ++i) v.push_back(static_cast<uint8_t>(x >> (8 * i)));
}

// A size mix like real traffic: mostly ACK-sized and full-sized frames.
uint32_t frame_size(size_t i) {
    static constexpr uint32_t kSizes[] = {66, 66, 1514, 66, 1514, 590, 66, 1514, 120, 1514};
    return kSizes[i % std::size(kSizes)];
}

const std::vector<uint8_t>& pcap_trace() {
    static const std::vector<uint8_t> trace = [] {
        std::vector<uint8_t> v;
        put32(v, 0xa1b2c3d4);
        put32(v, 2 | 4u << 16);
        put32(v, 0);
        put32(v, 0);
        put32(v, 65535);
        put32(v, 1);
        for (size_t i = 0; i < kPackets; ++i) {
            const uint32_t n = frame_size(i);
            put32(v, 1700000000 + static_cast<uint32_t>(i / 1000));
            put32(v, static_cast<uint32_t>(i % 1000) * 1000);
            put32(v, n);
            put32(v, n);
            for (uint32_t k = 0; k < n; ++k) v.push_back(static_cast<uint8_t>(i + k));
        }
        return v;
    }();
    return trace;
}

const std::vector<uint8_t>& pcapng_trace() {
    static const std::vector<uint8_t> trace = [] {
        std::vector<uint8_t> v;
        auto block = [&](uint32_t type, const std::vector<uint8_t>& body) {
            put32(v, type);
            put32(v, static_cast<uint32_t>(12 + body.size()));
            v.insert(v.end(), body.begin(), body.end());
            put32(v, static_cast<uint32_t>(12 + body.size()));
        };
        std::vector<uint8_t> shb;
        put32(shb, 0x1A2B3C4D);
        put32(shb, 1);
        put32(shb, 0xffffffff);
        put32(shb, 0xffffffff);
        block(0x0A0D0D0A, shb);
        std::vector<uint8_t> idb;
        put32(idb, 1);
        put32(idb, 0);
        block(1, idb);
        std::vector<uint8_t> epb;
        for (size_t i = 0; i < kPackets; ++i) {
            const uint32_t n = frame_size(i);
            const uint64_t ts = 1700000000000000ULL + i * 1000;
            epb.clear();
            put32(epb, 0);
            put32(epb, static_cast<uint32_t>(ts >> 32));
            put32(epb, static_cast<uint32_t>(ts));
            put32(epb, n);
            put32(epb, n);
            for (uint32_t k = 0; k < n; ++k) epb.push_back(static_cast<uint8_t>(i + k));
            while (epb.size() % 4 != 0) epb.push_back(0);
            block(6, epb);
        }
        return v;
    }();
    return trace;
}

std::vector<uint8_t> gzip(std::span<const uint8_t> data) {
    z_stream z{};
    deflateInit2(&z, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
    std::vector<uint8_t> out(deflateBound(&z, static_cast<uLong>(data.size())));
    z.next_in = const_cast<Bytef*>(data.data());
    z.avail_in = static_cast<uInt>(data.size());
    z.next_out = out.data();
    z.avail_out = static_cast<uInt>(out.size());
    deflate(&z, Z_FINISH);
    out.resize(z.total_out);
    deflateEnd(&z);
    return out;
}

// The synthetic pcap written to /tmp for the file benchmarks, removed at exit.
struct TempTraceFile {
    std::string path = "/tmp/tstat-trace-reader-bench-" + std::to_string(::getpid()) + ".pcap";
    TempTraceFile() {
        FILE* f = std::fopen(path.c_str(), "wb");
        const auto& t = pcap_trace();
        if (f == nullptr || std::fwrite(t.data(), 1, t.size(), f) != t.size()) std::abort();
        std::fclose(f);
    }
    ~TempTraceFile() { std::remove(path.c_str()); }
    TempTraceFile(const TempTraceFile&) = delete;
    TempTraceFile& operator=(const TempTraceFile&) = delete;
};

const std::string& trace_file() {
    static const TempTraceFile file;
    return file.path;
}

// Drains a source; returns packets and counts bytes.
uint64_t drain(CaptureSource& src, uint64_t& bytes, uint64_t& sink) {
    PacketBatch batch;
    uint64_t packets = 0;
    for (;;) {
        ReadStatus s = src.next_batch(batch);
        if (s != ReadStatus::kOk) break;
        for (size_t i = 0; i < batch.count; ++i) {
            const auto& p = batch.packets[i];
            sink += p.data[p.caplen / 2];
            bytes += p.caplen;
        }
        packets += batch.count;
    }
    return packets;
}

void report(benchmark::State& state, uint64_t packets, uint64_t bytes) {
    state.SetItemsProcessed(static_cast<int64_t>(packets));
    state.SetBytesProcessed(static_cast<int64_t>(bytes));
}

void run_memory(benchmark::State& state, std::span<const uint8_t> data, bool streamed) {
    pcap_file::ReaderOptions options;
    options.stream_memory = streamed;
    SourceSpec spec;
    uint64_t packets = 0, bytes = 0, sink = 0;
    for (auto _ : state) {
        auto src = pcap_file::open_memory_source(data, spec, options);
        if (!src.ok()) state.SkipWithError(src.error().c_str());
        packets += drain(**src, bytes, sink);
    }
    benchmark::DoNotOptimize(sink);
    report(state, packets, bytes);
}

void BM_PcapInPlace(benchmark::State& state) { run_memory(state, pcap_trace(), false); }
BENCHMARK(BM_PcapInPlace)->Unit(benchmark::kMillisecond);

void BM_PcapStreamed(benchmark::State& state) { run_memory(state, pcap_trace(), true); }
BENCHMARK(BM_PcapStreamed)->Unit(benchmark::kMillisecond);

void BM_PcapngInPlace(benchmark::State& state) { run_memory(state, pcapng_trace(), false); }
BENCHMARK(BM_PcapngInPlace)->Unit(benchmark::kMillisecond);

void BM_GzipPcap(benchmark::State& state) {
    static const std::vector<uint8_t> gz = gzip(pcap_trace());
    run_memory(state, gz, false);
}
BENCHMARK(BM_GzipPcap)->Unit(benchmark::kMillisecond);

void run_file(benchmark::State& state, const std::string& path, bool mapped) {
    pcap_file::ReaderOptions options;
    options.map_files = mapped;
    SourceSpec spec;
    spec.path = path;
    uint64_t packets = 0, bytes = 0, sink = 0;
    for (auto _ : state) {
        auto src = pcap_file::open_file_source(spec, options);
        if (!src.ok()) {
            state.SkipWithError(src.error().c_str());
            return;
        }
        packets += drain(**src, bytes, sink);
    }
    benchmark::DoNotOptimize(sink);
    report(state, packets, bytes);
}

void run_libpcap(benchmark::State& state, const std::string& path) {
    uint64_t packets = 0, bytes = 0, sink = 0;
    char errbuf[PCAP_ERRBUF_SIZE];
    for (auto _ : state) {
        pcap_t* p = pcap_open_offline(path.c_str(), errbuf);
        if (p == nullptr) {
            state.SkipWithError(errbuf);
            return;
        }
        pcap_pkthdr* hdr = nullptr;
        const u_char* data = nullptr;
        while (pcap_next_ex(p, &hdr, &data) == 1) {
            sink += data[hdr->caplen / 2];
            bytes += hdr->caplen;
            ++packets;
        }
        pcap_close(p);
    }
    benchmark::DoNotOptimize(sink);
    report(state, packets, bytes);
}

void BM_PcapFileRead(benchmark::State& state) { run_file(state, trace_file(), false); }
BENCHMARK(BM_PcapFileRead)->Unit(benchmark::kMillisecond);

void BM_PcapFileMapped(benchmark::State& state) { run_file(state, trace_file(), true); }
BENCHMARK(BM_PcapFileMapped)->Unit(benchmark::kMillisecond);

void BM_LibpcapFile(benchmark::State& state) { run_libpcap(state, trace_file()); }
BENCHMARK(BM_LibpcapFile)->Unit(benchmark::kMillisecond);

// Real traces (e.g. /work/bench/bench-1g.pcap), if TSTAT_BENCH_TRACE names one.
const char* real_trace() { return std::getenv("TSTAT_BENCH_TRACE"); }

void BM_RealTraceRead(benchmark::State& state) {
    if (real_trace() == nullptr) {
        state.SkipWithError("TSTAT_BENCH_TRACE not set");
        return;
    }
    run_file(state, real_trace(), false);
}
BENCHMARK(BM_RealTraceRead)->Unit(benchmark::kMillisecond)->Iterations(3);

void BM_RealTraceMapped(benchmark::State& state) {
    if (real_trace() == nullptr) {
        state.SkipWithError("TSTAT_BENCH_TRACE not set");
        return;
    }
    run_file(state, real_trace(), true);
}
BENCHMARK(BM_RealTraceMapped)->Unit(benchmark::kMillisecond)->Iterations(3);

void BM_RealTraceLibpcap(benchmark::State& state) {
    if (real_trace() == nullptr) {
        state.SkipWithError("TSTAT_BENCH_TRACE not set");
        return;
    }
    run_libpcap(state, real_trace());
}
BENCHMARK(BM_RealTraceLibpcap)->Unit(benchmark::kMillisecond)->Iterations(3);

}  // namespace
