#include "classify/protocols/skype/skype_engine.h"

#include <algorithm>

#include "classify/udp/udp_types.h"

namespace tstat::classify::skype {

using flow::Dir;
using flow::tcp::TcpFlow;
using flow::udp::UdpDirection;
using flow::udp::UdpFlow;

Result<SkypeConfig> load_skype_config(const std::string& dir) {
    SkypeConfig c;
    auto pktsize = load_bayes_config(dir + "/pktsize.conf");
    if (!pktsize) return Error{pktsize.error()};
    auto avgipg = load_bayes_config(dir + "/avgipg.conf");
    if (!avgipg) return Error{avgipg.error()};
    c.pktsize = std::move(*pktsize);
    c.avgipg = std::move(*avgipg);
    return c;
}

// Fixed-size blocks of doubles (the belief vectors of one flow), reused once freed: their
// size is known only when the configuration is read.
class SkypeEngine::Beliefs {
public:
    explicit Beliefs(size_t block) : block_(block) {}

    uint32_t alloc() {
        if (!free_.empty()) {
            const uint32_t h = free_.back();
            free_.pop_back();
            return h;
        }
        if (size_ % kChunk == 0) chunks_.push_back(std::make_unique<double[]>(kChunk * block_));
        return size_++;
    }
    void release(uint32_t h) { free_.push_back(h); }
    double* at(uint32_t h) const { return chunks_[h / kChunk].get() + (h % kChunk) * block_; }

private:
    static constexpr uint32_t kChunk = 256;
    size_t block_;
    std::vector<std::unique_ptr<double[]>> chunks_;
    std::vector<uint32_t> free_;
    uint32_t size_ = 0;
};

SkypeEngine::SkypeEngine(std::shared_ptr<const SkypeConfig> cfg)
    : cfg_(std::move(cfg)),
      beliefs_(std::make_unique<Beliefs>(
          2 * (belief_slots(cfg_->pktsize) + belief_slots(cfg_->avgipg)))) {}

SkypeEngine::~SkypeEngine() = default;

std::span<double> SkypeEngine::pktsize_beliefs(const PairState& p, int d) {
    const size_t n = belief_slots(cfg_->pktsize), m = belief_slots(cfg_->avgipg);
    return {beliefs_->at(p.beliefs) + static_cast<size_t>(d) * (n + m), n};
}

std::span<double> SkypeEngine::avgipg_beliefs(const PairState& p, int d) {
    const size_t n = belief_slots(cfg_->pktsize), m = belief_slots(cfg_->avgipg);
    return {beliefs_->at(p.beliefs) + static_cast<size_t>(d) * (n + m) + n, m};
}

uint32_t SkypeEngine::open() {
    const uint32_t h = pairs_.alloc();
    PairState& p = pairs_[h];
    p.beliefs = beliefs_->alloc();
    for (int d = 0; d < 2; ++d) {
        bayes_reset(cfg_->pktsize, p.dir[d].pktsize, pktsize_beliefs(p, d));
        bayes_reset(cfg_->avgipg, p.dir[d].avgipg, avgipg_beliefs(p, d));
    }
    return h;
}

void SkypeEngine::release(uint32_t h) noexcept {
    beliefs_->release(pairs_[h].beliefs);
    pairs_.release(h);
}

// The Bayesian part of skype_flow_stat(): packet sizes below 400 bytes (UDP; larger ones are
// taken for video), and every 30 audio packets the window's mean gap in ms.
void SkypeEngine::bayes_packet(PairState& p, int d, int64_t pktsize, bool udp,
                               Timestamp now) noexcept {
    DirState& s = p.dir[d];
    if (!s.first_pkt_done) s.win_start = now;
    bool full_window = false;
    if (udp && ((pktsize >= 400 && pktsize <= 490) || (pktsize >= 800 && pktsize <= 980))) {
        ++s.video_pkts;
    } else {
        ++s.audiovideo_pkts;
        full_window = s.audiovideo_pkts % kIpgWindow == 0;
    }
    if (full_window && s.first_pkt_done) {
        const auto avgipg = static_cast<int64_t>(
            static_cast<double>(elapsed_us(s.win_start, now)) / 1000.0 / kIpgWindow);
        s.win_start = now;
        bayes_sample(cfg_->avgipg, s.avgipg, avgipg_beliefs(p, d), avgipg);
    }
    if (!udp || pktsize < 400) bayes_sample(cfg_->pktsize, s.pktsize, pktsize_beliefs(p, d), pktsize);
    s.first_pkt_done = true;
}

void SkypeEngine::udp_packet(uint32_t h, UdpFlow& f, Dir dir,
                             const decode::DecodedPacket& pkt) noexcept {
    PairState& p = pairs_[h];
    const int d = dir == Dir::kC2S ? 0 : 1;
    DirState& s = p.dir[d];
    // Tstat's view of the datagram: up to its plast; beyond, the rest of the frame.
    size_t captured = pkt.tstat_ip_caplen > pkt.ip_header_len
                          ? pkt.tstat_ip_caplen - pkt.ip_header_len
                          : 0;
    const auto avail = static_cast<size_t>(pkt.ip + pkt.ip_caplen - pkt.l4);
    captured = std::min(captured, avail);
    // getSkype(): sizeof(struct skype_hdr) bytes must be captured: 4 (a 16-bit id and the
    // FUNC byte, padded).
    if (captured < 8 + 4) return;
    const std::span<const uint8_t> payload(pkt.l4 + 8, avail - 8);
    const size_t cap_payload = captured - 8;
    const int64_t ip_payload = static_cast<int64_t>(pkt.l4_len) - 8;   // UDP_PAYLOAD_LEN

    const PacketType type = classify_udp_packet(payload, cap_payload, ip_payload, s.out_block);
    ++s.pkt_type[static_cast<int>(type)];
    const int64_t udp_payload = static_cast<int64_t>(pkt.udp.length) - 8;
    if (udp_payload >= kMinRandomPayload) add_nibbles(s.random, payload, cap_payload, udp_payload);

    // SKYPE_EARLY_CLASSIF: a long flow is judged once while it runs.
    const UdpDirection& ud = f.dir(dir);
    if (elapsed_us(ud.first_pkt_time, pkt.ts) > kEarlyWindowUs && ud.packets > kEarlyPackets &&
        !s.early) {
        p.dir[0].early = p.dir[1].early = true;
        classify_udp(p, f);
    }
    bayes_packet(p, d, ip_payload, true, pkt.ts);
}

void SkypeEngine::tcp_packet(uint32_t h, const TcpFlow&, Dir dir,
                             const decode::DecodedPacket& pkt) noexcept {
    PairState& p = pairs_[h];
    const int d = dir == Dir::kC2S ? 0 : 1;
    DirState& s = p.dir[d];
    const size_t header = 4u * pkt.tcp.data_offset;
    size_t captured = pkt.tstat_ip_caplen > pkt.ip_header_len
                          ? pkt.tstat_ip_caplen - pkt.ip_header_len
                          : 0;
    const auto avail = static_cast<size_t>(pkt.ip + pkt.ip_caplen - pkt.l4);
    captured = std::min(captured, avail);
    const size_t cap_payload = captured > header ? captured - header : 0;
    const std::span<const uint8_t> payload =
        header <= avail ? std::span<const uint8_t>(pkt.l4 + header, avail - header)
                        : std::span<const uint8_t>{};
    const int64_t payload_len = pkt.payload_len;
    if (payload_len >= kMinRandomPayload) add_nibbles(s.random, payload, cap_payload, payload_len);
    if (payload_len == 0) return;   // pure ACKs are no sample
    bayes_packet(p, d, payload_len, false, pkt.ts);
}

void SkypeEngine::confirmed(bool tcp, bool internal_src, bool internal_dst, bool cloud_src,
                            bool cloud_dst, int d, uint8_t l7, uint64_t bytes) noexcept {
    if (sink_ == nullptr) return;
    SkypeConfirmed ev;
    ev.tcp = tcp;
    ev.dir = d == 0 ? Dir::kC2S : Dir::kS2C;
    ev.l7 = l7;
    ev.bytes = bytes;
    ev.internal_src = internal_src;
    ev.internal_dst = internal_dst;
    ev.cloud_src = cloud_src;
    ev.cloud_dst = cloud_dst;
    sink_->skype_confirmed(ev);
}

// A classifier that never closed a window shows MIN_TH_VALID_PERC (Tstat overwrites it).
void SkypeEngine::settle_beliefs(PairState& p) noexcept {
    for (DirState& s : p.dir) {
        if (s.pktsize.mean_max_belief == 0) s.pktsize.mean_max_belief = kUnsetBelief;
        if (s.avgipg.mean_max_belief == 0) s.avgipg.mean_max_belief = kUnsetBelief;
    }
}

int SkypeEngine::bayes_type(const DirState& s) const noexcept {
    const bool pkt = s.pktsize.mean_max_belief >= cfg_->pktsize.avg_threshold;
    const bool ipg = s.avgipg.mean_max_belief >= cfg_->avgipg.avg_threshold;
    if (pkt && ipg) return 1;
    if (!pkt && !ipg) return 0;
    return pkt ? -1 : -2;
}

void SkypeEngine::classify_udp(PairState& p, UdpFlow& f) noexcept {
    bool is_skype = false;
    for (int d = 0; d < 2; ++d) {
        const DirState& s = p.dir[d];
        UdpDirection& ud = f.dir(d == 0 ? Dir::kC2S : Dir::kS2C);
        if (ud.packets < kMinUdpPackets) continue;
        uint64_t tot = 0;
        for (int t = 1; t < kPacketTypes; ++t) tot += s.pkt_type[t];
        namespace ut = udp_type;
        switch (ud.type) {
            // Classes other engines are sure of (eMule's rules also match Skype: not KAD).
            case ut::kRtp: case ut::kRtcp: case ut::kDc: case ut::kGnu: case ut::kKazaa:
            case ut::kBt: case ut::kPplive: case ut::kSopcast: case ut::kTvants: case ut::kEdk:
            case ut::kKadu: case ut::kOkad: case ut::kPpstream: case ut::kTeredo: case ut::kSip:
            // Already judged (early classification).
            case ut::kSkypeE2e: case ut::kSkypeOut: case ut::kSkypeSig:
                break;
            default: {
                const auto packets = static_cast<double>(ud.packets);
                const uint32_t e2e = s.pkt_type[static_cast<int>(PacketType::kE2eData)];
                const uint32_t out = s.pkt_type[static_cast<int>(PacketType::kOutData)];
                if (e2e > kMinDataPackets && e2e * 100.0 / packets > kMinDataPercent) {
                    ud.type = ut::kSkypeE2e;
                    is_skype = true;
                } else if (out > kMinDataPackets && out * 100.0 / packets > kMinDataPercent) {
                    ud.type = ut::kSkypeOut;
                    is_skype = true;
                } else if (tot * 100 / ud.packets > kMinSignallingPercent) {   // integer percent
                    ud.type = ut::kSkypeSig;
                    is_skype = true;
                } else if (ud.type == ut::kFirstRtp || ud.type == ut::kFirstRtcp ||
                           ud.type == ut::kFirstRtpPlus) {
                    ud.type = ut::kUnknown;
                }
                break;
            }
        }
    }
    if (is_skype) print_udp(p, f);
}

void SkypeEngine::print_udp(PairState& p, const UdpFlow& f) noexcept {
    settle_beliefs(p);
    bool logged[2] = {false, false};
    const double duration_ms = static_cast<double>(elapsed_us(f.first_time, f.last_time)) / 1000.0;
    for (int d = 0; d < 2; ++d) {
        DirState& s = p.dir[d];
        const UdpDirection& ud = f.dir(d == 0 ? Dir::kC2S : Dir::kS2C);
        const int bt = bayes_type(s);
        const UdpChi chi = udp_chi(chi_square(s.random, static_cast<double>(ud.packets)));
        const bool agreed = bt == 1 && chi.verdict != kChiNotSkype;
        if (agreed) {
            s.skype_type = static_cast<int8_t>(chi.verdict);
            confirmed(false, f.internal_src, f.internal_dst, f.cloud_src, f.cloud_dst, d,
                      static_cast<uint8_t>(chi.verdict), ud.data_bytes);
        }
        logged[d] = agreed && (ud.type == udp_type::kSkypeE2e || ud.type == udp_type::kSkypeOut);

        SkypeDirRow& r = row_.dir[d];
        r = SkypeDirRow{};
        const auto packets = static_cast<double>(ud.packets);
        r.bytes = ud.data_bytes;
        r.packets = ud.packets;
        r.e2e_packets = s.pkt_type[static_cast<int>(PacketType::kE2eData)];
        r.out_packets = s.pkt_type[static_cast<int>(PacketType::kOutData)];
        r.signalling_packets = s.pkt_type[static_cast<int>(PacketType::kNak)] +
                               s.pkt_type[static_cast<int>(PacketType::kFun2)] +
                               s.pkt_type[static_cast<int>(PacketType::kFun3)];
        r.unknown_packets = s.pkt_type[static_cast<int>(PacketType::kNotSkype)];
        r.audiovideo_packets = s.audiovideo_pkts;
        r.video_packets = s.video_pkts;
        r.avg_pktsize = static_cast<double>(ud.data_bytes) / packets;
        r.pktsize_belief = s.pktsize.mean_max_belief;
        r.avg_ipg = duration_ms / packets;
        r.ipg_belief = s.avgipg.mean_max_belief;
        r.udp_chi[0] = chi.min_e2o_header;
        r.udp_chi[1] = chi.max_e2e_header;
        r.udp_chi[2] = chi.min_e2e_header;
        r.udp_chi[3] = chi.max_payload;
        r.deterministic_type = ud.type;
        r.bayes_type = bt;
        r.chi_type = chi.verdict;
        r.video_present = 100u * s.video_pkts / (s.audiovideo_pkts + 1) > 10;
    }
    if (!(logged[0] || logged[1]) || !log_ || sink_ == nullptr) return;
    emit_row(false, f);
}

SkypeEngine::UdpVerdict SkypeEngine::udp_closed(uint32_t h, UdpFlow& f, bool logged) noexcept {
    PairState& p = pairs_[h];
    if (logged) classify_udp(p, f);
    UdpVerdict v;
    for (int d = 0; d < 2; ++d) {
        const uint8_t type = f.dir(d == 0 ? Dir::kC2S : Dir::kS2C).type;
        v.confirmed[d] = (type == udp_type::kSkypeE2e && p.dir[d].skype_type == kChiE2E) ||
                         (type == udp_type::kSkypeOut && p.dir[d].skype_type == kChiE2O);
    }
    release(h);
    return v;
}

int SkypeEngine::udp_confirmed_type(uint32_t h, Dir dir) const noexcept {
    return pairs_[h].dir[dir == Dir::kC2S ? 0 : 1].skype_type;
}

bool SkypeEngine::tcp_closed(uint32_t h, const TcpFlow& f, bool complete) noexcept {
    PairState& p = pairs_[h];
    bool skype = false;
    if (complete && (p.dir[0].random.samples >= kMinTcpSamples ||
                     p.dir[1].random.samples >= kMinTcpSamples)) {
        settle_beliefs(p);
        bool logged[2] = {false, false};
        const double duration_ms =
            static_cast<double>(elapsed_us(f.first_time, f.last_time)) / 1000.0;
        for (int d = 0; d < 2; ++d) {
            DirState& s = p.dir[d];
            const flow::tcp::TcpDirection& td = f.dir(d == 0 ? Dir::kC2S : Dir::kS2C);
            const int bt = bayes_type(s);
            const TcpChi chi =
                tcp_chi(chi_square(s.random, static_cast<double>(s.random.samples)));
            logged[d] = bt == 1 && chi.verdict != kChiNotSkype;
            if (logged[d]) {
                s.skype_type = static_cast<int8_t>(chi.verdict);
                skype = true;
                confirmed(true, f.internal_src, f.internal_dst, f.cloud_src, f.cloud_dst, d,
                          static_cast<uint8_t>(chi.verdict), td.data_bytes);
            }
            SkypeDirRow& r = row_.dir[d];
            r = SkypeDirRow{};
            r.bytes = td.unique_bytes;
            r.packets = td.packets;
            r.audiovideo_packets = s.audiovideo_pkts;
            r.video_packets = s.video_pkts;
            r.avg_pktsize =
                static_cast<double>(td.unique_bytes) / static_cast<double>(td.data_pkts);
            r.pktsize_belief = s.pktsize.mean_max_belief;
            // Tstat divides the client's duration by its data packets, the server's by all
            // its packets.
            r.avg_ipg = duration_ms / static_cast<double>(d == 0 ? td.data_pkts : td.packets);
            r.ipg_belief = s.avgipg.mean_max_belief;
            r.tcp_chi[0] = chi.max_header;
            r.tcp_chi[1] = chi.max_payload;
            r.bayes_type = bt;
            r.chi_type = chi.verdict;
            r.video_present = 100u * s.video_pkts / (s.audiovideo_pkts + 1) > 10;
        }
        if ((logged[0] || logged[1]) && log_ && sink_ != nullptr) emit_row(true, f);
    }
    release(h);
    return skype;
}

}  // namespace tstat::classify::skype
