// The TCP classifier on whole conversations (spec §9.1-§9.5, §9.9, §7.3): built sessions run
// through decode + FlowEngine, the classifier at Tstat's plugin points. Expected values follow
// Tstat's rules (tstat/tcpL7.c, http.c, videoL7.c, ipp2p_tstat.c, msn.c), as the comments say.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "classify/tcp/tcp_classifier.h"
#include "decode/decoder.h"
#include "flow/flow_engine.h"
#include "support/packet_builder.h"

namespace tstat::testing {
namespace {

namespace con = classify::tcp::con;
using classify::TcpL7;
using classify::tcp::HttpField;
using classify::tcp::TcpClassifierConfig;

std::string field(const HttpField& f) {
    return (f.head ? "[*]" : "") + std::string(f.value) + (f.tail ? "[*]" : "");
}

struct Request {
    std::string method, host, path, referer, user_agent, cookie, dnt;
};
struct Response {
    bool continuation;
    std::string status, length, type, server, range, location, cookie;
};
struct Chat {
    std::string type;
    int dir;
    bool length_known;
    int32_t length;
};

class Recorder : public flow::FlowObserver, public classify::tcp::TcpEventSink {
public:
    explicit Recorder(const TcpClassifierConfig& cfg) : classifier(cfg) {
        classifier.set_sink(this);
    }
    void tcp_opened(flow::tcp::TcpFlow& f) override { classifier.opened(f); }
    void tcp_packet(flow::tcp::TcpFlow& f, flow::Dir d, const decode::DecodedPacket& p) override {
        classifier.packet(f, d, p);
    }
    void tcp_closed(flow::tcp::TcpFlow& f, bool complete) override {
        TcpL7 l7;
        classifier.closed(f, now, l7);
        flows.push_back(l7);
        completes.push_back(complete);
    }
    void udp_closed(flow::udp::UdpFlow&) override {}

    void http_request(const classify::tcp::HttpRequestRow& r) override {
        requests.push_back({std::string(r.method), std::string(r.host), field(r.path),
                            field(r.referer), field(r.user_agent), field(r.cookie),
                            std::string(r.dnt)});
    }
    void http_response(const classify::tcp::HttpResponseRow& r) override {
        responses.push_back({r.continuation, std::string(r.status), std::string(r.content_length),
                             std::string(r.content_type), std::string(r.server),
                             std::string(r.range), field(r.location), field(r.cookie)});
    }
    void chat_message(const classify::tcp::ChatMessageRow& r) override {
        chats.push_back({std::string(r.type), r.dir, r.length_known, r.length});
    }

    classify::tcp::TcpClassifier classifier;
    Timestamp now;
    std::vector<TcpL7> flows;
    std::vector<bool> completes;
    std::vector<Request> requests;
    std::vector<Response> responses;
    std::vector<Chat> chats;
};

TcpClassifierConfig logs_on(int full_url = 0) {
    TcpClassifierConfig c;
    c.http_log = true;
    c.httplog_full_url = full_url;
    c.chat_messages = true;
    return c;
}

// Runs the frames and closes what is left; returns the one flow's L7 values.
class Harness {
public:
    explicit Harness(const TcpClassifierConfig& cfg = logs_on()) : rec(cfg), engine({}, rec) {}

    const TcpL7& run(const TcpSession& s) {
        for (const TimedFrame& f : s.frames()) {
            decode::DecodedPacket pkt;
            const auto raw = f.raw();
            EXPECT_EQ(decode::decode_packet(raw, pkt), decode::DecodeStatus::kOk);
            if (!started_) {
                engine.start(f.ts);
                started_ = true;
            }
            rec.now = f.ts;
            engine.process(pkt, flow::PacketContext{});
        }
        engine.finish(rec.now);
        EXPECT_EQ(rec.flows.size(), 1u);
        return rec.flows.at(0);
    }

    Recorder rec;
    flow::FlowEngine engine;

private:
    bool started_ = false;
};

const Endpoint kClient{"10.1.1.1", 40000};

void put16(std::string& s, size_t v) {
    s += static_cast<char>(v >> 8 & 0xff);
    s += static_cast<char>(v & 0xff);
}

// A ClientHello record: SNI, ALPN h2, supported_versions (0304, 0303), then padding, so that
// the versions list does not end the message (Tstat skips it then).
std::string client_hello(std::string_view sni) {
    std::string ext;
    auto add = [&](int type, const std::string& body) {
        put16(ext, static_cast<size_t>(type));
        put16(ext, body.size());
        ext += body;
    };
    std::string sni_body;
    put16(sni_body, sni.size() + 3);
    sni_body += '\0';
    put16(sni_body, sni.size());
    sni_body += sni;
    add(0x0000, sni_body);
    add(0x0010, std::string("\x00\x03\x02h2", 5));
    add(0x002b, std::string("\x04\x03\x04\x03\x03", 5));
    add(0x0015, std::string(4, '\0'));
    std::string body = "\x03\x03" + std::string(32, 'r');
    body += '\0';                                       // no session id
    body += std::string("\x00\x02\x13\x01\x01\x00", 6);   // one suite, null compression
    put16(body, ext.size());
    body += ext;
    std::string hs = "\x01";
    hs += '\0';
    put16(hs, body.size());
    hs += body;
    std::string rec = "\x16\x03\x01";
    put16(rec, hs.size());
    return rec + hs;
}

// ServerHello (supported_versions 0304, ALPN h2) followed by a Certificate record whose CN is
// `cn`, as servers often send them in one segment.
std::string server_hello(std::string_view cn) {
    std::string ext;
    put16(ext, 0x002b);
    put16(ext, 2);
    ext += std::string("\x03\x04", 2);
    put16(ext, 0x0010);
    put16(ext, 5);
    ext += std::string("\x00\x03\x02h2", 5);
    std::string body = "\x03\x03" + std::string(32, 's');
    body += '\0';
    body += std::string("\x13\x01\x00", 3);
    put16(body, ext.size());
    body += ext;
    std::string hs = "\x02";
    hs += '\0';
    put16(hs, body.size());
    hs += body;
    std::string rec = "\x16\x03\x03";
    put16(rec, hs.size());
    rec += hs;
    std::string cert = std::string(20, '\x30') + std::string("\x06\x03\x55\x04\x03\x0c", 6);
    cert += static_cast<char>(cn.size());
    cert += cn;
    cert += std::string(20, '\x30');
    std::string crec = "\x16\x03\x03";
    put16(crec, cert.size() + 4);
    crec += '\x0b';
    crec += '\0';
    put16(crec, cert.size());
    return rec + crec + cert;
}

std::string app_data(size_t n) {
    std::string r = "\x17\x03\x03";
    put16(r, n);
    return r + std::string(n, 'e');
}

TEST(TcpClassifier, HttpFlowAndItsLogRows) {
    TcpSession s(kClient, {"192.0.2.10", 80});
    s.handshake()
        .client_send("GET /index.html?q=1 HTTP/1.1\r\nHost: www.example.com\r\n"
                     "User-Agent: curl/8.0\r\nReferer: http://ref.example.org/a/b?c\r\n\r\n")
        .server_send("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Type: text/html\r\n"
                     "Server: nginx\r\n\r\nhello")
        .close();
    Harness h;
    const TcpL7& l7 = h.run(s);
    // "GET " from the client, "HTTP" from the server: HTTP; the path has no special prefix.
    EXPECT_EQ(l7.con_type, con::kHttp);
    EXPECT_EQ(l7.http_data, 0);   // HTTP_GET
    EXPECT_EQ(l7.http_request_count, 1);
    EXPECT_EQ(l7.http_response_count, 1);
    EXPECT_EQ(l7.http_response.view(), "200");
    EXPECT_EQ(l7.http_hostname.view(), "www.example.com");
    EXPECT_EQ(l7.tls_sni.view(), "");

    ASSERT_EQ(h.rec.requests.size(), 1u);
    const Request& q = h.rec.requests[0];
    EXPECT_EQ(q.method, "GET");
    EXPECT_EQ(q.host, "www.example.com");
    EXPECT_EQ(q.path, "-");                        // httplog_full_url 0: no path
    EXPECT_EQ(q.referer, "http://ref.example.org/");   // ...and only the Referer's origin
    EXPECT_EQ(q.user_agent, "curl/8.0");
    EXPECT_EQ(q.cookie, "-");
    EXPECT_EQ(q.dnt, "-");
    ASSERT_EQ(h.rec.responses.size(), 1u);
    const Response& r = h.rec.responses[0];
    EXPECT_FALSE(r.continuation);
    EXPECT_EQ(r.status, "200");
    EXPECT_EQ(r.length, "5");
    EXPECT_EQ(r.type, "text/html");
    EXPECT_EQ(r.server, "nginx");
    EXPECT_EQ(r.range, "-");
}

TEST(TcpClassifier, HttpLogPrivacyLevels) {
    for (int level : {1, 2}) {
        TcpSession s(kClient, {"192.0.2.10", 80});
        s.handshake()
            .client_send("GET /p/x?secret=1 HTTP/1.1\r\nHost: h.example\r\nCookie: id=7\r\n\r\n")
            .server_send("HTTP/1.1 302 Found\r\nLocation: https://h.example/login?next=1\r\n"
                         "Set-Cookie: s=1\r\n\r\n")
            .close();
        Harness h(logs_on(level));
        h.run(s);
        ASSERT_EQ(h.rec.requests.size(), 1u);
        ASSERT_EQ(h.rec.responses.size(), 1u);
        if (level == 1) {   // cut at '?', no cookies
            EXPECT_EQ(h.rec.requests[0].path, "/p/x");
            EXPECT_EQ(h.rec.requests[0].cookie, "-");
            EXPECT_EQ(h.rec.responses[0].location, "https://h.example/login");
            EXPECT_EQ(h.rec.responses[0].cookie, "-");
        } else {            // everything verbatim
            EXPECT_EQ(h.rec.requests[0].path, "/p/x?secret=1");
            EXPECT_EQ(h.rec.requests[0].cookie, "id=7");
            EXPECT_EQ(h.rec.responses[0].location, "https://h.example/login?next=1");
            EXPECT_EQ(h.rec.responses[0].cookie, "s=1");
        }
    }
}

TEST(TcpClassifier, HttpRequestCutMidHeaderGivesAContinuationRow) {
    TcpSession s(kClient, {"192.0.2.10", 80});
    s.handshake()
        .client_send("GET / HTTP/1.1\r\nHost: h.example\r\nUser-Agent: Mozil", false)
        .client_send("la/5.0\r\n\r\n")
        .server_send("HTTP/1.1 204 No Content\r\n\r\n")
        .close();
    Harness h;
    const TcpL7& l7 = h.run(s);
    EXPECT_EQ(l7.http_request_count, 1);   // the continuation is no new request
    ASSERT_EQ(h.rec.requests.size(), 2u);
    EXPECT_EQ(h.rec.requests[0].method, "GET");
    EXPECT_EQ(h.rec.requests[0].user_agent, "Mozil[*]");
    EXPECT_EQ(h.rec.requests[1].method, "REQ2");
    EXPECT_EQ(h.rec.requests[1].user_agent, "[*]la/5.0");
}

TEST(TcpClassifier, NoHttpLogNoRows) {
    TcpSession s(kClient, {"192.0.2.10", 80});
    s.handshake()
        .client_send("GET / HTTP/1.1\r\nHost: h.example\r\n\r\n")
        .server_send("HTTP/1.1 200 OK\r\n\r\n")
        .close();
    Harness h(TcpClassifierConfig{});
    const TcpL7& l7 = h.run(s);
    EXPECT_EQ(l7.con_type, con::kHttp);
    EXPECT_EQ(l7.http_hostname.view(), "h.example");   // the Host column does not need the log
    EXPECT_TRUE(h.rec.requests.empty());
    EXPECT_TRUE(h.rec.responses.empty());
}

TEST(TcpClassifier, TlsHandshakeFields) {
    TcpSession s(kClient, {"192.0.2.20", 443});
    const std::string hello = client_hello("www.example.com");
    s.handshake()
        .client_send(hello)
        .server_send(server_hello("www.example.com"))
        .client_send(app_data(40))
        .server_send(app_data(100))
        .close();
    Harness h;
    const TcpL7& l7 = h.run(s);
    EXPECT_EQ(l7.con_type, con::kSsl);
    EXPECT_EQ(l7.tls_sni.view(), "www.example.com");
    EXPECT_EQ(l7.tls_scn.view(), "www.example.com");
    EXPECT_EQ(l7.client_npnalpn, 128);   // ALPN_H2
    EXPECT_EQ(l7.server_npnalpn, 128);
    EXPECT_EQ(l7.client_tls_version.view(), "0304,0303");
    EXPECT_EQ(l7.server_tls_version.view(), "0304");
    EXPECT_TRUE(l7.client_data_seen);
    EXPECT_TRUE(l7.server_data_seen);
    // Bytes before the first Application Data record: max_seq - syn - payload_len, i.e. one
    // more than the handshake bytes (the SYN's sequence number counts).
    EXPECT_EQ(l7.client_data_byte, hello.size() + 1);
    EXPECT_EQ(l7.server_data_byte, server_hello("www.example.com").size() + 1);
    EXPECT_LT(l7.client_before_data_time, l7.client_data_time);
}

TEST(TcpClassifier, ClientHelloWithoutServerHelloIsNotTls) {
    // The ClientHello only moves the FSM to SSL_HANDSHAKE; SSL needs the ServerHello.
    TcpSession s(kClient, {"192.0.2.20", 443});
    s.handshake().client_send(client_hello("www.example.com")).server_send("garbage!").close();
    Harness h;
    const TcpL7& l7 = h.run(s);
    EXPECT_EQ(l7.con_type & con::kSsl, 0u);
    EXPECT_EQ(l7.tls_sni.view(), "www.example.com");   // the SNI is kept all the same
}

TEST(TcpClassifier, Ssh) {
    TcpSession s(kClient, {"192.0.2.30", 22});
    s.handshake()
        .server_send("SSH-2.0-OpenSSH_9.6\r\n")
        .client_send("SSH-2.0-OpenSSH_9.2\r\n")
        .close();
    Harness h;
    EXPECT_EQ(h.run(s).con_type, con::kSsh);
}

TEST(TcpClassifier, MailOpenings) {
    // Server greeting, then the client's first command: HELO/EHLO for SMTP, USER/APOP/QUIT for
    // POP3. IMAP also needs the answer to the client's tagged command.
    struct Case {
        const char* greeting;
        const char* command;
        const char* answer;
        uint32_t expected;
    };
    for (const Case& c :
         {Case{"220 mx.example.com ESMTP\r\n", "EHLO client\r\n", nullptr, con::kSmtp},
          Case{"+OK POP3 ready\r\n", "USER bob\r\n", nullptr, con::kPop3},
          Case{"* OK IMAP4rev1 ready\r\n", "a001 LOGIN bob pw\r\n", nullptr, 0},
          Case{"* OK IMAP4rev1 ready\r\n", "a001 LOGIN bob pw\r\n", "a001 OK done\r\n",
               con::kImap},
          Case{"220 mx.example.com ESMTP\r\n", "MAIL FROM:<a@b>\r\n", nullptr, 0}}) {
        TcpSession s(kClient, {"192.0.2.40", 2500});
        s.handshake().server_send(c.greeting).client_send(c.command);
        if (c.answer != nullptr) s.server_send(c.answer);
        s.close();
        Harness h;
        EXPECT_EQ(h.run(s).con_type, c.expected) << c.greeting << c.command;
    }
}

TEST(TcpClassifier, BitTorrentHandshakeIsP2p) {
    std::string hs = "\x13" "BitTorrent protocol";
    hs += std::string(48, '\x01');
    TcpSession s(kClient, {"192.0.2.50", 6881});
    s.handshake().client_send(hs).server_send(hs).close();
    Harness h;
    const TcpL7& l7 = h.run(s);
    EXPECT_EQ(l7.con_type & con::kP2p, con::kP2p);
    EXPECT_EQ(l7.p2p_type, 900);   // IPP2P_BIT * 100
}

TEST(TcpClassifier, YoutubeVideoOverHttp) {
    std::string body = std::string("\x00\x00\x00\x18", 4) + "ftypmp42" + std::string(100, '\0');
    TcpSession s(kClient, {"192.0.2.60", 80});
    s.handshake()
        .client_send("GET /videoplayback?id=0123456789abcdef&itag=18&begin=0 HTTP/1.1\r\n"
                     "Host: r1.googlevideo.com\r\n\r\n")
        .server_send("HTTP/1.1 200 OK\r\nContent-Type: video/mp4\r\n\r\n" + body)
        .close();
    Harness h;
    const TcpL7& l7 = h.run(s);
    EXPECT_EQ(l7.con_type, con::kHttp);
    EXPECT_EQ(l7.http_data, 4);   // HTTP_YOUTUBE_VIDEO
    EXPECT_TRUE(l7.video.logged);
    EXPECT_EQ(l7.video.content_format, 2);   // VIDEO_MP4 from the Content-Type
    EXPECT_EQ(l7.video.payload_format, 2);   // ...and from the ftyp box after the head
    EXPECT_EQ(l7.video.id16_46.view(), "0123456789abcdef");
    EXPECT_EQ(l7.video.itag.view(), "18");
}

TEST(TcpClassifier, StrictPrivacyHidesYoutubeIds) {
    TcpSession s(kClient, {"192.0.2.60", 80});
    s.handshake()
        .client_send("GET /videoplayback?id=0123456789abcdef&itag=18 HTTP/1.1\r\n\r\n")
        .server_send("HTTP/1.1 200 OK\r\nContent-Type: video/mp4\r\n\r\n")
        .close();
    TcpClassifierConfig cfg = logs_on();
    cfg.strict_privacy = true;
    Harness h(cfg);
    const TcpL7& l7 = h.run(s);
    EXPECT_TRUE(l7.video.logged);
    EXPECT_EQ(l7.video.id16_46.view(), "XXX");
    EXPECT_EQ(l7.video.id11.view(), "XXX");
}

TEST(TcpClassifier, MsnChatFlowAndMessages) {
    TcpSession s(kClient, {"192.0.2.70", 1863});
    s.handshake()
        .client_send("VER 1 MSNP15 CVR0\r\n")
        .server_send("VER 1 MSNP15 CVR0\r\n")
        .client_send("MSG 2 A 20\r\nMIME-Version: 1.0\r\n")
        .close();
    Harness h;
    const TcpL7& l7 = h.run(s);
    EXPECT_EQ(l7.con_type, con::kMsn);
    EXPECT_EQ(l7.chat.kind, classify::ChatSummary::Kind::kMsn);
    EXPECT_EQ(l7.chat.version.view(), "MSNP15");
}

TEST(TcpClassifier, UnknownStaysUnknown) {
    TcpSession s(kClient, {"192.0.2.80", 9999});
    s.handshake().client_send("hello there").server_send("general kenobi").close();
    Harness h;
    const TcpL7& l7 = h.run(s);
    EXPECT_EQ(l7.con_type, 0u);
    EXPECT_EQ(l7.p2p_type, 0);
    EXPECT_EQ(l7.http_response.view(), "000");
    EXPECT_FALSE(l7.video.logged);
}

TEST(TcpClassifier, StateIsReleasedWhenFlowsClose) {
    Harness h;
    TcpSession s(kClient, {"192.0.2.20", 443});
    s.handshake()
        .client_send(client_hello("www.example.com"))
        .server_send(server_hello("www.example.com"))
        .close();
    h.run(s);
    const auto u = h.rec.classifier.usage();
    EXPECT_EQ(u.flows, 0u);
    EXPECT_EQ(u.tls, 0u);
    EXPECT_EQ(u.http, 0u);
    EXPECT_EQ(u.work, 0u);
    EXPECT_EQ(u.extra, 0u);
    EXPECT_EQ(u.hello, 0u);
    EXPECT_EQ(u.strings, 0u);
}

}  // namespace
}  // namespace tstat::testing
