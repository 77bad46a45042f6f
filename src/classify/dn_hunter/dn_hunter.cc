#include "classify/dn_hunter/dn_hunter.h"

#include "common/byte_reader.h"

namespace tstat::classify::dn_hunter {

namespace {

constexpr int kMaxRecursion = 25;
constexpr uint16_t kMaxEntries = 30;   // MAX_DNS_ENTRIES

struct NameReader {
    std::span<const uint8_t> msg;
    char* data;          // 256 bytes
    uint8_t str_offset = 0;   // Tstat's unsigned char cursor
    bool broken = false;

    // Tstat's read_str(): bytes of the name in the message (pointer: 2), 0 on failure. The
    // name is built as "label.label." and the last dot becomes the terminator; a comma ends
    // the name (Tstat's fix for one odd query name).
    uint8_t read(size_t offset, int depth) {
        if (depth > kMaxRecursion) return 0;
        if (offset >= msg.size()) return 0;
        const uint8_t b = msg[offset];
        if (b == 0x00) {
            data[static_cast<uint8_t>(str_offset - 1)] = 0;
            return 1;
        }
        if ((b & 0xc0) == 0xc0) {
            if (offset + 2 > msg.size()) return 0;
            const size_t pointer = load_be16(msg.data() + offset) & 0x3fff;
            if (read(pointer, depth + 1) == 0) broken = true;   // Tstat ignores this
            return 2;
        }
        uint8_t tot_read = 1;
        for (uint8_t n = 0; n < b; ++n) {
            ++tot_read;
            ++offset;
            if (offset >= msg.size()) return 0;   // Tstat reads on past the capture
            char c = static_cast<char>(msg[offset]);
            if (c == ',') c = 0;
            data[str_offset] = c;
            ++str_offset;
        }
        ++offset;
        data[str_offset] = '.';
        ++str_offset;
        const uint8_t next = read(offset, depth + 1);
        if (next == 0) return 0;
        return static_cast<uint8_t>(tot_read + next);
    }
};

}  // namespace

bool is_candidate(std::span<const uint8_t> dns, uint16_t sport, uint16_t dport) noexcept {
    if (sport != 53 && dport != 53) return false;
    if (dns.size() < 12) return false;
    const bool qr = (dns[2] & 0x80) != 0;
    const uint16_t ancount = load_be16(dns.data() + 6);
    return qr && ancount > 0 && ancount <= kMaxEntries;
}

bool parse_response(std::span<const uint8_t> dns, bool ipv6, Response& out) noexcept {
    out.servers = 0;
    out.name_len = 0;
    if (dns.size() < 12) return false;
    const uint16_t qdcount = load_be16(dns.data() + 4);
    const uint16_t ancount = load_be16(dns.data() + 6);
    size_t offset = 12;
    char qname[256] = {};
    bool valid = true;
    for (uint16_t q = 0; q < qdcount; ++q) {
        NameReader r{dns, qname};
        const uint8_t added = r.read(offset, 0);
        if (added == 0) return false;
        offset += added;
        if (offset + 4 > dns.size()) return false;
        const uint16_t qtype = load_be16(dns.data() + offset);
        const uint16_t qclass = load_be16(dns.data() + offset + 2);
        if (!(qtype == 1 || qtype == 28 || qtype == 255) || qclass != 1) valid = false;
        offset += 4;
    }
    if (!valid) return false;

    bool address_records = false;
    char rname[256];
    for (uint16_t a = 0; a < ancount && out.servers < kMaxEntries; ++a) {
        NameReader r{dns, rname};
        const uint8_t added = r.read(offset, 0);
        if (added == 0) continue;   // Tstat retries the same offset for the next answer
        offset += added;
        if (offset + 10 > dns.size()) break;
        const uint16_t type = load_be16(dns.data() + offset);
        const uint16_t rclass = load_be16(dns.data() + offset + 2);
        const uint16_t rdlen = load_be16(dns.data() + offset + 8);
        offset += 10;
        const uint16_t want = ipv6 ? 28 : 1;
        const size_t size = ipv6 ? 16 : 4;
        if (type == want && rclass == 1) {
            address_records = true;
            for (size_t i = 0; i < rdlen / size && out.servers < kMaxEntries; ++i) {
                if (offset + size > dns.size()) break;
                out.server[out.servers++] = ipv6 ? IpAddress::v6(dns.data() + offset)
                                                 : IpAddress::v4(dns.data() + offset);
                offset += size;
            }
        } else {
            offset += rdlen;
        }
    }
    if (!address_records) return false;
    size_t n = 0;
    while (n < 255 && qname[n] != 0) ++n;
    if (n == 0) return false;
    std::memcpy(out.name, qname, n);
    out.name[n] = 0;
    out.name_len = static_cast<uint16_t>(n);
    return true;
}

namespace {
uint64_t mix(uint64_t h) {
    h ^= h >> 31;
    h *= 0xBF58476D1CE4E5B9ull;
    h ^= h >> 29;
    return h;
}
}  // namespace

size_t DnHunter::KeyHash::operator()(const Key4& k) const {
    return static_cast<size_t>(mix((uint64_t{k.client} << 32 | k.server) * 0x9E3779B97F4A7C15ull));
}

size_t DnHunter::KeyHash::operator()(const Key6& k) const {
    uint64_t a, b, c, d;
    std::memcpy(&a, k.client.bytes(), 8);
    std::memcpy(&b, k.client.bytes() + 8, 8);
    std::memcpy(&c, k.server.bytes(), 8);
    std::memcpy(&d, k.server.bytes() + 8, 8);
    return static_cast<size_t>(mix(a * 0x9E3779B97F4A7C15ull ^ b * 0xC2B2AE3D27D4EB4Full ^
                                   c * 0x165667B19E3779F9ull ^ d * 0x27D4EB2F165667C5ull));
}

void DnHunter::put_key(const IpAddress& client, const IpAddress& server, const Ref& ref) noexcept {
    if (client.is_v4() && server.is_v4())
        map4_.put(Key4{client.v4_host(), server.v4_host()}, ref);
    else
        map6_.put(Key6{client, server}, ref);
}

const DnHunter::Ref* DnHunter::find_key(const IpAddress& client,
                                        const IpAddress& server) noexcept {
    if (client.is_v4() && server.is_v4()) return map4_.find(Key4{client.v4_host(), server.v4_host()});
    return map6_.find(Key6{client, server});
}

// Drops the key unless a newer response took it over.
void DnHunter::erase_key(const IpAddress& client, const IpAddress& server,
                         uint32_t serial) noexcept {
    const Ref* r = find_key(client, server);
    if (r == nullptr || r->serial != serial) return;
    if (client.is_v4() && server.is_v4())
        map4_.erase(Key4{client.v4_host(), server.v4_host()});
    else
        map6_.erase(Key6{client, server});
}

DnHunter::DnHunter(uint32_t size_v4, uint32_t size_v6) : map4_(4096), map6_(256) {
    ring4_.entries.resize(size_v4 == 0 ? 1 : size_v4);
    ring6_.entries.resize(size_v6 == 0 ? 1 : size_v6);
    ring4_.servers.resize(1024);
    ring6_.servers.resize(64);
}

IpAddress& DnHunter::server_at(Ring& ring, uint64_t index) noexcept {
    return ring.servers[index % ring.servers.size()];
}

void DnHunter::push_server(Ring& ring, const IpAddress& a) noexcept {
    if (ring.servers_head - ring.servers_tail == ring.servers.size()) {
        // Grow the FIFO (warm-up only): lay the live part out again in order.
        std::vector<IpAddress> bigger(ring.servers.size() * 2);
        for (uint64_t i = ring.servers_tail; i < ring.servers_head; ++i)
            bigger[i % bigger.size()] = ring.servers[i % ring.servers.size()];
        ring.servers.swap(bigger);
    }
    ring.servers[ring.servers_head % ring.servers.size()] = a;
    ++ring.servers_head;
}

void DnHunter::evict(Ring& ring, uint32_t slot, bool v6) noexcept {
    Entry& e = ring.entries[slot];
    if (!e.used) return;
    for (uint16_t i = 0; i < e.servers; ++i)
        erase_key(e.client, server_at(ring, e.first_server + uint64_t{i}), e.serial);
    ring.servers_tail += e.servers;
    names_.unref(e.name);
    e = Entry{};
    (void)v6;
}

void DnHunter::insert(const Response& r, const IpAddress& client, const IpAddress& resolver,
                      Timestamp request_time, Timestamp response_time) noexcept {
    const bool v6 = client.is_v6();
    Ring& ring = v6 ? ring6_ : ring4_;
    const uint32_t slot = ring.next;
    if (ring.entries[slot].used) evict(ring, slot, v6);
    ring.next = (slot + 1) % static_cast<uint32_t>(ring.entries.size());
    if (ring.next == 0) ++ring.wraps;

    Entry& e = ring.entries[slot];
    e.used = true;
    e.serial = ++serial_;
    e.name = names_.add(std::string_view(r.name, r.name_len));
    e.client = client;
    e.resolver = resolver;
    e.request_time = request_time;
    e.response_time = response_time;
    e.first_server = static_cast<uint32_t>(ring.servers_head);
    e.servers = r.servers;
    const uint32_t tag = v6 ? (0x80000000u | slot) : slot;
    for (uint16_t i = 0; i < r.servers; ++i) {
        push_server(ring, r.server[i]);
        put_key(client, r.server[i], Ref{tag, e.serial});
    }
}

bool DnHunter::lookup(const IpAddress& client, const IpAddress& server, Answer& out) noexcept {
    const Ref* ref = find_key(client, server);
    if (ref == nullptr) return false;
    Ring& ring = (ref->entry & 0x80000000u) ? ring6_ : ring4_;
    const Entry& e = ring.entries[ref->entry & 0x7fffffffu];
    if (!e.used || e.serial != ref->serial) return false;
    names_.ref(e.name);
    out.name = e.name;
    out.resolver = e.resolver;
    out.request_time = e.request_time;
    out.response_time = e.response_time;
    return true;
}

}  // namespace tstat::classify::dn_hunter
