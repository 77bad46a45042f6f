// The writer thread: takes closed-flow records and log lines from the worker (in batches, so
// the packet path never waits on a disk or on number formatting), formats the records with the
// column tables and appends everything to the log files of the current time folder.
#pragma once

#include <array>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <variant>
#include <vector>

#include "output/anonymize/anonymizer.h"
#include "output/line_buffer.h"
#include "output/log_catalog.h"
#include "output/log_file.h"
#include "output/log_options.h"
#include "output/records.h"

namespace tstat::output {

struct WriterStats {
    std::array<uint64_t, kLogCount> rows{};   // rows written per log (headers excluded)
    uint64_t rows_of(LogId id) const { return rows[static_cast<int>(id)]; }
};

class LogWriter {
public:
    LogWriter();
    ~LogWriter();
    LogWriter(const LogWriter&) = delete;
    LogWriter& operator=(const LogWriter&) = delete;

    // All calls below come from one producer thread (the worker).

    // Closes the current files and opens the enabled logs of `dir` (headers written).
    void open_dir(const std::string& dir, const LogOptions& options);
    // Rows handed over from now on print the addresses of -Y networks and (--enc) host names
    // anonymized with these settings (spec §13); nullptr: plain again.
    void set_anonymizer(std::shared_ptr<const anonymize::Settings> settings);
    // A closed TCP flow: a row of log_tcp_complete or log_tcp_nocomplete.
    void write(TcpRecord&& r);
    // A closed UDP flow: a row of log_udp_complete.
    void write(UdpRecord&& r);
    // A row already formatted by the worker (without the newline), for logs whose rows are
    // events rather than flows (HTTP requests, DNS messages, chat messages, periodic lines).
    void write_line(LogId id, std::string_view line);
    // Waits until everything handed over so far is on disk (flushed, files still open).
    void sync();
    // Flushes and closes every file; the thread ends. Idempotent.
    void close();

    // Problems met by the writer (cannot create a file, disk full): one line each.
    std::vector<std::string> take_errors();
    WriterStats stats();

private:
    struct OpenDir {
        std::string dir;
        LogOptions options;
    };
    struct Sync {};
    struct Anonymize {
        std::shared_ptr<const anonymize::Settings> settings;
    };
    struct TextLine {
        LogId id;
        uint32_t offset;   // into Batch::text
        uint32_t length;
    };
    using Message = std::variant<TcpRecord, UdpRecord, TextLine, OpenDir, Sync, Anonymize>;
    struct Batch {
        std::vector<Message> messages;
        std::string text;   // the bytes of the TextLines
    };

    void push(Message&& m);
    void hand_over();
    Batch take_free_batch();
    void run();
    void handle(const Batch& b, const Message& m);
    void emit(LogId id, std::string_view line);
    void open_files(const OpenDir& d);
    void close_files();

    // Producer side
    Batch pending_;

    // Shared
    std::mutex mu_;
    std::condition_variable cv_work_;
    std::condition_variable cv_room_;
    std::condition_variable cv_synced_;
    // Batches in flight (a fixed ring) and emptied batches the writer hands back for reuse:
    // every batch is made at start-up, so the worker never allocates one.
    std::vector<Batch> ring_;
    size_t ring_head_ = 0;
    size_t ring_count_ = 0;
    std::vector<Batch> free_;
    uint64_t syncs_requested_ = 0;
    uint64_t syncs_done_ = 0;
    bool stopping_ = false;
    std::vector<std::string> errors_;
    WriterStats stats_;

    // Writer thread side
    LogOptions options_;
    std::array<LogFile, kLogCount> files_;
    LineBuffer line_;
    std::unique_ptr<anonymize::Anonymizer> anonymizer_;   // the writer thread's own
    std::thread thread_;
    bool closed_ = false;
};

}  // namespace tstat::output
