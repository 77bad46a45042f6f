#include "capture/pcap_file/trace_source.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "capture/pcap_file/pcap_reader.h"
#include "capture/pcap_file/pcapng_reader.h"

namespace tstat::capture::pcap_file {

TraceSource::TraceSource(TraceInput input)
    : name_(std::move(input.name)),
      buf_(std::move(input.buffer)),
      backing_(std::move(input.backing)),
      total_bytes_(input.total_bytes),
      gzip_(input.gzip) {
    if (!input.filter_expression.empty())
        filter_ = std::make_unique<PacketFilter>(std::move(input.filter_expression));
}

Progress TraceSource::progress() const {
    Progress p;
    p.bytes_read = published_bytes_.load(std::memory_order_relaxed);
    p.total_bytes = total_bytes_;
    p.packets = published_records_.load(std::memory_order_relaxed);
    return p;
}

std::string TraceSource::describe() const { return (gzip_ ? "gzip " : "") + format_description(); }

bool TraceSource::prepare_filter(uint32_t link_type, bool swapped, size_t& program,
                                 const std::string& where) {
    program = 0;
    if (filter_ == nullptr) return true;
    Result<size_t> r = filter_->prepare(link_type, swapped);
    if (!r.ok()) {
        fail(where.empty() ? r.error() : where + ": " + r.error());
        return false;
    }
    program = *r;
    return true;
}

void TraceSource::fail(const std::string& what) {
    error_ = name_ + ": " + what;
    state_ = State::kFailed;
}

void TraceSource::fail_input(const std::string& where) {
    const std::string& why = buf_->input_error();
    fail(where + ": " + (why.empty() ? "read error" : why));
}

ReadStatus TraceSource::finish_batch(PacketBatch& batch, size_t count) {
    batch.count = count;
    // For gzip the compressed bytes consumed tell how far along the file is.
    published_bytes_.store(gzip_ ? buf_->input_consumed() : buf_->offset(),
                           std::memory_order_relaxed);
    published_records_.store(records_, std::memory_order_relaxed);
    if (count > 0) return ReadStatus::kOk;
    return state_ == State::kFailed ? ReadStatus::kError : ReadStatus::kEnd;
}

namespace {

constexpr size_t kSniffBytes = 4;

class FileMapping final : public Backing {
  public:
    FileMapping(void* addr, size_t size) : addr_(addr), size_(size) {}
    ~FileMapping() override { ::munmap(addr_, size_); }
    FileMapping(const FileMapping&) = delete;
    FileMapping& operator=(const FileMapping&) = delete;

  private:
    void* addr_;
    size_t size_;
};

std::string hex_bytes(const uint8_t* p, size_t n) {
    std::string out;
    char tmp[4];
    for (size_t i = 0; i < n; ++i) {
        std::snprintf(tmp, sizeof(tmp), i == 0 ? "%02x" : " %02x", p[i]);
        out += tmp;
    }
    return out;
}

bool is_gzip(const uint8_t* p, size_t n) { return n >= 2 && p[0] == 0x1f && p[1] == 0x8b; }

// Recognises the format of the (decompressed) stream and hands it to its reader.
Result<std::unique_ptr<CaptureSource>> open_format(TraceInput input) {
    ChunkBuffer& buf = *input.buffer;
    ChunkBuffer::Fill f = buf.refill(kSniffBytes);
    if (f == ChunkBuffer::Fill::kInterrupted)
        return make_error(input.name + ": interrupted while waiting for data");
    if (f == ChunkBuffer::Fill::kError) return make_error(input.name + ": " + buf.input_error());
    const uint8_t* p = buf.cursor();
    const size_t n = buf.available();
    const char* what = input.gzip ? "gzip data" : "file";
    if (n == 0) return make_error(input.name + ": empty " + what);
    if (PcapSource::recognises(p, n)) return PcapSource::open(std::move(input));
    if (PcapngSource::recognises(p, n)) return PcapngSource::open(std::move(input));
    std::string first = hex_bytes(p, n < kSniffBytes ? n : kSniffBytes);
    return make_error(input.name + ": " + (input.gzip ? "gzip data is " : "") +
                      "not a pcap or pcapng file (first bytes " + first + ")");
}

// Reads up to kSniffBytes from a descriptor, so gzip can be recognised on a pipe as well.
Result<size_t> read_prefix(int fd, uint8_t* out, const std::string& name,
                           bool (*keep_waiting)()) {
    size_t got = 0;
    while (got < kSniffBytes) {
        ssize_t r = ::read(fd, out + got, kSniffBytes - got);
        if (r > 0) {
            got += static_cast<size_t>(r);
        } else if (r == 0) {
            break;
        } else if (errno != EINTR) {
            return make_error(name + ": read error: " + std::strerror(errno));
        } else if (keep_waiting == nullptr || !keep_waiting()) {
            return make_error(name + ": interrupted while waiting for data");
        }
    }
    return got;
}

}  // namespace

Result<std::unique_ptr<CaptureSource>> open_file_source(const SourceSpec& spec,
                                                        const ReaderOptions& options) {
    const bool use_stdin = spec.path == "stdin" || spec.path == "-";
    TraceInput input;
    input.name = use_stdin ? "stdin" : spec.path;
    input.filter_expression = spec.bpf_filter;

    int fd = 0;
    if (!use_stdin) {
        if (spec.path.empty()) return make_error("no trace file given");
        fd = ::open(spec.path.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0) return make_error(input.name + ": cannot open: " + std::strerror(errno));
    }
    const bool owns_fd = !use_stdin;
    auto close_fd = [&] {
        if (owns_fd) ::close(fd);
    };

    struct stat st {};
    if (::fstat(fd, &st) != 0) {
        std::string why = std::strerror(errno);
        close_fd();
        return make_error(input.name + ": cannot stat: " + why);
    }
    if (S_ISDIR(st.st_mode)) {
        close_fd();
        return make_error(input.name + ": is a directory, not a trace file");
    }
    const bool regular = S_ISREG(st.st_mode);
    if (regular) {
        input.total_bytes = static_cast<uint64_t>(st.st_size);
        ::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
    }

    uint8_t prefix[kSniffBytes] = {};
    size_t prefix_size = 0;
    if (regular && options.map_files && st.st_size > 0) {
        // Whole-file mapping for plain traces; gzip still streams through zlib.
        auto size = static_cast<size_t>(st.st_size);
        void* addr = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
        if (addr != MAP_FAILED) {
            const auto* bytes = static_cast<const uint8_t*>(addr);
            if (!is_gzip(bytes, size)) {
                ::madvise(addr, size, MADV_SEQUENTIAL);
                close_fd();
                input.backing = std::make_unique<FileMapping>(addr, size);
                input.buffer = std::make_unique<ChunkBuffer>(bytes, size);
                return open_format(std::move(input));
            }
            ::munmap(addr, size);
        }
    }

    Result<size_t> got = read_prefix(fd, prefix, input.name, spec.keep_waiting);
    if (!got.ok()) {
        close_fd();
        return Error{got.error()};
    }
    prefix_size = *got;
    std::unique_ptr<ByteInput> raw =
        std::make_unique<FdInput>(fd, owns_fd, std::span<const uint8_t>(prefix, prefix_size));
    if (is_gzip(prefix, prefix_size)) {
        input.gzip = true;
        raw = std::make_unique<GzipInput>(std::move(raw));
    }
    input.buffer = std::make_unique<ChunkBuffer>(std::move(raw), options.chunk_size);
    return open_format(std::move(input));
}

Result<std::unique_ptr<CaptureSource>> open_memory_source(std::span<const uint8_t> data,
                                                          const SourceSpec& spec,
                                                          const ReaderOptions& options) {
    TraceInput input;
    input.name = spec.path.empty() ? "<memory>" : spec.path;
    input.filter_expression = spec.bpf_filter;
    input.total_bytes = data.size();
    if (is_gzip(data.data(), data.size())) {
        input.gzip = true;
        auto gz = std::make_unique<GzipInput>(std::make_unique<MemoryInput>(data),
                                              options.stream_memory ? 64 : 256 * 1024);
        input.buffer = std::make_unique<ChunkBuffer>(std::move(gz), options.chunk_size);
    } else if (options.stream_memory) {
        input.buffer =
            std::make_unique<ChunkBuffer>(std::make_unique<MemoryInput>(data), options.chunk_size);
    } else {
        input.buffer = std::make_unique<ChunkBuffer>(data.data(), data.size());
    }
    return open_format(std::move(input));
}

}  // namespace tstat::capture::pcap_file
