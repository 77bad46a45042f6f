#include "support/packet_builder.h"

#include <cctype>
#include <stdexcept>
#include <type_traits>

#include "common/byte_reader.h"
#include "decode/decoded_packet.h"

namespace tstat::testing {

using namespace packet_builder_detail;  // NOLINT(google-build-using-namespace): test support

namespace {

void put16(Bytes& b, uint16_t v) {
    b.push_back(static_cast<uint8_t>(v >> 8));
    b.push_back(static_cast<uint8_t>(v));
}
void put32(Bytes& b, uint32_t v) {
    put16(b, static_cast<uint16_t>(v >> 16));
    put16(b, static_cast<uint16_t>(v));
}
void set16(Bytes& b, size_t at, uint16_t v) {
    b[at] = static_cast<uint8_t>(v >> 8);
    b[at + 1] = static_cast<uint8_t>(v);
}
void append(Bytes& b, const Bytes& more) { b.insert(b.end(), more.begin(), more.end()); }

// One's complement sum over `data`, folded later; starts from `sum` (pseudo-headers).
uint32_t sum16(const uint8_t* data, size_t len, uint32_t sum = 0) {
    for (size_t i = 0; i + 1 < len; i += 2) sum += uint32_t{data[i]} << 8 | data[i + 1];
    if (len % 2 == 1) sum += uint32_t{data[len - 1]} << 8;
    return sum;
}
uint16_t fold(uint32_t sum) {
    while (sum >> 16) sum = (sum & 0xFFFF) + (sum >> 16);
    return static_cast<uint16_t>(~sum & 0xFFFF);
}

Mac parse_mac(std::string_view text) {
    Bytes b = from_hex(text);
    if (b.size() != 6) throw std::invalid_argument("bad MAC address: " + std::string(text));
    Mac m;
    std::copy(b.begin(), b.end(), m.begin());
    return m;
}

IpAddress parse_ip(std::string_view text, uint8_t version) {
    IpAddress a;
    if (!IpAddress::parse(std::string(text), a) || (version != 0 && a.version() != version)) {
        throw std::invalid_argument("bad IPv" + std::to_string(version) +
                                    " address: " + std::string(text));
    }
    return a;
}

// The IP layer enclosing layer i (for pseudo-header checksums and ICMP's version).
const Layer* enclosing_ip(const std::vector<Layer>& layers, size_t i) {
    for (size_t j = i; j-- > 0;) {
        if (std::holds_alternative<Ipv4>(layers[j]) || std::holds_alternative<Ipv6>(layers[j])) {
            return &layers[j];
        }
    }
    return nullptr;
}

const Layer* next_layer(const std::vector<Layer>& layers, size_t i) {
    return i + 1 < layers.size() ? &layers[i + 1] : nullptr;
}

// IEEE "local experimental" ethertype: decoders call it not-IP.
constexpr uint16_t kUnknownEtherType = 0x88B5;

uint16_t ether_type_of(const Layer* next) {
    if (next == nullptr) return kUnknownEtherType;
    if (auto* v = std::get_if<Vlan>(next)) return v->tpid;
    if (std::holds_alternative<Mpls>(*next)) return 0x8847;
    if (std::holds_alternative<Pppoe>(*next)) return 0x8864;
    if (std::holds_alternative<Ipv4>(*next)) return 0x0800;
    if (std::holds_alternative<Ipv6>(*next)) return 0x86DD;
    return kUnknownEtherType;
}

uint16_t ppp_proto_of(const Layer* next) {
    if (next != nullptr && std::holds_alternative<Ipv4>(*next)) return 0x0021;
    if (next != nullptr && std::holds_alternative<Ipv6>(*next)) return 0x0057;
    return 0xC021;  // LCP
}

uint8_t ip_proto_of(const Layer* next, bool v6) {
    if (next == nullptr) return v6 ? 59 : 253;
    if (std::holds_alternative<Tcp>(*next)) return 6;
    if (std::holds_alternative<Udp>(*next)) return 17;
    if (std::holds_alternative<Icmp>(*next)) return v6 ? 58 : 1;
    if (std::holds_alternative<Ipv4>(*next)) return 4;
    if (std::holds_alternative<Ipv6>(*next)) return 41;
    return v6 ? 59 : 253;
}

// Pseudo-header sum for TCP/UDP/ICMPv6 under the enclosing IP layer.
uint32_t pseudo_sum(const Layer* ip, uint8_t proto, size_t l4_len) {
    if (ip == nullptr) return 0;
    if (auto* v4 = std::get_if<Ipv4>(ip)) {
        uint32_t s = sum16(v4->src.bytes(), 4);
        s = sum16(v4->dst.bytes(), 4, s);
        return s + proto + static_cast<uint32_t>(l4_len);
    }
    const auto& v6 = std::get<Ipv6>(*ip);
    uint32_t s = sum16(v6.src.bytes(), 16);
    s = sum16(v6.dst.bytes(), 16, s);
    const auto len = static_cast<uint32_t>(l4_len);
    return s + (len >> 16) + (len & 0xFFFF) + proto;
}

// Pads an extension header to a multiple of `unit` with Pad1/PadN options (TLV headers).
void pad_tlv(Bytes& h, size_t unit) {
    const size_t pad = (unit - h.size() % unit) % unit;
    if (pad == 1) {
        h.push_back(0);
    } else if (pad >= 2) {
        h.push_back(1);
        h.push_back(static_cast<uint8_t>(pad - 2));
        h.insert(h.end(), pad - 2, 0);
    }
}

struct Encoder {
    const std::vector<Layer>& layers;
    size_t i;
    Bytes& inner;  // everything after this layer, replaced by this layer + inner

    const Layer* next() const { return next_layer(layers, i); }
    void wrap(Bytes header) {
        append(header, inner);
        inner.swap(header);
    }

    void operator()(const Ethernet& e) {
        Bytes h(e.dst.begin(), e.dst.end());
        h.insert(h.end(), e.src.begin(), e.src.end());
        const Layer* n = next();
        uint16_t type = ether_type_of(n);
        if (n != nullptr && std::holds_alternative<Snap>(*n)) {
            type = static_cast<uint16_t>(inner.size());  // 802.3 length
        }
        put16(h, e.type.value_or(type));
        wrap(std::move(h));
    }
    void operator()(const Vlan& v) {
        Bytes h;
        put16(h, v.tci);
        put16(h, v.type.value_or(ether_type_of(next())));
        wrap(std::move(h));
    }
    void operator()(const Mpls& m) {
        const Layer* n = next();
        const bool bottom = m.bottom.value_or(n == nullptr || !std::holds_alternative<Mpls>(*n));
        Bytes h;
        put32(h,
              (m.label & 0xFFFFF) << 12 | uint32_t{m.tc & 7u} << 9 | uint32_t{bottom} << 8 | m.ttl);
        wrap(std::move(h));
    }
    void operator()(const Pppoe& p) {
        Bytes h = {0x11, 0x00};
        put16(h, p.session);
        put16(h, static_cast<uint16_t>(inner.size() + 2));
        put16(h, p.proto.value_or(ppp_proto_of(next())));
        wrap(std::move(h));
    }
    void operator()(const Snap& s) {
        Bytes h = {0xAA, 0xAA, 0x03, 0x00, 0x00, 0x00};
        put16(h, s.type.value_or(ether_type_of(next())));
        wrap(std::move(h));
    }
    void operator()(const Sll& s) {
        Bytes h;
        put16(h, s.packet_type);
        put16(h, 1);  // ARPHRD_ETHER
        put16(h, 6);
        Bytes addr = {0x02, 0, 0, 0, 0, 0x01, 0, 0};
        append(h, addr);
        put16(h, s.proto.value_or(ether_type_of(next())));
        wrap(std::move(h));
    }
    void operator()(const Sll2& s) {
        Bytes h;
        put16(h, s.proto.value_or(ether_type_of(next())));
        put16(h, 0);
        put32(h, s.ifindex);
        put16(h, 1);     // ARPHRD_ETHER
        h.push_back(0);  // packet type: to us
        h.push_back(6);
        Bytes addr = {0x02, 0, 0, 0, 0, 0x01, 0, 0};
        append(h, addr);
        wrap(std::move(h));
    }
    void operator()(const NullLink& n) {
        const Layer* nx = next();
        uint32_t family = 0;
        if (nx != nullptr && std::holds_alternative<Ipv4>(*nx)) family = 2;
        if (nx != nullptr && std::holds_alternative<Ipv6>(*nx)) family = n.inet6;
        family = n.family.value_or(family);
        Bytes h;
        if (n.loop || n.big_endian) {
            put32(h, family);
        } else {
            for (int k = 0; k < 4; ++k) h.push_back(static_cast<uint8_t>(family >> (8 * k)));
        }
        wrap(std::move(h));
    }
    void operator()(const RawLink&) {}
    void operator()(const Ppp& p) {
        const uint16_t proto = p.proto.value_or(ppp_proto_of(next()));
        Bytes h;
        if (p.hdlc) {
            h = {0xFF, 0x03};
            put16(h, proto);
        } else if (p.compressed && proto < 0x100) {
            h.push_back(static_cast<uint8_t>(proto));
        } else {
            put16(h, proto);
        }
        wrap(std::move(h));
    }
    void operator()(const CiscoHdlc& c) {
        Bytes h = {0x0F, 0x00};
        put16(h, c.type.value_or(ether_type_of(next())));
        wrap(std::move(h));
    }
    void operator()(const Ipv4& ip) {
        Bytes options = ip.options;
        while (options.size() % 4 != 0) options.push_back(0);
        const size_t hdr_len = 20 + options.size();
        Bytes h;
        h.push_back(
            static_cast<uint8_t>(ip.version.value_or(4) << 4 |
                                 (ip.ihl.value_or(static_cast<uint8_t>(hdr_len / 4)) & 0x0F)));
        h.push_back(ip.tos);
        put16(h, ip.total_len.value_or(static_cast<uint16_t>(hdr_len + inner.size())));
        put16(h, ip.id);
        put16(h, static_cast<uint16_t>((ip.df ? 0x4000 : 0) | (ip.mf ? 0x2000 : 0) |
                                       (ip.frag_units & 0x1FFF)));
        h.push_back(ip.ttl);
        h.push_back(ip.proto.value_or(ip_proto_of(next(), false)));
        put16(h, 0);
        h.insert(h.end(), ip.src.bytes(), ip.src.bytes() + 4);
        h.insert(h.end(), ip.dst.bytes(), ip.dst.bytes() + 4);
        append(h, options);
        set16(h, 10, fold(sum16(h.data(), h.size())));
        wrap(std::move(h));
    }
    void operator()(const Ipv6& ip) {
        // Extension headers first (innermost last), each pointing at the next one.
        Bytes ext;
        const uint8_t upper = ip.next.value_or(ip_proto_of(next(), true));
        for (size_t k = 0; k < ip.ext.size(); ++k) {
            Bytes h = ip.ext[k].header;
            h[0] = k + 1 < ip.ext.size() ? ip.ext[k + 1].type : upper;
            append(ext, h);
        }
        const uint8_t first = ip.ext.empty() ? upper : ip.ext.front().type;
        Bytes h;
        put32(h, uint32_t{ip.version.value_or(6)} << 28 | uint32_t{ip.tclass} << 20 |
                     (ip.flow & 0xFFFFF));
        put16(h, ip.payload_len.value_or(static_cast<uint16_t>(ext.size() + inner.size())));
        h.push_back(first);
        h.push_back(ip.hop_limit);
        h.insert(h.end(), ip.src.bytes(), ip.src.bytes() + 16);
        h.insert(h.end(), ip.dst.bytes(), ip.dst.bytes() + 16);
        append(h, ext);
        wrap(std::move(h));
    }
    void operator()(const Tcp& t) {
        Bytes options = t.options;
        while (options.size() % 4 != 0) options.push_back(0);  // EOL padding
        const size_t hdr_len = 20 + options.size();
        Bytes h;
        put16(h, t.sport);
        put16(h, t.dport);
        put32(h, t.seq);
        put32(h, t.ack);
        h.push_back(
            static_cast<uint8_t>(t.data_offset.value_or(static_cast<uint8_t>(hdr_len / 4)) << 4));
        h.push_back(t.flags);
        put16(h, t.window);
        put16(h, 0);
        put16(h, t.urgent);
        append(h, options);
        append(h, inner);
        const uint32_t s = pseudo_sum(enclosing_ip(layers, i), 6, h.size());
        set16(h, 16, fold(sum16(h.data(), h.size(), s)));
        inner.swap(h);
    }
    void operator()(const Udp& u) {
        Bytes h;
        put16(h, u.sport);
        put16(h, u.dport);
        const auto length = u.length.value_or(static_cast<uint16_t>(8 + inner.size()));
        put16(h, length);
        put16(h, 0);
        append(h, inner);
        const uint32_t s = pseudo_sum(enclosing_ip(layers, i), 17, length);
        uint16_t sum = fold(sum16(h.data(), h.size(), s));
        set16(h, 6, sum == 0 ? 0xFFFF : sum);
        inner.swap(h);
    }
    void operator()(const Icmp& c) {
        const Layer* ip = enclosing_ip(layers, i);
        const bool v6 = ip != nullptr && std::holds_alternative<Ipv6>(*ip);
        Bytes h = {c.type, c.code, 0, 0, 0, 0, 0, 0};
        append(h, inner);
        const uint32_t s = v6 ? pseudo_sum(ip, 58, h.size()) : 0;
        set16(h, 2, fold(sum16(h.data(), h.size(), s)));
        inner.swap(h);
    }
    void operator()(const Payload& p) { wrap(p.data); }
};

}  // namespace

Bytes to_bytes(std::string_view text) { return Bytes(text.begin(), text.end()); }

Bytes from_hex(std::string_view hex) {
    Bytes out;
    int hi = -1;
    for (char c : hex) {
        if (c == ' ' || c == ':' || c == '\n' || c == '-') continue;
        if (!std::isxdigit(static_cast<unsigned char>(c))) {
            throw std::invalid_argument("bad hex digit in: " + std::string(hex));
        }
        const int v = std::isdigit(static_cast<unsigned char>(c))
                          ? c - '0'
                          : std::tolower(static_cast<unsigned char>(c)) - 'a' + 10;
        if (hi < 0) {
            hi = v;
        } else {
            out.push_back(static_cast<uint8_t>(hi << 4 | v));
            hi = -1;
        }
    }
    if (hi >= 0) throw std::invalid_argument("odd number of hex digits: " + std::string(hex));
    return out;
}

std::string to_hex(const Bytes& bytes) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string s;
    for (uint8_t b : bytes) {
        s.push_back(kDigits[b >> 4]);
        s.push_back(kDigits[b & 0x0F]);
    }
    return s;
}

capture::RawPacket raw_packet(const Bytes& frame, uint32_t link_type, Timestamp ts) {
    capture::RawPacket p;
    p.ts = ts;
    p.caplen = static_cast<uint32_t>(frame.size());
    p.wire_len = p.caplen;
    p.link_type = link_type;
    p.data = frame.data();
    return p;
}

// ---- PacketBuilder: layers ----

template <class L>
L& PacketBuilder::last(const char* what) {
    for (auto it = layers_.rbegin(); it != layers_.rend(); ++it) {
        if (auto* l = std::get_if<L>(&*it)) return *l;
    }
    throw std::logic_error(std::string("PacketBuilder: ") + what + " needs a matching layer");
}

Ipv4* PacketBuilder::last_ipv4() {
    for (auto it = layers_.rbegin(); it != layers_.rend(); ++it) {
        if (std::holds_alternative<Ipv6>(*it)) return nullptr;
        if (auto* l = std::get_if<Ipv4>(&*it)) return l;
    }
    return nullptr;
}

Ipv6* PacketBuilder::last_ipv6() {
    for (auto it = layers_.rbegin(); it != layers_.rend(); ++it) {
        if (std::holds_alternative<Ipv4>(*it)) return nullptr;
        if (auto* l = std::get_if<Ipv6>(&*it)) return l;
    }
    return nullptr;
}

void PacketBuilder::require_ip(const char* what) {
    if (last_ipv4() == nullptr && last_ipv6() == nullptr) {
        throw std::logic_error(std::string("PacketBuilder: ") + what + " needs an IP layer");
    }
}

PacketBuilder& PacketBuilder::ethernet(std::string_view src_mac, std::string_view dst_mac) {
    layers_.emplace_back(Ethernet{parse_mac(src_mac), parse_mac(dst_mac), {}});
    return *this;
}
PacketBuilder& PacketBuilder::vlan(uint16_t vid, uint16_t tpid, uint8_t pcp) {
    layers_.emplace_back(Vlan{tpid, static_cast<uint16_t>((pcp & 7) << 13 | (vid & 0x0FFF)), {}});
    return *this;
}
PacketBuilder& PacketBuilder::mpls(uint32_t label, uint8_t ttl, uint8_t tc) {
    layers_.emplace_back(Mpls{label, tc, ttl, {}});
    return *this;
}
PacketBuilder& PacketBuilder::pppoe(uint16_t session_id) {
    layers_.emplace_back(Pppoe{session_id, {}});
    return *this;
}
PacketBuilder& PacketBuilder::llc_snap() {
    layers_.emplace_back(Snap{});
    return *this;
}
PacketBuilder& PacketBuilder::linux_sll(uint16_t packet_type) {
    layers_.emplace_back(Sll{packet_type, {}});
    return *this;
}
PacketBuilder& PacketBuilder::linux_sll2(uint32_t ifindex) {
    layers_.emplace_back(Sll2{ifindex, {}});
    return *this;
}
PacketBuilder& PacketBuilder::null_link(uint32_t inet6_family, bool big_endian) {
    layers_.emplace_back(NullLink{false, big_endian, inet6_family, {}});
    return *this;
}
PacketBuilder& PacketBuilder::loop_link(uint32_t inet6_family) {
    layers_.emplace_back(NullLink{true, true, inet6_family, {}});
    return *this;
}
PacketBuilder& PacketBuilder::raw_link(uint32_t link_type) {
    layers_.emplace_back(RawLink{link_type});
    return *this;
}
PacketBuilder& PacketBuilder::ppp(bool hdlc_framing, bool compressed_protocol) {
    layers_.emplace_back(Ppp{hdlc_framing, compressed_protocol, {}});
    return *this;
}
PacketBuilder& PacketBuilder::cisco_hdlc() {
    layers_.emplace_back(CiscoHdlc{});
    return *this;
}
PacketBuilder& PacketBuilder::link_type(uint32_t link_type) {
    link_type_ = link_type;
    return *this;
}
PacketBuilder& PacketBuilder::ether_type(uint16_t type) {
    for (auto it = layers_.rbegin(); it != layers_.rend(); ++it) {
        bool done = std::visit(
            [type](auto& l) {
                using L = std::decay_t<decltype(l)>;
                if constexpr (std::is_same_v<L, Ethernet> || std::is_same_v<L, Vlan> ||
                              std::is_same_v<L, Snap> || std::is_same_v<L, CiscoHdlc>) {
                    l.type = type;
                    return true;
                } else if constexpr (std::is_same_v<L, Sll> || std::is_same_v<L, Sll2> ||
                                     std::is_same_v<L, Ppp> || std::is_same_v<L, Pppoe>) {
                    l.proto = type;
                    return true;
                } else {
                    return false;
                }
            },
            *it);
        if (done) return *this;
    }
    throw std::logic_error("PacketBuilder: ether_type() needs a link layer with a type field");
}
PacketBuilder& PacketBuilder::address_family(uint32_t family) {
    last<NullLink>("address_family()").family = family;
    return *this;
}

// ---- network ----

PacketBuilder& PacketBuilder::ipv4(std::string_view src, std::string_view dst) {
    Ipv4 ip;
    ip.src = parse_ip(src, 4);
    ip.dst = parse_ip(dst, 4);
    layers_.emplace_back(std::move(ip));
    return *this;
}
PacketBuilder& PacketBuilder::ipv6(std::string_view src, std::string_view dst) {
    Ipv6 ip;
    ip.src = parse_ip(src, 6);
    ip.dst = parse_ip(dst, 6);
    layers_.emplace_back(std::move(ip));
    return *this;
}
PacketBuilder& PacketBuilder::ttl(uint8_t ttl) {
    require_ip("ttl()");
    if (auto* v4 = last_ipv4()) v4->ttl = ttl;
    if (auto* v6 = last_ipv6()) v6->hop_limit = ttl;
    return *this;
}
PacketBuilder& PacketBuilder::tos(uint8_t tos) {
    require_ip("tos()");
    if (auto* v4 = last_ipv4()) v4->tos = tos;
    if (auto* v6 = last_ipv6()) v6->tclass = tos;
    return *this;
}
PacketBuilder& PacketBuilder::ip_id(uint16_t id) {
    last<Ipv4>("ip_id()").id = id;
    return *this;
}
PacketBuilder& PacketBuilder::dont_fragment(bool df) {
    last<Ipv4>("dont_fragment()").df = df;
    return *this;
}
PacketBuilder& PacketBuilder::fragment(uint16_t offset_bytes, bool more_fragments, uint32_t id) {
    if (offset_bytes % 8 != 0) throw std::logic_error("fragment(): offset must be a multiple of 8");
    require_ip("fragment()");
    const auto units = static_cast<uint16_t>(offset_bytes / 8);
    if (auto* v4 = last_ipv4()) {
        v4->mf = more_fragments;
        v4->frag_units = units;
        v4->id = static_cast<uint16_t>(id);
    }
    if (auto* v6 = last_ipv6()) {
        Bytes h = {0, 0};
        put16(h, static_cast<uint16_t>(units << 3 | (more_fragments ? 1 : 0)));
        put32(h, id);
        v6->ext.push_back({44, std::move(h)});
    }
    return *this;
}
PacketBuilder& PacketBuilder::ip_options(Bytes options) {
    last<Ipv4>("ip_options()").options = std::move(options);
    return *this;
}
PacketBuilder& PacketBuilder::flow_label(uint32_t label) {
    last<Ipv6>("flow_label()").flow = label;
    return *this;
}
PacketBuilder& PacketBuilder::hop_by_hop(Bytes options) {
    Bytes h = {0, 0};
    append(h, options);
    pad_tlv(h, 8);
    h[1] = static_cast<uint8_t>(h.size() / 8 - 1);
    last<Ipv6>("hop_by_hop()").ext.push_back({0, std::move(h)});
    return *this;
}
PacketBuilder& PacketBuilder::destination_options(Bytes options) {
    Bytes h = {0, 0};
    append(h, options);
    pad_tlv(h, 8);
    h[1] = static_cast<uint8_t>(h.size() / 8 - 1);
    last<Ipv6>("destination_options()").ext.push_back({60, std::move(h)});
    return *this;
}
PacketBuilder& PacketBuilder::routing(uint8_t routing_type, uint8_t segments_left, Bytes data) {
    Bytes h = {0, 0, routing_type, segments_left};
    append(h, data);
    while (h.size() < 8 || h.size() % 8 != 0) h.push_back(0);
    h[1] = static_cast<uint8_t>(h.size() / 8 - 1);
    last<Ipv6>("routing()").ext.push_back({43, std::move(h)});
    return *this;
}
PacketBuilder& PacketBuilder::mobility(Bytes data) {
    Bytes h = {0, 0};
    append(h, data);
    while (h.size() < 8 || h.size() % 8 != 0) h.push_back(0);
    h[1] = static_cast<uint8_t>(h.size() / 8 - 1);
    last<Ipv6>("mobility()").ext.push_back({135, std::move(h)});
    return *this;
}
PacketBuilder& PacketBuilder::ah(Bytes icv) {
    Bytes h = {0, 0, 0, 0};
    put32(h, 0x00000100);  // SPI
    put32(h, 1);           // sequence number
    append(h, icv);
    while (h.size() % 8 != 0) h.push_back(0);
    h[1] = static_cast<uint8_t>(h.size() / 4 - 2);
    last<Ipv6>("ah()").ext.push_back({51, std::move(h)});
    return *this;
}
PacketBuilder& PacketBuilder::ipv6_extension(uint8_t type, Bytes header) {
    if (header.empty()) throw std::logic_error("ipv6_extension(): empty header");
    last<Ipv6>("ipv6_extension()").ext.push_back({type, std::move(header)});
    return *this;
}
PacketBuilder& PacketBuilder::ip_version(uint8_t version) {
    require_ip("ip_version()");
    if (auto* v4 = last_ipv4()) v4->version = version;
    if (auto* v6 = last_ipv6()) v6->version = version;
    return *this;
}
PacketBuilder& PacketBuilder::ihl(uint8_t words) {
    last<Ipv4>("ihl()").ihl = words;
    return *this;
}
PacketBuilder& PacketBuilder::ip_total_length(uint16_t length) {
    last<Ipv4>("ip_total_length()").total_len = length;
    return *this;
}
PacketBuilder& PacketBuilder::ipv6_payload_length(uint16_t length) {
    last<Ipv6>("ipv6_payload_length()").payload_len = length;
    return *this;
}
PacketBuilder& PacketBuilder::ip_protocol(uint8_t proto) {
    require_ip("ip_protocol()");
    if (auto* v4 = last_ipv4()) v4->proto = proto;
    if (auto* v6 = last_ipv6()) v6->next = proto;
    return *this;
}

// ---- transport ----

PacketBuilder& PacketBuilder::tcp(uint16_t src_port, uint16_t dst_port) {
    Tcp t;
    t.sport = src_port;
    t.dport = dst_port;
    layers_.emplace_back(std::move(t));
    return *this;
}
PacketBuilder& PacketBuilder::seq(uint32_t seq) {
    last<Tcp>("seq()").seq = seq;
    return *this;
}
PacketBuilder& PacketBuilder::ack(uint32_t ack) {
    last<Tcp>("ack()").ack = ack;
    return *this;
}
PacketBuilder& PacketBuilder::flags(uint8_t flags) {
    last<Tcp>("flags()").flags = flags;
    return *this;
}
PacketBuilder& PacketBuilder::window(uint16_t window) {
    last<Tcp>("window()").window = window;
    return *this;
}
PacketBuilder& PacketBuilder::urgent(uint16_t pointer) {
    last<Tcp>("urgent()").urgent = pointer;
    return *this;
}
Bytes& PacketBuilder::tcp_options(const char* what) { return last<Tcp>(what).options; }
PacketBuilder& PacketBuilder::mss(uint16_t mss) {
    Bytes& o = tcp_options("mss()");
    o.insert(o.end(), {2, 4});
    put16(o, mss);
    return *this;
}
PacketBuilder& PacketBuilder::window_scale(uint8_t shift) {
    Bytes& o = tcp_options("window_scale()");
    o.insert(o.end(), {3, 3, shift});
    return *this;
}
PacketBuilder& PacketBuilder::sack_permitted() {
    Bytes& o = tcp_options("sack_permitted()");
    o.insert(o.end(), {4, 2});
    return *this;
}
PacketBuilder& PacketBuilder::sack(const std::vector<SackBlock>& blocks) {
    Bytes& o = tcp_options("sack()");
    o.push_back(5);
    o.push_back(static_cast<uint8_t>(2 + 8 * blocks.size()));
    for (const SackBlock& b : blocks) {
        put32(o, b.left);
        put32(o, b.right);
    }
    return *this;
}
PacketBuilder& PacketBuilder::timestamps(uint32_t value, uint32_t echo_reply) {
    Bytes& o = tcp_options("timestamps()");
    o.insert(o.end(), {8, 10});
    put32(o, value);
    put32(o, echo_reply);
    return *this;
}
PacketBuilder& PacketBuilder::nop() {
    tcp_options("nop()").push_back(1);
    return *this;
}
PacketBuilder& PacketBuilder::eol() {
    tcp_options("eol()").push_back(0);
    return *this;
}
PacketBuilder& PacketBuilder::tcp_option(uint8_t kind, const Bytes& data) {
    Bytes& o = tcp_options("tcp_option()");
    o.push_back(kind);
    o.push_back(static_cast<uint8_t>(2 + data.size()));
    append(o, data);
    return *this;
}
PacketBuilder& PacketBuilder::tcp_raw_options(const Bytes& bytes) {
    append(tcp_options("tcp_raw_options()"), bytes);
    return *this;
}
PacketBuilder& PacketBuilder::data_offset(uint8_t words) {
    last<Tcp>("data_offset()").data_offset = words;
    return *this;
}
PacketBuilder& PacketBuilder::udp(uint16_t src_port, uint16_t dst_port) {
    layers_.emplace_back(Udp{src_port, dst_port, {}});
    return *this;
}
PacketBuilder& PacketBuilder::udp_length(uint16_t length) {
    last<Udp>("udp_length()").length = length;
    return *this;
}
PacketBuilder& PacketBuilder::icmp(uint8_t type, uint8_t code) {
    layers_.emplace_back(Icmp{type, code});
    return *this;
}
PacketBuilder& PacketBuilder::payload(std::string_view text) { return payload(to_bytes(text)); }
PacketBuilder& PacketBuilder::payload(const Bytes& bytes) {
    layers_.emplace_back(Payload{bytes});
    return *this;
}
PacketBuilder& PacketBuilder::pad_to(size_t frame_len) {
    pad_to_ = frame_len;
    return *this;
}

uint32_t PacketBuilder::link_type() const {
    if (link_type_) return *link_type_;
    if (layers_.empty()) return capture::link::kRaw;
    namespace lt = capture::link;
    return std::visit(
        [](const auto& l) -> uint32_t {
            using L = std::decay_t<decltype(l)>;
            if constexpr (std::is_same_v<L, Ethernet>) return lt::kEthernet;
            if constexpr (std::is_same_v<L, Sll>) return lt::kLinuxSll;
            if constexpr (std::is_same_v<L, Sll2>) return lt::kLinuxSll2;
            if constexpr (std::is_same_v<L, NullLink>) return l.loop ? lt::kLoop : lt::kNull;
            if constexpr (std::is_same_v<L, RawLink>) return l.link_type;
            if constexpr (std::is_same_v<L, Ppp>) return lt::kPpp;
            if constexpr (std::is_same_v<L, CiscoHdlc>) return lt::kCiscoHdlc;
            return lt::kRaw;
        },
        layers_.front());
}

Bytes PacketBuilder::build() const {
    Bytes frame;
    for (size_t i = layers_.size(); i-- > 0;) {
        std::visit(Encoder{layers_, i, frame}, layers_[i]);
    }
    if (frame.size() < pad_to_) frame.resize(pad_to_, 0);
    return frame;
}

// ---- helpers ----

namespace {
PacketBuilder ip_builder(const Endpoint& src, const Endpoint& dst) {
    PacketBuilder b;
    b.ethernet();
    if (src.ip.find(':') != std::string::npos) {
        b.ipv6(src.ip, dst.ip);
    } else {
        b.ipv4(src.ip, dst.ip);
    }
    return b;
}
}  // namespace

PacketBuilder tcp_builder(const Endpoint& src, const Endpoint& dst) {
    PacketBuilder b = ip_builder(src, dst);
    b.tcp(src.port, dst.port);
    return b;
}

PacketBuilder udp_builder(const Endpoint& src, const Endpoint& dst) {
    PacketBuilder b = ip_builder(src, dst);
    b.udp(src.port, dst.port);
    return b;
}

Bytes tcp_packet(const Endpoint& src, const Endpoint& dst, uint8_t flags, uint32_t seq,
                 uint32_t ack, std::string_view payload) {
    PacketBuilder b = tcp_builder(src, dst);
    b.flags(flags).seq(seq).ack(ack);
    if (!payload.empty()) b.payload(payload);
    return b.build();
}

Bytes udp_packet(const Endpoint& src, const Endpoint& dst, std::string_view payload) {
    PacketBuilder b = udp_builder(src, dst);
    if (!payload.empty()) b.payload(payload);
    return b.build();
}

// ---- TcpSession ----

TcpSession::TcpSession(Endpoint client, Endpoint server, Timestamp start)
    : client_{std::move(client), 1000}, server_{std::move(server), 5000}, now_(start) {}

TcpSession& TcpSession::over(const PacketBuilder& link_layers, uint32_t link_type) {
    link_ = link_layers;
    link_type_ = link_type;
    return *this;
}
TcpSession& TcpSession::step_us(int64_t us) {
    step_us_ = us;
    return *this;
}
TcpSession& TcpSession::wait(int64_t us) {
    now_.us += us;
    return *this;
}
TcpSession& TcpSession::isn(uint32_t client_isn, uint32_t server_isn) {
    client_.next_seq = client_isn;
    server_.next_seq = server_isn;
    return *this;
}

TcpSession& TcpSession::segment(bool from_client, uint8_t flags, std::string_view payload,
                                const std::function<void(PacketBuilder&)>& extra) {
    Side& me = from_client ? client_ : server_;
    const Side& peer = from_client ? server_ : client_;
    PacketBuilder b = link_ ? *link_ : PacketBuilder().ethernet();
    if (me.ep.ip.find(':') != std::string::npos) {
        b.ipv6(me.ep.ip, peer.ep.ip);
    } else {
        b.ipv4(me.ep.ip, peer.ep.ip);
    }
    b.tcp(me.ep.port, peer.ep.port).flags(flags).seq(me.next_seq);
    if (flags & decode::tcp_flag::kAck) b.ack(peer.next_seq);
    if (extra) extra(b);
    if (!payload.empty()) b.payload(payload);
    me.next_seq += static_cast<uint32_t>(payload.size());
    if (flags & decode::tcp_flag::kSyn) ++me.next_seq;
    if (flags & decode::tcp_flag::kFin) ++me.next_seq;
    now_.us += step_us_;
    frames_.push_back(TimedFrame{now_, link_type_, b.build()});
    return *this;
}

TcpSession& TcpSession::handshake(uint16_t mss) {
    using namespace decode::tcp_flag;  // NOLINT(google-build-using-namespace)
    auto syn_options = [mss](PacketBuilder& b) { b.mss(mss).sack_permitted(); };
    segment(true, kSyn, {}, syn_options);
    segment(false, kSyn | kAck, {}, syn_options);
    return segment(true, kAck);
}

TcpSession& TcpSession::client_send(std::string_view data, bool acked) {
    using namespace decode::tcp_flag;  // NOLINT(google-build-using-namespace)
    segment(true, kAck | kPsh, data);
    if (acked) segment(false, kAck);
    return *this;
}

TcpSession& TcpSession::server_send(std::string_view data, bool acked) {
    using namespace decode::tcp_flag;  // NOLINT(google-build-using-namespace)
    segment(false, kAck | kPsh, data);
    if (acked) segment(true, kAck);
    return *this;
}

TcpSession& TcpSession::close() {
    using namespace decode::tcp_flag;  // NOLINT(google-build-using-namespace)
    segment(true, kFin | kAck);
    segment(false, kFin | kAck);
    return segment(true, kAck);
}

TcpSession& TcpSession::client_reset() { return segment(true, decode::tcp_flag::kRst); }
TcpSession& TcpSession::server_reset() {
    return segment(false, decode::tcp_flag::kRst | decode::tcp_flag::kAck);
}

}  // namespace tstat::testing
