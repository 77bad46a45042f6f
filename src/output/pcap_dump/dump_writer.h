// The dump engine's disk side (spec §12): a thread of its own receives the packets the worker
// selected, in batches made up front (as the log writer does), and writes them to the pcap
// files of the current tracesNN folder — opened at their first packet, rotated every
// slice_win seconds of trace time, gzip-compressed with -P — then log.txt when the folder
// closes. The worker never waits on a disk: only when every batch is in flight.
#pragma once

#include <array>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <mutex>
#include <string>
#include <thread>
#include <variant>
#include <vector>

#include "common/timestamp.h"
#include "output/pcap_dump/dump_config.h"

namespace tstat::output::pcap_dump {

// One packet handed to the writer: the bytes from the IP header on, already cut to snap_len
// and with -A applied.
struct DumpPacket {
    Timestamp ts;
    uint64_t targets = 0;      // bit t: write to target t
    uint32_t wire_len = 0;     // pcap "len": 14 + the IP packet's length from its header
    uint32_t ip_caplen = 0;    // bytes for ip_complete (to the end of the frame)
    uint32_t flow_caplen = 0;  // bytes for the flow dumps (Tstat's plast, cut at the IP length)
};

class DumpWriter {
  public:
    DumpWriter();
    ~DumpWriter();
    DumpWriter(const DumpWriter&) = delete;
    DumpWriter& operator=(const DumpWriter&) = delete;

    // All calls from one producer thread.

    // Starts writing into `dir` (an existing, empty tracesNN folder) with `config`; a folder
    // still open is closed first.
    void begin(const std::string& dir, const DumpConfig& config, bool gzip);
    // Closes the files of the current folder and writes its log.txt.
    void end();
    // `bytes` holds max(ip_caplen, flow_caplen) bytes.
    void write(const DumpPacket& p, const uint8_t* bytes);
    // Waits until everything handed over so far is written (files stay open).
    void sync();
    // Ends the current folder and the thread. Idempotent.
    void close();

    // Problems met (a file that cannot be created or written): one line each.
    std::vector<std::string> take_errors();
    uint64_t packets_written();

  private:
    struct Begin {
        std::string dir;
        DumpConfig config;
        bool gzip = false;
    };
    struct End {};
    struct Sync {};
    struct Packet {
        DumpPacket p;
        uint32_t offset = 0;  // into Batch::bytes
    };
    using Item = std::variant<Packet, Begin, End, Sync>;
    struct Batch {
        std::vector<Item> items;
        std::vector<uint8_t> bytes;
    };

    // Writer-thread side: one output file per target.
    struct File {
        std::FILE* plain = nullptr;
        void* gz = nullptr;  // gzFile
        Timestamp win_start;
        bool open = false;
        int seq = 0;
    };

    void push(Item&& item, const uint8_t* bytes = nullptr, size_t n = 0);
    void hand_over();
    void run();
    void handle(const Batch& b, const Item& item);
    void write_packet(int target, const DumpPacket& p, const uint8_t* bytes);
    bool open_file(int target, File& f);
    void close_file(File& f);
    void finish_folder();
    void error(std::string message);

    // Producer side
    Batch pending_;

    // Shared
    std::mutex mu_;
    std::condition_variable cv_work_;
    std::condition_variable cv_room_;
    std::condition_variable cv_synced_;
    std::vector<Batch> ring_;
    size_t ring_head_ = 0;
    size_t ring_count_ = 0;
    std::vector<Batch> free_;
    uint64_t syncs_requested_ = 0;
    uint64_t syncs_done_ = 0;
    bool stopping_ = false;
    std::vector<std::string> errors_;
    uint64_t packets_ = 0;

    // Writer-thread side
    std::string dir_;
    DumpConfig config_;
    bool gzip_ = false;
    bool folder_open_ = false;
    std::array<File, target::kCount> files_{};
    bool any_dumped_ = false;
    Timestamp first_dump_;
    Timestamp last_dump_;
    std::vector<uint8_t> record_;  // one record (header + fake Ethernet + bytes)

    std::thread thread_;
    bool closed_ = false;
};

}  // namespace tstat::output::pcap_dump
