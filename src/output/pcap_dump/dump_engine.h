// The packet dump engine (runtime.conf [dump], spec §12): Tstat's DUMP plugin. The worker
// decides, packet by packet, which dump files a packet belongs to — ip_complete for every IP
// packet, then, from inside the flow update, tcp_complete (with its limits, the DNS filter and
// stop_dumping_mask), tcp_videostreaming, the per-class UDP files and udp_complete — and hands
// one copy of the packet to a DumpWriter thread. Files live in <time folder>/tracesNN/.
//
// Two Tstat bugs are fixed here (docs/dumps.md):
//  * §17.14: udp_utp, udp_stun, udp_quic and udp_sye no longer switch every other per-class UDP
//    dump off (Tstat tests them in an if/else chain before the per-class dump).
//  * A [dump] change while running starts a new tracesNN folder, where Tstat reopened the
//    same files with "w" and lost what they held.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "decode/decoded_packet.h"
#include "flow/flow_key.h"
#include "flow/tcp/tcp_flow.h"
#include "flow/udp/udp_flow.h"
#include "output/pcap_dump/dns_filter.h"
#include "output/pcap_dump/dump_config.h"
#include "output/pcap_dump/dump_writer.h"

namespace tstat::output::pcap_dump {

// What classification knows of a UDP direction right now (Tstat's UDP_p2p_to_logtype() and
// the states of its behavioural engines).
struct UdpDumpClass {
    uint8_t log_type = 0;       // the class log_udp_complete would print now
    bool utp_pending = false;   // the uTP engine is past its first state (uTP_state)
    bool quic_pending = false;  // either side's QUIC engine is past its first state
    bool sye_pending = false;   // either side's SYE engine is past its first state
};

// What classification knows of a TCP flow right now.
struct TcpDumpClass {
    uint32_t con_type = 0;  // con_t so far (0: unknown)
    bool video = false;     // the streaming DPI found a video content or payload format
};

class DumpEngine {
  public:
    DumpEngine();
    ~DumpEngine();
    DumpEngine(const DumpEngine&) = delete;
    DumpEngine& operator=(const DumpEngine&) = delete;

    // The flow tables' sizes (max_tcp_pairs, max_udp_pairs): the per-flow flags are made
    // for them up front, so a flow in a new slot does not grow them on the packet path.
    void reserve_slots(uint32_t tcp_slots, uint32_t udp_slots);

    // Start-up options: -P and -F.
    void set_gzip(bool gzip) { gzip_ = gzip; }
    void set_dns_filter(std::optional<DnsFilter> filter) { filter_ = std::move(filter); }

    // The [dump] section, at start and after each change of runtime.conf. A different
    // configuration closes the current tracesNN; with `open_folder` and a time folder known,
    // the next tracesNN starts at once (when the engine is on).
    Status configure(const DumpConfig& config, bool open_folder = true);
    const DumpConfig& config() const { return config_; }
    bool active() const { return config_.active(); }

    // A new time folder: its traces00 (when active); the same folder again continues with
    // the next tracesNN. close_dir() ends the current tracesNN (files closed, log.txt
    // written): at the end of an output root or of the run.
    Status open_time_dir(const std::string& time_dir);
    void close_dir();
    // Waits until the writer has written everything so far.
    void sync();
    // Ends the writer thread (after close_dir()).
    void close();
    std::vector<std::string> take_errors();
    uint64_t packets_written();

    // ---- packet path (noexcept, no allocation after warm-up) ----
    // Every IP packet Tstat counts, after -A: `xor_src`/`xor_dst` are the masks -A applied to
    // the IPv4 source/destination (0: none), applied to the dumped copy as well.
    void begin_packet(const decode::DecodedPacket& pkt, uint32_t xor_src,
                      uint32_t xor_dst) noexcept;
    // A TCP flow opened; `dns_name` is the name DN-Hunter gave it ("" if none), and
    // `dn_hunter` false under -X (Tstat then never filters).
    void tcp_opened(const flow::tcp::TcpFlow& f, std::string_view dns_name,
                    bool dn_hunter) noexcept;
    void tcp_packet(const flow::tcp::TcpFlow& f, flow::Dir dir, const TcpDumpClass& c) noexcept;
    void udp_opened(const flow::udp::UdpFlow& f) noexcept;
    void udp_packet(const flow::udp::UdpFlow& f, flow::Dir dir, const UdpDumpClass& c) noexcept;
    // After the packet went through the flows: hands it to the writer if any file wants it.
    void end_packet() noexcept;

  private:
    bool enabled(int t) const { return config_.enabled[static_cast<size_t>(t)]; }
    void mark(int t) noexcept { targets_ |= uint64_t{1} << t; }
    Status start_folder();
    uint8_t& flow_flags(std::vector<uint8_t>& table, uint32_t slot) noexcept;
    bool dns_filter_on() const;

    DumpConfig config_;
    bool gzip_ = false;
    std::optional<DnsFilter> filter_;
    std::unique_ptr<DumpWriter> writer_;  // made when the engine first turns on
    std::string time_dir_;
    int dir_counter_ = 0;
    bool folder_open_ = false;

    // Per-flow flags by Tstat slot: TCP bit 0 stop_dumping_tcp; UDP bit 0 is_stun_initiated.
    std::vector<uint8_t> tcp_flags_;
    std::vector<uint8_t> udp_flags_;

    // The packet being processed.
    const decode::DecodedPacket* pkt_ = nullptr;
    uint32_t xor_src_ = 0;
    uint32_t xor_dst_ = 0;
    uint64_t targets_ = 0;
    std::vector<uint8_t> copy_;  // the packet's bytes with -A applied
};

// Tstat's is_stun(): a STUN Binding Request (type 0x0001) whose length field plus the 20-byte
// header equals the UDP payload as Tstat measures it (to its plast, see docs/dumps.md).
bool is_stun_binding_request(const decode::DecodedPacket& pkt) noexcept;

}  // namespace tstat::output::pcap_dump
