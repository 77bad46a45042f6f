#include "capture/live_pcap/live_source.h"

#include <pcap/pcap.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <string>

#include "capture/link_type.h"

namespace tstat::capture::live_pcap {

namespace {

constexpr int kReadTimeoutMs = 1000;          // Tstat's pcap_open_live() timeout
constexpr int kKernelBufferBytes = 32 << 20;  // fewer drops than libpcap's 2 MiB
constexpr size_t kMinArenaBytes = size_t{4} << 20;

class LiveSource final : public CaptureSource {
  public:
    LiveSource(pcap_t* pcap, std::string device, std::string filter)
        : pcap_(pcap),
          device_(std::move(device)),
          filter_(std::move(filter)),
          pcap_fd_(pcap_get_selectable_fd(pcap)),
          wake_fd_(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) {
        int snap = pcap_snapshot(pcap_);
        snaplen_ = snap > 0 ? static_cast<size_t>(snap) : 262144;
        link_type_ = dlt_to_linktype(pcap_datalink(pcap_));
        // libpcap reuses its ring as soon as a callback returns, so packets are copied into
        // an arena that lives until the next batch.
        size_t want = snaplen_ * PacketBatch::kCapacity;
        size_t floor = kMinArenaBytes > snaplen_ ? kMinArenaBytes : snaplen_;
        arena_size_ = want < floor ? want : floor;
        arena_ = std::make_unique_for_overwrite<uint8_t[]>(arena_size_);
    }
    ~LiveSource() override {
        pcap_close(pcap_);
        if (wake_fd_ >= 0) ::close(wake_fd_);
    }
    LiveSource(const LiveSource&) = delete;
    LiveSource& operator=(const LiveSource&) = delete;

    ReadStatus next_batch(PacketBatch& batch) override {
        batch.count = 0;
        if (failed_) return ReadStatus::kError;
        size_t fit = arena_size_ / snaplen_;
        int max = static_cast<int>(fit < PacketBatch::kCapacity ? fit : PacketBatch::kCapacity);
        batch_ = &batch;
        arena_used_ = 0;
        const int cnt = max > 0 ? max : 1;
        int r = pcap_dispatch(pcap_, cnt, &LiveSource::on_packet, reinterpret_cast<u_char*>(this));
        if (r == 0 && batch.count == 0 && pcap_fd_ >= 0) {
            // libpcap's read timeout does not expire on an idle link (TPACKET_V3 only retires
            // blocks that hold packets), so wait here: for data, for interrupt(), or 1 s.
            pollfd fds[2] = {{pcap_fd_, POLLIN, 0}, {wake_fd_, POLLIN, 0}};
            int ready = ::poll(fds, wake_fd_ >= 0 ? 2 : 1, kReadTimeoutMs);
            if (ready > 0 && (fds[1].revents & POLLIN) != 0) {
                uint64_t drained = 0;
                while (::read(wake_fd_, &drained, sizeof(drained)) > 0) {
                }
            } else if (ready > 0) {
                r = pcap_dispatch(pcap_, cnt, &LiveSource::on_packet,
                                  reinterpret_cast<u_char*>(this));
            }
        }
        batch_ = nullptr;
        packets_.fetch_add(batch.count, std::memory_order_relaxed);
        bytes_.fetch_add(arena_used_, std::memory_order_relaxed);
        if (r == PCAP_ERROR_BREAK) return batch.count > 0 ? ReadStatus::kOk : ReadStatus::kTimeout;
        if (r < 0) {
            error_ = "live " + device_ + ": " + pcap_geterr(pcap_);
            failed_ = true;
            return batch.count > 0 ? ReadStatus::kOk : ReadStatus::kError;
        }
        return batch.count > 0 ? ReadStatus::kOk : ReadStatus::kTimeout;
    }

    const std::string& error() const override { return error_; }

    Progress progress() const override {
        Progress p;
        p.bytes_read = bytes_.load(std::memory_order_relaxed);
        p.packets = packets_.load(std::memory_order_relaxed);
        return p;
    }

    std::string describe() const override {
        std::string d = "live " + device_ + " (" + link_type_name(link_type_) + ", snaplen " +
                        std::to_string(snaplen_);
        if (!filter_.empty()) d += ", filter \"" + filter_ + "\"";
        return d + ")";
    }

    // Signal-safe: pcap_breakloop() sets a flag, and write(2) wakes the poll() above.
    void interrupt() override {
        pcap_breakloop(pcap_);
        if (wake_fd_ >= 0) {
            const uint64_t one = 1;
            [[maybe_unused]] ssize_t w = ::write(wake_fd_, &one, sizeof(one));
        }
    }

    std::string stats() const override {
        pcap_stat st{};
        if (pcap_stats(pcap_, &st) < 0) return std::string("pcap_stats: ") + pcap_geterr(pcap_);
        return std::to_string(st.ps_recv) + " packets received, " + std::to_string(st.ps_drop) +
               " dropped by the kernel, " + std::to_string(st.ps_ifdrop) +
               " dropped by the interface";
    }

  private:
    static void on_packet(u_char* user, const pcap_pkthdr* h, const u_char* bytes) {
        auto* self = reinterpret_cast<LiveSource*>(user);
        PacketBatch& batch = *self->batch_;
        if (batch.count >= PacketBatch::kCapacity) return;
        size_t caplen = h->caplen;
        if (caplen > self->snaplen_) caplen = self->snaplen_;
        if (caplen > self->arena_size_ - self->arena_used_) return;  // cannot happen: max
        uint8_t* dst = self->arena_.get() + self->arena_used_;
        std::memcpy(dst, bytes, caplen);
        self->arena_used_ += caplen;
        RawPacket& p = batch.packets[batch.count++];
        p.ts.us = int64_t{h->ts.tv_sec} * 1000000 + h->ts.tv_usec;
        p.caplen = static_cast<uint32_t>(caplen);
        p.wire_len = h->len >= caplen ? h->len : static_cast<uint32_t>(caplen);
        p.link_type = self->link_type_;
        p.data = dst;
    }

    pcap_t* pcap_;
    std::string device_;
    std::string filter_;
    int pcap_fd_;
    int wake_fd_;
    std::string error_;
    size_t snaplen_ = 0;
    uint32_t link_type_ = 0;
    std::unique_ptr<uint8_t[]> arena_;
    size_t arena_size_ = 0;
    size_t arena_used_ = 0;
    PacketBatch* batch_ = nullptr;
    bool failed_ = false;
    std::atomic<uint64_t> packets_{0};
    std::atomic<uint64_t> bytes_{0};
};

Result<std::string> first_device() {
    char errbuf[PCAP_ERRBUF_SIZE] = {};
    pcap_if_t* all = nullptr;
    if (pcap_findalldevs(&all, errbuf) < 0)
        return make_error(std::string("cannot list capture devices: ") + errbuf);
    if (all == nullptr) return make_error("no capture device found (try -i)");
    std::string name = all->name;
    pcap_freealldevs(all);
    return name;
}

}  // namespace

Result<std::unique_ptr<CaptureSource>> open_live_source(const SourceSpec& spec) {
    std::string device = spec.interface;
    if (device.empty()) {
        Result<std::string> found = first_device();
        if (!found.ok()) return Error{found.error()};
        device = *found;
    }
    const std::string where = "live " + device + ": ";
    char errbuf[PCAP_ERRBUF_SIZE] = {};
    pcap_t* p = pcap_create(device.c_str(), errbuf);
    if (p == nullptr) return make_error(where + errbuf);
    pcap_set_snaplen(p, spec.snaplen);
    pcap_set_promisc(p, 1);
    pcap_set_timeout(p, kReadTimeoutMs);
    pcap_set_buffer_size(p, kKernelBufferBytes);
    int rc = pcap_activate(p);
    if (rc < 0) {
        std::string why = pcap_statustostr(rc);
        const char* detail = pcap_geterr(p);
        if (detail != nullptr && *detail != '\0') why += std::string(" (") + detail + ")";
        pcap_close(p);
        return make_error(where + why);
    }
    // Reads never block inside libpcap; LiveSource::next_batch() waits in poll() instead.
    if (pcap_get_selectable_fd(p) >= 0 && pcap_setnonblock(p, 1, errbuf) < 0) {
        pcap_close(p);
        return make_error(where + "cannot set non-blocking mode: " + errbuf);
    }
    if (!spec.bpf_filter.empty()) {
        bpf_u_int32 net = 0;
        bpf_u_int32 mask = 0;
        if (pcap_lookupnet(device.c_str(), &net, &mask, errbuf) < 0) mask = PCAP_NETMASK_UNKNOWN;
        bpf_program prog{};
        if (pcap_compile(p, &prog, spec.bpf_filter.c_str(), 1, mask) < 0) {
            std::string why = pcap_geterr(p);
            pcap_close(p);
            return make_error(where + "filter \"" + spec.bpf_filter +
                              "\" does not compile: " + why);
        }
        int set = pcap_setfilter(p, &prog);
        pcap_freecode(&prog);
        if (set < 0) {
            std::string why = pcap_geterr(p);
            pcap_close(p);
            return make_error(where + "cannot install the filter: " + why);
        }
    }
    return std::unique_ptr<CaptureSource>(
        std::make_unique<LiveSource>(p, std::move(device), spec.bpf_filter));
}

}  // namespace tstat::capture::live_pcap
