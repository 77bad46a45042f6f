// Trace-file sources: pcap and pcapng, plain or gzip-compressed, from a file, stdin or memory.
// The format is recognised by content, never by file name.
//
// What a reader delivers, and the deliberate choices (libpcap is what Tstat 3.3 read with):
// - Timestamps: integer µs; finer units are truncated as libpcap does. Tstat's rules (spec
//   §3.3): from the first µs field >= 1e6 on, every pcap µs field is divided by 1000 ("bogus
//   nanoseconds", sticky as Tstat's flag is, but per file); packets with timestamp 0 at the
//   start of a file are skipped (after the -f filter; pcapng Simple Packet Blocks have no
//   time, so leading ones are skipped too). pcap seconds are unsigned (libpcap: signed 32).
// - caplen above the pcap header's snaplen: cut to the snaplen, the rest skipped (libpcap;
//   Wireshark keeps it). caplen above 262144 (kMaxCaplen): an error, as in both.
// - wire_len below caplen (a writer bug): raised to caplen, after the filter saw the recorded
//   value, so consumers may rely on wire_len >= caplen.
// - pcap versions: any 2.x (lengths interchanged before 2.3, as libpcap) and DG/UX 543.0.
//   pcapng 1.0 and 1.2; sections may change byte order; interfaces keep their own link type
//   (libpcap refuses mixed link types, Wireshark does not); caplen above an interface's
//   snaplen is kept.
// - gzip: several members are one stream; non-gzip bytes after the last member are ignored
//   (gunzip does the same; Tstat 3.3 used `gunzip -c`).
// - Damage: everything before it is delivered, then kError with one line "<input>: record N
//   at offset X: <what>" (pcapng: "block N"); offsets count decompressed bytes. A record cut
//   short at the end of the input is such an error, not a clean end.
// - Progress::packets counts records read, including the ones -f or the zero-timestamp rule
//   dropped.
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
    // Bytes read per refill: enough to keep read(2) calls rare, small enough that the kernel's
    // copy is still in the L2 cache when the records are parsed (256 KiB: 11 % less CPU for
    // a whole run than 4 MiB). Tests use tiny ones to put records across refills.
    size_t chunk_size = size_t{256} << 10;
    // Regular uncompressed files are mapped whole instead of read in chunks. Off by default:
    // on a 1 GiB trace in the page cache the page faults make it ~4x slower than read(2)
    // into a reused chunk that stays in the CPU caches (bench/micro/trace_reader_bench.cc).
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
    std::string name;  // for messages: the path, "stdin", ...
    std::unique_ptr<ChunkBuffer> buffer;
    std::unique_ptr<Backing> backing;
    uint64_t total_bytes = 0;  // file size (compressed), 0 if unknown
    bool gzip = false;
    std::string filter_expression;  // empty: no filter
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
    uint64_t records_ = 0;  // records (packets) read, including those not delivered

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
