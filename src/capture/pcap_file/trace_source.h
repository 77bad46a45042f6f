// Trace-file sources: pcap and pcapng, plain or gzip-compressed, from a file, stdin or memory.
// The format is recognised by content, never by file name.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include "capture/pcap_file/chunk_buffer.h"
#include "capture/pcap_file/packet_filter.h"
#include "capture/source.h"
#include "common/result.h"

namespace tstat::capture::pcap_file {

struct ReaderOptions {
    // Bytes read per refill. Large chunks keep read(2) calls rare; tests use tiny ones to put
    // records across refills.
    size_t chunk_size = size_t{4} << 20;
    // Regular uncompressed files are mapped whole instead of read in chunks.
    bool map_files = false;
    // open_memory_source: copy the bytes through a chunk buffer (as a file would be read)
    // instead of handing out views of the caller's memory.
    bool stream_memory = false;
};

// `spec.path` names the file ("stdin"/"-": standard input); spec.bpf_filter applies.
Result<std::unique_ptr<CaptureSource>> open_file_source(const SourceSpec& spec,
                                                        const ReaderOptions& options = {});

// Reads a trace held in memory (fuzzers, tests, benchmarks). `data` must outlive the source;
// spec.path only names it in messages.
Result<std::unique_ptr<CaptureSource>> open_memory_source(std::span<const uint8_t> data,
                                                          const SourceSpec& spec,
                                                          const ReaderOptions& options = {});

// Largest record we accept: libpcap's maximum snapshot length for the usual link types.
inline constexpr uint32_t kMaxCaplen = 262144;

// Keeps whatever backs a source's bytes alive (a file mapping); released with the source.
class Backing {
public:
    virtual ~Backing() = default;
};

// What the format readers get from the opening code.
struct TraceInput {
    std::string name;                          // for messages: the path, "stdin", ...
    std::unique_ptr<ChunkBuffer> buffer;
    std::unique_ptr<Backing> backing;
    uint64_t total_bytes = 0;                  // file size (compressed), 0 if unknown
    bool gzip = false;
    std::string filter_expression;             // empty: no filter
};

// State and rules shared by the pcap and pcapng readers.
class TraceSource : public CaptureSource {
public:
    const std::string& error() const override { return error_; }
    Progress progress() const override;
    std::string describe() const override;

protected:
    explicit TraceSource(TraceInput input);

    virtual std::string format_description() const = 0;

    // Sets up the filter for a link type met in the file (in the given byte order) and
    // stores the program to use in `program`; false (and error_ set) if it does not compile.
    // `where` locates the block that introduced the link type (empty: the file header).
    bool prepare_filter(uint32_t link_type, bool swapped, size_t& program,
                        const std::string& where = {});

    // The per-packet rules after decoding a record header: the BPF filter (-f) with the
    // program prepare_filter() gave, then Tstat's skip of zero timestamps at the start of a
    // file (spec §3.3). True: deliver it.
    bool accept(const RawPacket& p, size_t program) {
        if (filter_ != nullptr && !filter_->matches(program, p)) return false;
        if (skipping_zero_ts_) {
            if (p.ts.us == 0) return false;
            skipping_zero_ts_ = false;
        }
        return true;
    }

    // Records the problem as "<name>: <what>"; the batch in progress is still delivered.
    void fail(const std::string& what);
    // A refill failed in the input layer (I/O, gzip): "<name>: <where>: <input error>".
    void fail_input(const std::string& where);
    // Ends a batch: publishes progress and picks the status.
    ReadStatus finish_batch(PacketBatch& batch, size_t count);
    // A signal interrupted a blocking read (stdin): an empty batch, so the caller can look at
    // its flags and call again.
    ReadStatus interrupted(PacketBatch& batch) {
        batch.count = 0;
        return ReadStatus::kTimeout;
    }

    enum class State { kRunning, kEnded, kFailed };

    std::string name_;
    std::unique_ptr<ChunkBuffer> buf_;
    State state_ = State::kRunning;
    uint64_t records_ = 0;   // records (packets) read, including those not delivered

private:
    std::unique_ptr<Backing> backing_;
    std::unique_ptr<PacketFilter> filter_;
    std::string error_;
    uint64_t total_bytes_;
    bool gzip_;
    bool skipping_zero_ts_ = true;
    std::atomic<uint64_t> published_bytes_{0};
    std::atomic<uint64_t> published_records_{0};
};

}  // namespace tstat::capture::pcap_file
