// The TCP DPI parsers (spec §9.1-§9.5, §9.9): TLS handshakes, HTTP content classes and
// header fields, video containers, the IPP2P TCP matchers and the chat recognisers. The
// expectations are worked out from Tstat's rules (tstat/tcpL7.c, web.c, http.c, videoL7.c,
// ipp2p_tstat.c, msn.c, jabber.c), quirks included, in the comments next to them.
#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "classify/protocols/bittorrent/bittorrent_matcher.h"
#include "classify/protocols/chat/chat_parser.h"
#include "classify/protocols/edonkey/edonkey_matcher.h"
#include "classify/protocols/http/http_content.h"
#include "classify/protocols/http/http_header.h"
#include "classify/protocols/tls/tls_parser.h"
#include "classify/protocols/video/video_parser.h"

namespace tstat::classify {
namespace {

using Bytes = std::vector<uint8_t>;

void u8(Bytes& b, int v) { b.push_back(static_cast<uint8_t>(v)); }
void u16(Bytes& b, int v) {
    u8(b, v >> 8);
    u8(b, v & 0xff);
}
void u24(Bytes& b, int v) {
    u8(b, v >> 16);
    u16(b, v & 0xffff);
}
void text(Bytes& b, std::string_view s) { b.insert(b.end(), s.begin(), s.end()); }
Bytes bytes_of(std::string_view s) { return Bytes(s.begin(), s.end()); }

struct Ext {
    int type;
    Bytes body;
};
Ext sni_ext(std::string_view name) {
    Ext e{0x0000, {}};
    u16(e.body, static_cast<int>(name.size()) + 3);   // server_name_list length
    u8(e.body, 0);                                     // host_name
    u16(e.body, static_cast<int>(name.size()));
    text(e.body, name);
    return e;
}
Ext alpn_ext(const std::vector<std::string>& protos) {
    Ext e{0x0010, {}};
    Bytes list;
    for (const auto& p : protos) {
        u8(list, static_cast<int>(p.size()));
        text(list, p);
    }
    u16(e.body, static_cast<int>(list.size()));
    e.body.insert(e.body.end(), list.begin(), list.end());
    return e;
}
Ext versions_ext(const std::vector<int>& versions) {
    Ext e{0x002b, {}};
    u8(e.body, static_cast<int>(versions.size() * 2));
    for (int v : versions) u16(e.body, v);
    return e;
}

// A TLS record holding one ClientHello (type 1) or ServerHello (type 2).
Bytes hello(int type, const std::vector<Ext>& exts, const Bytes& random = Bytes(32, 0xab),
            int session_id_len = 0) {
    Bytes body;
    u16(body, 0x0303);                                // legacy version
    body.insert(body.end(), random.begin(), random.end());
    u8(body, session_id_len);
    body.insert(body.end(), static_cast<size_t>(session_id_len), 0x55);
    if (type == 1) {
        u16(body, 4);   // two cipher suites
        u16(body, 0x1301);
        u16(body, 0xc02f);
        u8(body, 1);    // one compression method: null
        u8(body, 0);
    } else {
        u16(body, 0x1301);
        u8(body, 0);    // compression method null
    }
    Bytes all;
    for (const Ext& e : exts) {
        u16(all, e.type);
        u16(all, static_cast<int>(e.body.size()));
        all.insert(all.end(), e.body.begin(), e.body.end());
    }
    u16(body, static_cast<int>(all.size()));
    body.insert(body.end(), all.begin(), all.end());
    Bytes hs;
    u8(hs, type);
    u24(hs, static_cast<int>(body.size()));
    hs.insert(hs.end(), body.begin(), body.end());
    Bytes rec;
    u8(rec, 0x16);
    u16(rec, 0x0301);
    u16(rec, static_cast<int>(hs.size()));
    rec.insert(rec.end(), hs.begin(), hs.end());
    return rec;
}

tls::Bytes view(const Bytes& b) { return {b.data(), static_cast<int64_t>(b.size())}; }
int32_t len(const Bytes& b) { return static_cast<int32_t>(b.size()); }

// ---- TLS ----

TEST(TlsParser, PlausibleNamesEndInLabelDotTld) {
    EXPECT_TRUE(tls::plausible_name("www.example.com"));
    EXPECT_TRUE(tls::plausible_name("a.co"));
    EXPECT_TRUE(tls::plausible_name("example.com."));        // final dot allowed
    EXPECT_TRUE(tls::plausible_name("*.example.org"));       // only the end is checked
    EXPECT_FALSE(tls::plausible_name("localhost"));          // no dot
    EXPECT_FALSE(tls::plausible_name("a.b"));                // TLD of one character
    EXPECT_FALSE(tls::plausible_name(".com"));               // nothing before the dot
    EXPECT_FALSE(tls::plausible_name("x.abcdefghijklmnopqrstuvwxy"));   // 25-character TLD
    EXPECT_TRUE(tls::plausible_name("x.abcdefghijklmnopqrstuvwx"));     // 24 characters
    EXPECT_FALSE(tls::plausible_name("192.168.1.1-"));
}

TEST(TlsParser, ClientHelloGivesSniAlpnAndVersions) {
    const Bytes m = hello(1, {sni_ext("www.example.com"), alpn_ext({"h2", "http/1.1"}),
                              versions_ext({0x0304, 0x0303}), Ext{0x0015, Bytes(8, 0)}});
    tls::ClientHello h;
    ASSERT_TRUE(tls::parse_client_hello(view(m), len(m), h));
    EXPECT_TRUE(h.tls);
    EXPECT_EQ(h.message_length, len(m));   // 5 + record length
    EXPECT_EQ(h.message_version, 0x0303);
    ASSERT_TRUE(h.sni_found);
    EXPECT_EQ(h.sni.view(), "www.example.com");
    // "h2" preceded by its length byte 0x02 and "http/": ALPN_H2 | ALPN_HTTP
    EXPECT_EQ(h.npnalpn, tls::npnalpn::kAlpnH2 | tls::npnalpn::kAlpnHttp);
    ASSERT_TRUE(h.versions_found);
    EXPECT_EQ(h.versions.view(), "0304,0303");   // "%04x" joined by commas
    EXPECT_FALSE(h.psk);
}

TEST(TlsParser, SupportedVersionsEndingTheMessageAreIgnored) {
    // Tstat gives up when the list reaches the end of the message (">=" in its bound check):
    // a ClientHello whose last extension is supported_versions keeps the message version.
    const Bytes m = hello(1, {sni_ext("www.example.com"), versions_ext({0x0304, 0x0303})});
    tls::ClientHello h;
    ASSERT_TRUE(tls::parse_client_hello(view(m), len(m), h));
    EXPECT_TRUE(h.sni_found);
    EXPECT_FALSE(h.versions_found);
}

TEST(TlsParser, EmptyAlpnAndNpnSetTheirEmptyBits) {
    const Bytes m = hello(1, {Ext{0x0010, {}}, Ext{0x3374, {}}});
    tls::ClientHello h;
    ASSERT_TRUE(tls::parse_client_hello(view(m), len(m), h));
    EXPECT_EQ(h.npnalpn, tls::npnalpn::kAlpnEmpty | tls::npnalpn::kNpnEmpty);
    EXPECT_FALSE(h.sni_found);
    EXPECT_FALSE(h.versions_found);
}

TEST(TlsParser, SpdyAndPskAndEarlyData) {
    const Bytes m = hello(1, {alpn_ext({"spdy/3.1"}), Ext{0x0029, Bytes(6, 0)}, Ext{0x002a, {}}});
    tls::ClientHello h;
    ASSERT_TRUE(tls::parse_client_hello(view(m), len(m), h));
    EXPECT_EQ(h.npnalpn, tls::npnalpn::kAlpnSpdy);
    EXPECT_TRUE(h.psk);
    EXPECT_TRUE(h.early_data);
}

TEST(TlsParser, ImplausibleSniIsNotKept) {
    const Bytes m = hello(1, {sni_ext("intranet")});
    tls::ClientHello h;
    ASSERT_TRUE(tls::parse_client_hello(view(m), len(m), h));
    EXPECT_FALSE(h.sni_found);
}

TEST(TlsParser, SniLongerThan79CharactersIsCut) {
    const std::string name = std::string(90, 'a') + ".example.com";
    const Bytes m = hello(1, {sni_ext(name)});
    tls::ClientHello h;
    ASSERT_TRUE(tls::parse_client_hello(view(m), len(m), h));
    // Tstat copies 79 bytes: "aaa...a" without a TLD is not a plausible name.
    EXPECT_FALSE(h.sni_found);
}

TEST(TlsParser, TruncatedClientHelloStillCountsAndReadsWhatIsThere) {
    const Bytes full = hello(1, {Ext{0x0017, Bytes(400, 0)}, sni_ext("late.example.com")});
    const Bytes cut(full.begin(), full.begin() + 120);   // the SNI lies past the capture
    tls::ClientHello h;
    ASSERT_TRUE(tls::parse_client_hello(view(cut), len(cut), h));
    EXPECT_TRUE(h.tls);
    EXPECT_EQ(h.message_length, len(full));
    EXPECT_FALSE(h.sni_found);
}

TEST(TlsParser, NotAHandshake) {
    const Bytes http = bytes_of("GET / HTTP/1.1\r\n\r\n");
    tls::ClientHello h;
    EXPECT_FALSE(tls::parse_client_hello(view(http), len(http), h));
    // A ServerHello is no ClientHello, and the reverse.
    const Bytes sh = hello(2, {});
    EXPECT_FALSE(tls::parse_client_hello(view(sh), len(sh), h));
    tls::ServerHello s;
    const Bytes ch = hello(1, {});
    EXPECT_FALSE(tls::parse_server_hello(view(ch), len(ch), s));
    // Record minor version beyond 3 is not TLS for Tstat.
    Bytes odd = ch;
    odd[2] = 0x04;
    EXPECT_FALSE(tls::parse_client_hello(view(odd), len(odd), h));
}

TEST(TlsParser, Sslv2ClientHelloNeedsTheRecordLengthToMatch) {
    // 0x80 | length, then msg type 1 and version 3.x
    Bytes m = {0x80, 0x00, 0x01, 0x03, 0x01};
    m.resize(40, 0);
    m[1] = static_cast<uint8_t>(m.size() - 2);
    tls::ClientHello h;
    EXPECT_TRUE(tls::parse_client_hello(view(m), len(m), h));
    EXPECT_FALSE(h.tls);
    m[1] = 10;
    EXPECT_FALSE(tls::parse_client_hello(view(m), len(m), h));
}

TEST(TlsParser, ServerHelloVersionAlpnAndRetry) {
    Ext v{0x002b, {}};
    u16(v.body, 0x0304);
    const Bytes m = hello(2, {v, alpn_ext({"h2"})});
    tls::ServerHello s;
    ASSERT_TRUE(tls::parse_server_hello(view(m), len(m), s));
    EXPECT_EQ(s.message_version, 0x0303);
    EXPECT_TRUE(s.version_found);
    EXPECT_EQ(s.version, 0x0304);
    EXPECT_EQ(s.npnalpn, tls::npnalpn::kAlpnH2);
    EXPECT_FALSE(s.hello_retry);

    const Bytes magic = {0xCF, 0x21, 0xAD, 0x74, 0xE5, 0x9A, 0x61, 0x11, 0xBE, 0x1D, 0x8C,
                         0x02, 0x1E, 0x65, 0xB8, 0x91, 0xC2, 0xA2, 0x11, 0x16, 0x7A, 0xBB,
                         0x8C, 0x5E, 0x07, 0x9E, 0x09, 0xE2, 0xC8, 0xA8, 0x33, 0x9C};
    const Bytes hrr = hello(2, {v}, magic);
    ASSERT_TRUE(tls::parse_server_hello(view(hrr), len(hrr), s));
    EXPECT_TRUE(s.hello_retry);
}

TEST(TlsParser, CertificateCommonName) {
    Bytes c(24, 0x30);
    // OID 2.5.4.3 then a UTF8String: the first plausible one wins.
    for (std::string_view cn : {"Example CA", "www.example.net"}) {
        text(c, std::string_view("\x06\x03\x55\x04\x03\x0c", 6));
        u8(c, static_cast<int>(cn.size()));
        text(c, cn);
    }
    c.resize(c.size() + 8, 0x30);
    EXPECT_EQ(tls::certificate_common_name(view(c)).view(), "www.example.net");
    const Bytes none(64, 0x30);
    EXPECT_TRUE(tls::certificate_common_name(view(none)).empty());
}

TEST(TlsParser, ApplicationDataRecord) {
    const Bytes d = {0x17, 0x03, 0x03, 0x00, 0x10};
    EXPECT_TRUE(tls::is_application_data(view(d)));
    const Bytes h = {0x16, 0x03, 0x03, 0x00, 0x10};
    EXPECT_FALSE(tls::is_application_data(view(h)));
}

TEST(TlsParser, FacebookZeroSni) {
    // "1QTV" + 5 bytes, "CHLO", tag count 2, padding; tags (name, end offset) then values.
    Bytes m = bytes_of("1QTV");
    m.resize(9, 0);
    text(m, "CHLO");
    u8(m, 2);
    m.resize(17, 0);
    const std::string_view sni = "graph.facebook.com";
    text(m, "PAD");
    u8(m, 0);
    u8(m, 4);   // PAD value: 4 bytes
    m.resize(m.size() + 3, 0);
    text(m, "SNI");
    u8(m, 0);
    u8(m, static_cast<int>(4 + sni.size()));
    m.resize(m.size() + 3, 0);
    text(m, "xxxx");
    text(m, sni);
    bool found = false;
    BoundedString<119> name;
    EXPECT_TRUE(tls::parse_fb0_hello(view(m), found, name));
    EXPECT_TRUE(found);
    EXPECT_EQ(name.view(), sni);
    Bytes other = m;
    other[9] = 'X';
    EXPECT_FALSE(tls::parse_fb0_hello(view(other), found, name));
}

// ---- HTTP content classes (web.c) ----

http::Content get(std::string_view request, http::YoutubeInfo& yt) {
    const Bytes b = bytes_of(request);
    return http::classify_get(b.data(), len(b), yt);
}
http::Content get(std::string_view request) {
    http::YoutubeInfo yt;
    return get(request, yt);
}

TEST(HttpContent, PathPrefixes) {
    EXPECT_EQ(get("GET /index.html HTTP/1.1\r\n"), http::Content::kGet);
    EXPECT_EQ(get("GET /ajax/chat/send.php HTTP/1.1\r\n"), http::Content::kFacebook);
    EXPECT_EQ(get("GET /cgi-bin/rsapi.cgi?sub=x HTTP/1.1\r\n"), http::Content::kRapidshare);
    EXPECT_EQ(get("GET /blog/ajax_list HTTP/1.1\r\n"), http::Content::kSocial);
    EXPECT_EQ(get("GET /wiki/Torino HTTP/1.1\r\n"), http::Content::kWiki);
    EXPECT_EQ(get("GET /vimeo/v/123 HTTP/1.1\r\n"), http::Content::kVimeo);
    // Not a path: plain GET.
    EXPECT_EQ(get("GET http://example.com/wiki/x HTTP/1.1\r\n"), http::Content::kGet);
}

TEST(HttpContent, ShortPathsMatchOnWhatIsCaptured) {
    // web.c compares min(available, strlen) bytes: "/a" is a prefix of "/api/stats/", the
    // first test of its 'a' branch (a YouTube site request).
    EXPECT_EQ(get("GET /a"), http::Content::kYoutubeSite);
    // Longer captures compare 21 bytes of that 11-character literal: never equal.
    EXPECT_EQ(get("GET /api/stats/watchtime HTTP/1.1\r\n"), http::Content::kGet);
    EXPECT_EQ(get("GET "), http::Content::kGet);   // nothing after the method
}

TEST(HttpContent, YoutubeProgressiveVideo) {
    http::YoutubeInfo yt;
    const auto c = get("GET /videoplayback?id=0123456789abcdef&itag=22&begin=1500&"
                       "redirect_counter=1&key=yt1&app=youtube_mobile&client=iPhone "
                       "HTTP/1.1\r\n",
                       yt);
    EXPECT_EQ(c, http::Content::kYoutubeVideo);
    EXPECT_TRUE(http::is_youtube(c));
    EXPECT_EQ(yt.id.view(), "0123456789abcdef");
    EXPECT_EQ(yt.itag.view(), "22");
    EXPECT_EQ(yt.seek, 1500);
    EXPECT_EQ(yt.redir_mode, 1);    // redirect_counter without st=
    EXPECT_EQ(yt.redir_count, 1);
    EXPECT_EQ(yt.mobile, 2);        // key yt1 + app youtube_mobile, client iPhone: Apple
    EXPECT_EQ(yt.stream, 0);
}

TEST(HttpContent, YoutubeRedirectionModes) {
    http::YoutubeInfo yt;
    get("GET /videoplayback?id=0123456789abcdef&st=nx&redirect_counter=2 HTTP/1.1\r\n", yt);
    EXPECT_EQ(yt.redir_mode, 3);    // redirect_counter with st=nx
    EXPECT_EQ(yt.redir_count, 3);
    get("GET /videoplayback?id=0123456789abcdef&st=lc HTTP/1.1\r\n", yt);
    EXPECT_EQ(yt.redir_mode, 4);
    EXPECT_EQ(yt.redir_count, 1);
    get("GET /videoplayback?id=0123456789abcdef HTTP/1.1\r\n", yt);
    EXPECT_EQ(yt.redir_mode, 0);
    EXPECT_EQ(yt.mobile, 0);        // no key: desktop
}

TEST(HttpContent, YoutubeWatchPage) {
    http::YoutubeInfo yt;
    EXPECT_EQ(get("GET /watch?v=dQw4w9WgXcQ HTTP/1.1\r\n", yt),
              http::Content::kYoutubeSiteDirect);
    EXPECT_EQ(yt.id.view(), "dQw4w9WgXcQ");
}

TEST(HttpContent, YoutubeIdConversions) {
    // id11to16: base64url digits, 6 bits each, then 64 bits as 16 hex digits.
    const auto id16 = http::id11_to_16("AAAAAAAAAAA");
    EXPECT_EQ(id16.view(), "0000000000000000");
    EXPECT_EQ(http::id16_to_11(id16.view()).view(), "AAAAAAAAAAA");
    const auto round = http::id11_to_16("dQw4w9WgXcQ");
    EXPECT_EQ(round.size(), 16u);
    EXPECT_EQ(http::id16_to_11(round.view()).view(), "dQw4w9WgXcQ");
    EXPECT_EQ(http::id11_to_16("short").view(), "--");
}

TEST(HttpContent, PostClasses) {
    http::YoutubeInfo yt;
    const Bytes plain = bytes_of("POST /form HTTP/1.1\r\n");
    EXPECT_EQ(http::classify_post(plain.data(), len(plain), yt), http::Content::kPost);
}

// ---- HTTP header fields (http.c regexes) ----

TEST(HttpHeader, RequestLineAndHeaders) {
    const std::string_view t =
        "GET /a/b?c=d HTTP/1.1\r\nHost: www.example.com\r\nUser-Agent: curl/8.0 (x)\r\n\r\n";
    http::Match m, p;
    ASSERT_TRUE(http::request_line(t, true, m, p));
    EXPECT_EQ(m.value(t), "GET");
    EXPECT_EQ(p.value(t), "/a/b?c=d");
    http::Match h;
    ASSERT_TRUE(http::header(t, "Host: ", http::ValueKind::kToken, h));
    EXPECT_EQ(h.value(t), "www.example.com");
    ASSERT_TRUE(http::header(t, "User-Agent: ", http::ValueKind::kText, h));
    EXPECT_EQ(h.value(t), "curl/8.0 (x)");   // text values keep spaces
    ASSERT_TRUE(http::header(t, "User-Agent: ", http::ValueKind::kToken, h));
    EXPECT_EQ(h.value(t), "curl/8.0");       // tokens stop at the space
    EXPECT_FALSE(http::header(t, "Referer: ", http::ValueKind::kText, h));
}

TEST(HttpHeader, NamesAreFoundAnywhereCaseSensitively) {
    const std::string_view t = "GET / HTTP/1.1\r\nX-Host: proxy.example\r\nhost: lower\r\n";
    http::Match h;
    ASSERT_TRUE(http::header(t, "Host: ", http::ValueKind::kToken, h));
    EXPECT_EQ(h.value(t), "proxy.example");   // inside "X-Host: "
}

TEST(HttpHeader, RequestLineNeedsUppercaseMethodAndSpace) {
    http::Match m, p;
    EXPECT_FALSE(http::request_line("get / HTTP/1.1", true, m, p));
    EXPECT_FALSE(http::request_line("GET /only-a-path", true, m, p));
    EXPECT_TRUE(http::request_line("GET /only-a-path", false, m, p));
}

TEST(HttpHeader, UrlReductions) {
    std::string_view out;
    ASSERT_TRUE(http::url_before_query("/path/x?secret=1", out));
    EXPECT_EQ(out, "/path/x");
    EXPECT_FALSE(http::url_before_query("?only", out));
    ASSERT_TRUE(http::url_origin("http://example.com/a/b", out));
    EXPECT_EQ(out, "http://example.com/");
    EXPECT_FALSE(http::url_origin("/relative", out));
}

TEST(HttpHeader, ProtocolSuffix) {
    EXPECT_EQ(http::protocol_suffix("/rest-of-path HTTP/1.1"), 13u);
    EXPECT_EQ(http::protocol_suffix("/rest-of-path"), std::string_view::npos);
}

// ---- Video (videoL7.c) ----

video::Segment vseg(const Bytes& b) { return {b.data(), len(b)}; }

TEST(VideoParser, ContentTypes) {
    auto fmt = [](std::string_view head) {
        const Bytes b = bytes_of(head);
        return video::format_from_content_type(vseg(b));
    };
    EXPECT_EQ(fmt("HTTP/1.1 200 OK\r\nContent-Type: video/mp4\r\n\r\n"), video::Format::kMp4);
    EXPECT_EQ(fmt("HTTP/1.1 200 OK\r\nContent-Type: video/x-flv\r\n\r\n"), video::Format::kFlv);
    EXPECT_EQ(fmt("HTTP/1.1 200 OK\r\nContent-Type: video/webm\r\n\r\n"), video::Format::kWebm);
    EXPECT_EQ(fmt("HTTP/1.1 200 OK\r\nContent-Type: application/vnd.apple.mpegurl\r\n\r\n"),
              video::Format::kHls);
    EXPECT_EQ(fmt("HTTP/1.1 200 OK\r\nContent-Type: video/whatever\r\n\r\n"),
              video::Format::kUnknown);   // video/ but no known subtype
    EXPECT_EQ(fmt("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n"), video::Format::kNone);
    EXPECT_EQ(fmt("GET / HTTP/1.1\r\n\r\n"), video::Format::kNone);
}

TEST(VideoParser, BodyOffset) {
    const Bytes only_head = bytes_of("HTTP/1.1 200 OK\r\nA: b\r\n\r\n");
    EXPECT_EQ(video::body_offset(vseg(only_head)), -1);   // nothing after the blank line
    const Bytes with_body = bytes_of("HTTP/1.1 200 OK\r\n\r\nFLV");
    EXPECT_EQ(video::body_offset(vseg(with_body)), 19);
    const Bytes data = bytes_of("FLV\x01 more data");
    EXPECT_EQ(video::body_offset(vseg(data)), 0);
}

TEST(VideoParser, ContainerSignatures) {
    video::Metadata meta;
    Bytes mp4 = {0, 0, 0, 0x18};
    text(mp4, "ftypisom");
    mp4.resize(64, 0);
    EXPECT_EQ(video::format_from_payload(vseg(mp4), 0, meta), video::Format::kMp4);
    Bytes gpp = mp4;
    gpp[3] = 0x14;   // 20-byte ftyp box: 3GPP for Tstat
    EXPECT_EQ(video::format_from_payload(vseg(gpp), 0, meta), video::Format::k3gpp);
    Bytes webm = {0x1A, 0x45, 0xDF, 0xA3};
    webm.resize(24, 0);
    text(webm, "webm");
    EXPECT_EQ(video::format_from_payload(vseg(webm), 0, meta), video::Format::kWebm);
    Bytes ogg = bytes_of("OggS");
    ogg.insert(ogg.end(), {0, 2, 0, 0});
    EXPECT_EQ(video::format_from_payload(vseg(ogg), 0, meta), video::Format::kOgg);
    Bytes ts(400, 0);
    ts[0] = ts[188] = ts[376] = 0x47;
    EXPECT_EQ(video::format_from_payload(vseg(ts), 0, meta), video::Format::kHls);
    ts.resize(399);   // three TS packets need 400 bytes captured in Tstat's test
    EXPECT_EQ(video::format_from_payload(vseg(ts), 0, meta), video::Format::kNone);
    const Bytes html = bytes_of("<html>");
    EXPECT_EQ(video::format_from_payload(vseg(html), 0, meta), video::Format::kNone);
}

// ---- IPP2P TCP matchers ----

TEST(Edonkey, WholeMessageInTheSegment) {
    // 0xe3, length 0x0a (little endian), opcode 0x01 (hello): 100 * 1 + 1
    Bytes m = {0xe3, 0x0a, 0x00, 0x00, 0x00, 0x01};
    m.resize(15, 0);
    const auto r = edonkey::search_all_edk({m.data(), len(m), len(m)});
    EXPECT_EQ(r.code, 101);
    EXPECT_EQ(r.type, 0xe3);
    EXPECT_EQ(r.opcode, 0x01);
    // Compressed eMule (0xd4) data (0x40) is subtype 3.
    Bytes d = m;
    d[0] = 0xd4;
    d[5] = 0x40;
    EXPECT_EQ(edonkey::search_all_edk({d.data(), len(d), len(d)}).code, 103);
    // Length that does not match and non-zero high bytes: nothing.
    Bytes x = m;
    x[1] = 0x40;
    x[3] = 1;
    EXPECT_EQ(edonkey::search_all_edk({x.data(), len(x), len(x)}).code, 0);
    // Length too big for this segment but known opcode with zero high bytes: accepted.
    Bytes big = m;
    big[1] = 0xff;
    big[5] = 0x46;   // sending part: subtype 4 for eDonkey
    EXPECT_EQ(edonkey::search_all_edk({big.data(), len(big), len(big)}).code, 104);
}

TEST(Edonkey, MessageKinds) {
    EXPECT_TRUE(edonkey::is_data(0xe3, 0x46));
    EXPECT_TRUE(edonkey::is_data(0xc5, 0x40));
    EXPECT_FALSE(edonkey::is_data(0xe3, 0x01));
    EXPECT_TRUE(edonkey::is_client_server(0xe3, 0x01));
    EXPECT_FALSE(edonkey::is_client_server(0xc5, 0x01));
    EXPECT_TRUE(edonkey::is_chat(0xe3, 0x4e));
}

TEST(BitTorrent, HandshakeAndTracker) {
    Bytes hs = {0x13};
    text(hs, "BitTorrent protocol");
    hs.resize(68, 0);
    EXPECT_EQ(bittorrent::search_bittorrent({hs.data(), len(hs), len(hs)}), 900);
    const Bytes tr = bytes_of("GET /announce?info_hash=abcdef HTTP/1.0\r\n");
    EXPECT_EQ(bittorrent::search_bittorrent({tr.data(), len(tr), len(tr)}), 902);
    const Bytes sc = bytes_of("GET /scrape?info_hash=abcdef HTTP/1.0\r\n");
    EXPECT_EQ(bittorrent::search_bittorrent({sc.data(), len(sc), len(sc)}), 901);
    const Bytes web = bytes_of("GET /index.html HTTP/1.0\r\n\r\n");
    EXPECT_EQ(bittorrent::search_bittorrent({web.data(), len(web), len(web)}), 0);
    // bitcomet's 17-byte block request
    Bytes req = {0, 0, 0, 0x0d, 0x06};
    req.resize(17, 0);
    req[15] = 0x40;
    EXPECT_EQ(bittorrent::search_bittorrent({req.data(), 17, 17}), 903);
    EXPECT_EQ(bittorrent::search_bittorrent({req.data(), 16, 17}), 0);   // not all captured
}

// ---- Chat ----

chat::Segment cseg(const Bytes& b) { return {b.data(), len(b)}; }

TEST(Chat, MsnCommands) {
    const Bytes ver = bytes_of("VER 1 MSNP15 CVR0\r\n");
    EXPECT_EQ(chat::msn_command(cseg(ver)), chat::MsnCommand::kVer);
    const Bytes msg = bytes_of("MSG 12 A 135\r\nMIME-Version: 1.0\r\n");
    EXPECT_EQ(chat::msn_command(cseg(msg)), chat::MsnCommand::kMsg);
    const auto h = chat::parse_msn_msg(cseg(msg));
    EXPECT_EQ(h.fields, 3);
    EXPECT_EQ(h.type, 'A');
    EXPECT_EQ(h.length, 135);
    const Bytes other = bytes_of("HELLO");
    EXPECT_EQ(chat::msn_command(cseg(other)), chat::MsnCommand::kNone);
}

TEST(Chat, MsnVersion) {
    const Bytes ver = bytes_of("VER 1 MSNP15 CVR0\r\n");
    char v[8];
    EXPECT_EQ(chat::msn_version(cseg(ver), v), 6);
    EXPECT_STREQ(v, "MSNP15");
}

TEST(Chat, JabberStanzas) {
    const Bytes p = bytes_of("<presence to='a@b'/>");
    EXPECT_EQ(chat::jabber_stanza(cseg(p)), chat::JabberStanza::kPresence);
    const Bytes m = bytes_of("<message type='chat'>");
    EXPECT_EQ(chat::jabber_stanza(cseg(m)), chat::JabberStanza::kMessage);
    const Bytes i = bytes_of("<iq type='get'/>");
    EXPECT_EQ(chat::jabber_stanza(cseg(i)), chat::JabberStanza::kNone);
}

}  // namespace
}  // namespace tstat::classify
