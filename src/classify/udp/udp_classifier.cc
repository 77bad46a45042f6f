#include "classify/udp/udp_classifier.h"

#include <algorithm>
#include <cstring>

#include "classify/protocols/ipp2p/udp_matchers.h"
#include "classify/protocols/quic/quic_header.h"
#include "classify/protocols/quic/quic_initial.h"
#include "classify/protocols/sye/sye_matcher.h"
#include "classify/udp/udp_types.h"

namespace tstat::classify {

using flow::Dir;
using flow::udp::UdpDirection;
using flow::udp::UdpFlow;

namespace {

constexpr uint32_t kMaxUnknownPackets = 40;   // MAX_UNKNOWN_PACKETS
constexpr uint32_t kMaxUdpUtp = 40;
constexpr uint32_t kMaxUdpQuic = 60;
constexpr uint32_t kMaxUdpVod = 40;
constexpr uint32_t kMaxUdpObfuscate = 10;

enum UtpState : uint8_t { kUtpUnknown, kUtpSynSeen, kUtpDataSeen, kUtpAckSeen, kUtpSynSent,
                          kUtpDataSent, kUtpAckSent };
enum QuicState : uint8_t { kQuicUnknown = 0, kQuicOpenSent = 2, kQuicDataSent = 3 };
enum KadState : uint8_t { kOudpUnknown, kOudpReq43, kOudpRes52K25, kOudpReq59, kOudpRes68K25,
                          kOudpSizex22, kOudpSizex52, kOudpSizeIn4657 };

Timestamp last_time_or_never(const UdpDirection& d) {
    // last_pkt_time.tv_sec = -1 marks a direction without packets.
    return d.seen ? d.last_pkt_time : Timestamp{-1000000};
}

}  // namespace

// QUIC details of a flow, allocated at its first Initial (spec §9.11): only what ends up in
// the log. Many non-QUIC datagrams look like a long-header Initial (one DNS id in 16), so the
// big pieces are separate records: the ClientHello reassembly buffer exists only while CRYPTO
// bytes are being gathered, the URL-encoded names only once found.
struct QuicDetails {
    uint32_t c_vers = 0;
    uint32_t s_vers = 0;
    int32_t ech = 0;
    uint32_t hello = flow::kNil;   // QuicHello while gathering
    uint32_t names = flow::kNil;   // QuicNames once an SNI or a UA was found
    uint8_t zero_rtt = 0;          // uint8_t in Tstat
    bool hello_done = false;       // the ClientHello was parsed to its end: stop gathering
};

struct QuicHello {
    uint16_t len = 0;
    uint8_t bytes[quic::kMaxHello];
};

struct QuicNames {
    bool have_sni = false;
    bool have_ua = false;
    uint8_t sni_len = 0;
    uint8_t ua_len = 0;
    char sni[240];
    char ua[240];
};

class QuicEngine {
public:
    flow::Pool<QuicDetails, 8> details;
    flow::Pool<QuicHello, 2> hellos;
    flow::Pool<QuicNames, 4> names;
    quic::InitialDecryptor decryptor;
    uint8_t scratch[quic::kMaxPacket];

    void release_hello(QuicDetails& q) {
        if (q.hello == flow::kNil) return;
        hellos.release(q.hello);
        q.hello = flow::kNil;
    }
    void release(uint32_t handle) {
        QuicDetails& q = details[handle];
        release_hello(q);
        if (q.names != flow::kNil) names.release(q.names);
        details.release(handle);
    }
};

UdpClassifier::UdpClassifier(const UdpClassifierConfig& cfg)
    : cfg_(cfg),
      hunter_(cfg.dns_cache_size, cfg.dns_cache_size_ipv6),
      quic_(std::make_unique<QuicEngine>()) {}

UdpClassifier::~UdpClassifier() = default;

uint32_t UdpClassifier::label_flow(const IpAddress& client, const IpAddress& server) noexcept {
    if (!cfg_.dn_hunter) return flow::kNil;
    dn_hunter::Answer a;
    if (!hunter_.lookup(client, server, a)) return flow::kNil;
    const uint32_t h = labels_.alloc();
    Label& l = labels_[h];
    l.name = a.name;
    l.resolver = a.resolver;
    l.request_time = a.request_time;
    l.response_time = a.response_time;
    return h;
}

void UdpClassifier::take_label(uint32_t handle, DnsLabel& out) noexcept {
    if (handle == flow::kNil) return;
    Label& l = labels_[handle];
    out.name = hunter_.names().get(l.name);
    out.resolver = l.resolver;
    out.request_time = l.request_time;
    out.response_time = l.response_time;
    hunter_.names().unref(l.name);
    labels_.release(handle);
}

std::string_view UdpClassifier::label_name(uint32_t handle) noexcept {
    if (handle == flow::kNil) return {};
    return hunter_.names().get(labels_[handle].name);
}

UdpClassifier::LiveView UdpClassifier::live_view(const UdpFlow& f, Dir dir) const noexcept {
    LiveView v;
    if (f.ext == flow::kNil) {
        v.log_type = f.dir(dir).type;
        return v;
    }
    const State& s = states_[f.ext];
    const DirState& me = dir == Dir::kC2S ? s.c2s : s.s2c;
    const DirState& other = dir == Dir::kC2S ? s.s2c : s.c2s;
    v.log_type = log_type(f, f.dir(dir), s.kad_state);
    v.utp_pending = me.utp_state != kUtpUnknown;
    v.quic_pending = me.quic_state != kQuicUnknown || other.quic_state != kQuicUnknown;
    v.sye_pending = me.sye_command || other.sye_command;
    return v;
}

void UdpClassifier::opened(UdpFlow& flow) noexcept {
    flow.ext = states_.alloc();
    State& s = states_[flow.ext];
    s.label = label_flow(flow.key.a, flow.key.b);
}

void UdpClassifier::p2p(UdpDirection& d, const UdpFlow& f, std::span<const uint8_t> udp,
                        std::span<const uint8_t> frame, std::span<const uint8_t> stale,
                        uint16_t udp_len) noexcept {
    if (d.type != udp_type::kUnknown && d.type != udp_type::kUtp) return;
    if (d.packets > kMaxUnknownPackets) return;
    const int code = ipp2p::match_udp(ipp2p::Datagram{udp, udp_len, frame, stale});
    if (code == 0) return;
    switch (code / 100) {
        case ipp2p::kEdk: d.type = udp_type::kEdk; break;
        case ipp2p::kKad: d.type = udp_type::kKad; break;
        case ipp2p::kKadu: d.type = udp_type::kKadu; break;
        case ipp2p::kBit: d.type = d.type == udp_type::kUtp ? udp_type::kUtpBt : udp_type::kBt; break;
        case ipp2p::kPplive:
            if (f.key.a_port != 53 && f.key.b_port != 53 && f.key.a_port != 137 &&
                f.key.b_port != 137)
                d.type = udp_type::kPplive;
            break;
        case ipp2p::kSopcast: d.type = udp_type::kSopcast; break;
        case ipp2p::kTvants: d.type = udp_type::kTvants; break;
        case ipp2p::kDns: d.type = udp_type::kDns; break;
        case ipp2p::kPpstream: d.type = udp_type::kPpstream; break;
        case ipp2p::kTeredo: d.type = udp_type::kTeredo; break;
        case ipp2p::kSip: d.type = udp_type::kSip; break;
        case ipp2p::kDtls: d.type = udp_type::kDtls; break;
        case ipp2p::kQuic: d.type = udp_type::kQuic; break;
        case ipp2p::kMturn: d.type = udp_type::kMturn; break;
        default: break;
    }
}

void UdpClassifier::dn_hunter_feed(const UdpFlow& f, const decode::DecodedPacket& pkt,
                                   std::span<const uint8_t> udp) noexcept {
    if (udp.size() < 8) return;
    const std::span<const uint8_t> dns = udp.subspan(8);
    if (!dn_hunter::is_candidate(dns, pkt.udp.src_port, pkt.udp.dst_port)) return;
    if (!dn_hunter::parse_response(dns, pkt.ip_version == 6, response_)) return;
    hunter_.insert(response_, pkt.dst, pkt.src, last_time_or_never(f.c2s),
                   last_time_or_never(f.s2c));
}

void UdpClassifier::dns_log(UdpFlow& f, Dir dir, UdpDirection& d,
                            const decode::DecodedPacket& pkt,
                            std::span<const uint8_t> udp) noexcept {
    // log_dns.c: no message from or to a multicast address (mDNS, LLMNR).
    auto multicast = [](const IpAddress& a) {
        return a.is_v4() ? (a.bytes()[0] >= 224 && a.bytes()[0] < 240) : a.bytes()[0] == 0xff;
    };
    if (multicast(f.key.a) || multicast(f.key.b)) return;
    if (udp.size() < 8) return;
    // ldns gets the IP payload length less the UDP header (getpayloadlength), whatever was
    // captured: that is also the message size it reports. Past the capture it reads Tstat's
    // packet buffer, which still holds the tail of earlier, longer packets (a retransmitted
    // response cut short parses as the full one did): the shadow buffer replays that.
    if (pkt.l4_len < 8) return;
    const size_t len = pkt.l4_len - 8;
    const size_t start = static_cast<size_t>(pkt.l4 - pkt.ip) + 8;
    std::span<const uint8_t> msg;
    if (len <= udp.size() - 8)
        msg = udp.subspan(8, len);
    else if (start + len <= ip_shadow_.size())
        msg = std::span<const uint8_t>(ip_shadow_.data() + start, len);
    else
        return;
    if (!dns::parse_message(msg, dns_info_)) return;
    if (d.type == udp_type::kUnknown) d.type = udp_type::kDns;
    if (sink_ != nullptr)
        sink_->dns_message(DnsEvent{msg, &dns_info_, &f, dir == Dir::kC2S, pkt.ts});
}

void UdpClassifier::packet(UdpFlow& f, Dir dir, const decode::DecodedPacket& pkt) noexcept {
    if (f.ext == flow::kNil) return;
    State& s = states_[f.ext];
    UdpDirection& d = f.dir(dir);
    // Tstat's view of the datagram: from the UDP header to its `plast`.
    size_t captured = pkt.tstat_ip_caplen > pkt.ip_header_len
                          ? pkt.tstat_ip_caplen - pkt.ip_header_len
                          : 0;
    const size_t avail = static_cast<size_t>(pkt.ip + pkt.ip_caplen - pkt.l4);
    if (captured > avail) captured = avail;
    const std::span<const uint8_t> udp(pkt.l4, captured);
    // What the engines read past `udp` where Tstat reads past its plast: the rest of the frame.
    const std::span<const uint8_t> frame(pkt.l4, avail);

    // Tstat copies every IP packet to the start of one buffer (USE_MEMCPY), and its parsers
    // read on past the capture into what earlier, longer packets left there. UDP packets are
    // enough to replay that for DNS messages (whole packets, only while the DNS log is on) and
    // for the IPP2P matchers (which read at most 64 bytes from the UDP header).
    const size_t shadow_len = cfg_.dns_log ? ip_shadow_.size() : kShadowPrefix;
    std::memcpy(ip_shadow_.data(), pkt.ip, std::min<size_t>(pkt.ip_caplen, shadow_len));
    const size_t l4_offset = static_cast<size_t>(pkt.l4 - pkt.ip);
    const std::span<const uint8_t> stale =
        l4_offset < shadow_len
            ? std::span<const uint8_t>(ip_shadow_.data() + l4_offset, shadow_len - l4_offset)
            : std::span<const uint8_t>{};
    p2p(d, f, udp, frame, stale, pkt.udp.length);
    // RTP+ (rtp_flow_stat): every datagram with a whole RTP header captured.
    if (udp.size() >= 8 + rtp::kHeaderSize)
        rtp_.packet(s.rtp, f, dir,
                    rtp::Datagram{udp.subspan(8), pkt.udp.length,
                                  static_cast<int32_t>(pkt.l4_len), pkt.ts});
    if (s.rtp != flow::kNil) rtp_.count_ttl(s.rtp, dir, pkt.ttl);
    if (cfg_.dn_hunter) dn_hunter_feed(f, pkt, udp);
    if (cfg_.dns_log) dns_log(f, dir, d, pkt, udp);
    behaviour(f, s, dir, udp, frame, pkt.udp.length);
}

// SYE: a command one way, then data the other way, within the flow's first packets; both
// directions take the class, whatever they had. Tstat's source of this engine is not in any
// snapshot we can read: the rules come from spec §9.6 (docs/udp_classification.md).
void UdpClassifier::sye(UdpFlow& f, State& s, Dir dir, std::span<const uint8_t> udp,
                        uint16_t udp_len) noexcept {
    const Dir back = dir == Dir::kC2S ? Dir::kS2C : Dir::kC2S;
    DirState& me = s.dir(dir);
    DirState& other = s.dir(back);
    if (f.packets() >= sye::kMaxPackets || (me.is_sye && other.is_sye)) return;
    if (udp.size() <= 8 || udp_len == 0) return;
    switch (sye::kind(udp.subspan(8))) {
        case sye::Kind::kCommand: me.sye_command = true; break;
        case sye::Kind::kData:
            // Data only counts as the answer to a command from the other side.
            if (!other.sye_command) break;
            me.is_sye = other.is_sye = true;
            f.dir(dir).type = udp_type::kSye;
            f.dir(back).type = udp_type::kSye;
            break;
        case sye::Kind::kOther: break;
    }
}

void UdpClassifier::behaviour(UdpFlow& f, State& s, Dir dir, std::span<const uint8_t> udp,
                              std::span<const uint8_t> frame, uint16_t udp_len) noexcept {
    sye(f, s, dir, udp, udp_len);
    DirState& me = s.dir(dir);
    DirState& other = s.dir(dir == Dir::kC2S ? Dir::kS2C : Dir::kC2S);
    UdpDirection& d = f.dir(dir);
    UdpDirection& od = f.dir(dir == Dir::kC2S ? Dir::kS2C : Dir::kC2S);
    const size_t data_len = udp.size();
    auto at = [&](size_t i) -> uint8_t {
        return i < data_len ? udp[i] : i < frame.size() ? frame[i] : 0;
    };
    auto be16 = [&](size_t i) { return static_cast<uint16_t>(at(i) << 8 | at(i + 1)); };
    auto reclassify = [](UdpDirection& x, uint8_t to, bool bt) {
        x.type = (bt && x.type == udp_type::kBt) ? udp_type::kUtpBt : to;
    };

    // uTP (BitTorrent): type/version byte, then a matching connection id both ways.
    if (f.packets() < kMaxUdpUtp && !(me.is_utp && other.is_utp) && data_len >= 28 &&
        udp_len != 0) {
        const uint8_t b8 = at(8);
        const uint8_t b9 = at(9);
        if (((b8 & 0x31) || b8 == 0x41) && b9 <= 2) {
            const uint16_t id = be16(10);
            auto confirm = [&] {
                me.utp_conn_id = id;
                me.is_utp = other.is_utp = true;
            };
            switch (me.utp_state) {
                case kUtpUnknown:
                case kUtpDataSent:
                case kUtpSynSent:
                case kUtpAckSent:
                    if (b8 == 0x01 || b8 == 0x21 || b8 == 0x41) {
                        me.utp_conn_id = id;
                        if (b8 == 0x41) me.utp_syn_seq = be16(24);
                        me.utp_state = b8 == 0x01 ? kUtpDataSent
                                                  : b8 == 0x21 ? kUtpAckSent : kUtpSynSent;
                        other.utp_state = b8 == 0x01 ? kUtpDataSeen
                                                     : b8 == 0x21 ? kUtpAckSeen : kUtpSynSeen;
                    }
                    break;
                case kUtpSynSeen:
                    if (b8 == 0x11 || b8 == 0x31) {
                        if (id == other.utp_conn_id) confirm();
                    } else if (b8 == 0x21) {
                        if (be16(26) == other.utp_syn_seq && id == other.utp_conn_id) confirm();
                    } else if (b8 == 0x41) {
                        me.utp_conn_id = id;
                        me.utp_syn_seq = be16(24);
                        me.utp_state = kUtpSynSent;
                        other.utp_state = kUtpSynSeen;
                    }
                    break;
                case kUtpDataSeen:
                case kUtpAckSeen:
                    if (b8 == 0x01 || b8 == 0x11 || b8 == 0x21) {
                        // Tstat compares the 16-bit id with the stored int id +/- 1.
                        const int stored = other.utp_conn_id;
                        if (int{id} == stored + 1 || int{id} == stored - 1) confirm();
                    } else if (b8 == 0x31) {
                        if (id == other.utp_conn_id) confirm();
                    }
                    break;
                default: break;
            }
            if (me.is_utp && other.is_utp) {
                reclassify(d, udp_type::kUtp, true);
                reclassify(od, udp_type::kUtp, true);
            }
        }
    }

    // QUIC: a client Initial, then a server Initial of the same version (spec §9.11).
    if (f.packets() < kMaxUdpQuic && !(me.is_quic && other.is_quic) && data_len >= 27 &&
        udp_len != 0 && (me.quic_state == kQuicUnknown || me.quic_state == kQuicOpenSent)) {
        const quic::LongHeader h = quic::parse_long_header(udp.subspan(8));
        QuicDetails* q = s.quic != flow::kNil ? &quic_->details[s.quic] : nullptr;
        if (h.long_form && h.packet_type == 0 && h.fixed_bit && h.dcid_len <= 20 &&
            h.scid_len <= 20) {
            if (q == nullptr) {
                s.quic = quic_->details.alloc();
                q = &quic_->details[s.quic];
            }
            if (h.dcid_len > 0 && other.quic_state != kQuicOpenSent) {
                q->c_vers = h.version;
                me.quic_state = kQuicOpenSent;
            } else if (h.scid_len > 0 && other.quic_state == kQuicOpenSent) {
                q->s_vers = h.version;
                if (q->c_vers == q->s_vers) {
                    me.quic_state = other.quic_state = kQuicDataSent;
                    me.is_quic = other.is_quic = true;
                }
            }
            // The Initial is decrypted whichever side sent it, as Tstat does.
            if (!q->hello_done) quic_initial(*q, h, udp);
            // Tstat's coalesced 0-RTT check parses 5 bytes, which it never accepts: no count.
        } else if (me.quic_state == kQuicOpenSent && h.long_form && h.packet_type == 1 &&
                   h.dcid_len > 0 && h.fixed_bit && h.dcid_len <= 20 && h.scid_len <= 20 &&
                   q != nullptr) {
            ++q->zero_rtt;
        }
        // Tstat looks no further once both sides are QUIC, nor after kMaxUdpQuic packets.
        if (q != nullptr && ((me.is_quic && other.is_quic) || f.packets() + 1 >= kMaxUdpQuic))
            quic_->release_hello(*q);
        if (me.is_quic && other.is_quic) {
            d.type = udp_type::kQuic;
            od.type = udp_type::kQuic;
        }
    }

    // MPEG-2 TS over UDP (VOD): 7 TS packets per datagram, sync byte 0x47 or a constant
    // scrambled signature in 3 datagrams.
    if (f.packets() < kMaxUdpVod && !(me.is_vod && other.is_vod)) {
        if (data_len < 9 || udp_len == 0 || udp_len != 1324) {
            me.first_vod = true;
        } else {
            const bool two = data_len > 196;
            if (at(8) == 0x47 && (!two || at(196) == 0x47)) {
                me.is_vod = other.is_vod = true;
                me.first_vod = false;
                d.type = od.type = udp_type::kVod;
            } else if (me.first_vod) {
                me.first_vod = false;
                me.vod_sig[0] = at(8);
                me.vod_sig[1] = two ? at(196) : 0;
                me.vod_one_pes = !two;
                me.vod_count = 1;
            } else if (me.vod_sig[0] == at(8) &&
                       (!two || (!me.vod_one_pes && me.vod_sig[1] == at(196)))) {
                if (++me.vod_count == 3) {
                    me.is_vod = other.is_vod = true;
                    d.type = od.type = udp_type::kVod;
                }
            } else {
                me.first_vod = true;
            }
        }
    }

    // Obfuscated KAD: request/response size patterns.
    if (f.packets() < kMaxUdpObfuscate && !me.obf_state && !other.obf_state) {
        const int len = udp_len;
        switch (len) {
            case 43: me.kad_state = kOudpReq43; break;
            case 59: me.kad_state = kOudpReq59; break;
            case 22:
                if (other.obf_last_len >= 36 && other.obf_last_len <= 70) {
                    other.kad_state = kOudpSizex22;
                    other.obf_state = true;
                    s.kad_state = kOudpSizex22;
                }
                break;
            default:
                if (len >= 52 && (len - 52) % 25 == 0) {
                    if (other.kad_state == kOudpReq43) {
                        other.kad_state = kOudpRes52K25;
                        other.obf_state = true;
                        s.kad_state = kOudpRes52K25;
                    } else if (len == 52 && other.obf_last_len >= 46 &&
                               other.obf_last_len <= 57) {
                        other.kad_state = kOudpSizex52;
                        other.obf_state = true;
                        s.kad_state = kOudpSizex52;
                    } else {
                        other.kad_state = kOudpUnknown;
                    }
                } else if (len >= 68 && (len - 68) % 25 == 0) {
                    if (other.kad_state == kOudpReq59) {
                        other.kad_state = kOudpRes68K25;
                        other.obf_state = true;
                        s.kad_state = kOudpRes68K25;
                    } else {
                        other.kad_state = kOudpUnknown;
                    }
                } else if (len >= 46 && len <= 57 && other.obf_last_len >= 46 &&
                           other.obf_last_len <= 57) {
                    other.kad_state = kOudpSizeIn4657;
                    other.obf_state = true;
                    s.kad_state = kOudpSizeIn4657;
                } else {
                    me.kad_state = kOudpUnknown;
                    other.kad_state = kOudpUnknown;
                }
                break;
        }
        me.obf_last_len = static_cast<uint8_t>(udp_len < 255 ? udp_len : 255);
    }
}

// search_QUIC_SNI(): the packet's CRYPTO bytes appended to what was gathered, then the
// ClientHello parsed again (spec §9.11).
void UdpClassifier::quic_initial(QuicDetails& q, const quic::LongHeader& h,
                                 std::span<const uint8_t> udp) noexcept {
    const size_t offset = 18u + h.dcid_len + h.scid_len + h.token_len;
    const size_t gathered = q.hello != flow::kNil ? quic_->hellos[q.hello].len : 0;
    const size_t got = quic_->decryptor.crypto_bytes(udp, offset, h, gathered, quic_->scratch);
    if (got == 0 && q.hello == flow::kNil) return;   // nothing gathered, nothing to parse
    if (q.hello == flow::kNil) q.hello = quic_->hellos.alloc();
    QuicHello& hello = quic_->hellos[q.hello];
    if (got > 0 && hello.len + got < quic::kMaxHello) {
        std::memcpy(hello.bytes + hello.len, quic_->scratch, got);
        hello.len = static_cast<uint16_t>(hello.len + got);
    }
    quic::HelloFields hf;
    parse_client_hello({hello.bytes, hello.len}, hf);
    if ((hf.have_sni || hf.have_ua) && q.names == flow::kNil) q.names = quic_->names.alloc();
    if (q.names != flow::kNil) {
        QuicNames& n = quic_->names[q.names];
        if (hf.have_sni && !n.have_sni) {
            n.have_sni = true;
            n.sni_len = static_cast<uint8_t>(quic::url_encode(hf.sni, n.sni, sizeof n.sni));
        }
        if (hf.have_ua && !n.have_ua) {
            n.have_ua = true;
            n.ua_len = static_cast<uint8_t>(quic::url_encode(hf.ua, n.ua, sizeof n.ua));
        }
    }
    if (hf.have_ech) q.ech = hf.ech;
    if (hf.complete) {
        q.hello_done = true;
        quic_->release_hello(q);
    }
}

size_t UdpClassifier::live_quic_hellos() const noexcept { return quic_->hellos.live(); }

uint8_t UdpClassifier::log_type(const UdpFlow& f, const UdpDirection& d,
                                uint8_t kad_state) noexcept {
    switch (d.type) {
        case udp_type::kUnknown:
        case udp_type::kFirstRtp:
        case udp_type::kFirstRtcp:
        case udp_type::kFirstRtpPlus:
            // UDP_p2p_to_logtype(): the obfuscated-KAD verdict, unless NTP is involved.
            if (kad_state == kOudpRes52K25 || kad_state == kOudpRes68K25 ||
                kad_state == kOudpSizeIn4657 || kad_state == kOudpSizex22 ||
                kad_state == kOudpSizex52) {
                if (f.key.a_port != 123 && f.key.b_port != 123) return udp_type::kOkad;
            }
            return d.type;
        case udp_type::kSkypeE2e:
        case udp_type::kSkypeOut: return udp_type::kUnknown;   // no Bayesian confirmation
        default: return d.type;
    }
}

void UdpClassifier::closed(UdpFlow& f, UdpL7& l7, DnsLabel& dns) noexcept {
    if (f.ext == flow::kNil) return;
    State& s = states_[f.ext];
    l7.c_type = log_type(f, f.c2s, s.kad_state);
    l7.s_type = log_type(f, f.s2c, s.kad_state);
    l7.quic_both = s.c2s.is_quic && s.s2c.is_quic;
    if (s.quic != flow::kNil) {
        const QuicDetails& q = quic_->details[s.quic];
        l7.quic_c_vers = q.c_vers;
        l7.quic_s_vers = q.s_vers;
        l7.quic_zero_rtt = q.zero_rtt;
        l7.quic_ech = q.ech;
        if (q.names != flow::kNil) {
            const QuicNames& n = quic_->names[q.names];
            if (n.have_sni) l7.quic_sni = std::string_view(n.sni, n.sni_len);
            if (n.have_ua) l7.quic_ua = std::string_view(n.ua, n.ua_len);
        }
        quic_->release(s.quic);
    }
    // make_rtp_conn_stats(): rows only for flows Tstat logs (an internal end).
    if (s.rtp != flow::kNil) {
        if (cfg_.mm_log && sink_ != nullptr && (f.internal_src || f.internal_dst) &&
            rtp::RtpClassifier::logged(f))
            sink_->mm_flow(MmEvent{&f, &rtp_, s.rtp});
        rtp_.release(s.rtp);
    }
    take_label(s.label, dns);
    states_.release(f.ext);
    f.ext = flow::kNil;
}

}  // namespace tstat::classify
