#include "output/log_writer.h"

#include "output/logs/classified_logs.h"
#include "output/logs/tcp_log.h"
#include "output/logs/udp_log.h"

namespace tstat::output {

namespace {
constexpr size_t kBatch = 256;        // records per hand-over
constexpr size_t kMaxQueued = 16;     // batches in flight before the worker waits
}  // namespace

LogWriter::LogWriter() : ring_(kMaxQueued) {
    // Every batch that can ever be in circulation is made now: the worker never allocates one.
    pending_.reserve(kBatch);
    free_.resize(kMaxQueued + 2);
    for (auto& b : free_) b.reserve(kBatch);
    thread_ = std::thread([this] { run(); });
}

std::vector<LogWriter::Message> LogWriter::take_free_batch() {
    // Called with mu_ held.
    if (!free_.empty()) {
        std::vector<Message> b = std::move(free_.back());
        free_.pop_back();
        return b;
    }
    std::vector<Message> b;
    b.reserve(kBatch);
    return b;
}

LogWriter::~LogWriter() { close(); }

void LogWriter::hand_over() {
    if (pending_.empty()) return;
    std::unique_lock lock(mu_);
    cv_room_.wait(lock, [&] { return ring_count_ < kMaxQueued; });
    ring_[(ring_head_ + ring_count_) % kMaxQueued] = std::move(pending_);
    ++ring_count_;
    pending_ = take_free_batch();
    cv_work_.notify_one();
}

void LogWriter::open_dir(const std::string& dir, const LogOptions& options) {
    pending_.emplace_back(OpenDir{dir, options});
    hand_over();
}

void LogWriter::write(TcpRecord&& r) {
    pending_.emplace_back(std::move(r));
    if (pending_.size() >= kBatch) hand_over();
}

void LogWriter::write(UdpRecord&& r) {
    pending_.emplace_back(std::move(r));
    if (pending_.size() >= kBatch) hand_over();
}

void LogWriter::sync() {
    if (closed_) return;
    pending_.emplace_back(Sync{});
    uint64_t target;
    {
        std::lock_guard lock(mu_);
        target = ++syncs_requested_;
    }
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
        std::vector<Message> batch;
        {
            std::unique_lock lock(mu_);
            cv_work_.wait(lock, [&] { return ring_count_ > 0 || stopping_; });
            if (ring_count_ == 0 && stopping_) break;
            batch = std::move(ring_[ring_head_]);
            ring_head_ = (ring_head_ + 1) % kMaxQueued;
            --ring_count_;
            cv_room_.notify_one();
        }
        for (Message& m : batch) handle(m);
        batch.clear();  // keeps its capacity
        std::lock_guard lock(mu_);
        if (free_.size() < kMaxQueued + 2) free_.push_back(std::move(batch));
    }
    close_files();
}

void LogWriter::handle(Message& m) {
    if (auto* t = std::get_if<TcpRecord>(&m)) {
        LogFile& f = t->complete ? tcp_complete_ : tcp_nocomplete_;
        if (!f.is_open()) return;
        line_.clear();
        format_tcp_row(*t, options_.tcp_level, line_);
        line_.newline();
        f.write_line(line_.view());
        std::lock_guard lock(mu_);
        ++(t->complete ? stats_.tcp_complete : stats_.tcp_nocomplete);
    } else if (auto* u = std::get_if<UdpRecord>(&m)) {
        if (!udp_complete_.is_open()) return;
        line_.clear();
        format_udp_row(*u, line_);
        line_.newline();
        udp_complete_.write_line(line_.view());
        std::lock_guard lock(mu_);
        ++stats_.udp;
    } else if (auto* d = std::get_if<OpenDir>(&m)) {
        close_files();
        open_files(*d);
    } else {
        for (LogFile* f : all_files_) f->flush();
        std::lock_guard lock(mu_);
        for (LogFile* f : all_files_)
            if (f->failed()) errors_.push_back(f->failure());
        ++syncs_done_;
        cv_synced_.notify_all();
    }
}

void LogWriter::open_files(const OpenDir& d) {
    options_ = d.options;
    auto open = [&](LogFile& f, const char* name, const std::string& header) {
        if (Status s = f.open(d.dir + "/" + name, options_.gzip); !s) {
            std::lock_guard lock(mu_);
            errors_.push_back(s.error());
            return;
        }
        f.write_line(header + "\n");
        all_files_.push_back(&f);
    };
    auto open_extra = [&](const char* name, const std::string& header) {
        header_only_.push_back(std::make_unique<LogFile>());
        open(*header_only_.back(), name, header);
    };
    if (options_.enabled(log_bit::kTcpComplete))
        open(tcp_complete_, "log_tcp_complete", tcp_log_header(options_.tcp_level, true));
    if (options_.enabled(log_bit::kTcpNocomplete))
        open(tcp_nocomplete_, "log_tcp_nocomplete", tcp_log_header(options_.tcp_level, false));
    if (options_.enabled(log_bit::kUdpComplete))
        open(udp_complete_, "log_udp_complete", udp_log_header());
    if (options_.enabled(log_bit::kMmComplete)) open_extra("log_mm_complete", mm_log_header());
    if (options_.enabled(log_bit::kChatComplete))
        open_extra("log_chat_complete", chat_complete_header());
    if (options_.enabled(log_bit::kChatMessages))
        open_extra("log_chat_messages", chat_messages_header());
    if (options_.enabled(log_bit::kVideoComplete))
        open_extra("log_video_complete", video_log_header(options_.video_level));
}

void LogWriter::close_files() {
    for (LogFile* f : all_files_) {
        f->close();
        if (f->failed()) {
            std::lock_guard lock(mu_);
            errors_.push_back(f->failure());
        }
    }
    all_files_.clear();
    header_only_.clear();
}

}  // namespace tstat::output
