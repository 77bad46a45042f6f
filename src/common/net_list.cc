#include "common/net_list.h"

#include <arpa/inet.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

namespace tstat {

namespace {

std::string clean(const std::string& raw) {
    std::string s = raw.substr(0, raw.find('#'));
    size_t b = s.find_first_not_of(" \t\r\n");
    if (b == std::string::npos) return "";
    size_t e = s.find_last_not_of(" \t\r\n");
    return s.substr(b, e - b + 1);
}

bool parse_v4(const std::string& s, uint32_t& out) {
    in_addr a{};
    if (inet_pton(AF_INET, s.c_str(), &a) != 1) return false;
    out = ntohl(a.s_addr);
    return true;
}

bool parse_prefix(const std::string& s, int max, int& out) {
    if (s.empty() || s.size() > 3) return false;
    int v = 0;
    for (char c : s) {
        if (c < '0' || c > '9') return false;
        v = v * 10 + (c - '0');
    }
    if (v > max) return false;
    out = v;
    return true;
}

uint32_t prefix_mask(int bits) { return bits == 0 ? 0 : ~uint32_t{0} << (32 - bits); }

// The mask of byte `i` of a `prefix`-bit IPv6 network.
uint8_t byte_mask(int prefix, int i) {
    const int bits = prefix - i * 8;
    if (bits >= 8) return 0xff;
    if (bits <= 0) return 0;
    return static_cast<uint8_t>(0xffu << (8 - bits));
}

}  // namespace

NetList NetList::everything() {
    NetList n;
    n.add_v4(0, 0);
    uint8_t zero[16] = {};
    n.add_v6(zero, 0);
    return n;
}

void NetList::add_v6(const uint8_t* net, int prefix) {
    V6 e{};
    std::memcpy(e.net, net, 16);
    e.prefix = prefix;
    for (int i = 0; i < 16; ++i) e.net[i] &= byte_mask(prefix, i);
    v6_.push_back(e);
}

bool NetList::contains(const IpAddress& a) const {
    if (a.is_v4()) {
        const uint32_t h = a.v4_host();
        for (const V4& e : v4_)
            if ((h & e.mask) == e.net) return true;
        return false;
    }
    for (const V6& e : v6_) {
        bool match = true;
        for (int i = 0; i < 16 && i * 8 < e.prefix; ++i) {
            if ((a.bytes()[i] & byte_mask(e.prefix, i)) != e.net[i]) {
                match = false;
                break;
            }
        }
        if (match) return true;
    }
    return false;
}

Result<NetList> NetList::parse(const std::string& text, const std::string& name,
                               uint32_t max_entries) {
    NetList list;
    std::istringstream in(text);
    std::string raw;
    int lineno = 0;
    std::string pending_net;   // legacy form: network line, then netmask line
    int pending_line = 0;
    auto where = [&](int l) { return name + ":" + std::to_string(l) + ": "; };
    while (std::getline(in, raw)) {
        ++lineno;
        const std::string line = clean(raw);
        if (line.empty()) continue;
        if (!pending_net.empty()) {
            uint32_t net = 0, mask = 0;
            if (!parse_v4(line, mask))
                return make_error(where(lineno) + "expected the netmask of " + pending_net +
                                  " (line " + std::to_string(pending_line) + "), got '" + line +
                                  "'");
            parse_v4(pending_net, net);
            list.add_v4(net, mask);
            pending_net.clear();
        } else if (const auto slash = line.find('/'); slash != std::string::npos) {
            const std::string addr = line.substr(0, slash), bits = line.substr(slash + 1);
            uint32_t net = 0, mask = 0;
            int prefix = 0;
            uint8_t v6[16];
            if (parse_v4(addr, net)) {
                if (parse_prefix(bits, 32, prefix))
                    mask = prefix_mask(prefix);
                else if (!parse_v4(bits, mask))
                    return make_error(where(lineno) + "bad IPv4 mask '" + bits +
                                      "' (expected 0..32 or a dotted mask)");
                list.add_v4(net, mask);
            } else if (inet_pton(AF_INET6, addr.c_str(), v6) == 1) {
                if (!parse_prefix(bits, 128, prefix))
                    return make_error(where(lineno) + "bad IPv6 prefix length '" + bits +
                                      "' (expected 0..128)");
                list.add_v6(v6, prefix);
            } else {
                return make_error(where(lineno) + "'" + addr + "' is not an IP address");
            }
        } else {
            uint32_t net = 0;
            if (!parse_v4(line, net))
                return make_error(where(lineno) + "expected a.b.c.d/len, a.b.c.d/m.m.m.m, "
                                  "x::/len or a network line followed by its netmask; got '" +
                                  line + "'");
            pending_net = line;
            pending_line = lineno;
        }
        if (list.v4_.size() > max_entries || list.v6_.size() > max_entries)
            return make_error(where(lineno) + "more than " + std::to_string(max_entries) +
                              " networks of one address family (raise it with -G)");
    }
    if (!pending_net.empty())
        return make_error(where(pending_line) + "network " + pending_net +
                          " has no netmask line after it");
    return list;
}

Result<NetList> NetList::load(const std::string& path, uint32_t max_entries) {
    std::ifstream in(path);
    if (!in) return make_error(path + ": cannot read the network file");
    std::stringstream ss;
    ss << in.rdbuf();
    return parse(ss.str(), path, max_entries);
}

Result<MacList> MacList::load(const std::string& path, uint32_t max_entries) {
    std::ifstream in(path);
    if (!in) return make_error(path + ": cannot read the MAC address file");
    MacList list;
    std::string raw;
    int lineno = 0;
    while (std::getline(in, raw)) {
        ++lineno;
        const std::string line = clean(raw);
        if (line.empty()) continue;
        std::array<uint8_t, 6> mac{};
        unsigned v[6];
        char tail;
        if (std::sscanf(line.c_str(), "%x:%x:%x:%x:%x:%x%c", &v[0], &v[1], &v[2], &v[3], &v[4],
                        &v[5], &tail) != 6)
            return make_error(path + ":" + std::to_string(lineno) +
                              ": expected a MAC address like aa:bb:cc:dd:ee:ff, got '" + line +
                              "'");
        for (int i = 0; i < 6; ++i) {
            if (v[i] > 255)
                return make_error(path + ":" + std::to_string(lineno) + ": bad MAC '" + line + "'");
            mac[i] = static_cast<uint8_t>(v[i]);
        }
        if (list.macs_.size() >= max_entries)
            return make_error(path + ":" + std::to_string(lineno) + ": more than " +
                              std::to_string(max_entries) + " MAC addresses (raise it with -G)");
        list.macs_.push_back(mac);
    }
    return list;
}

bool MacList::contains(const uint8_t* mac) const {
    for (const auto& m : macs_)
        if (std::memcmp(m.data(), mac, 6) == 0) return true;
    return false;
}

}  // namespace tstat
