#include "app/options.h"

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace tstat::app {

namespace {

// getopt string of Tstat 3.3 (tstat.c): letters followed by ':' take an argument.
constexpr const char* kShortOptions = "f:li:E:D:r:R:6ZPQXF:A:B:G:N:M:C:Y:W:H:s:T:z:gdhtucSLvw320";

bool takes_argument(char c, bool& known) {
    const char* p = kShortOptions;
    for (; *p != '\0'; ++p) {
        if (*p == c) {
            known = true;
            return p[1] == ':';
        }
    }
    known = false;
    return false;
}

Status set_short(Options& o, char c, const std::string& arg) {
    switch (c) {
        case 'f': o.filter_file = arg; break;
        case 'l': o.live = true; break;
        case 'i': o.interface = arg; break;
        case 'E': {
            char* end = nullptr;
            const long v = std::strtol(arg.c_str(), &end, 10);
            if (end == arg.c_str() || *end != '\0' || v < 1 || v > 65535)
                return make_error("-E " + arg + ": the snaplen must be a number from 1 to 65535");
            o.snaplen = static_cast<int>(v);
            break;
        }
        case 'r': o.rrd_dir = arg; break;
        case 'R': o.rrd_conf = arg; break;
        case '6': o.ignore_ipv6 = true; break;
        case 'Z': o.gzip_logs = true; break;
        case 'P': o.gzip_dumps = true; break;
        case 'Q': o.dns_wrap_report = true; break;
        case 'X': o.no_dnhunter = true; break;
        case 'F': o.dns_filter_file = arg; break;
        case 'A': o.xor_mask = arg; break;
        case 'B': o.bayes_dir = arg; break;
        case 'G': o.globals_conf = arg; break;
        case 'N': o.net_file = arg; break;
        case 'M': o.mac_file = arg; break;
        case 'C': o.cloud_file = arg; break;
        case 'Y': o.crypto_file = arg; break;
        case 'W': o.white_file = arg; break;
        case 'H': o.histo_conf = arg; break;
        case 's': o.out_dir = arg; break;
        case 'T': o.runtime_conf = arg; break;
        case 'z': o.redirect_file = arg; break;
        case 'g': o.global_histo = true; break;
        case 'd': ++o.debug; break;
        case 'h': o.help = true; break;
        case 't': o.ticks = true; break;
        case 'u': o.no_udp = true; break;
        case 'c': o.concat = true; break;
        case 'S': o.no_histo = true; break;
        case 'L': o.no_logs = true; break;
        case 'v': o.version = true; break;
        case 'w': o.warnings = true; break;
        case '0': o.strict_privacy = true; break;
        case 'D': return make_error("-D: DPMI input is not supported (Tstat builds it only with GROK_DPMI)");
        case '2': return make_error("-2: fixed-direction dual input needs Endace DAG cards; not supported");
        case '3': return make_error("-3: log_l3_bitrate exists only in Tstat builds with L3_BITRATE; not supported");
        default: return make_error(std::string("-") + c + ": unknown option (see tstat -h)");
    }
    return {};
}

}  // namespace

Result<Options> parse_options(const std::vector<std::string>& args) {
    Options o;
    bool only_files = false;
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (only_files || a == "-" || a.size() < 2 || a[0] != '-') {
            o.traces.push_back(a);
            continue;
        }
        if (a == "--") {
            only_files = true;
            continue;
        }
        if (a.rfind("--", 0) == 0) {
            std::string name = a.substr(2), value;
            const auto eq = name.find('=');
            const bool has_eq = eq != std::string::npos;
            if (has_eq) {
                value = name.substr(eq + 1);
                name = name.substr(0, eq);
            }
            auto need_value = [&]() -> Status {
                if (has_eq) return {};
                if (i + 1 >= args.size())
                    return make_error("--" + name + ": missing argument");
                value = args[++i];
                return {};
            };
            if (name == "keyvalue" || name == "keyfile" || name == "keybase64") {
                if (Status s = need_value(); !s) return Error{s.error()};
                (name == "keyvalue" ? o.key_value : name == "keyfile" ? o.key_file : o.key_base64) =
                    value;
            } else if (name == "graphite" || name == "graphite-probe") {
                if (Status s = need_value(); !s) return Error{s.error()};
                (name == "graphite" ? o.graphite : o.graphite_probe) = value;
            } else if (name == "enc") {
                o.enc = true;
            } else if (name == "list-columns") {
                o.list_columns = true;
            } else if (name == "decode-like-tstat") {
                o.decode_like_tstat = true;
            } else if (name == "help") {
                o.help = true;
            } else if (name == "version") {
                o.version = true;
            } else if (name == "dag") {
                return make_error("--dag: Endace DAG capture is not supported");
            } else {
                return make_error("--" + name + ": unknown option (see tstat -h)");
            }
            continue;
        }
        // A cluster of short options; one taking an argument consumes the rest of the word
        // or the next word.
        for (size_t k = 1; k < a.size(); ++k) {
            const char c = a[k];
            bool known = false;
            const bool with_arg = takes_argument(c, known);
            if (!known) return make_error(std::string("-") + c + ": unknown option (see tstat -h)");
            std::string arg;
            if (with_arg) {
                if (k + 1 < a.size()) {
                    arg = a.substr(k + 1);
                } else if (i + 1 < args.size()) {
                    arg = args[++i];
                } else {
                    return make_error(std::string("-") + c + ": missing argument");
                }
            }
            if (Status s = set_short(o, c, arg); !s) return Error{s.error()};
            if (with_arg) break;
        }
    }
    return o;
}

Result<std::vector<std::string>> read_options_file(const std::string& path) {
    std::ifstream in(path);
    if (!in) return make_error(path + ": cannot read the options file");
    std::vector<std::string> args;
    std::string line;
    while (std::getline(in, line)) {
        const auto hash = line.find('#');
        if (hash != std::string::npos) line.resize(hash);
        std::istringstream words(line);
        for (std::string w; words >> w;) args.push_back(w);
    }
    return args;
}

}  // namespace tstat::app
