// The writer thread: takes closed-flow records from the worker (in batches, so the packet
// path never waits on a disk or on number formatting), formats them with the column tables
// and appends them to the log files of the current time folder.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <variant>
#include <vector>

#include "output/log_file.h"
#include "output/line_buffer.h"
#include "output/log_options.h"
#include "output/records.h"

namespace tstat::output {

struct WriterStats {
    uint64_t tcp_complete = 0;
    uint64_t tcp_nocomplete = 0;
    uint64_t udp = 0;
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
    void write(TcpRecord&& r);
    void write(UdpRecord&& r);
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
    using Message = std::variant<TcpRecord, UdpRecord, OpenDir, Sync>;

    void hand_over();
    std::vector<Message> take_free_batch();
    void run();
    void handle(Message& m);
    void open_files(const OpenDir& d);
    void close_files();

    // Producer side
    std::vector<Message> pending_;

    // Shared
    std::mutex mu_;
    std::condition_variable cv_work_;
    std::condition_variable cv_room_;
    std::condition_variable cv_synced_;
    // Batches in flight, and emptied batches the writer hands back for reuse: after warm-up
    // no batch is allocated.
    std::vector<std::vector<Message>> ring_;   // fixed capacity: no allocation per batch
    size_t ring_head_ = 0;
    size_t ring_count_ = 0;
    std::vector<std::vector<Message>> free_;
    uint64_t syncs_requested_ = 0;
    uint64_t syncs_done_ = 0;
    bool stopping_ = false;
    std::vector<std::string> errors_;
    WriterStats stats_;

    // Writer thread side
    LogOptions options_;
    LogFile tcp_complete_, tcp_nocomplete_, udp_complete_;
    std::vector<LogFile*> all_files_;
    std::vector<std::unique_ptr<LogFile>> header_only_;
    LineBuffer line_;
    std::thread thread_;
    bool closed_ = false;
};

}  // namespace tstat::output
