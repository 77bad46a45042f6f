#include "output/log_writer.h"

#include "output/logs/tcp_log.h"
#include "output/anonymize/thread_anonymizer.h"
#include "output/logs/udp_log.h"
#include "output/logs/video_log.h"

namespace tstat::output {

namespace {
constexpr size_t kBatch = 256;            // records per hand-over
constexpr size_t kBatchText = 64 * 1024;  // bytes of text lines per hand-over
constexpr size_t kMaxQueued = 16;         // batches in flight before the worker waits
}  // namespace

LogWriter::LogWriter() : ring_(kMaxQueued) {
    // Every batch that can ever be in circulation is made now: the worker never allocates one.
    auto make = [] {
        Batch b;
        b.messages.reserve(kBatch);
        b.text.reserve(kBatchText + 4096);
        return b;
    };
    pending_ = make();
    for (size_t i = 0; i < kMaxQueued + 2; ++i) free_.push_back(make());
    thread_ = std::thread([this] { run(); });
}

LogWriter::~LogWriter() { close(); }

LogWriter::Batch LogWriter::take_free_batch() {
    // Called with mu_ held. free_ never runs dry: at most kMaxQueued + 2 batches are away.
    Batch b = std::move(free_.back());
    free_.pop_back();
    return b;
}

void LogWriter::hand_over() {
    if (pending_.messages.empty()) return;
    std::unique_lock lock(mu_);
    cv_room_.wait(lock, [&] { return ring_count_ < kMaxQueued; });
    ring_[(ring_head_ + ring_count_) % kMaxQueued] = std::move(pending_);
    ++ring_count_;
    pending_ = take_free_batch();
    cv_work_.notify_one();
}

void LogWriter::push(Message&& m) {
    pending_.messages.emplace_back(std::move(m));
    if (pending_.messages.size() >= kBatch || pending_.text.size() >= kBatchText) hand_over();
}

void LogWriter::open_dir(const std::string& dir, const LogOptions& options) {
    push(OpenDir{dir, options});
    hand_over();
}

void LogWriter::set_anonymizer(std::shared_ptr<const anonymize::Settings> settings) {
    push(Anonymize{std::move(settings)});
}

void LogWriter::write(TcpRecord&& r) { push(std::move(r)); }

void LogWriter::write(UdpRecord&& r) { push(std::move(r)); }

void LogWriter::write_line(LogId id, std::string_view line) {
    const auto offset = static_cast<uint32_t>(pending_.text.size());
    pending_.text.append(line);
    push(TextLine{id, offset, static_cast<uint32_t>(line.size())});
}

void LogWriter::sync() {
    if (closed_) return;
    uint64_t target;
    {
        std::lock_guard lock(mu_);
        target = ++syncs_requested_;
    }
    push(Sync{});
    hand_over();
    std::unique_lock lock(mu_);
    cv_synced_.wait(lock, [&] { return syncs_done_ >= target; });
}

void LogWriter::close() {
    if (closed_) return;
    hand_over();
    {
        std::lock_guard lock(mu_);
        stopping_ = true;
        cv_work_.notify_one();
    }
    thread_.join();
    closed_ = true;
}

std::vector<std::string> LogWriter::take_errors() {
    std::lock_guard lock(mu_);
    std::vector<std::string> out;
    out.swap(errors_);
    return out;
}

WriterStats LogWriter::stats() {
    std::lock_guard lock(mu_);
    return stats_;
}

void LogWriter::run() {
    for (;;) {
        Batch batch;
        {
            std::unique_lock lock(mu_);
            cv_work_.wait(lock, [&] { return ring_count_ > 0 || stopping_; });
            if (ring_count_ == 0 && stopping_) break;
            batch = std::move(ring_[ring_head_]);
            ring_head_ = (ring_head_ + 1) % kMaxQueued;
            --ring_count_;
            cv_room_.notify_one();
        }
        for (const Message& m : batch.messages) handle(batch, m);
        batch.messages.clear();  // keeps its capacity
        batch.text.clear();
        std::lock_guard lock(mu_);
        free_.push_back(std::move(batch));
    }
    close_files();
}

void LogWriter::emit(LogId id, std::string_view line) {
    LogFile& f = files_[static_cast<int>(id)];
    if (!f.is_open()) return;
    f.write_line(line);
    std::lock_guard lock(mu_);
    ++stats_.rows[static_cast<int>(id)];
}

void LogWriter::handle(const Batch& b, const Message& m) {
    if (const auto* t = std::get_if<TcpRecord>(&m)) {
        line_.clear();
        format_tcp_row(*t, options_.tcp_level, line_);
        line_.newline();
        emit(t->complete ? LogId::kTcpComplete : LogId::kTcpNocomplete, line_.view());
        if (t->video) {
            line_.clear();
            format_video_row(*t, options_.video_level, line_);
            line_.newline();
            emit(LogId::kVideoComplete, line_.view());
        }
    } else if (const auto* u = std::get_if<UdpRecord>(&m)) {
        line_.clear();
        format_udp_row(*u, line_);
        line_.newline();
        emit(LogId::kUdpComplete, line_.view());
    } else if (const auto* l = std::get_if<TextLine>(&m)) {
        line_.clear();
        line_.str(std::string_view(b.text).substr(l->offset, l->length));
        line_.newline();
        emit(l->id, line_.view());
    } else if (const auto* d = std::get_if<OpenDir>(&m)) {
        close_files();
        open_files(*d);
    } else if (const auto* a = std::get_if<Anonymize>(&m)) {
        anonymizer_ = a->settings ? std::make_unique<anonymize::Anonymizer>(*a->settings) : nullptr;
        anonymize::set_thread_anonymizer(anonymizer_.get());
    } else {
        for (LogFile& f : files_) f.flush();
        std::lock_guard lock(mu_);
        for (LogFile& f : files_)
            if (f.failed() && f.report_failure()) errors_.push_back(f.failure());
        ++syncs_done_;
        cv_synced_.notify_all();
    }
}

void LogWriter::open_files(const OpenDir& d) {
    options_ = d.options;
    for (int i = 0; i < kLogCount; ++i) {
        const LogId id = static_cast<LogId>(i);
        if (!log_enabled(id, options_)) continue;
        const LogInfo& info = log_info(id);
        LogFile& f = files_[i];
        if (Status s = f.open(d.dir + "/" + info.file, options_.gzip); !s) {
            std::lock_guard lock(mu_);
            errors_.push_back(s.error());
            continue;
        }
        const std::string header = info.header(options_);
        if (!header.empty()) f.write_line(header + "\n");
    }
}

void LogWriter::close_files() {
    for (LogFile& f : files_) {
        if (!f.is_open()) continue;
        f.close();
        if (f.failed() && f.report_failure()) {
            std::lock_guard lock(mu_);
            errors_.push_back(f.failure());
        }
    }
}

}  // namespace tstat::output
