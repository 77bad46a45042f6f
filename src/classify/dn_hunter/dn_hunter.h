// DN-Hunter (spec §9.10): a cache of the names clients resolved, fed by DNS responses on port
// 53 and consulted once when a flow opens. Tstat's rules: responses with 1..30 answers whose
// questions are all class IN and type A, AAAA or ANY; A records only from DNS over IPv4 and
// AAAA only from DNS over IPv6; the stored name is the last question's, without the trailing
// dot and cut at a comma (Tstat's read_str); key (client = response destination, server
// address), the latest answer wins. The cache is a FIFO ring of Tstat's size per family
// (DNS_Cache_Size 100000, DNS_Cache_Size_IPv6 1000): a full ring drops its oldest response
// together with the keys that still point at it.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "classify/dn_hunter/name_store.h"
#include "classify/flat_map.h"
#include "common/ip_address.h"
#include "common/timestamp.h"

namespace tstat::classify::dn_hunter {

struct Answer {
    uint32_t name = NameStore::kNone;   // a reference the caller must release
    IpAddress resolver;
    Timestamp request_time;
    Timestamp response_time;
};

// The response fields DN-Hunter keeps (parse_response's result).
struct Response {
    char name[256];
    uint16_t name_len = 0;
    uint16_t servers = 0;
    IpAddress server[30];   // MAX_DNS_ENTRIES
};

// Tstat's dns_response_processing() over the DNS payload (after the UDP header): false when
// the packet is ignored. `ipv6` says which records count (A over IPv4, AAAA over IPv6).
bool parse_response(std::span<const uint8_t> dns, bool ipv6, Response& out) noexcept;

// check_dns_response(): port 53 on either side, QR set, 1..30 answers.
bool is_candidate(std::span<const uint8_t> dns, uint16_t sport, uint16_t dport) noexcept;

class DnHunter {
public:
    DnHunter(uint32_t size_v4, uint32_t size_v6);

    // A response from `resolver` to `client`.
    void insert(const Response& r, const IpAddress& client, const IpAddress& resolver,
                Timestamp request_time, Timestamp response_time) noexcept;
    // The newest answer for (client, server); out.name holds a new reference.
    bool lookup(const IpAddress& client, const IpAddress& server, Answer& out) noexcept;

    NameStore& names() { return names_; }
    size_t entries() const { return map4_.size() + map6_.size(); }
    uint64_t wraps(bool v6) const { return v6 ? ring6_.wraps : ring4_.wraps; }

private:
    // (client, server) keys: IPv4 ones packed in 8 bytes, since the IPv4 map is the big one.
    struct Key4 {
        uint32_t client = 0;
        uint32_t server = 0;
        bool operator==(const Key4& o) const { return client == o.client && server == o.server; }
    };
    struct Key6 {
        IpAddress client;
        IpAddress server;
        bool operator==(const Key6& o) const { return client == o.client && server == o.server; }
    };
    struct KeyHash {
        size_t operator()(const Key4& k) const;
        size_t operator()(const Key6& k) const;
    };
    struct Ref {
        uint32_t entry = 0;   // ring slot (bit 31: IPv6 ring)
        uint32_t serial = 0;  // which response filled it
    };
    struct Entry {
        uint32_t serial = 0;
        uint32_t name = NameStore::kNone;
        IpAddress client;
        IpAddress resolver;
        Timestamp request_time;
        Timestamp response_time;
        uint32_t first_server = 0;   // in Ring::servers
        uint16_t servers = 0;
        bool used = false;
    };
    struct Ring {
        std::vector<Entry> entries;
        uint32_t next = 0;
        uint64_t wraps = 0;
        // Server addresses of the entries, FIFO like them.
        std::vector<IpAddress> servers;
        uint64_t servers_head = 0;   // total pushed
        uint64_t servers_tail = 0;   // total dropped
    };

    void evict(Ring& ring, uint32_t slot, bool v6) noexcept;
    void put_key(const IpAddress& client, const IpAddress& server, const Ref& ref) noexcept;
    const Ref* find_key(const IpAddress& client, const IpAddress& server) noexcept;
    void erase_key(const IpAddress& client, const IpAddress& server, uint32_t serial) noexcept;
    IpAddress& server_at(Ring& ring, uint64_t index) noexcept;
    void push_server(Ring& ring, const IpAddress& a) noexcept;

    Ring ring4_;
    Ring ring6_;
    uint32_t serial_ = 0;
    FlatMap<Key4, Ref, KeyHash> map4_;
    FlatMap<Key6, Ref, KeyHash> map6_;
    NameStore names_;
};

}  // namespace tstat::classify::dn_hunter
