#include "classify/tcp/tcp_classifier.h"

#include <cmath>
#include <cstdio>
#include <cstring>

#include "classify/protocols/bittorrent/bittorrent_matcher.h"
#include "classify/protocols/chat/chat_parser.h"
#include "classify/protocols/edonkey/edonkey_matcher.h"
#include "classify/protocols/http/http_header.h"
#include "classify/protocols/video/video_parser.h"

namespace tstat::classify::tcp {

using flow::Dir;
using flow::kNil;
using flow::tcp::TcpFlow;

namespace {

// Tstat's packet budgets (tstat/tcpL7.h, tstat/videoL7.h)
constexpr uint32_t kMaxPacketsCon = 50;
constexpr uint32_t kMaxUnknownPackets = 40;
constexpr uint32_t kMaxHttpCommandPackets = 20;
constexpr uint32_t kMaxHttpResponsePackets = 30;
constexpr uint32_t kMaxRtspCommandPackets = 20;
constexpr uint32_t kMaxRtspResponsePackets = 30;
constexpr uint32_t kMaxSslHandshakePackets = 10;
constexpr uint8_t kMaxHttpStreamingDepth = 5;
constexpr int kP2pMinPayload = 20;   // matchlist packet_len of both TCP matchers
constexpr double kLog2 = 0.6931471805599453;

// Chat flow types (msn.h, ymsg.h, jabber.h)
constexpr int32_t kMsnLogin = 1, kMsnPresence = 2, kMsnChat = 3, kMsnHttpTunneling = 4;
constexpr int32_t kYmsgPresence = 2, kYmsgChat = 3, kYmsgPresenceChat = 4, kYmsgP2p = 5,
                  kYmsgYmsg = 9;
constexpr int32_t kJabberPresence = 2, kJabberChat = 3;

// The FRAGMENT_* values of http.c
enum Fragment : uint8_t { kFragNone, kFragPath, kFragUserAgent, kFragReferer, kFragCookie,
                          kFragSetCookie, kFragLocation };

constexpr int side(Dir d) { return d == Dir::kC2S ? 0 : 1; }

bool alnum(uint8_t c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool digit(uint8_t c) { return c >= '0' && c <= '9'; }

// memcmp(pdata, "DELETE ", 7) and friends (http.c verify_long_method)
bool long_method(const Payload& p) {
    if (p.word("DELE")) return p.eq(0, "DELETE ");
    if (p.word("PATC")) return p.eq(0, "PATCH ");
    if (p.word("OPTI")) return p.eq(0, "OPTIONS ");
    return false;
}

// tcpL7.c ssh_header_check
bool ssh_header(const Payload& p) {
    return (p.at(4) == '1' || p.at(4) == '2') && p.at(5) == '.' && digit(p.at(6));
}

// tcpL7.c is_imap_tag: a space after a letter or digit within the first six bytes
bool imap_tag(const Payload& p) {
    for (int i = 1; i < 6; ++i)
        if (p.at(static_cast<size_t>(i)) == ' ' && alnum(p.at(static_cast<size_t>(i - 1))))
            return true;
    return false;
}

// The "\\.x\\.y$" name patterns of tcp.c/tls_services.c
bool ends_with(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

}  // namespace

// Tstat's global buffers of http.c: values survive from one call to the next (and from one
// flow to another), which the continuation rows can show.
struct HttpScratch {
    BoundedString<1599> url;
    BoundedString<1599> referer;
    BoundedString<1599> user_agent;
    BoundedString<1599> cookie;
    BoundedString<1599> fragment;
    BoundedString<1599> url_private;
    BoundedString<1599> referer_private;
    BoundedString<199> host;
    BoundedString<199> dnt;
    BoundedString<199> content_type;
    BoundedString<199> content_length;
    BoundedString<199> range;
    BoundedString<199> server;
    BoundedString<9> method;
    BoundedString<4> response;
};

struct TcpClassifier::Seg {
    Dir dir;
    bool c2s;
    Payload p;
    const decode::TcpHeader* th;
    Timestamp now;
};

TcpClassifier::TcpClassifier(const TcpClassifierConfig& cfg)
    : cfg_(cfg), http_scratch_(std::make_unique<HttpScratch>()) {
    http_scratch_->url = "-";
    http_scratch_->referer = "-";
    http_scratch_->user_agent = "-";
    http_scratch_->cookie = "-";
}

TcpClassifier::~TcpClassifier() = default;

TlsInfo& TcpClassifier::tls(FlowDpi& s) {
    if (s.tls == kNil) s.tls = tls_.alloc();
    return tls_[s.tls];
}
HttpInfo& TcpClassifier::http(FlowDpi& s) {
    if (s.http == kNil) s.http = http_.alloc();
    return http_[s.http];
}
FlowExtra& TcpClassifier::extra(FlowDpi& s) {
    if (s.extra == kNil) s.extra = extra_.alloc();
    return extra_[s.extra];
}
RateState& TcpClassifier::rates(uint32_t h) {
    constexpr uint32_t kBits = 12;
    const uint32_t chunk = h >> kBits;
    while (rate_chunks_.size() <= chunk)
        rate_chunks_.push_back(std::make_unique<RateState[]>(size_t{1} << kBits));
    return rate_chunks_[chunk][h & ((1u << kBits) - 1)];
}
void TcpClassifier::set_string(uint32_t& id, std::string_view v) {
    const uint32_t nid = strings_.intern(v);
    strings_.release(id);
    id = nid;
}

void TcpClassifier::opened(TcpFlow& flow) noexcept {
    flow.ext = flows_.alloc();
    if (cfg_.video_rates) rates(flow.ext) = RateState{};
}

void TcpClassifier::packet(TcpFlow& f, Dir dir, const decode::DecodedPacket& pkt) noexcept {
    if (f.ext == kNil) return;
    FlowDpi& s = flows_[f.ext];
    Seg g;
    g.dir = dir;
    g.c2s = dir == Dir::kC2S;
    g.th = &pkt.tcp;
    g.now = pkt.ts;
    // Tstat's pdata / data_length / payload_len (data_length counts its plast off-by-one).
    const int32_t hdr = static_cast<int32_t>(pkt.ip_header_len) + 4 * pkt.tcp.data_offset;
    g.p.data = pkt.l4 ? pkt.l4 + 4 * pkt.tcp.data_offset : nullptr;
    g.p.data_length = static_cast<int32_t>(pkt.tstat_ip_caplen) - hdr;
    if (g.p.data == nullptr) g.p.data_length = 0;
    g.p.payload_len = pkt.payload_len;

    if (cfg_.video_rates) rate_packet(f, g);
    track_messages(f, s, g);

    // proto_analyzer(): the TCP plugins in Tstat's order
    p2p_stage(f, s, g);
    l7_stage(f, s, g);
    stream_stage(f, s, g);
    http_stage(f, s, g);
    if (g.th->fin() && s.con_type == 0) mse_check(f, s);   // BEHAVIORAL
    // make_tcpL7_rate_stats() -> map_flow_type(): may drop RTMP
    if (s.con_type & con::kRtmp) rtmp_map(f, s);
    if (s.work != kNil) settle_work(s);
}

// ---- MSE and RTMP (tcpL7.c mse_protocol_check, compute_nibbles, map_flow_type) ----

// The flow engine counts PSH-delimited messages (spec §8.5); the two tests need the sizes of
// the first two per side. The working record is made at the first segment with payload or
// with a message boundary: before that a side can only have had one zero-length boundary,
// whose msg_last_seq the record picks up, so the sizes come out as Tstat's msg_size[].
void TcpClassifier::track_messages(const TcpFlow& f, FlowDpi& s, const Seg& g) noexcept {
    if (s.work == kNil) {
        if (s.mse_settled && s.rtmp_settled) return;
        if (g.p.payload_len == 0 && f.c2s.msg_last_seq == 0 && f.s2c.msg_last_seq == 0) return;
        s.work = work_.alloc();
        DpiWork& w = work_[s.work];
        for (int d = 0; d < 2; ++d) {
            const auto& t = d == 0 ? f.c2s : f.s2c;
            w.msg_last_seq[d] = t.msg_count == 0 ? t.msg_last_seq : 0;
        }
    }
    DpiWork& w = work_[s.work];
    const int d = side(g.dir);
    const auto& t = f.dir(g.dir);
    if (t.msg_count > w.msg_seen[d] && w.msg_seen[d] < 2) {
        const uint32_t last = t.msg_last_seq;
        const uint32_t prev = w.msg_last_seq[d];
        w.msg_size[d][w.msg_seen[d]] = prev == 0 ? last - t.syn - 1 : last - prev;
        ++w.msg_seen[d];
        w.msg_last_seq[d] = last;
    }
}

void TcpClassifier::add_nibbles(DpiWork& w, const Payload& p) noexcept {
    if (w.nibble_packets >= 4) return;
    const size_t n = p.size() < cfg_.entropy_sample ? p.size() : cfg_.entropy_sample;
    for (size_t i = 0; i < n; ++i) {
        const uint8_t c = p.data[i];
        ++w.nibbles_l[c & 0x0f];
        ++w.nibbles_h[(c >> 4) & 0x0f];
    }
    w.nibble_count = static_cast<uint16_t>(w.nibble_count + n);
    ++w.nibble_packets;
}

namespace {
double nibble_entropy(const uint16_t (&bins)[16], uint16_t count) {
    double e = 0.0;
    if (count == 0) return 0.0;
    for (int i = 0; i < 16; ++i) {
        if (bins[i] == 0) continue;
        const double p = bins[i] * 1.0 / count;
        e += (-1.0) * p * std::log(p);
    }
    return e / kLog2;
}
bool in_mse_range(uint32_t v) { return v >= 96 && v <= 608; }
}  // namespace

bool TcpClassifier::entropy_above(const DpiWork& w) const noexcept {
    return nibble_entropy(w.nibbles_h, w.nibble_count) > cfg_.entropy_threshold &&
           nibble_entropy(w.nibbles_l, w.nibble_count) > cfg_.entropy_threshold;
}

bool TcpClassifier::mse_length_test(const DpiWork& w) noexcept {
    const uint32_t c0 = w.msg_size[0][0], c01 = w.msg_size[0][0] + w.msg_size[0][1];
    const uint32_t s0 = w.msg_size[1][0], s01 = w.msg_size[1][0] + w.msg_size[1][1];
    if (in_mse_range(c0)) return in_mse_range(s0) || in_mse_range(s01);
    if (in_mse_range(c01)) return in_mse_range(s0) || in_mse_range(s01);
    return false;
}

bool TcpClassifier::rtmp_size_test(const DpiWork& w) noexcept {
    const uint32_t c0 = w.msg_size[0][0], c01 = w.msg_size[0][0] + w.msg_size[0][1];
    const uint32_t s0 = w.msg_size[1][0], s01 = w.msg_size[1][0] + w.msg_size[1][1];
    if (c0 == 1537 && (s0 == 3073 || s0 == 1537)) return true;
    return c01 == 1537 && (s0 == 3073 || s0 == 1537 || s01 == 3073 || s01 == 1537);
}

// mse_protocol_check(): both sides opened with 96-608 bytes of high-entropy data.
void TcpClassifier::mse_check(const TcpFlow& f, FlowDpi& s) noexcept {
    if (f.c2s.msg_count == 0 || f.s2c.msg_count == 0) return;
    bool length_ok, entropy_ok;
    if (s.work != kNil) {
        const DpiWork& w = work_[s.work];
        length_ok = mse_length_test(w);
        entropy_ok = length_ok && entropy_above(w);
    } else if (s.mse_settled) {
        length_ok = s.mse_length_ok;
        entropy_ok = s.mse_entropy_ok;
    } else {
        return;   // no payload seen: sizes and entropy are zero
    }
    if (length_ok && entropy_ok && s.con_type == 0) s.con_type |= con::kMse;
}

// map_flow_type(): an RTMP flow whose first two messages are not the handshake's sizes
// never was one (tstat/tcpL7.c; evaluated after every segment).
void TcpClassifier::rtmp_map(const TcpFlow& f, FlowDpi& s) noexcept {
    if (f.c2s.msg_count == 0 || f.s2c.msg_count == 0) return;
    bool ok;
    if (s.work != kNil)
        ok = rtmp_size_test(work_[s.work]);
    else if (s.rtmp_settled)
        ok = s.rtmp_sizes_ok;
    else
        ok = false;
    if (!ok && f.c2s.msg_count > 1 && f.s2c.msg_count > 1) s.con_type &= ~con::kRtmp;
}

// Drop the working record once neither test can change any more.
void TcpClassifier::settle_work(FlowDpi& s) noexcept {
    const DpiWork& w = work_[s.work];
    const bool sizes_final = w.msg_seen[0] >= 2 && w.msg_seen[1] >= 2;
    // MSE can only fire while con_t is 0, and con_t returns to 0 only from RTMP alone.
    const bool mse_done =
        (s.con_type != 0 && s.con_type != con::kRtmp) ||
        (sizes_final && (w.nibble_packets >= 4 || s.state == L7State::kIgnore));
    // RTMP is set once, when the first byte of each side was seen (and only while the FSM runs).
    const bool rtmp_impossible = (s.rtmp_c2s_seen && !s.rtmp_c2s_hand) ||
                                 (s.rtmp_s2c_seen && !s.rtmp_s2c_hand) ||
                                 s.state == L7State::kIgnore;
    const bool rtmp_done = (!(s.con_type & con::kRtmp) && rtmp_impossible) || sizes_final;
    if (!mse_done || !rtmp_done) return;
    s.mse_length_ok = mse_length_test(w);
    s.mse_entropy_ok = s.mse_length_ok && entropy_above(w);
    s.rtmp_sizes_ok = rtmp_size_test(w);
    s.mse_settled = s.rtmp_settled = true;
    work_.release(s.work);
    s.work = kNil;
}

// ---- P2P plugin (tstat/p2p.c p2p_flow_stat, p2p_tcp_match) ----

void TcpClassifier::p2p_stage(TcpFlow& f, FlowDpi& s, const Seg& g) noexcept {
    if (s.p2p_ignore || f.ignore_dpi) return;
    const Payload& p = g.p;
    int code = 0;
    edonkey::Match edk;
    if (p.data_length > 0 && p.payload_len != 0 && p.payload_len > kP2pMinPayload) {
        edk = edonkey::search_all_edk({p.data, p.data_length, p.payload_len});
        code = edk.code;
        if (code == 0) code = bittorrent::search_bittorrent({p.data, p.data_length, p.payload_len});
    }
    if (code != 0) {
        s.con_type |= con::kP2p;
        s.con_type &= ~(con::kObf | con::kMse);
        if (s.p2p_type != 0 && s.p2p_type / 100 != code / 100) {
            // a second protocol: Tstat keeps the first
        } else {
            s.p2p_type = static_cast<uint16_t>(code);
        }
        if (code / 100 == edonkey::kProtocol) {
            FlowExtra& x = extra(s);
            if (edonkey::is_data(edk.type, edk.opcode))
                ++x.p2p_data;
            else
                ++x.p2p_sig;
            if (edk.opcode != 0x01) {
                if (edonkey::is_client_server(edk.type, edk.opcode))
                    ++x.p2p_c2s;
                else
                    ++x.p2p_c2c;
            }
            if (edonkey::is_chat(edk.type, edk.opcode)) ++x.p2p_msg;
        }
    }
    // eDonkey flows keep counting messages for their whole life.
    if (s.p2p_type / 100 != edonkey::kProtocol && f.packets() > kMaxPacketsCon) s.p2p_ignore = true;
}

// ---- TCPL7 plugin: the con_t state machine (tstat/tcpL7.c tcpL7_flow_stat) ----

namespace {
// Bits of FlowDpi::obf (ed2k_obfuscate_check states)
constexpr uint8_t kObf11 = 1, kObf11_83 = 2, kObf22 = 4, kObf6 = 8;

void ed2k_obfuscate_check(FlowDpi& s, int32_t payload_len) {
    switch (payload_len) {
        case 11: s.obf |= kObf11; break;
        case 83:
            if (s.obf & kObf11) s.obf |= kObf11_83;
            break;
        case 55:
            if ((s.obf & kObf11_83) || (s.obf & kObf11)) s.con_type |= con::kObf;
            break;
        case 22: s.obf |= kObf22; break;
        case 18:
            if (s.obf & kObf22) s.con_type |= con::kObf;
            break;
        case 6: s.obf |= kObf6; break;
        case 46:
            if (s.obf & kObf6) s.con_type |= con::kObf;
            break;
        default: break;
    }
}

// rtmp_handshake_check(): the first byte of each side's first in-order segment.
void rtmp_handshake_check(const TcpFlow& f, FlowDpi& s, const Payload& p, bool c2s) {
    if (s.rtmp_c2s_seen && s.rtmp_s2c_seen) return;
    const uint8_t c = p.at(0);
    if (c2s && f.c2s.seq - f.c2s.syn - static_cast<uint32_t>(p.payload_len) == 1 &&
        !s.rtmp_c2s_seen) {
        s.rtmp_c2s_seen = true;
        if (c == 0x03 || c == 0x06 || c == 0x08) s.rtmp_c2s_hand = true;
    }
    if (!c2s && f.s2c.seq - f.s2c.syn - static_cast<uint32_t>(p.payload_len) == 1 &&
        !s.rtmp_s2c_seen) {
        s.rtmp_s2c_seen = true;
        if (c == 0x03 || c == 0x06 || c == 0x08 || c == 0x09 || c == 0x0a) s.rtmp_s2c_hand = true;
    }
    if (s.rtmp_c2s_hand && s.rtmp_s2c_hand) s.con_type |= con::kRtmp;
}

void set_protocol(FlowDpi& s, uint32_t bit) {
    s.con_type |= bit;
    s.con_type &= ~(con::kObf | con::kMse);
}

// MSN commands the FSM reacts to from the server
enum MsnStart { kMsnNone, kMsnVer, kMsnUsr, kMsnAns, kMsnIro };
MsnStart msn_start(const Payload& p) {
    if (p.word("VER ")) return kMsnVer;
    if (p.word("USR ")) return kMsnUsr;
    if (p.word("ANS ")) return kMsnAns;
    if (p.word("IRO ")) return kMsnIro;
    return kMsnNone;
}
}  // namespace

void TcpClassifier::l7_stage(TcpFlow& f, FlowDpi& s, const Seg& g) noexcept {
    if (s.state == L7State::kIgnore) return;
    const Payload& p = g.p;
    if (p.data_length <= 0 || p.payload_len == 0) return;

    if (s.work != kNil) add_nibbles(work_[s.work], p);
    if (g.th->ack_set() && g.th->psh()) ed2k_obfuscate_check(s, p.payload_len);
    rtmp_handshake_check(f, s, p, g.c2s);
    if (s.con_type == 0) mse_check(f, s);

    switch (s.state) {
        case L7State::kUnknown: {
            bool stop = false;
            l7_unknown(f, s, g, stop);
            if (stop) return;
            break;
        }
        case L7State::kFb0Opening:
            if (!g.c2s && p.has(6)) {
                if (p.word("1QTV")) {
                    set_protocol(s, con::kFb0);
                    s.state = L7State::kIgnore;
                    break;
                }
                if (f.packets() > kMaxHttpCommandPackets) s.state = L7State::kIgnore;
            }
            break;
        case L7State::kSmtpOpening:
            if (g.c2s && p.has(4)) {
                if (p.word("HELO") || p.word("EHLO") || p.word("helo") || p.word("ehlo")) {
                    set_protocol(s, con::kSmtp);
                    s.state = L7State::kIgnore;
                }
                if (f.packets() > kMaxHttpCommandPackets) s.state = L7State::kIgnore;
            }
            break;
        case L7State::kPop3Opening:
            if (g.c2s && p.has(4)) {
                if (p.word("USER") || p.word("QUIT") || p.word("APOP")) {
                    set_protocol(s, con::kPop3);
                    s.state = L7State::kIgnore;
                }
                if (f.packets() > kMaxHttpCommandPackets) s.state = L7State::kIgnore;
            }
            break;
        case L7State::kImapOpening:
            if (g.c2s && p.has(6)) {
                if (imap_tag(p)) {
                    s.state = L7State::kImapCommand;
                    break;
                }
                if (f.packets() > kMaxHttpCommandPackets) s.state = L7State::kIgnore;
            }
            break;
        case L7State::kImapCommand:
            if (!g.c2s && p.has(6)) {
                if ((p.at(0) == '*' && p.at(1) == ' ') || imap_tag(p)) {
                    set_protocol(s, con::kImap);
                    s.state = L7State::kIgnore;
                    break;
                }
                if (f.packets() > kMaxHttpCommandPackets) s.state = L7State::kIgnore;
            }
            break;
        case L7State::kHttpCommand:
            if (!g.c2s && p.has(4)) {
                if (p.word("HTTP")) {
                    set_protocol(s, con::kHttp);
                    s.state = L7State::kHttpResponse;
                    HttpInfo& h = http(s);
                    h.response_len = 0;
                    if (p.has(13)) {
                        for (int i = 0; i < 3 && digit(p.at(static_cast<size_t>(9 + i))); ++i)
                            h.response[h.response_len++] = static_cast<char>(p.at(static_cast<size_t>(9 + i)));
                    }
                    if (h.response_len == 0) {
                        std::memcpy(h.response, "000", 3);
                        h.response_len = 3;
                    }
                } else if (p.word("ICY ")) {
                    set_protocol(s, con::kIcy);
                    s.state = L7State::kIgnore;
                } else if (const MsnStart m = msn_start(p); m != kMsnNone) {
                    msn_server_update(s, g, m, true);
                }
                if (f.packets() > kMaxHttpCommandPackets) s.state = L7State::kIgnore;
            }
            break;
        case L7State::kHttpResponse:
            l7_http_response(f, s, g);
            break;
        case L7State::kRtspCommand:
            if (!g.c2s && p.has(4)) {
                if (p.word("RTSP")) {
                    s.state = L7State::kRtspResponse;
                    set_protocol(s, con::kRtsp);
                }
                if (f.packets() > kMaxRtspCommandPackets) s.state = L7State::kIgnore;
            }
            break;
        case L7State::kRtspResponse:
            // RTP over RTSP is compiled out in Tstat 3.3 (RTP_CLASSIFIER_DISABLED).
            if (f.packets() > kMaxRtspResponsePackets) s.state = L7State::kIgnore;
            break;
        case L7State::kYmsg:
            ymsg_packet(f, s, g);
            return;
        case L7State::kXmpp:
            jabber_packet(f, s, g);
            return;
        case L7State::kMsnVerS2C:
        case L7State::kMsnUsrS2C:
        case L7State::kMsnIroCommand:
            msn_packet(f, s, g);
            return;
        case L7State::kMsnVerC2S:
        case L7State::kMsnUsrC2S:
        case L7State::kMsnAnsCommand:
            if (!g.c2s && p.has(4)) {
                if (const MsnStart m = msn_start(p); m != kMsnNone) msn_server_update(s, g, m, false);
            }
            break;
        case L7State::kSslHandshake:
            l7_ssl_handshake(f, s, g);
            break;
        case L7State::kSslData:
            l7_ssl_data(f, s, g);
            break;
        case L7State::kSshServer:
            if (g.c2s && p.has(7)) {
                if (p.word("SSH-") && ssh_header(p)) {
                    set_protocol(s, con::kSsh);
                    s.state = L7State::kIgnore;
                }
                if (f.packets() > kMaxHttpCommandPackets) s.state = L7State::kIgnore;
            }
            break;
        default:
            break;
    }

    if (f.packets() > kMaxPacketsCon) s.state = L7State::kIgnore;
    // The last handshake packet of each side (printed for TLS flows only, which have a record
    // from their ClientHello on: earlier values would be overwritten anyway).
    if (s.tls != kNil && s.state != L7State::kIgnore) {
        TlsInfo& t = tls_[s.tls];
        if (g.c2s && !t.data_seen_c)
            t.before_data[0] = g.now;
        else if (!g.c2s && !t.data_seen_s)
            t.before_data[1] = g.now;
    }
}

void TcpClassifier::l7_unknown(TcpFlow& f, FlowDpi& s, const Seg& g, bool& stop) noexcept {
    const Payload& p = g.p;
    if (!p.has(4)) {
        stop = true;   // return: the end-of-function updates are skipped too
        return;
    }
    if (p.word("GET ")) {
        if (g.c2s) {
            s.state = L7State::kHttpCommand;
            classify_request(s, g, false, true);
        }
    } else if (p.word("POST")) {
        if (g.c2s) {
            s.state = L7State::kHttpCommand;
            classify_request(s, g, true, true);
        }
    } else if (p.word("PATC") || p.word("OPTI") || p.word("DELE")) {
        if (g.c2s && long_method(p)) s.state = L7State::kHttpCommand;
    } else if (p.word("HEAD") || p.word("PUT ")) {
        if (g.c2s) s.state = L7State::kHttpCommand;
    } else if (p.word("YMSG")) {
        s.state = L7State::kYmsg;
        set_protocol(s, con::kYmsg);
        if (!p.has(5)) {
            stop = true;
            return;
        }
        FlowExtra& x = extra(s);
        x.ymsg[0].version = x.ymsg[1].version = p.at(5) | p.at(6) << 8;   // little-endian read
    } else if (p.word("<str")) {
        s.state = L7State::kXmpp;
        set_protocol(s, con::kXmpp);
    } else if (const MsnStart m = msn_start(p); m != kMsnNone) {
        if (g.c2s) {
            FlowExtra& x = extra(s);
            if (m == kMsnVer) {
                x.msn[0].ver = true;
                s.state = L7State::kMsnVerC2S;
            } else if (m == kMsnUsr) {
                x.msn[0].usr = true;
                s.state = L7State::kMsnUsrC2S;
            } else if (m == kMsnAns) {
                s.state = L7State::kMsnAnsCommand;
            } else {
                s.state = L7State::kMsnIroCommand;
            }
        } else {
            msn_server_update(s, g, m, false);
        }
    } else if (p.word("DESC")) {
        if (g.c2s && p.has(8) && p.eq(0, "DESCRIBE")) s.state = L7State::kRtspCommand;
    } else if (p.word("220 ")) {
        if (!g.c2s) s.state = L7State::kSmtpOpening;
    } else if (p.word("+OK ") || p.word("-ERR")) {
        if (!g.c2s) s.state = L7State::kPop3Opening;
    } else if (p.word("* OK")) {
        if (!g.c2s) s.state = L7State::kImapOpening;
    } else if (p.word("SSH-")) {
        if (!g.c2s && p.has(7) && ssh_header(p)) s.state = L7State::kSshServer;
    } else if (p.word("1QTV")) {
        if (g.c2s && p.has(14)) {
            bool found = false;
            BoundedString<119> sni;
            if (tls::parse_fb0_hello({p.data, p.data_length}, found, sni)) {
                s.state = L7State::kFb0Opening;
                if (found) set_string(tls(s).sni, sni.view());
            }
        }
    } else if (!(g.c2s && p.has(6) && client_hello(f, s, g))) {
        if (f.packets() > kMaxUnknownPackets) s.state = L7State::kIgnore;
    }
}

// GET/POST in UNKNOWN state (`first`) and the refinement of generic HTTP flows by later
// requests in HTTP_RESPONSE state.
void TcpClassifier::classify_request(FlowDpi& s, const Seg& g, bool post, bool first) noexcept {
    using http::Content;
    http::YoutubeInfo yt;
    const Content now = post ? http::classify_post(g.p.data, g.p.data_length, yt)
                             : http::classify_get(g.p.data, g.p.data_length, yt);
    const auto current = static_cast<Content>(s.http_data);
    auto keep_youtube = [&] {
        FlowExtra& x = extra(s);
        x.youtube = true;
        x.yt_id = yt.id.view();
        x.yt_itag = yt.itag.view();
        x.yt_seek = yt.seek;
        x.yt_redir_mode = yt.redir_mode;
        x.yt_redir_count = yt.redir_count;
        x.yt_mobile = yt.mobile;
        x.yt_stream = yt.stream;
    };
    if (first) {
        s.http_data = static_cast<uint8_t>(now);
        if (!post && http::is_youtube(now)) keep_youtube();
        return;
    }
    if (current != Content::kGet && current != Content::kPost && current != Content::kYoutube204)
        return;
    if (current == Content::kYoutube204 && now == Content::kYoutubeVideo) {
        s.http_data = static_cast<uint8_t>(Content::kYoutubeVideo204);
        keep_youtube();
    } else if (now != Content::kGet && now != Content::kPost) {
        s.http_data = static_cast<uint8_t>(now);
        if (http::is_youtube(now)) keep_youtube();
    }
}

void TcpClassifier::l7_http_response(TcpFlow& f, FlowDpi& s, const Seg& g) noexcept {
    const Payload& p = g.p;
    using http::Content;
    if (!g.c2s && p.has(4)) {
        if (const MsnStart m = msn_start(p); m != kMsnNone) {
            msn_server_update(s, g, m, true);
        } else if (p.word("FLV\x01") || (p.at(0) == 0x12 && p.at(1) == 0x00 && p.at(2) == 0x03 &&
                                          p.at(3) == 0x4B)) {
            const auto c = static_cast<Content>(s.http_data);
            // YouTube FLV headers only fill metadata no log prints (http_meta).
            if (c != Content::kYoutubeVideo && c != Content::kYoutubeVideo204 &&
                c != Content::kYoutube204 && p.has(37) && p.eq(27, "onMetaData") &&
                c == Content::kGet)
                s.http_data = static_cast<uint8_t>(Content::kVideoContent);
        } else if (p.at(0) == 0 && p.at(1) == 0 && p.at(2) == 0 && p.at(3) == 0x18) {
            if (p.has(12) && p.eq(4, "ftyp") && static_cast<Content>(s.http_data) == Content::kGet)
                s.http_data = static_cast<uint8_t>(Content::kVideoContent);
        }
        if (f.packets() > kMaxHttpResponsePackets) s.state = L7State::kIgnore;
    } else if (g.c2s && p.has(4)) {
        if (p.word("GET "))
            classify_request(s, g, false, false);
        else if (p.word("POST"))
            classify_request(s, g, true, false);
        if (f.packets() > kMaxHttpResponsePackets) s.state = L7State::kIgnore;
    }
}

// ssl_client_check() and what the caller records (tcpL7.c, default case of UNKNOWN).
bool TcpClassifier::client_hello(TcpFlow& f, FlowDpi& s, const Seg& g) noexcept {
    const Payload& p = g.p;
    tls::ClientHello h;
    if (!tls::parse_client_hello({p.data, p.data_length}, p.payload_len, h)) return false;
    s.state = L7State::kSslHandshake;
    TlsInfo& t = tls(s);
    apply_client_hello(t, h);
    t.sessionid_reuse = p.has(43) && p.at(43) != 0;
    // Tstat 3.3 collects a ClientHello longer than its first segment (spec §9.2).
    if (h.tls && h.message_length > p.data_length && t.hello == kNil) {
        t.hello = hello_.alloc();
        HelloBuffer& b = hello_[t.hello];
        const int32_t have = p.payload_len > 0 && p.payload_len < p.data_length ? p.payload_len
                                                                                : p.data_length;
        b.length = static_cast<uint32_t>(h.message_length);
        b.filled = static_cast<uint32_t>(have < h.message_length ? have : h.message_length);
        std::memcpy(b.bytes, p.data, b.filled);
        b.next_seq = g.th->seq + static_cast<uint32_t>(have);
    }
    (void)f;
    return true;
}

void TcpClassifier::apply_client_hello(TlsInfo& t, const tls::ClientHello& h) noexcept {
    if (!h.tls) return;
    if (t.client_versions == StringTable::kNone) {
        char v[8];
        std::snprintf(v, sizeof v, "%04x", h.message_version);
        set_string(t.client_versions, v);
    }
    if (h.sni_found) set_string(t.sni, h.sni.view());
    t.npnalpn[0] |= h.npnalpn;
    if (h.versions_found) set_string(t.client_versions, h.versions.view());
    if (h.psk) t.client_psk = true;
    if (h.early_data) t.early_data = true;
}

// The segments that complete a ClientHello, in sequence order; parsed whole when complete.
void TcpClassifier::continue_hello(FlowDpi& s, const Seg& g) noexcept {
    TlsInfo& t = tls_[s.tls];
    HelloBuffer& b = hello_[t.hello];
    const Payload& p = g.p;
    const int32_t have = p.payload_len > 0 && p.payload_len < p.data_length ? p.payload_len
                                                                            : p.data_length;
    if (have <= 0 || g.th->seq != b.next_seq) return;
    const uint32_t room = b.length - b.filled;
    const uint32_t n = static_cast<uint32_t>(have) < room ? static_cast<uint32_t>(have) : room;
    std::memcpy(b.bytes + b.filled, p.data, n);
    b.filled += n;
    b.next_seq += static_cast<uint32_t>(have);
    if (b.filled < b.length) return;
    tls::ClientHello h;
    if (tls::parse_client_hello({b.bytes, b.length}, static_cast<int32_t>(b.length), h))
        apply_client_hello(t, h);
    hello_.release(t.hello);
    t.hello = kNil;
}

void TcpClassifier::l7_ssl_handshake(TcpFlow& f, FlowDpi& s, const Seg& g) noexcept {
    const Payload& p = g.p;
    if (g.c2s && s.tls != kNil && tls_[s.tls].hello != kNil) continue_hello(s, g);
    tls::ServerHello h;
    if (!g.c2s && p.has(6) && tls::parse_server_hello({p.data, p.data_length}, p.payload_len, h)) {
        TlsInfo& t = tls(s);
        if (!t.server_version_set) {
            t.server_version = h.message_version;
            t.server_version_set = true;
        }
        if (h.hello_retry) t.hello_retry = true;
        t.npnalpn[1] |= h.npnalpn;
        if (h.version_found) t.server_version = h.version;
        if (h.psk) t.server_psk = true;
        const BoundedString<79> cn = tls::certificate_common_name({p.data, p.data_length});
        if (!cn.empty()) set_string(t.scn, cn.view());
        set_protocol(s, con::kSsl);
        s.state = L7State::kSslData;
        if (t.hello != kNil) {   // the server answered: no more ClientHello to collect
            hello_.release(t.hello);
            t.hello = kNil;
        }
    } else if (f.packets() > kMaxSslHandshakePackets) {
        s.state = L7State::kUnknown;
        if (s.tls != kNil && tls_[s.tls].hello != kNil) {
            hello_.release(tls_[s.tls].hello);
            tls_[s.tls].hello = kNil;
        }
    }
}

void TcpClassifier::l7_ssl_data(TcpFlow& f, FlowDpi& s, const Seg& g) noexcept {
    const Payload& p = g.p;
    TlsInfo& t = tls(s);
    const tls::Bytes b{p.data, p.data_length};
    if (g.c2s && p.has(6)) {
        if (!t.data_seen_c && tls::is_application_data(b)) {
            t.data_time[0] = g.now;
            t.data_seen_c = true;
            t.data_byte[0] = f.c2s.max_seq - f.c2s.syn - static_cast<uint32_t>(p.payload_len);
        }
    } else if (!g.c2s && p.has(6)) {
        // Tstat looks at later Certificate records only once it already has a name.
        if (t.scn != StringTable::kNone && p.at(0) == 0x16 && p.at(5) == 0x0B) {
            const BoundedString<79> cn = tls::certificate_common_name(b);
            if (!cn.empty()) set_string(t.scn, cn.view());
        }
        if (!t.data_seen_s && tls::is_application_data(b)) {
            t.data_time[1] = g.now;
            t.data_seen_s = true;
            t.data_byte[1] = f.s2c.max_seq - f.s2c.syn - static_cast<uint32_t>(p.payload_len);
        }
    }
    if (t.data_seen_c && t.data_seen_s) s.state = L7State::kIgnore;
}

// ---- Chat (tstat/msn.c, tstat/ymsg.c, tstat/jabber.c) ----

// msn_s2c_state_update(): the server confirmed an MSN session (possibly tunnelled in HTTP).
void TcpClassifier::msn_server_update(FlowDpi& s, const Seg& g, int command, bool tunneling) noexcept {
    FlowExtra& x = extra(s);
    if (tunneling) {
        x.msn[0].post = x.msn[1].post = true;
        x.msn[0].flow_type = x.msn[1].flow_type = kMsnHttpTunneling;
    }
    set_protocol(s, con::kMsn);
    switch (command) {
        case kMsnVer:
            s.state = L7State::kMsnVerS2C;
            x.msn[1].ver = true;
            if (g.p.has(13)) {
                char v[8] = "?";
                if (chat::msn_version({g.p.data, g.p.data_length}, v) == 0) std::strcpy(v, "?");
                std::memcpy(x.msn[0].version, v, sizeof v);
                std::memcpy(x.msn[1].version, v, sizeof v);
            }
            break;
        case kMsnUsr:
            s.state = L7State::kMsnUsrS2C;
            x.msn[1].usr = true;
            break;
        case kMsnAns:
            s.state = L7State::kMsnAnsCommand;
            break;
        default:
            s.state = L7State::kMsnIroCommand;
            break;
    }
}

void TcpClassifier::chat_message(const TcpFlow& f, const FlowDpi& s, const Seg& g,
                                 std::string_view type, bool length_known,
                                 int32_t length) noexcept {
    if (!cfg_.chat_messages || sink_ == nullptr) return;
    ChatMessageRow row;
    row.flow = &f;
    row.time = g.now;
    row.type = type;
    row.dir = g.c2s ? 1 : -1;
    row.length_known = length_known;
    row.length = length;
    row.payload_len = static_cast<uint32_t>(g.p.payload_len);
    row.con_type = s.con_type;
    sink_->chat_message(row);
}

// FindConTypeMsn() + classify_msn_flow()
void TcpClassifier::msn_packet(TcpFlow& f, FlowDpi& s, const Seg& g) noexcept {
    const Payload& p = g.p;
    FlowExtra& x = extra(s);
    const int d = side(g.dir);
    MsnSide& m = x.msn[d];
    if (p.has(4)) {
        const chat::Segment seg{p.data, p.data_length};
        switch (chat::msn_command(seg)) {
            case chat::MsnCommand::kVer: m.ver = true; break;
            case chat::MsnCommand::kUsr: m.usr = true; break;
            case chat::MsnCommand::kMsg: {
                ++m.msg;
                if (p.data_length - 5 < 1) break;
                const chat::MsnMsgHeader h = chat::parse_msn_msg(seg);
                char type = '?';
                if (h.fields > 1) {
                    switch (h.type) {
                        case 'A': ++m.msg_a; type = 'A'; break;
                        case 'D': ++m.msg_d; type = 'D'; break;
                        case 'N': ++m.msg_n; type = 'N'; break;
                        case 'U': ++m.msg_u; type = 'U'; break;
                        default: break;
                    }
                }
                const bool known = g.c2s && type != '?' && h.fields == 3;
                char name[6] = {'M', 'S', 'G', '_', type, '\0'};
                chat_message(f, s, g, name, true, known ? h.length : -1);
                break;
            }
            case chat::MsnCommand::kUum:
            case chat::MsnCommand::kUbm:
                ++m.msg;
                ++m.msg_y;
                chat_message(f, s, g, "MSG_Y", false, 0);
                break;
            default:
                break;
        }
    }
    // classify_msn_flow()
    int32_t& mft = m.flow_type;
    if (mft == 0 || mft == kMsnLogin || mft == kMsnHttpTunneling) {
        if (m.msg != 0 && mft != kMsnLogin) x.msn[0].flow_type = x.msn[1].flow_type = kMsnChat;
        if (m.ver) {
            x.msn[0].flow_type = x.msn[1].flow_type = m.usr ? kMsnPresence : kMsnLogin;
        }
    }
}

// FindConTypeYmsg() + classify_ymsg_flow()
void TcpClassifier::ymsg_packet(TcpFlow& f, FlowDpi& s, const Seg& g) noexcept {
    const Payload& p = g.p;
    FlowExtra& x = extra(s);
    const int d = side(g.dir);
    YmsgSide& y = x.ymsg[d];
    if (p.has(4) && p.word("YMSG")) {
        if (y.flow_type == 0) x.ymsg[0].flow_type = x.ymsg[1].flow_type = kYmsgYmsg;
        if (p.has(12)) {
            switch (p.at(11)) {
                case 0x54: y.auth_resp = true; break;
                case 0x06:
                    ++y.messages;
                    chat_message(f, s, g, "MESSAGE", true, p.at(9) | p.at(10) << 8);
                    break;
                case 0x4f: y.p2p_check = true; break;
                default: break;
            }
        }
    }
    int32_t& yft = y.flow_type;
    if (yft == kYmsgPresence && x.ymsg[1].p2p_check)
        x.ymsg[0].flow_type = x.ymsg[1].flow_type = kYmsgP2p;
    if ((yft == 0 || yft == kYmsgYmsg || yft == kYmsgPresence) && y.messages != 0) {
        x.ymsg[0].flow_type = x.ymsg[1].flow_type =
            (yft == 0 || yft == kYmsgYmsg) ? kYmsgChat : kYmsgPresenceChat;
    }
    if ((yft == 0 || yft == kYmsgYmsg) && y.auth_resp)
        x.ymsg[0].flow_type = x.ymsg[1].flow_type = kYmsgPresence;
}

// FindConTypeJabber() + classify_jabber_flow()
void TcpClassifier::jabber_packet(TcpFlow& f, FlowDpi& s, const Seg& g) noexcept {
    FlowExtra& x = extra(s);
    const int d = side(g.dir);
    JabberSide& j = x.jabber[d];
    switch (chat::jabber_stanza({g.p.data, g.p.data_length})) {
        case chat::JabberStanza::kPresence:
            j.presence = true;
            break;
        case chat::JabberStanza::kMessage:
            if (j.flow_type == kJabberPresence || j.flow_type == kJabberChat) {
                ++j.messages;
                chat_message(f, s, g, "MESSAGE", false, 0);
            }
            break;
        default:
            break;
    }
    if (j.flow_type == kJabberPresence && j.messages != 0)
        x.jabber[0].flow_type = x.jabber[1].flow_type = kJabberChat;
    if (j.flow_type == 0 && j.presence)
        x.jabber[0].flow_type = x.jabber[1].flow_type = kJabberPresence;
}

// ---- STREAMING plugin (tstat/videoL7.c videoL7_flow_stat) ----

void TcpClassifier::stream_stage(TcpFlow& f, FlowDpi& s, const Seg& g) noexcept {
    if (s.stream_state == StreamState::kIgnore) return;
    const Payload& p = g.p;
    if (p.data_length <= 0 || p.payload_len == 0) return;
    if (s.stream_state == StreamState::kUnknown) {
        if (!p.has(4)) return;
        if (p.word("GET ") || p.word("POST") || p.word("HEAD")) {
            if (g.c2s) s.stream_state = StreamState::kHttpCommand;
        } else if (f.packets() > kMaxUnknownPackets) {
            s.stream_state = StreamState::kIgnore;
        }
    } else if (!g.c2s && p.has(4)) {
        ++s.stream_packets;
        const video::Segment seg{p.data, p.data_length};
        if (s.stream_content == 0)
            s.stream_content = static_cast<uint8_t>(video::format_from_content_type(seg));
        const int32_t offset = video::body_offset(seg);
        if (offset != -1 && p.data_length - offset > 4) {
            video::Metadata meta = s.extra != kNil ? extra_[s.extra].meta : video::Metadata{};
            const video::Metadata before = meta;
            const video::Format fmt = video::format_from_payload(seg, offset, meta);
            if (std::memcmp(&meta, &before, sizeof meta) != 0) extra(s).meta = meta;
            if (fmt != video::Format::kNone) s.stream_payload = static_cast<uint8_t>(fmt);
        }
        if ((s.stream_content != 0 && s.stream_payload != 0) ||
            s.stream_packets >= kMaxHttpStreamingDepth)
            s.stream_state = StreamState::kIgnore;
    }
    if (f.packets() > kMaxPacketsCon) s.stream_state = StreamState::kIgnore;
}

// ---- HTTP plugin (tstat/http.c http_flow_stat) ----

void TcpClassifier::http_stage(TcpFlow& f, FlowDpi& s, const Seg& g) noexcept {
    const Payload& p = g.p;
    if (p.data_length <= 0 || p.payload_len == 0) return;
    if (!p.has(4)) return;
    const bool long_form = p.word("PATC") || p.word("DELE") || p.word("OPTI");
    const bool request = (long_form && long_method(p)) || p.word("GET ") || p.word("POST") ||
                         p.word("HEAD") || p.word("PUT ");
    if (request) {
        if (g.c2s) {
            ++http(s).requests;
            if (!cfg_.http_log) {
                // Host only for http_hostname (the log parser finds it otherwise)
                http::Match m;
                const std::string_view text = p.c_string();
                if (http::header(text, "Host: ", http::ValueKind::kToken, m)) {
                    HttpInfo& h = http(s);
                    if (h.hostname == StringTable::kNone)
                        h.hostname = strings_.intern(m.value(text).substr(0, 199));
                }
            }
        }
    } else if (p.word("HTTP")) {
        if (!g.c2s) ++http(s).responses;
    }
    if (!cfg_.http_log) return;

    if (long_form && !long_method(p)) return;
    if (request) {
        if (g.c2s) http_log_request(f, s, g);
    } else if (p.word("HTTP")) {
        if (!g.c2s) http_log_response(f, s, g);
    } else if (g.c2s && s.http_req_status) {
        http_log_request_continued(f, s, g);
    } else if (!g.c2s && s.http_res_status) {
        http_log_response_continued(f, s, g);
    }
}

// ---- log_http_complete rows (http.c) ----

namespace {
template <size_t N>
void put(BoundedString<N>& dst, std::string_view v) {
    dst.assign(v.substr(0, N));
}
}  // namespace

void TcpClassifier::http_log_request(TcpFlow& f, FlowDpi& s, const Seg& g) noexcept {
    HttpScratch& x = *http_scratch_;
    const Payload& p = g.p;
    const std::string_view text = p.c_string();
    const int32_t last = p.data_length - 1;   // plast, as an offset
    bool url_tail = false, referer_tail = false, ua_tail = false, cookie_tail = false;
    s.http_req_status = true;
    s.http_req_fragment = kFragNone;
    bool empty = true;

    size_t base = 0;
    http::Match method, path;
    if (http::request_line(text, true, method, path)) {
        put(x.method, method.value(text));
        put(x.url, path.value(text));
        base = path.end;
        empty = false;
    } else if (http::request_line(text, false, method, path)) {
        put(x.method, method.value(text));
        put(x.url, path.value(text));
        if (static_cast<int32_t>(path.end) >= last) {
            url_tail = true;
            s.http_req_fragment = kFragPath;
        }
        empty = false;
    } else {
        x.method = "-";
        x.url = "-";
    }
    const std::string_view rest = text.substr(base);
    auto ends_at_cut = [&](const http::Match& m) {
        return static_cast<int32_t>(base + m.end) >= last;
    };
    http::Match m;
    if (http::header(rest, "Host: ", http::ValueKind::kToken, m)) {
        put(x.host, m.value(rest));
        empty = false;
        HttpInfo& h = http(s);
        if (h.hostname == StringTable::kNone) h.hostname = strings_.intern(x.host.view());
    } else {
        x.host = "-";
    }
    // A header that may run to the segment's end: printed, and when it does, the field the
    // next client segment continues.
    auto cut_field = [&](bool wanted, std::string_view name, http::ValueKind kind, auto& dst,
                         Fragment fragment) {
        if (!wanted || !http::header(rest, name, kind, m)) {
            dst = "-";
            return false;
        }
        put(dst, m.value(rest));
        empty = false;
        if (!ends_at_cut(m)) return false;
        s.http_req_fragment = fragment & 7;   // 3-bit field
        return true;
    };
    referer_tail = cut_field(true, "Referer: ", http::ValueKind::kToken, x.referer, kFragReferer);
    ua_tail = cut_field(true, "User-Agent: ", http::ValueKind::kText, x.user_agent, kFragUserAgent);
    cookie_tail = cut_field(cfg_.httplog_full_url == 2, "Cookie: ", http::ValueKind::kText,
                            x.cookie, kFragCookie);
    if (http::header(rest, "DNT: ", http::ValueKind::kText, m)) {
        put(x.dnt, m.value(rest));
        empty = false;
    } else {
        x.dnt = "-";
    }

    std::string_view v;
    switch (cfg_.httplog_full_url) {
        case 1:
            put(x.url_private, http::url_before_query(x.url.view(), v) ? v : x.url.view());
            put(x.referer_private,
                http::url_before_query(x.referer.view(), v) ? v : x.referer.view());
            url_tail = referer_tail = false;
            if (s.http_req_fragment == kFragPath || s.http_req_fragment == kFragReferer)
                s.http_req_fragment = kFragNone;
            break;
        case 2:
            put(x.url_private, x.url.view());
            put(x.referer_private, x.referer.view());
            break;
        default:   // 0
            x.url_private = "-";
            if (http::url_origin(x.referer.view(), v)) {
                put(x.referer_private, v);
                empty = false;
            } else {
                x.referer_private = "-";
            }
            url_tail = referer_tail = false;
            if (s.http_req_fragment == kFragPath || s.http_req_fragment == kFragReferer)
                s.http_req_fragment = kFragNone;
            break;
    }
    if (empty || sink_ == nullptr) return;
    HttpRequestRow row;
    row.flow = &f;
    row.time = g.now;
    row.method = x.method.view();
    row.host = x.host.view();
    row.path = {x.url_private.view(), false, url_tail};
    row.referer = {x.referer_private.view(), false, referer_tail};
    row.user_agent = {x.user_agent.view(), false, ua_tail};
    row.cookie = {x.cookie.view(), false, cookie_tail};
    row.dnt = x.dnt.view();
    sink_->http_request(row);
}

void TcpClassifier::http_log_request_continued(TcpFlow& f, FlowDpi& s, const Seg& g) noexcept {
    HttpScratch& x = *http_scratch_;
    const Payload& p = g.p;
    const std::string_view text = p.c_string();
    const int32_t last = p.data_length - 1;
    bool url_head = false, url_tail = false, referer_head = false, referer_tail = false;
    bool ua_head = false, ua_tail = false, cookie_head = false, cookie_tail = false;
    s.http_req_status = false;
    bool empty = true;
    const uint8_t frag = s.http_req_fragment;

    std::string_view lead;
    if (frag != kFragNone && http::leading_text(text, lead)) {
        put(x.fragment, lead);
        std::string_view piece = x.fragment.view();
        if (frag == kFragPath) {
            const size_t cut = http::protocol_suffix(piece);
            if (cut != std::string_view::npos) piece = piece.substr(0, cut);
        }
        const bool whole = p.data_length == static_cast<int32_t>(piece.size());
        switch (frag) {
            case kFragPath:
                put(x.url, piece);
                url_head = true;
                url_tail = whole;
                empty = false;
                break;
            case kFragReferer:
                put(x.referer, piece);
                referer_head = true;
                referer_tail = whole;
                empty = false;
                break;
            case kFragUserAgent:
                put(x.user_agent, piece);
                ua_head = true;
                ua_tail = whole;
                empty = false;
                break;
            case kFragCookie:
                put(x.cookie, piece);
                cookie_head = true;
                cookie_tail = whole;
                empty = false;
                break;
            default:
                break;
        }
    }
    x.method = "-";
    if (frag != kFragPath) x.url = "-";
    auto ends_at_cut = [&](const http::Match& m) { return static_cast<int32_t>(m.end) >= last; };
    http::Match m;
    if (http::header(text, "Host: ", http::ValueKind::kToken, m)) {
        put(x.host, m.value(text));
        empty = false;
        HttpInfo& h = http(s);
        if (h.hostname == StringTable::kNone) h.hostname = strings_.intern(x.host.view());
    } else {
        x.host = "-";
    }
    if (http::header(text, "Referer: ", http::ValueKind::kToken, m)) {
        put(x.referer, m.value(text));
        referer_head = false;
        if (ends_at_cut(m)) referer_tail = true;
        empty = false;
    } else if (frag != kFragReferer) {
        x.referer = "-";
    }
    if (http::header(text, "User-Agent: ", http::ValueKind::kText, m)) {
        put(x.user_agent, m.value(text));
        ua_head = false;
        if (ends_at_cut(m)) ua_tail = true;
        empty = false;
    } else if (frag != kFragUserAgent) {
        x.user_agent = "-";
    }
    if (cfg_.httplog_full_url == 2 && http::header(text, "Cookie: ", http::ValueKind::kText, m)) {
        put(x.cookie, m.value(text));
        cookie_head = false;
        if (ends_at_cut(m)) cookie_tail = true;
        empty = false;
    } else if (frag != kFragCookie) {
        x.cookie = "-";
    }
    if (http::header(text, "DNT: ", http::ValueKind::kText, m)) {
        put(x.dnt, m.value(text));
        empty = false;
    } else {
        x.dnt = "-";
    }

    std::string_view v;
    switch (cfg_.httplog_full_url) {
        case 1:
            if (http::url_before_query(x.url.view(), v)) {
                put(x.url_private, v);
                url_head = false;
            } else {
                put(x.url_private, x.url.view());
            }
            if (http::url_before_query(x.referer.view(), v)) {
                put(x.referer_private, v);
                referer_head = false;
            } else {
                put(x.referer_private, x.referer.view());
            }
            referer_tail = url_tail = false;
            break;
        case 2:
            put(x.url_private, x.url.view());
            put(x.referer_private, x.referer.view());
            break;
        default:
            x.url_private = "-";
            if (http::url_origin(x.referer.view(), v)) {
                put(x.referer_private, v);
                empty = false;
            } else {
                x.referer_private = "-";
            }
            referer_head = url_head = referer_tail = url_tail = false;
            break;
    }
    if (empty || sink_ == nullptr) return;
    HttpRequestRow row;
    row.flow = &f;
    row.time = g.now;
    row.method = "REQ2";
    row.host = x.host.view();
    row.path = {x.url_private.view(), url_head, url_tail};
    row.referer = {x.referer_private.view(), referer_head, referer_tail};
    row.user_agent = {x.user_agent.view(), ua_head, ua_tail};
    row.cookie = {x.cookie.view(), cookie_head, cookie_tail};
    row.dnt = x.dnt.view();
    sink_->http_request(row);
}

void TcpClassifier::http_log_response(TcpFlow& f, FlowDpi& s, const Seg& g) noexcept {
    HttpScratch& x = *http_scratch_;
    const Payload& p = g.p;
    s.http_res_status = true;
    s.http_res_fragment = kFragNone;
    bool empty = true;
    bool url_tail = false, cookie_tail = false;
    if (p.at(4) != '/') return;
    const std::string_view text = p.c_string();
    const int32_t last = p.data_length - 1;
    auto ends_at_cut = [&](const http::Match& m) { return static_cast<int32_t>(m.end) >= last; };

    if (p.has(13)) {
        char code[3];
        size_t n = 0;
        while (n < 3 && digit(p.at(9 + n))) {
            code[n] = static_cast<char>(p.at(9 + n));
            ++n;
        }
        if (n == 0) {
            x.response = "-";
        } else {
            x.response = std::string_view(code, n);
            empty = false;
        }
    } else {
        x.response = "-";
    }
    http::Match m;
    auto field = [&](std::string_view name, BoundedString<199>& dst) {
        if (http::header(text, name, http::ValueKind::kText, m)) {
            put(dst, m.value(text));
            empty = false;
        } else {
            dst = "-";
        }
    };
    field("Content-Type: ", x.content_type);
    field("Content-Length: ", x.content_length);
    field("Content-Range: ", x.range);
    field("Server: ", x.server);
    if (cfg_.httplog_full_url == 2 &&
        http::header(text, "Set-Cookie: ", http::ValueKind::kText, m)) {
        put(x.cookie, m.value(text));
        if (ends_at_cut(m)) {
            cookie_tail = true;
            s.http_res_fragment = kFragSetCookie;
        }
        empty = false;
    } else {
        x.cookie = "-";
    }
    if (http::header(text, "Location: ", http::ValueKind::kToken, m)) {
        put(x.url, m.value(text));
        if (ends_at_cut(m)) {
            url_tail = true;
            s.http_res_fragment = kFragLocation;
        }
        empty = false;
    } else {
        x.url = "-";
    }
    std::string_view v;
    switch (cfg_.httplog_full_url) {
        case 1:
            put(x.url_private, http::url_before_query(x.url.view(), v) ? v : x.url.view());
            url_tail = false;
            if (s.http_res_fragment == kFragLocation) s.http_res_fragment = kFragNone;
            break;
        case 2:
            put(x.url_private, x.url.view());
            break;
        default:
            if (http::url_origin(x.url.view(), v)) {
                put(x.url_private, v);
                empty = false;
            } else {
                x.url_private = "-";
            }
            url_tail = false;
            if (s.http_res_fragment == kFragLocation) s.http_res_fragment = kFragNone;
            break;
    }
    if (empty || sink_ == nullptr) return;
    HttpResponseRow row;
    row.flow = &f;
    row.time = g.now;
    row.status = x.response.view();
    row.content_length = x.content_length.view();
    row.content_type = x.content_type.view();
    row.server = x.server.view();
    row.range = x.range.view();
    row.location = {x.url_private.view(), false, url_tail};
    row.cookie = {x.cookie.view(), false, cookie_tail};
    sink_->http_response(row);
}

void TcpClassifier::http_log_response_continued(TcpFlow& f, FlowDpi& s, const Seg& g) noexcept {
    HttpScratch& x = *http_scratch_;
    const Payload& p = g.p;
    const std::string_view text = p.c_string();
    const int32_t last = p.data_length - 1;
    auto ends_at_cut = [&](const http::Match& m) { return static_cast<int32_t>(m.end) >= last; };
    bool url_head = false, url_tail = false, cookie_head = false, cookie_tail = false;
    s.http_res_status = false;
    bool empty = true;
    const uint8_t frag = s.http_res_fragment;

    std::string_view lead;
    if (frag != kFragNone && http::leading_text(text, lead)) {
        put(x.fragment, lead);
        const bool whole = p.data_length == static_cast<int32_t>(x.fragment.size());
        if (frag == kFragLocation) {
            put(x.url, x.fragment.view());
            url_head = true;
            url_tail = whole;
            empty = false;
        } else if (frag == kFragSetCookie) {
            put(x.cookie, x.fragment.view());
            cookie_head = true;
            cookie_tail = whole;
            empty = false;
        }
    }
    x.response = "-";
    http::Match m;
    auto field = [&](std::string_view name, BoundedString<199>& dst) {
        if (http::header(text, name, http::ValueKind::kText, m)) {
            put(dst, m.value(text));
            empty = false;
        } else {
            dst = "-";
        }
    };
    field("Content-Type: ", x.content_type);
    field("Content-Length: ", x.content_length);
    field("Content-Range: ", x.range);
    field("Server: ", x.server);
    if (cfg_.httplog_full_url == 2 &&
        http::header(text, "Set-Cookie: ", http::ValueKind::kText, m)) {
        put(x.cookie, m.value(text));
        cookie_head = false;
        if (ends_at_cut(m)) cookie_tail = true;
        empty = false;
    } else if (frag != kFragSetCookie) {
        x.cookie = "-";
    }
    if (http::header(text, "Location: ", http::ValueKind::kToken, m)) {
        put(x.url, m.value(text));
        if (ends_at_cut(m)) url_tail = true;   // Tstat keeps url_head here
        empty = false;
    } else if (frag != kFragLocation) {
        x.url = "-";
    }
    std::string_view v;
    switch (cfg_.httplog_full_url) {
        case 1:
            if (http::url_before_query(x.url.view(), v)) {
                put(x.url_private, v);
                url_head = false;
            } else {
                put(x.url_private, x.url.view());
            }
            url_tail = false;
            break;
        case 2:
            put(x.url_private, x.url.view());
            break;
        default:
            if (http::url_origin(x.url.view(), v)) {
                put(x.url_private, v);
                empty = false;
            } else {
                x.url_private = "-";
            }
            url_head = url_tail = false;
            break;
    }
    if (empty || sink_ == nullptr) return;
    HttpResponseRow row;
    row.flow = &f;
    row.time = g.now;
    row.continuation = true;
    row.status = x.response.view();
    row.content_length = x.content_length.view();
    row.content_type = x.content_type.view();
    row.server = x.server.view();
    row.range = x.range.view();
    row.location = {x.url_private.view(), url_head, url_tail};
    row.cookie = {x.cookie.view(), cookie_head, cookie_tail};
    sink_->http_response(row);
}

// ---- Video Advanced set: payload rate per Rate_Sampling bin (tcp.c, VIDEO_DETAILS) ----

namespace {
constexpr double kMaxFloat = 3.40282346638528859812e+38;   // MAXFLOAT

void rate_sample(VideoRates& r, uint32_t bytes, double sample) {
    if (r.min > sample) r.min = sample;
    if (r.max < sample) r.max = sample;
    r.sum += sample;
    r.sum2 += sample * sample;
    if (r.samples < 10) r.begin_bytes[r.samples] = bytes;
    ++r.samples;
}
}  // namespace

void TcpClassifier::rate_packet(TcpFlow& f, const Seg& g) noexcept {
    RateState& rs = rates(f.ext);
    if (!g.c2s) {
        const auto& t = f.s2c;
        if (t.msg_count > rs.msg_seen) {
            const uint32_t size = rs.msg_last_seq == 0 ? t.msg_last_seq - t.syn - 1
                                                       : t.msg_last_seq - rs.msg_last_seq;
            if (rs.msg_seen < 10) rs.msg_sizes[rs.msg_seen] = size;
            rs.msg_seen = t.msg_count;
        }
        rs.msg_last_seq = t.msg_last_seq;
    }
    if (g.p.payload_len <= 0) return;
    RateSide& r = rs.side[side(g.dir)];
    const double rs_us = static_cast<double>(cfg_.rate_sampling_us);
    const double t = g.now.as_double_us();
    const auto len = static_cast<uint32_t>(g.p.payload_len);
    if (r.last_sample.is_zero()) {
        r.last_sample = g.now;
        r.left_edge = t;
        r.right_edge = r.left_edge + rs_us;
        r.out.min = kMaxFloat;
        r.out.max = 0.0;
        r.bytes = 0;
        r.out.empty_streak = 0;
    }
    if (t < r.right_edge) {
        r.bytes += len;
        return;
    }
    uint32_t streak = 0;
    rate_sample(r.out, r.bytes, r.bytes * 1e6 / rs_us);
    if (r.bytes == 0) {
        ++r.out.empty_samples;
        ++streak;
    }
    r.left_edge += rs_us;
    r.right_edge += rs_us;
    while (t >= r.right_edge) {
        r.left_edge += rs_us;
        r.right_edge += rs_us;
        if (r.out.samples < 10) r.out.begin_bytes[r.out.samples] = 0;
        ++r.out.samples;
        ++r.out.empty_samples;
        ++streak;
    }
    if (streak > r.out.empty_streak) r.out.empty_streak = streak;
    r.last_sample = g.now;
    r.bytes = len;
}

// ---- End of flow: what the logs print (make_conn_stats, print_tcp_stats_layer7, ...) ----

void TcpClassifier::closed(TcpFlow& f, Timestamp now, TcpL7& l7) noexcept {
    if (f.ext == kNil) return;
    FlowDpi& s = flows_[f.ext];
    using http::Content;

    l7.con_type = s.con_type;
    l7.p2p_type = s.p2p_type;
    l7.http_data = s.http_data;
    if (s.http != kNil) {
        const HttpInfo& h = http_[s.http];
        l7.http_request_count = static_cast<int32_t>(h.requests);
        l7.http_response_count = static_cast<int32_t>(h.responses);
        if (h.response_len != 0) l7.http_response = std::string_view(h.response, h.response_len);
        l7.http_hostname = strings_.view(h.hostname).substr(0, 199);
    }
    if (s.tls != kNil) {
        const TlsInfo& t = tls_[s.tls];
        l7.tls_sni = strings_.view(t.sni).substr(0, 119);
        l7.tls_scn = strings_.view(t.scn).substr(0, 79);
        l7.client_npnalpn = t.npnalpn[0];
        l7.server_npnalpn = t.npnalpn[1];
        l7.tls_session_stat = static_cast<uint16_t>(
            (t.sessionid_reuse ? 1 : 0) | (t.client_psk ? 2 : 0) | (t.early_data ? 4 : 0) |
            (t.server_psk ? 8 : 0) | (t.hello_retry ? 16 : 0));
        l7.client_before_data_time = t.before_data[0];
        l7.server_before_data_time = t.before_data[1];
        l7.client_data_seen = t.data_seen_c;
        l7.server_data_seen = t.data_seen_s;
        l7.client_data_time = t.data_time[0];
        l7.server_data_time = t.data_time[1];
        l7.client_data_byte = t.data_byte[0];
        l7.server_data_byte = t.data_byte[1];
        l7.client_tls_version = strings_.view(t.client_versions).substr(0, 80);
        if (t.server_version_set) {
            char v[8];
            std::snprintf(v, sizeof v, "%04x", t.server_version);
            l7.server_tls_version = v;
        }
    }
    const FlowExtra* x = s.extra != kNil ? &extra_[s.extra] : nullptr;
    if (x != nullptr) {
        l7.p2p_data_count = static_cast<int32_t>(x->p2p_data);
        l7.p2p_sig_count = static_cast<int32_t>(x->p2p_sig);
        l7.p2p_c2s_count = static_cast<int32_t>(x->p2p_c2s);
        l7.p2p_c2c_count = static_cast<int32_t>(x->p2p_c2c);
        l7.p2p_msg_count = static_cast<int32_t>(x->p2p_msg);
        // print_msn_conn_stats(), print_ymsg_conn_stats(), print_jabber_conn_stats()
        ChatSummary& c = l7.chat;
        if (x->msn[0].flow_type != 0) {
            c.kind = ChatSummary::Kind::kMsn;
            c.flow_type = x->msn[0].flow_type;
            for (int d = 0; d < 2; ++d) {
                const MsnSide& m = x->msn[d];
                c.messages[d] = m.msg;
                c.by_type[d][0] = m.msg_a;
                c.by_type[d][1] = m.msg_d;
                c.by_type[d][2] = m.msg_n;
                c.by_type[d][3] = m.msg_u;
                c.by_type[d][4] = m.msg_y;
            }
            c.version = c.flow_type == kMsnChat ? std::string_view("UNK")
                                                 : std::string_view(x->msn[0].version);
        } else if (x->ymsg[0].flow_type != 0) {
            c.kind = ChatSummary::Kind::kYmsg;
            c.flow_type = x->ymsg[0].flow_type;
            c.messages[0] = x->ymsg[0].messages;
            c.messages[1] = x->ymsg[1].messages;
            char v[12];
            std::snprintf(v, sizeof v, "%d", x->ymsg[0].version);
            c.version = v;
        } else if (x->jabber[0].flow_type != 0) {
            c.kind = ChatSummary::Kind::kJabber;
            c.flow_type = x->jabber[0].flow_type;
            c.messages[0] = x->jabber[0].messages;
            c.messages[1] = x->jabber[1].messages;
            c.version = "UNK";
        }
    }

    // log_video_complete: is_video() || is_streaming() || is_ssl_youtube() || is_tls_netflix()
    VideoSummary& v = l7.video;
    const bool is_http = (s.con_type & con::kHttp) != 0;
    const auto data = static_cast<Content>(s.http_data);
    const bool yt_video = is_http && (data == Content::kYoutubeVideo ||
                                      data == Content::kYoutubeVideo204 ||
                                      data == Content::kYoutube204);
    const bool yt_site = is_http && (data == Content::kYoutubeSite ||
                                     data == Content::kYoutubeSiteDirect ||
                                     data == Content::kYoutubeSiteEmbed);
    bool logged = (s.con_type & con::kRtmp) != 0 || yt_video || yt_site ||
                  (is_http && (data == Content::kVideoContent || data == Content::kVimeo ||
                               data == Content::kNetflix || data == Content::kFlashvideo));
    logged = logged || (is_http && (s.stream_content != 0 || s.stream_payload != 0));
    if ((s.con_type & con::kSsl) && !l7.tls_sni.empty()) {
        const std::string_view sni = l7.tls_sni.view();
        logged = logged || ends_with(sni, ".youtube.com") ||
                 ends_with(sni, ".youtube-nocookie.com") || ends_with(sni, "googlevideo.com") ||
                 ends_with(sni, "gvt1.com") || ends_with(sni, ".nflxvideo.net");
    }
    v.logged = logged;
    v.content_format = s.stream_content;
    v.payload_format = s.stream_payload;
    const std::string_view ytid = x != nullptr ? x->yt_id.view() : std::string_view("--");
    const char* hidden = "XXX";
    if (yt_video) {
        v.id16_46 = cfg_.strict_privacy ? std::string_view(hidden)
                    : ytid.size() == 11 ? http::id11_to_16(ytid).view()
                                        : ytid;
        v.id11 = cfg_.strict_privacy ? std::string_view(hidden)
                 : ytid.size() == 11 ? ytid
                                     : http::id16_to_11(ytid).view();
        v.itag = x != nullptr ? x->yt_itag.view() : std::string_view("--");
        if (x != nullptr) {
            v.seek = x->yt_seek;
            v.redir_mode = x->yt_redir_mode;
            v.redir_count = x->yt_redir_count;
            v.mobile = x->yt_mobile;
            v.stream = x->yt_stream;
        }
    } else if (yt_site) {
        v.id16_46 = cfg_.strict_privacy ? std::string_view(hidden) : http::id11_to_16(ytid).view();
        v.id11 = cfg_.strict_privacy ? std::string_view(hidden) : ytid;
    }
    if (x != nullptr) {
        v.duration = x->meta.duration;
        v.rate = x->meta.videodatarate;
        v.width = x->meta.width;
        v.height = x->meta.height;
    }

    if (cfg_.video_rates) {
        RateState& rs = rates(f.ext);
        const double rs_us = static_cast<double>(cfg_.rate_sampling_us);
        const double t = now.as_double_us();
        for (int d = 0; d < 2; ++d) {
            RateSide& r = rs.side[d];
            if (!r.last_sample.is_zero()) {
                uint32_t streak = 0;
                const double delta = t - r.left_edge;
                rate_sample(r.out, r.bytes, delta < rs_us ? r.bytes * 1e6 / delta : r.bytes * 1e6 / rs_us);
                if (r.bytes == 0) {
                    ++r.out.empty_samples;
                    ++streak;
                }
                r.left_edge += rs_us;
                r.right_edge += rs_us;
                while (t >= r.right_edge) {
                    r.left_edge += rs_us;
                    r.right_edge += rs_us;
                    if (r.out.samples < 10) r.out.begin_bytes[r.out.samples] = 0;
                    ++r.out.samples;
                    ++r.out.empty_samples;
                    ++streak;
                }
                // Tstat updates the client's streak from the server side too (tcp.c).
                if (streak > rs.side[0].out.empty_streak) rs.side[0].out.empty_streak = streak;
            }
            l7.rates[d] = r.out;
        }
        l7.rates[0] = rs.side[0].out;
        std::memcpy(l7.server_msg_sizes, rs.msg_sizes, sizeof rs.msg_sizes);
    }

    release(s);
    flows_.release(f.ext);
    f.ext = kNil;
}

void TcpClassifier::release(FlowDpi& s) noexcept {
    if (s.tls != kNil) {
        TlsInfo& t = tls_[s.tls];
        strings_.release(t.sni);
        strings_.release(t.scn);
        strings_.release(t.client_versions);
        if (t.hello != kNil) hello_.release(t.hello);
        tls_.release(s.tls);
    }
    if (s.http != kNil) {
        strings_.release(http_[s.http].hostname);
        http_.release(s.http);
    }
    if (s.work != kNil) work_.release(s.work);
    if (s.extra != kNil) extra_.release(s.extra);
}

TcpClassifier::LiveView TcpClassifier::live_view(const TcpFlow& flow) const noexcept {
    if (flow.ext == kNil) return {};
    const FlowDpi& s = flows_[flow.ext];
    return {s.con_type, s.stream_content != 0 || s.stream_payload != 0};
}

bool TcpClassifier::rtmp_handshake(const FlowDpi& s) const noexcept {
    if (s.work != kNil) return rtmp_size_test(work_[s.work]);
    return s.rtmp_settled && s.rtmp_sizes_ok;
}

std::string_view TcpClassifier::sni(const TcpFlow& f) const noexcept {
    if (f.ext == kNil) return {};
    const FlowDpi& s = flows_[f.ext];
    return s.tls != kNil ? strings_.view(tls_[s.tls].sni) : std::string_view{};
}

TcpClassifier::Usage TcpClassifier::usage() const {
    Usage u;
    u.flows = flows_.live();
    u.tls = tls_.live();
    u.http = http_.live();
    u.work = work_.live();
    u.extra = extra_.live();
    u.hello = hello_.live();
    u.strings = strings_.live();
    return u;
}

size_t TcpClassifier::memory_bytes() const {
    return flows_.memory_bytes() + tls_.memory_bytes() + http_.memory_bytes() +
           work_.memory_bytes() + extra_.memory_bytes() + hello_.memory_bytes() +
           rate_chunks_.size() * (size_t{1} << 12) * sizeof(RateState) + strings_.memory_bytes();
}

}  // namespace tstat::classify::tcp
