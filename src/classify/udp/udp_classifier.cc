#include "classify/udp/udp_classifier.h"

#include <cstring>

#include "classify/protocols/ipp2p/udp_matchers.h"
#include "classify/protocols/quic/quic_header.h"
#include "classify/protocols/quic/quic_initial.h"
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

// QUIC details of a flow, allocated at its first Initial (spec §9.11).
struct QuicDetails {
    uint32_t c_vers = 0;
    uint32_t s_vers = 0;
    uint8_t zero_rtt = 0;   // uint8_t in Tstat
    int ech = 0;
    uint16_t hello_len = 0;
    bool have_sni = false;
    bool have_ua = false;
    char sni[240];
    char ua[240];
    uint8_t sni_len = 0;
    uint8_t ua_len = 0;
    uint8_t hello[quic::kMaxHello];
};

class QuicEngine {
public:
    flow::Pool<QuicDetails, 4> pool;
    quic::InitialDecryptor decryptor;
    uint8_t scratch[quic::kMaxPacket];
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

void UdpClassifier::opened(UdpFlow& flow) noexcept {
    flow.ext = states_.alloc();
    State& s = states_[flow.ext];
    s.label = label_flow(flow.key.a, flow.key.b);
}

void UdpClassifier::p2p(UdpDirection& d, const UdpFlow& f, std::span<const uint8_t> udp,
                        uint16_t udp_len) noexcept {
    if (d.type != udp_type::kUnknown && d.type != udp_type::kUtp) return;
    if (d.packets > kMaxUnknownPackets) return;
    const int code = ipp2p::match_udp(ipp2p::Datagram{udp, udp_len});
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
    // ldns gets the IP payload length less the UDP header; bounded here by the capture
    // (Tstat reads on into its buffer: see docs/udp_classification.md).
    if (pkt.l4_len < 8) return;
    size_t len = pkt.l4_len - 8;
    if (len > udp.size() - 8) len = udp.size() - 8;
    const std::span<const uint8_t> msg = udp.subspan(8, len);
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

    p2p(d, f, udp, pkt.udp.length);
    if (cfg_.dn_hunter) dn_hunter_feed(f, pkt, udp);
    if (cfg_.dns_log) dns_log(f, dir, d, pkt, udp);
    behaviour(f, s, dir, udp, pkt.udp.length);
}

void UdpClassifier::behaviour(UdpFlow& f, State& s, Dir dir, std::span<const uint8_t> udp,
                              uint16_t udp_len) noexcept {
    DirState& me = s.dir(dir);
    DirState& other = s.dir(dir == Dir::kC2S ? Dir::kS2C : Dir::kC2S);
    UdpDirection& d = f.dir(dir);
    UdpDirection& od = f.dir(dir == Dir::kC2S ? Dir::kS2C : Dir::kC2S);
    const size_t data_len = udp.size();
    auto at = [&](size_t i) -> uint8_t { return i < data_len ? udp[i] : 0; };
    auto be16 = [&](size_t i) { return static_cast<uint16_t>(at(i) << 8 | at(i + 1)); };
    auto reclassify = [](UdpDirection& x, uint8_t to, bool bt) {
        x.type = (bt && x.type == udp_type::kBt) ? udp_type::kUtpBt : to;
    };

    // uTP (BitTorrent): type/version byte, then a matching connection id both ways.
    if (f.packets < kMaxUdpUtp && !(me.is_utp && other.is_utp) && data_len >= 28 &&
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
    if (f.packets < kMaxUdpQuic && !(me.is_quic && other.is_quic) && data_len >= 27 &&
        udp_len != 0 && (me.quic_state == kQuicUnknown || me.quic_state == kQuicOpenSent)) {
        const quic::LongHeader h = quic::parse_long_header(udp.subspan(8));
        QuicDetails* q = s.quic != flow::kNil ? &quic_->pool[s.quic] : nullptr;
        if (h.long_form && h.packet_type == 0 && h.fixed_bit && h.dcid_len <= 20 &&
            h.scid_len <= 20) {
            if (q == nullptr) {
                s.quic = quic_->pool.alloc();
                q = &quic_->pool[s.quic];
                q->hello_len = 0;
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
            const size_t offset = 18u + h.dcid_len + h.scid_len + h.token_len;
            const size_t got =
                quic_->decryptor.crypto_bytes(udp, offset, h, q->hello_len, quic_->scratch);
            if (got > 0 && q->hello_len + got < quic::kMaxHello) {
                std::memcpy(q->hello + q->hello_len, quic_->scratch, got);
                q->hello_len = static_cast<uint16_t>(q->hello_len + got);
            }
            quic::HelloFields hf;
            parse_client_hello({q->hello, q->hello_len}, hf);
            if (hf.have_sni && !q->have_sni) {
                q->have_sni = true;
                q->sni_len = static_cast<uint8_t>(
                    quic::url_encode(hf.sni, q->sni, sizeof q->sni));
            }
            if (hf.have_ua && !q->have_ua) {
                q->have_ua = true;
                q->ua_len = static_cast<uint8_t>(quic::url_encode(hf.ua, q->ua, sizeof q->ua));
            }
            if (hf.have_ech) q->ech = hf.ech;
            // Tstat's coalesced 0-RTT check parses 5 bytes, which it never accepts: no count.
        } else if (me.quic_state == kQuicOpenSent && h.long_form && h.packet_type == 1 &&
                   h.dcid_len > 0 && h.fixed_bit && h.dcid_len <= 20 && h.scid_len <= 20 &&
                   q != nullptr) {
            ++q->zero_rtt;
        }
        if (me.is_quic && other.is_quic) {
            d.type = udp_type::kQuic;
            od.type = udp_type::kQuic;
        }
    }

    // MPEG-2 TS over UDP (VOD): 7 TS packets per datagram, sync byte 0x47 or a constant
    // scrambled signature in 3 datagrams.
    if (f.packets < kMaxUdpVod && !(me.is_vod && other.is_vod)) {
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
                me.vod_sig[1] = two ? at(196) : -1;
                me.vod_count = 1;
            } else if (me.vod_sig[0] == at(8) && (!two || me.vod_sig[1] == at(196))) {
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
    if (f.packets < kMaxUdpObfuscate && !me.obf_state && !other.obf_state) {
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
        me.obf_last_len = udp_len;
    }
}

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
        QuicDetails& q = quic_->pool[s.quic];
        l7.quic_c_vers = q.c_vers;
        l7.quic_s_vers = q.s_vers;
        l7.quic_zero_rtt = q.zero_rtt;
        l7.quic_ech = q.ech;
        if (q.have_sni) l7.quic_sni = std::string_view(q.sni, q.sni_len);
        if (q.have_ua) l7.quic_ua = std::string_view(q.ua, q.ua_len);
        quic_->pool.release(s.quic);
    }
    take_label(s.label, dns);
    states_.release(f.ext);
    f.ext = flow::kNil;
}

}  // namespace tstat::classify
