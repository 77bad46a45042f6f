// The Analyzer's privacy (spec §13), packet dumps (§12) and runtime changes (§14.1): kept apart
// from the packet pipeline in analyzer.cc, which only calls in.
#include <cstdio>
#include <ctime>

#include "app/analyzer.h"
#include "output/anonymize/crypto_key.h"
#include "output/anonymize/thread_anonymizer.h"
#include "output/out_dir.h"

namespace tstat::app {

namespace anon = output::anonymize;
namespace dump = output::pcap_dump;

namespace {

// Tstat's Timestamp(): the wall-clock time of a message.
std::string wall_time() {
    const time_t now = std::time(nullptr);
    struct tm tm {};
    localtime_r(&now, &tm);
    char buf[64];
    std::strftime(buf, sizeof buf, "%a %b %e %H:%M:%S %Y", &tm);
    return buf;
}

struct LogName {
    const char* name;
    uint32_t bit;
};
constexpr LogName kLogNames[] = {
    {"log_tcp_complete", output::log_bit::kTcpComplete},
    {"log_tcp_nocomplete", output::log_bit::kTcpNocomplete},
    {"log_udp_complete", output::log_bit::kUdpComplete},
    {"log_mm_complete", output::log_bit::kMmComplete},
    {"log_skype_complete", output::log_bit::kSkypeComplete},
    {"log_chat_complete", output::log_bit::kChatComplete},
    {"log_chat_messages", output::log_bit::kChatMessages},
    {"log_video_complete", output::log_bit::kVideoComplete},
    {"log_http_complete", output::log_bit::kHttpComplete},
    {"log_dns_complete", output::log_bit::kDnsComplete},
    {"log_tcp_periodic", output::log_bit::kTcpPeriodic},
    {"log_udp_periodic", output::log_bit::kUdpPeriodic},
};

}  // namespace

Analyzer::~Analyzer() {
    if (anon::thread_anonymizer() == anonymizer_.get()) anon::set_thread_anonymizer(nullptr);
    if (dump_) dump_->close();
}

void Analyzer::enable_dump(bool gzip, std::optional<dump::DnsFilter> filter) {
    dump_ = std::make_unique<dump::DumpEngine>();
    dump_->set_gzip(gzip);
    dump_->set_dns_filter(std::move(filter));
}

void Analyzer::start_privacy() {
    if (!privacy_.crypto_on()) return;
    anon::Settings settings = privacy_.settings;
    if (privacy_.key) {
        settings.key = privacy_.key->key;
    } else {
        // Tstat draws a new random key for every output root (initialize_crypto()).
        auto k = anon::load_key(anon::KeySource::kRandom, "");
        if (!k) {
            fatal_ = k.error();
            return;
        }
        settings.key = k->key;
    }
    // Tstat only warns when the key cannot be stored.
    if (Status s = anon::write_key_file(root_, first_packet_, settings.key); !s)
        std::fprintf(stderr, "tstat: %s; the Crypto-PAn key is not stored\n", s.error().c_str());
    anonymizer_ = std::make_unique<anon::Anonymizer>(settings);
    anon::set_thread_anonymizer(anonymizer_.get());  // event rows made on this thread
    writer_.set_anonymizer(std::make_shared<const anon::Settings>(settings));
}

void Analyzer::apply_xor(decode::DecodedPacket& pkt, const flow::PacketContext& ctx,
                         uint32_t& xor_src, uint32_t& xor_dst) const {
    // -A: internal IPv4 addresses XORed in the packet itself, so flows, logs and dumps all see
    // the changed address; IPv6 is left alone (spec §13).
    if (pkt.ip_version != 4) return;
    auto flip = [&](IpAddress& a) {
        a = IpAddress::v4(a.v4_host() ^ privacy_.xor_mask);
        return privacy_.xor_mask;
    };
    if (ctx.internal_src) xor_src = flip(pkt.src);
    if (ctx.internal_dst) xor_dst = flip(pkt.dst);
}

void Analyzer::rotate_time_dir(Timestamp now) {
    // A new folder every Dirs windows (spec §5) or after a change of [log]/[options] (§14.1).
    // Tstat removes a folder of the same minute, with everything logged so far; here a second
    // folder of the same minute is named "<minute>_02.out", "_03"... (docs/runtime_control.md).
    const std::string minute = output::time_dir_name(now);
    std::string name = minute;
    if (minute == dir_minute_) {
        ++dir_copies_;
        char copy[24];   // room for any int: -Werror=format-truncation
        std::snprintf(copy, sizeof copy, "_%02d.out", dir_copies_);
        name = minute.substr(0, minute.size() - 4) + copy;   // sorts after <minute>.out
    } else {
        dir_copies_ = 1;
    }
    auto dir = output::make_time_dir_named(root_, name);
    if (!dir) {
        std::fprintf(stderr, "tstat: %s\n", dir.error().c_str());
        return;
    }
    dir_minute_ = minute;
    time_dir_ = *dir;
    std::fprintf(stdout, "[%s] created new outdir %s\n", wall_time().c_str(), time_dir_.c_str());
    std::fflush(stdout);
    writer_.open_dir(time_dir_, runtime_.logs);
    configure_tcp_classifier();
    if (stats_) stats_->engine().set_time_dir(time_dir_);
    if (dump_) {
        if (Status s = dump_->open_time_dir(time_dir_); !s) fatal_ = s.error();
    }
}

void Analyzer::runtime_changed(const RuntimeConfig& previous) {
    const RuntimeConfig& now = runtime_;
    const std::string when = wall_time();
    if (previous.histo_engine != now.histo_engine) {
        std::fprintf(stdout, "[%s] %s histo engine logs\n", when.c_str(),
                     now.histo_engine ? "Enabling" : "Disabling");
        if (stats_) stats_->engine().set_histo_engine_log(now.histo_engine);
    }
    if (previous.rrd_engine != now.rrd_engine)
        std::fprintf(stdout, "[%s] %s rrd engine logs\n", when.c_str(),
                     now.rrd_engine ? "Enabling" : "Disabling");
    for (const LogName& l : kLogNames) {
        const bool was = previous.logs.enabled(l.bit), is = now.logs.enabled(l.bit);
        if (was != is)
            std::fprintf(stdout, "[%s] %s %s\n", when.c_str(), is ? "Enabling" : "Disabling",
                         l.name);
    }
    if (previous.logs.log_bitmask != 0 && now.logs.log_bitmask == 0)
        std::fprintf(stdout, "[%s] All logs disabled\n", when.c_str());
    if (previous.logs.tcp_level != now.logs.tcp_level)
        std::fprintf(stdout, "[%s] TCP log level set to %d\n", when.c_str(), now.logs.tcp_level);
    // Tstat compares the video level with the TCP level of the previous read (spec §17.13);
    // here with the previous video level.
    if (previous.logs.video_level != now.logs.video_level)
        std::fprintf(stdout, "[%s] Video log level set to %d\n", when.c_str(),
                     now.logs.video_level);

    const dump::DumpConfig dump_config = dump::DumpConfig::from_keys(now.dump);
    if (dump_ && dump_config.active() != dump_->config().active())
        std::fprintf(stdout, "[%s] %s dump engine\n", when.c_str(),
                     dump_config.active() ? "Enabling" : "Disabling");

    const bool new_folder = previous.logs.log_bitmask != now.logs.log_bitmask ||
                            previous.logs.tcp_level != now.logs.tcp_level ||
                            previous.logs.video_level != now.logs.video_level ||
                            previous.logs.httplog_full_url != now.logs.httplog_full_url;
    std::fflush(stdout);   // a log collector watching tstat's output sees the change now
    // The producers of the logs runtime.conf may switch on while running.
    periodic_->enable(now.logs.enabled(output::log_bit::kTcpPeriodic),
                      now.logs.enabled(output::log_bit::kUdpPeriodic),
                      globals_.flow.max_tcp_pairs, globals_.flow.max_udp_pairs);
    classifier_.set_skype_log(now.logs.enabled(output::log_bit::kSkypeComplete));
    classifier_.set_udp_logs(now.logs.enabled(output::log_bit::kDnsComplete),
                             now.logs.enabled(output::log_bit::kMmComplete));
    if (!started_ || !fatal_.empty()) {
        // Nothing is open yet: the first packet opens everything with the new values.
        if (dump_) (void)dump_->configure(dump_config, false);
        return;
    }
    if (new_folder) {
        if (dump_) {
            dump_->close_dir();
            (void)dump_->configure(dump_config, false);
        }
        rotate_time_dir(last_packet_);
    } else if (dump_) {
        if (Status s = dump_->configure(dump_config); !s) fatal_ = s.error();
    }
}

std::string_view Analyzer::tcp_dns_name(const flow::tcp::TcpFlow& flow) {
    return classifier_.tcp_dns_name(flow);
}

dump::TcpDumpClass Analyzer::tcp_dump_class(const flow::tcp::TcpFlow& flow) const {
    const auto v = classifier_.tcp().live_view(flow);
    return {v.con_type, v.video};
}

dump::UdpDumpClass Analyzer::udp_dump_class(const flow::udp::UdpFlow& flow, flow::Dir dir) const {
    const auto v = classifier_.udp().live_view(flow, dir);
    dump::UdpDumpClass c;
    c.log_type = v.log_type;
    if (classifier_.udp_skype_confirmed(flow, dir)) c.log_type = flow.dir(dir).type;
    c.utp_pending = v.utp_pending;
    c.quic_pending = v.quic_pending;
    c.sye_pending = v.sye_pending;
    return c;
}

}  // namespace tstat::app
