// DNS message parsing as ldns does it (spec §7.4), ldns presentation, the IPP2P UDP matchers
// (spec §9.5) and QUIC header fields (spec §9.11): expectations from Tstat's rules.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "classify/dn_hunter/dn_hunter.h"
#include "classify/protocols/dns/dns_message.h"
#include "classify/protocols/dns/dns_presentation.h"
#include "classify/protocols/ipp2p/udp_matchers.h"
#include "classify/protocols/quic/quic_header.h"
#include "classify/protocols/quic/quic_initial.h"

namespace tstat::classify {
namespace {

using Bytes = std::vector<uint8_t>;

void name(Bytes& b, const std::vector<std::string>& labels) {
    for (const auto& l : labels) {
        b.push_back(static_cast<uint8_t>(l.size()));
        b.insert(b.end(), l.begin(), l.end());
    }
    b.push_back(0);
}
void u16(Bytes& b, uint16_t v) {
    b.push_back(static_cast<uint8_t>(v >> 8));
    b.push_back(static_cast<uint8_t>(v));
}
void u32(Bytes& b, uint32_t v) {
    u16(b, static_cast<uint16_t>(v >> 16));
    u16(b, static_cast<uint16_t>(v));
}

// A response for www.example.com A with one CNAME (compressed) and one A record.
Bytes response() {
    Bytes b;
    u16(b, 0x1234);
    u16(b, 0x8180);
    u16(b, 1);
    u16(b, 2);
    u16(b, 0);
    u16(b, 0);
    name(b, {"www", "example", "com"});
    u16(b, 1);
    u16(b, 1);
    u16(b, 0xc00c);   // owner: pointer to the question name
    u16(b, 5);
    u16(b, 1);
    u32(b, 300);
    u16(b, 6);
    b.insert(b.end(), {3, 'c', 'd', 'n', 0xc0, 0x10});   // cdn.example.com.
    u16(b, 0xc02d);   // owner: cdn.example.com.
    u16(b, 1);
    u16(b, 1);
    u32(b, 60);
    u16(b, 4);
    b.insert(b.end(), {192, 0, 2, 7});
    return b;
}

std::vector<std::string> records(const Bytes& m) {
    dns::MessageInfo info;
    EXPECT_TRUE(dns::parse_message(m, info));
    std::vector<std::string> out;
    dns::Record rr;
    dns::for_each_record(m, info.answers_pos, info.header.ancount, dns::Section::kAnswer, rr,
                         [&](const dns::Record& r) {
                             char buf[1024];
                             dns::TextOut t(buf, sizeof buf);
                             dns::print_record(m, r, t);
                             out.emplace_back(buf, t.size());
                             return true;
                         });
    return out;
}

TEST(DnsMessage, ParsesAndPrintsLikeLdns) {
    const Bytes m = response();
    const auto rr = records(m);
    ASSERT_EQ(rr.size(), 2u);
    EXPECT_EQ(rr[0], "www.example.com.\t300\tIN\tCNAME\tcdn.example.com.\n");
    EXPECT_EQ(rr[1], "cdn.example.com.\t60\tIN\tA\t192.0.2.7\n");
}

TEST(DnsMessage, TruncatedRecordRejectsTheMessage) {
    Bytes m = response();
    m.resize(m.size() - 2);   // the A record's rdata is cut
    dns::MessageInfo info;
    EXPECT_FALSE(dns::parse_message(m, info));
}

TEST(DnsMessage, PointerLoopIsRejected) {
    Bytes m;
    u16(m, 1);
    u16(m, 0);
    u16(m, 1);
    u16(m, 0);
    u16(m, 0);
    u16(m, 0);
    u16(m, 0xc00c);   // points at itself
    u16(m, 1);
    u16(m, 1);
    dns::MessageInfo info;
    EXPECT_FALSE(dns::parse_message(m, info));
}

TEST(DnsMessage, OptLeavesTheAdditionalCount) {
    Bytes m = response();
    m[11] = 1;   // arcount 1: an OPT record
    m.push_back(0);
    u16(m, 41);
    u16(m, 1232);
    u32(m, 0);
    u16(m, 0);
    dns::MessageInfo info;
    ASSERT_TRUE(dns::parse_message(m, info));
    EXPECT_EQ(info.header.arcount, 0);
}

TEST(DnsMessage, EscapesLikeLdns) {
    dns::WireName n;
    const Bytes raw = {3, 'a', ' ', '.', 1, 0xe2, 0};
    std::copy(raw.begin(), raw.end(), n.bytes);
    n.size = static_cast<uint16_t>(raw.size());
    char buf[64];
    dns::TextOut t(buf, sizeof buf);
    dns::print_name(n, t);
    EXPECT_EQ(std::string(buf, t.size()), "a\\032\\..\\226.");
}

TEST(DnHunter, KeepsTheLastQuestionNameAndAnswers) {
    const Bytes m = response();
    dn_hunter::Response r;
    ASSERT_TRUE(dn_hunter::parse_response(m, false, r));
    EXPECT_EQ(std::string(r.name, r.name_len), "www.example.com");
    ASSERT_EQ(r.servers, 1);
    dn_hunter::DnHunter h(4, 2);
    IpAddress client, resolver, server;
    IpAddress::parse("10.0.0.1", client);
    IpAddress::parse("10.0.0.53", resolver);
    IpAddress::parse("192.0.2.7", server);
    h.insert(r, client, resolver, Timestamp{1}, Timestamp{2});
    dn_hunter::Answer a;
    ASSERT_TRUE(h.lookup(client, server, a));
    EXPECT_EQ(h.names().get(a.name), "www.example.com");
    EXPECT_TRUE(a.resolver == resolver);
    h.names().unref(a.name);
    // A ring of 4 responses: the fifth evicts the first.
    for (int i = 0; i < 4; ++i) h.insert(r, resolver, client, Timestamp{3}, Timestamp{4});
    EXPECT_FALSE(h.lookup(client, server, a));
}

TEST(DnHunter, QuestionsOtherThanAddressesAreIgnored) {
    Bytes m = response();
    m[12 + 17 + 1] = 15;   // question type MX
    dn_hunter::Response r;
    EXPECT_FALSE(dn_hunter::parse_response(m, false, r));
}

ipp2p::Datagram dgram(const Bytes& payload, Bytes& storage) {
    storage.assign(8, 0);
    storage.insert(storage.end(), payload.begin(), payload.end());
    return ipp2p::Datagram{storage, static_cast<uint16_t>(storage.size())};
}

TEST(UdpMatchers, DnsQueryMatchesFirst) {
    Bytes q;
    u16(q, 0xabcd);
    u16(q, 0x0100);
    u16(q, 1);
    u16(q, 0);
    u16(q, 0);
    u16(q, 0);
    name(q, {"example", "org"});
    u16(q, 1);
    u16(q, 1);
    Bytes s;
    EXPECT_EQ(ipp2p::match_udp(dgram(q, s)), ipp2p::kDns * 100);
    q[12] = 0x40;   // a first label length DNS never has
    EXPECT_NE(ipp2p::match_udp(dgram(q, s)) / 100, ipp2p::kDns);
}

TEST(UdpMatchers, ReadPastTheFrameIntoWhatEarlierPacketsLeft) {
    // A DNS response cut after 4 bytes of its header: Tstat's matcher reads QDCOUNT and the
    // first label from its packet buffer, where an earlier, longer packet left them.
    Bytes q;
    u16(q, 0xabcd);
    u16(q, 0x8180);
    u16(q, 1);
    u16(q, 1);
    u16(q, 0);
    u16(q, 0);
    name(q, {"example", "org"});
    u16(q, 1);
    u16(q, 1);
    Bytes whole;
    dgram(q, whole);
    const Bytes cut(whole.begin(), whole.begin() + 12);
    ipp2p::Datagram d{cut, static_cast<uint16_t>(whole.size())};
    d.frame = cut;
    EXPECT_EQ(ipp2p::match_dns(d), 0);   // past the frame, zeros: QDCOUNT 0
    d.stale = whole;
    EXPECT_EQ(ipp2p::match_dns(d), ipp2p::kDns * 100);
    Bytes other = whole;
    other[8 + 13] = '-';   // what the buffer holds instead is not a DNS label
    d.stale = other;
    EXPECT_EQ(ipp2p::match_dns(d), 0);
}

TEST(UdpMatchers, SipAndTeredo) {
    Bytes s;
    const std::string sip = "INVITE sip:bob@example.com SIP/2.0\r\n";
    EXPECT_EQ(ipp2p::match_udp(dgram(Bytes(sip.begin(), sip.end()), s)), ipp2p::kSip * 100 + 4);
    Bytes teredo = {0x60, 0, 0, 0, 0, 20, 0x06, 64, 0x20, 0x01, 0, 0};
    teredo.resize(60, 0);
    EXPECT_EQ(ipp2p::match_udp(dgram(teredo, s)), ipp2p::kTeredo * 100 + 1);
}

TEST(UdpMatchers, KadFallthroughQuirk) {
    // KAD2 HELLO_REQ (0x11) without its length falls into HELLO_RES's test (Tstat's missing
    // break): 35 bytes match as HELLO_RES.
    Bytes kad = {0xe4, 0x11};
    kad.resize(27, 0);
    Bytes s;
    EXPECT_EQ(ipp2p::match_edonkey(dgram(kad, s)), ipp2p::kKad * 100 + 63);
}

TEST(QuicHeader, InitialFields) {
    Bytes p = {0xc3, 0, 0, 0, 1, 8, 1, 2, 3, 4, 5, 6, 7, 8, 0, 0, 0x44, 0xd0};
    p.resize(1200, 0);
    const auto h = quic::parse_long_header(p);
    EXPECT_TRUE(h.long_form);
    EXPECT_TRUE(h.fixed_bit);
    EXPECT_EQ(h.packet_type, 0);
    EXPECT_EQ(h.version, 1u);
    EXPECT_EQ(h.dcid_len, 8);
    EXPECT_EQ(h.scid_len, 0);
    EXPECT_EQ(h.token_len, 1u);
    EXPECT_EQ(h.packet_len, 0x4d0u);
}

TEST(QuicInitial, ServerNameSanityAndUrlEncoding) {
    EXPECT_TRUE(quic::plausible_server_name("www.google.com"));
    EXPECT_TRUE(quic::plausible_server_name("example.org."));
    EXPECT_FALSE(quic::plausible_server_name("localhost"));
    EXPECT_FALSE(quic::plausible_server_name("a.b"));
    char out[64];
    const size_t n = quic::url_encode("a b/c", out, sizeof out);
    EXPECT_EQ(std::string(out, n), "a+b%2fc");
}

}  // namespace
}  // namespace tstat::classify
