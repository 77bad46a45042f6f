#include "output/pcap_dump/dump_engine.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace tstat::output::pcap_dump {

namespace {
// enum udp_type values the UDP dumps test (spec §9.6).
constexpr uint8_t kUnknown = 0, kFirstRtp = 1, kFirstRtcp = 2, kBt = 12, kUtp = 20, kUtpBt = 21,
                  kQuic = 27, kFirstRtpPlus = 28, kSye = 31;

bool not_yet_classified(uint8_t t) {
    return t == kUnknown || t == kFirstRtpPlus || t == kFirstRtp || t == kFirstRtcp;
}

constexpr size_t kLargestCopy = 256 * 1024;
}  // namespace

bool is_stun_binding_request(const decode::DecodedPacket& pkt) noexcept {
    if (pkt.ip == nullptr || pkt.l4 == nullptr) return false;
    // Tstat measures the payload to its plast: the capture cut at the IP length (+1).
    const int64_t header = pkt.l4 - pkt.ip;
    const int64_t data_length = int64_t{pkt.tstat_ip_caplen} - header - 8;
    if (data_length < 20) return false;
    if (header + 8 + 4 > int64_t{pkt.ip_caplen}) return false;
    const uint8_t* d = pkt.l4 + 8;
    if ((uint32_t{d[0]} << 8 | d[1]) != 0x0001) return false;
    const uint32_t length = uint32_t{d[2]} << 8 | d[3];
    return int64_t{length} + 20 == data_length;
}

DumpEngine::DumpEngine() { copy_.reserve(kLargestCopy); }

DumpEngine::~DumpEngine() { close(); }

bool DumpEngine::dns_filter_on() const {
    // Tstat: loading -F turns the filter on; the dns_filter key, when present, switches it.
    return filter_.has_value() && (!config_.dns_filter_key || config_.dns_filter);
}

Status DumpEngine::configure(const DumpConfig& config, bool open_folder) {
    // An unchanged section keeps writing where it was (Tstat reopened, and so emptied, the
    // files at every read of runtime.conf).
    if (config == config_ && (folder_open_ || !open_folder)) return {};
    if (folder_open_) {
        writer_->end();
        folder_open_ = false;
    }
    config_ = config;
    if (open_folder && config_.active() && !time_dir_.empty()) return start_folder();
    return {};
}

Status DumpEngine::open_time_dir(const std::string& time_dir) {
    if (folder_open_) {
        writer_->end();
        folder_open_ = false;
    }
    if (time_dir != time_dir_) dir_counter_ = 0;
    time_dir_ = time_dir;
    if (config_.active()) return start_folder();
    return {};
}

Status DumpEngine::start_folder() {
    char name[32];
    std::snprintf(name, sizeof name, "/traces%02d", dir_counter_);
    const std::string dir = time_dir_ + name;
    if (::mkdir(dir.c_str(), 0777) != 0)
        return make_error("dump engine: error creating '" + dir + "': " + std::strerror(errno));
    ++dir_counter_;
    if (!writer_) writer_ = std::make_unique<DumpWriter>();
    writer_->begin(dir, config_, gzip_);
    folder_open_ = true;
    return {};
}

void DumpEngine::close_dir() {
    if (!folder_open_) return;
    writer_->end();
    folder_open_ = false;
}

void DumpEngine::sync() {
    if (writer_) writer_->sync();
}

void DumpEngine::close() {
    close_dir();
    if (writer_) writer_->close();
    time_dir_.clear();
}

std::vector<std::string> DumpEngine::take_errors() {
    return writer_ ? writer_->take_errors() : std::vector<std::string>{};
}

uint64_t DumpEngine::packets_written() { return writer_ ? writer_->packets_written() : 0; }

void DumpEngine::reserve_slots(uint32_t tcp_slots, uint32_t udp_slots) {
    if (tcp_flags_.size() < tcp_slots) tcp_flags_.resize(tcp_slots, 0);
    if (udp_flags_.size() < udp_slots) udp_flags_.resize(udp_slots, 0);
}

uint8_t& DumpEngine::flow_flags(std::vector<uint8_t>& table, uint32_t slot) noexcept {
    // Slots are dense and reused: the table only grows while the flow tables do.
    if (slot >= table.size()) table.resize(slot < 1024 ? 2048 : size_t{slot} * 2, 0);
    return table[slot];
}

void DumpEngine::begin_packet(const decode::DecodedPacket& pkt, uint32_t xor_src,
                              uint32_t xor_dst) noexcept {
    targets_ = 0;
    pkt_ = folder_open_ ? &pkt : nullptr;
    xor_src_ = xor_src;
    xor_dst_ = xor_dst;
    if (pkt_ != nullptr && enabled(target::kIpComplete)) mark(target::kIpComplete);
}

void DumpEngine::tcp_opened(const flow::tcp::TcpFlow& f, std::string_view dns_name,
                            bool dn_hunter) noexcept {
    if (f.slot == flow::kNil) return;
    const bool stop = dn_hunter && dns_filter_on() && !filter_->dump(dns_name);
    flow_flags(tcp_flags_, f.slot) = stop ? 1 : 0;
}

void DumpEngine::tcp_packet(const flow::tcp::TcpFlow& f, flow::Dir dir,
                            const TcpDumpClass& c) noexcept {
    if (pkt_ == nullptr || f.slot == flow::kNil) return;
    if (enabled(target::kTcpComplete)) {
        uint8_t& flags = flow_flags(tcp_flags_, f.slot);
        // Unknown flows are always dumped; a class in stop_dumping_mask stops the flow's dump.
        if (!(flags & 1) && c.con_type != 0 && (c.con_type & config_.stop_dumping_mask) != 0)
            flags |= 1;
        if (!(flags & 1)) {
            const int64_t max_bytes = config_.tcp_maxbytes, max_pkts = config_.tcp_maxpackets;
            if (max_bytes == 0 && max_pkts == 0) {
                mark(target::kTcpComplete);
            } else {
                // Data segments while under the limits, the ACKs of the data kept, SYNs, FINs.
                const flow::tcp::TcpDirection& me = f.dir(dir);
                const flow::tcp::TcpDirection& other =
                    f.dir(dir == flow::Dir::kC2S ? flow::Dir::kS2C : flow::Dir::kC2S);
                const int32_t len = pkt_->payload_len;
                bool keep = false;
                if (len > 0) {
                    const uint32_t start = me.seq - me.syn - static_cast<uint32_t>(len);
                    keep = (max_bytes > 0 && int64_t{start} <= max_bytes) ||
                           (max_pkts > 0 && int64_t{me.data_pkts} <= max_pkts);
                } else if (len == 0) {
                    keep = other.seq <= me.ack &&
                           ((max_bytes > 0 && int64_t{other.seq - other.syn} <= max_bytes) ||
                            (max_pkts > 0 && int64_t{other.data_pkts} <= max_pkts) ||
                            (other.fin_count >= 1 && me.ack >= other.fin_seqno + 1));
                }
                if (keep || pkt_->tcp.syn() || pkt_->tcp.fin()) mark(target::kTcpComplete);
            }
        }
    }
    // Only once the streaming DPI has recognised the flow: its first packets are missing.
    if (enabled(target::kTcpVideostreaming) && c.video) mark(target::kTcpVideostreaming);
}

void DumpEngine::udp_opened(const flow::udp::UdpFlow& f) noexcept {
    if (f.slot != flow::kNil && !udp_flags_.empty() && f.slot < udp_flags_.size())
        udp_flags_[f.slot] = 0;
}

void DumpEngine::udp_packet(const flow::udp::UdpFlow& f, flow::Dir dir,
                            const UdpDumpClass& c) noexcept {
    if (pkt_ == nullptr) return;
    const uint8_t t = c.log_type;
    // The behavioural classes also take the datagrams of flows still being recognised.
    if (enabled(target::kUdpUtp) &&
        (t == kUtp || t == kUtpBt || ((not_yet_classified(t) || t == kBt) && c.utp_pending)))
        mark(target::kUdpUtp);
    if (enabled(target::kUdpStun) && f.slot != flow::kNil) {
        uint8_t& flags = flow_flags(udp_flags_, f.slot);
        if (f.packets() == 1 && is_stun_binding_request(*pkt_)) flags |= 1;
        if (flags & 1) mark(target::kUdpStun);
    }
    if (enabled(target::kUdpQuic) && (t == kQuic || (not_yet_classified(t) && c.quic_pending)))
        mark(target::kUdpQuic);
    if (enabled(target::kUdpSye) && (t == kSye || (not_yet_classified(t) && c.sye_pending)))
        mark(target::kUdpSye);
    // Tstat reaches the per-class dump only when none of the four switches above is on
    // (spec §17.14); here it always runs.
    if (t < target::kIpComplete && enabled(t)) mark(t);

    if (enabled(target::kUdpComplete)) {
        const int64_t max_bytes = config_.udp_maxbytes, max_pkts = config_.udp_maxpackets;
        if (max_bytes == 0 && max_pkts == 0) {
            mark(target::kUdpComplete);
        } else {
            const flow::udp::UdpDirection& me = f.dir(dir);
            if (me.data_bytes <= static_cast<uint64_t>(max_bytes) ||
                uint64_t{me.packets} <= static_cast<uint64_t>(max_pkts))
                mark(target::kUdpComplete);
        }
    }
}

void DumpEngine::end_packet() noexcept {
    const decode::DecodedPacket* pkt = pkt_;
    pkt_ = nullptr;
    if (pkt == nullptr || targets_ == 0 || pkt->ip == nullptr) return;
    DumpPacket p;
    p.ts = pkt->ts;
    p.targets = targets_;
    p.wire_len = 14 + pkt->ip_total_len;
    // ip_complete takes the frame to its end (Ethernet padding included); the flow dumps stop
    // at Tstat's plast, one byte after the IP length when the frame is longer.
    uint32_t full = pkt->ip_caplen;
    uint32_t flow =
        pkt->tstat_ip_caplen != 0 && pkt->tstat_ip_caplen < full ? pkt->tstat_ip_caplen : full;
    if (config_.snap_len > 0) {
        const auto snap = static_cast<uint32_t>(config_.snap_len);
        if (full > snap) full = snap;
        if (flow > snap) flow = snap;
    }
    p.ip_caplen = full;
    p.flow_caplen = flow;
    const uint32_t n = full > flow ? full : flow;
    const uint8_t* bytes = pkt->ip;
    if ((xor_src_ | xor_dst_) != 0 && pkt->ip_version == 4) {
        // -A changed the addresses "in the packet": the copy shows them changed.
        copy_.assign(pkt->ip, pkt->ip + n);
        for (uint32_t i = 0; i < 4; ++i) {
            const auto shift = 24 - 8 * i;
            if (12 + i < n) copy_[12 + i] ^= static_cast<uint8_t>(xor_src_ >> shift);
            if (16 + i < n) copy_[16 + i] ^= static_cast<uint8_t>(xor_dst_ >> shift);
        }
        bytes = copy_.data();
    }
    writer_->write(p, bytes);
}

}  // namespace tstat::output::pcap_dump
