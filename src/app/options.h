// Tstat's command line (spec §2), parsed once into a typed struct.
#pragma once

#include <string>
#include <vector>

#include "common/result.h"

namespace tstat::app {

struct Options {
    // Input
    std::vector<std::string> traces;     // positional: files, "stdin" or "-"
    bool live = false;                   // -l
    std::string interface;               // -i
    int snaplen = 550;                   // -E
    std::string filter_file;             // -f
    bool concat = false;                 // -c

    // Output
    std::string out_dir;                 // -s
    bool no_logs = false;                // -L
    bool gzip_logs = false;              // -Z
    std::string redirect_file;           // -z
    bool no_udp = false;                 // -u
    bool ignore_ipv6 = false;            // -6

    // Networks
    std::string net_file;                // -N
    std::string mac_file;                // -M
    std::string cloud_file;              // -C

    // Configuration files
    std::string runtime_conf;            // -T
    std::string globals_conf;            // -G

    // Features of later stages (accepted by the parser, checked by the app)
    std::string histo_conf;              // -H (or "?")
    bool global_histo = false;           // -g
    bool no_histo = false;               // -S
    std::string rrd_dir;                 // -r
    std::string rrd_conf;                // -R
    std::string crypto_file;             // -Y
    std::string white_file;              // -W
    std::string key_value;               // --keyvalue
    std::string key_file;                // --keyfile
    std::string key_base64;              // --keybase64
    bool enc = false;                    // --enc
    std::string xor_mask;                // -A
    std::string bayes_dir;               // -B
    bool gzip_dumps = false;             // -P
    bool no_dnhunter = false;            // -X
    bool dns_wrap_report = false;        // -Q
    std::string dns_filter_file;         // -F
    bool strict_privacy = false;         // -0
    std::string graphite;                // --graphite host:port (ours)
    std::string graphite_probe;          // --graphite-probe name (ours)

    // Misc
    int debug = 0;                       // -d (repeatable)
    bool help = false;                   // -h
    bool version = false;                // -v
    bool ticks = false;                  // -t
    bool warnings = false;               // -w
    bool list_columns = false;           // --list-columns (ours)
    bool decode_like_tstat = false;      // --decode-like-tstat (ours): Tstat's link-layer limits
};

// Parses argv[1..] (GNU-style: options and files may be mixed, "--" ends options).
Result<Options> parse_options(const std::vector<std::string>& args);

// Reads Tstat's tstat.conf: one option (with its argument) per line, '#' comments.
Result<std::vector<std::string>> read_options_file(const std::string& path);

}  // namespace tstat::app
