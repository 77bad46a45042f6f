#include "app/usage.h"

#include "output/logs/chat_log.h"
#include "output/logs/classified_logs.h"
#include "output/logs/dns_log.h"
#include "output/logs/http_log.h"
#include "output/logs/periodic_log.h"
#include "output/logs/skype_log.h"
#include "output/logs/tcp_log.h"
#include "output/logs/udp_log.h"
#include "output/logs/video_log.h"

namespace tstat::app {

void print_usage(std::FILE* out) {
    std::fprintf(out,
                 "usage: tstat [-htuvwgSLQX0] [-d[-d]] [-s dir] [-N file] [-M file] [-C file]\n"
                 "             [-Y file] [--keyvalue key | --keyfile file | --keybase64 file]\n"
                 "             [--enc] [-W file] [-B bayes.conf] [-T runtime.conf]\n"
                 "             [-G globals.conf] [-z file] [-A mask] [-H ?|file] [-6] [-Z] [-P]\n"
                 "             [-F file] [-r RRD_out_dir] [-R rrd_conf] [-l] [-i interface]\n"
                 "             [-E snaplen] [-f filterfile] [--graphite host:port]\n"
                 "             [--graphite-probe name] <file1 file2 ...>\n");
}

void print_help(std::FILE* out, const Globals& g) {
    print_usage(out);
    std::fprintf(out, R"(
Input
  file ...      pcap (either byte order, µs or ns), pcapng, each optionally gzip-compressed;
                'stdin' or '-' reads standard input. The format is told by content.
  -c            concatenate the files into one trace (one output folder)
  -l            live capture with libpcap;  -i IFACE  interface;  -E N  snaplen (550)
  -f FILE       BPF filter expression read from FILE (live and files)
  -u            do not process UDP          -6  ignore IPv6 at layer 4
Output
  -s DIR        output root (default: <trace>.out, or stdin)
  -L            no log files                -Z  gzip the log files
  -N FILE       internal networks           -M FILE  internal MAC addresses
  -C FILE       cloud networks              -z FILE  write messages to FILE
  -T FILE       runtime configuration ([log], [options], [dump])
  -G FILE       global constants ([globals])
  -B DIR        Skype classifier: DIR/pktsize.conf and DIR/avgipg.conf (your trained
                naive-Bayes files), log_skype_complete (docs/skype.md)
  --list-columns  print every log column with its meaning
  --decode-like-tstat  decode links as Tstat 3.3 does: one VLAN tag and one MPLS label, no
                QinQ, PPPoE/PPP with IPv4 only, and its IPv6 fragment-offset bug (to compare
                with old logs); by default those frames are decoded
Runtime changes (-T)
                runtime.conf is re-read once its mtime has stayed the same for
                runtime_mtime_counter checks made every runtime_config_idle seconds of wall
                clock (21 s x 3); SIGHUP re-reads it at once. A change of [log] or [options]
                starts a new time folder, of [dump] the next tracesNN. A file with an error
                keeps the running configuration (the message names the line)
Packet dumps (runtime.conf [dump], into <time folder>/tracesNN/)
  -P            gzip the dump files (.pcap.gz)
  -F FILE       DNS filter of tcp_complete: lines '<domain suffix> 0|1', 'ANY.ANY 0|1'
Privacy
  -A MASK       XOR internal IPv4 addresses with MASK in the packets (logs and dumps)
  -Y FILE       Crypto-PAn: print addresses of FILE's networks encrypted (prefix-preserving)
  -W FILE       ... except those of FILE's networks
  --keyvalue KEY | --keyfile FILE | --keybase64 FILE
                the 32-byte key (default: random); the key used is saved, Base64, in
                <root>/CPanKey_<time>
  --enc         with -Y: host names (SNI, CN, DN-Hunter name, Host, QUIC) encrypted too
  -0            strict privacy: URLs never in full, YouTube ids printed as XXX
Histograms and time series (5-minute windows of trace time)
  -H FILE       collect the histograms FILE names (include NAME|ALL|ADX, include_matching,
                adx_mask, adx2_mask, adx2_sample, adx3_sample); -H ? lists them all
  -g            also write GLOBAL/ (cumulative histograms) at the end
  -S            no histogram engine (no window files, no folder rotation without -R)
  -R FILE -r DIR  RRD databases of the histograms FILE names, in DIR (librrd)
  --graphite HOST:PORT  send every closed window to carbon (plaintext protocol), named
                tstat.<probe>.<histogram>.<bin>; kept and re-sent until carbon takes it
  --graphite-probe NAME  the <probe> part (default: the host name)
Other
  -t            progress display            -w  more warnings      -d  debug (repeatable)
  -h            this help                   -v  version

Globals (-G), current values:
  max_tcp_pairs %u  max_udp_pairs %u  list_search_dept %u
  tcp_idle_time %.1f s  udp_idle_time %.1f s  tcp_singleton_time %.1f s  udp_singleton_time %.1f s
  gc_cycle_time %.1f s  gc_split_ratio %u  max_seg_per_quad %u
  max_internal_hosts %u  max_cloud_hosts %u  max_internal_ethers %u
  max_time_step %.1f s  dirs %u  max_adx_slots %u
)",
                 g.flow.max_tcp_pairs, g.flow.max_udp_pairs, g.flow.list_search_dept,
                 static_cast<double>(g.flow.tcp_idle_us) / 1e6,
                 static_cast<double>(g.flow.udp_idle_us) / 1e6,
                 static_cast<double>(g.flow.tcp_singleton_us) / 1e6,
                 static_cast<double>(g.flow.udp_singleton_us) / 1e6,
                 static_cast<double>(g.flow.gc_cycle_us) / 1e6, g.flow.gc_split_ratio,
                 g.flow.max_seg_per_quad, g.max_internal_hosts, g.max_cloud_hosts,
                 g.max_internal_ethers, static_cast<double>(g.max_time_step_us) / 1e6, g.dirs,
                 g.max_adx_slots);
    print_version(out);
}

void print_version(std::FILE* out) {
    std::fprintf(out, "tstat %s, a successor of TNG tstat-3.3.0 (Voynich flavor), with IPv6 "
                 "support\n", kVersion);
}

void print_columns(std::FILE* out) {
    int i = 1;
    auto list = [&](const char* log, const auto& set) {
        for (const auto& c : set)
            std::fprintf(out, "%s\t%d\t%s\t%s\n", log, i++, c.name.c_str(), c.doc.c_str());
    };
    for (const auto* set : output::tcp_complete_sets(output::tcp_set::kDefault))
        list("log_tcp_complete", *set);
    i = 1;
    list("log_tcp_nocomplete", output::tcp_core_columns());
    i = 1;
    list("log_udp_complete", output::udp_columns());
    auto list_docs = [&](const char* log, const auto& cols) {
        int n = 1;
        for (const auto& c : cols) std::fprintf(out, "%s\t%d\t%s\t%s\n", log, n++, c.name, c.doc);
    };
    i = 1;
    for (const auto* set : output::video_sets(output::video_set::kDefault))
        list("log_video_complete", *set);
    list_docs("log_http_complete (#C# request rows)", output::http_request_columns());
    list_docs("log_http_complete (#S# response rows)", output::http_response_columns());
    list_docs("log_chat_complete", output::chat_complete_columns());
    list_docs("log_chat_messages", output::chat_messages_columns());
    list_docs("log_dns_complete", output::dns_log_columns());
    list_docs("log_tcp_periodic", output::tcp_periodic_columns());
    list_docs("log_udp_periodic", output::udp_periodic_columns());
    list_docs("log_skype_complete (UDP rows, no header)", output::skype_udp_columns());
    list_docs("log_skype_complete (TCP rows, no header)", output::skype_tcp_columns());
}

}  // namespace tstat::app
