#include "output/pcap_dump/dump_writer.h"

#include <zlib.h>

#include <cerrno>
#include <cstring>
#include <ctime>

namespace tstat::output::pcap_dump {

namespace {
constexpr size_t kBatchItems = 4096;
constexpr size_t kBatchBytes = 512 * 1024;
constexpr size_t kLargestPacket = 256 * 1024;  // a record bigger than this grows a batch
constexpr size_t kMaxQueued = 8;

constexpr size_t kRecordHeader = 16;
constexpr size_t kEthernetHeader = 14;

void put32(uint8_t* p, uint32_t v) { std::memcpy(p, &v, 4); }  // host order, as Tstat
void put16(uint8_t* p, uint16_t v) { std::memcpy(p, &v, 2); }

// struct pcap_file_header as Tstat fills it (host byte order, microsecond magic).
std::array<uint8_t, 24> file_header() {
    std::array<uint8_t, 24> h{};
    put32(h.data(), 0xa1b2c3d4u);
    put16(h.data() + 4, 2);
    put16(h.data() + 6, 4);
    put32(h.data() + 8, 0);         // thiszone
    put32(h.data() + 12, 0);        // sigfigs
    put32(h.data() + 16, 1000000);  // snaplen: Tstat's fake value
    put32(h.data() + 20, 1);        // DLT_EN10MB
    return h;
}

std::string ctime_of(Timestamp t) {
    const time_t secs = static_cast<time_t>(t.sec());
    char buf[64];
    if (ctime_r(&secs, buf) == nullptr) return "?\n";
    return buf;
}
}  // namespace

DumpWriter::DumpWriter() : ring_(kMaxQueued) {
    auto make = [] {
        Batch b;
        b.items.reserve(kBatchItems);
        b.bytes.reserve(kBatchBytes + kLargestPacket);
        return b;
    };
    pending_ = make();
    for (size_t i = 0; i < kMaxQueued + 2; ++i) free_.push_back(make());
    record_.reserve(kRecordHeader + kEthernetHeader + kLargestPacket);
    thread_ = std::thread([this] { run(); });
}

DumpWriter::~DumpWriter() { close(); }

void DumpWriter::hand_over() {
    if (pending_.items.empty()) return;
    std::unique_lock lock(mu_);
    cv_room_.wait(lock, [&] { return ring_count_ < kMaxQueued; });
    ring_[(ring_head_ + ring_count_) % kMaxQueued] = std::move(pending_);
    ++ring_count_;
    // free_ never runs dry: at most kMaxQueued + 2 batches exist besides the ring's.
    pending_ = std::move(free_.back());
    free_.pop_back();
    cv_work_.notify_one();
}

void DumpWriter::push(Item&& item, const uint8_t* bytes, size_t n) {
    if (n > 0 && pending_.bytes.size() + n > kBatchBytes + kLargestPacket) hand_over();
    if (auto* p = std::get_if<Packet>(&item)) {
        p->offset = static_cast<uint32_t>(pending_.bytes.size());
        pending_.bytes.insert(pending_.bytes.end(), bytes, bytes + n);
    }
    pending_.items.push_back(std::move(item));
    if (pending_.items.size() >= kBatchItems || pending_.bytes.size() >= kBatchBytes) hand_over();
}

void DumpWriter::begin(const std::string& dir, const DumpConfig& config, bool gzip) {
    push(Begin{dir, config, gzip});
    hand_over();
}

void DumpWriter::end() {
    push(End{});
    hand_over();
}

void DumpWriter::write(const DumpPacket& p, const uint8_t* bytes) {
    const uint32_t n = p.ip_caplen > p.flow_caplen ? p.ip_caplen : p.flow_caplen;
    push(Packet{p, 0}, bytes, n);
}

void DumpWriter::sync() {
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

void DumpWriter::close() {
    if (closed_) return;
    push(End{});
    hand_over();
    {
        std::lock_guard lock(mu_);
        stopping_ = true;
        cv_work_.notify_one();
    }
    thread_.join();
    closed_ = true;
}

std::vector<std::string> DumpWriter::take_errors() {
    std::lock_guard lock(mu_);
    std::vector<std::string> out;
    out.swap(errors_);
    return out;
}

uint64_t DumpWriter::packets_written() {
    std::lock_guard lock(mu_);
    return packets_;
}

void DumpWriter::error(std::string message) {
    std::lock_guard lock(mu_);
    errors_.push_back(std::move(message));
}

void DumpWriter::run() {
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
        for (const Item& item : batch.items) handle(batch, item);
        batch.items.clear();  // capacities stay
        batch.bytes.clear();
        std::lock_guard lock(mu_);
        free_.push_back(std::move(batch));
    }
    finish_folder();
}

void DumpWriter::handle(const Batch& b, const Item& item) {
    if (const auto* p = std::get_if<Packet>(&item)) {
        if (!folder_open_) return;
        const uint8_t* bytes = b.bytes.data() + p->offset;
        uint64_t targets = p->p.targets;
        uint64_t written = 0;
        while (targets != 0) {
            const int t = __builtin_ctzll(targets);
            targets &= targets - 1;
            write_packet(t, p->p, bytes);
            ++written;
        }
        std::lock_guard lock(mu_);
        packets_ += written;
    } else if (const auto* bg = std::get_if<Begin>(&item)) {
        finish_folder();
        dir_ = bg->dir;
        config_ = bg->config;
        gzip_ = bg->gzip;
        folder_open_ = true;
        any_dumped_ = false;
        for (File& f : files_) f = File{};
        // Tstat creates log.txt with the folder; its text is written when the folder closes.
        if (std::FILE* log = std::fopen((dir_ + "/log.txt").c_str(), "w"))
            std::fclose(log);
        else
            error("dump engine: cannot create " + dir_ + "/log.txt: " + std::strerror(errno));
    } else if (std::holds_alternative<End>(item)) {
        finish_folder();
    } else {
        for (File& f : files_) {
            if (f.plain != nullptr) std::fflush(f.plain);
            if (f.gz != nullptr) gzflush(static_cast<gzFile>(f.gz), Z_SYNC_FLUSH);
        }
        std::lock_guard lock(mu_);
        ++syncs_done_;
        cv_synced_.notify_all();
    }
}

bool DumpWriter::open_file(int t, File& f) {
    // <name>.pcap, or with slicing <name>NN.pcap (%02d below 100, then %d); -P adds ".gz".
    std::string name = dir_ + "/" + std::string(target_name(t));
    if (config_.slice_win != 0) {
        char seq[16];
        std::snprintf(seq, sizeof seq, f.seq < 100 ? "%02d" : "%d", f.seq);
        name += seq;
    }
    name += gzip_ ? ".pcap.gz" : ".pcap";
    const auto header = file_header();
    if (gzip_) {
        gzFile gz = gzopen(name.c_str(), "w");
        if (gz == nullptr) {
            error("dump engine: unable to create '" + name + "'");
            return false;
        }
        gzwrite(gz, header.data(), static_cast<unsigned>(header.size()));
        f.gz = gz;
    } else {
        std::FILE* fp = std::fopen(name.c_str(), "w");
        if (fp == nullptr) {
            error("dump engine: unable to create '" + name + "': " + std::strerror(errno));
            return false;
        }
        std::setvbuf(fp, nullptr, _IOFBF, 256 * 1024);
        std::fwrite(header.data(), 1, header.size(), fp);
        f.plain = fp;
    }
    return true;
}

void DumpWriter::close_file(File& f) {
    if (f.plain != nullptr) {
        if (std::fclose(f.plain) != 0) error("dump engine: error writing a file of " + dir_);
        f.plain = nullptr;
    }
    if (f.gz != nullptr) {
        gzclose(static_cast<gzFile>(f.gz));
        f.gz = nullptr;
    }
}

void DumpWriter::write_packet(int t, const DumpPacket& p, const uint8_t* bytes) {
    File& f = files_[static_cast<size_t>(t)];
    if (!f.open) {
        f.open = true;
        f.win_start = p.ts;
        if (!open_file(t, f)) return;
    } else if (config_.slice_win > 0) {
        // A new file once slice_win seconds of trace time have passed since the window
        // started; the window start moves by whole slices (empty slices make no file).
        const double diff = static_cast<double>(elapsed_us(f.win_start, p.ts)) / 1000000.0;
        if (diff >= static_cast<double>(config_.slice_win)) {
            close_file(f);
            ++f.seq;
            const int64_t slices = static_cast<int64_t>(diff) / config_.slice_win;
            f.win_start.us += slices * config_.slice_win * 1000000;
            if (!open_file(t, f)) return;
        }
    }
    if (f.plain == nullptr && f.gz == nullptr) return;  // could not be created

    const uint32_t cap = t == target::kIpComplete ? p.ip_caplen : p.flow_caplen;
    record_.resize(kRecordHeader + kEthernetHeader + cap);
    uint8_t* r = record_.data();
    put32(r, static_cast<uint32_t>(p.ts.sec()));
    put32(r + 4, static_cast<uint32_t>(p.ts.usec()));
    put32(r + 8, cap + static_cast<uint32_t>(kEthernetHeader));
    put32(r + 12, p.wire_len);
    // The fake Ethernet header: zero MAC addresses and the IP version's ethertype.
    uint8_t* eth = r + kRecordHeader;
    std::memset(eth, 0, kEthernetHeader);
    const bool v6 = cap > 0 && (bytes[0] >> 4) == 6;
    eth[12] = v6 ? 0x86 : 0x08;
    eth[13] = v6 ? 0xdd : 0x00;
    std::memcpy(eth + kEthernetHeader, bytes, cap);
    if (f.gz != nullptr)
        gzwrite(static_cast<gzFile>(f.gz), r, static_cast<unsigned>(record_.size()));
    else
        std::fwrite(r, 1, record_.size(), f.plain);

    last_dump_ = p.ts;
    if (!any_dumped_) first_dump_ = p.ts;
    any_dumped_ = true;
}

void DumpWriter::finish_folder() {
    if (!folder_open_) return;
    folder_open_ = false;
    for (File& f : files_) close_file(f);
    std::string text;
    if (!any_dumped_) {
        text += "no packets to dump\n";
    } else {
        text += "dump start: " + ctime_of(first_dump_);
        text += "dump stop:  " + ctime_of(last_dump_);
    }
    text += "---\nenabled protocols:\n---\n";
    for (int t = 0; t < target::kCount; ++t)
        if (config_.enabled[static_cast<size_t>(t)] && !target_name(t).empty())
            text += std::string(target_name(t)) + "\n";
    text += "---\nadditional option:\n---\n";
    char line[128];
    auto option = [&](const char* key, int64_t v) {
        if (v == 0) return;
        std::snprintf(line, sizeof line, "%s = %lld\n", key, static_cast<long long>(v));
        text += line;
    };
    option("udp_maxpackets", config_.udp_maxpackets);
    option("udp_maxbytes", config_.udp_maxbytes);
    option("tcp_maxpackets", config_.tcp_maxpackets);
    option("tcp_maxbytes", config_.tcp_maxbytes);
    if (config_.stop_dumping_mask != 0) {
        std::snprintf(line, sizeof line, "stop_dumping_mask =  %d # (0x%X)\n",
                      static_cast<int>(config_.stop_dumping_mask), config_.stop_dumping_mask);
        text += line;
    }
    const std::string path = dir_ + "/log.txt";
    std::FILE* log = std::fopen(path.c_str(), "w");
    if (log == nullptr) {
        error("dump engine: cannot write " + path + ": " + std::strerror(errno));
        return;
    }
    std::fwrite(text.data(), 1, text.size(), log);
    if (std::fclose(log) != 0) error("dump engine: cannot write " + path);
}

}  // namespace tstat::output::pcap_dump
