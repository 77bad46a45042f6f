#include "stats/histo_conf.h"

#include <arpa/inet.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

namespace tstat::stats {

namespace {

std::string mask_text(const Mask4& m) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%u.%u.%u.%u", m[0], m[1], m[2], m[3]);
    return buf;
}

// Tokens with the line they start on, as fscanf("%s") would cut them.
struct Token {
    std::string text;
    int line;
};

class Tokenizer {
public:
    explicit Tokenizer(std::string_view t) : t_(t) {}

    // The next token; at a keyword position a '#' token ends at the end of the line.
    bool next(Token& out, bool keyword_position) {
        for (;;) {
            while (pos_ < t_.size() && is_space(t_[pos_])) {
                if (t_[pos_] == '\n') ++line_;
                ++pos_;
            }
            if (pos_ >= t_.size()) return false;
            if (keyword_position && t_[pos_] == '#') {
                while (pos_ < t_.size() && t_[pos_] != '\n') ++pos_;
                continue;
            }
            const size_t start = pos_;
            while (pos_ < t_.size() && !is_space(t_[pos_])) ++pos_;
            out.text.assign(t_.substr(start, pos_ - start));
            out.line = line_;
            return true;
        }
    }

private:
    static bool is_space(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
    }
    std::string_view t_;
    size_t pos_ = 0;
    int line_ = 1;
};

int64_t parse_sample(const std::string& arg, int64_t fallback_s, const char* what,
                     const std::string& where, std::vector<std::string>& warnings) {
    errno = 0;
    char* end = nullptr;
    const long v = std::strtol(arg.c_str(), &end, 10);
    if (end == arg.c_str() || *end != '\0' || errno != 0 || v < 1) {
        warnings.push_back(where + "wrong sample interval <" + arg + "> for " + what +
                           ", using the default " + std::to_string(fallback_s) + " s");
        return fallback_s * 1'000'000;
    }
    return static_cast<int64_t>(v) * 1'000'000;
}

}  // namespace

Mask4 parse_adx_mask(const std::string& text, Mask4 fallback, std::vector<std::string>& warnings) {
    if (text.find('.') == std::string::npos) {
        errno = 0;
        char* end = nullptr;
        const long bits = std::strtol(text.c_str(), &end, 10);
        if (end == text.c_str() || *end != '\0' || errno != 0 || bits < 1 || bits > 32) {
            warnings.push_back("invalid netmask <" + text + "> in adx_mask/adx2_mask, using " +
                               mask_text(fallback));
            return fallback;
        }
        const uint32_t m = bits == 32 ? 0xffffffffu : ~(0xffffffffu >> bits);
        return Mask4{static_cast<uint8_t>(m >> 24), static_cast<uint8_t>(m >> 16),
                     static_cast<uint8_t>(m >> 8), static_cast<uint8_t>(m)};
    }
    in_addr a{};
    if (inet_aton(text.c_str(), &a) == 0) {
        warnings.push_back("invalid netmask <" + text + "> in adx_mask/adx2_mask, using " +
                           mask_text(fallback));
        return fallback;
    }
    Mask4 m;
    std::memcpy(m.data(), &a.s_addr, 4);
    return m;
}

Result<HistoConfig> parse_histo_conf(std::string_view text, const std::string& source,
                                     bool with_globals) {
    HistoConfig cfg;
    Tokenizer tok(text);
    Token kw, arg;
    auto where = [&](const Token& t) { return source + ":" + std::to_string(t.line) + ": "; };
    while (tok.next(kw, true)) {
        const bool known = kw.text == "include" || kw.text == "include_matching" ||
                           kw.text == "adx_mask" || kw.text == "adx2_mask" ||
                           kw.text == "adx2_sample" || kw.text == "adx3_sample";
        if (!known)
            return make_error(where(kw) + "unknown keyword <" + kw.text +
                              "> (expected include, include_matching, adx_mask, adx2_mask, "
                              "adx2_sample or adx3_sample)");
        if (!tok.next(arg, false))
            return make_error(where(kw) + kw.text + ": missing argument at the end of the file");
        if (kw.text == "include") {
            if (arg.text == "ALL") {
                // Tstat: every histogram, the address histogram, and no addresses2.
                for (size_t i = 0; i < kHistoCount; ++i)
                    if (with_globals || !histo_def(histo_at(i)).global_only) cfg.on[i] = true;
                cfg.adx = true;
                cfg.adx2 = false;
            } else if (arg.text == "ADX") {
                cfg.adx = true;
                cfg.adx2 = false;
            } else {
                HistoId id;
                if (!find_histo(arg.text, with_globals, id))
                    return make_error(where(arg) + "cannot find histogram <" + arg.text +
                                      "> to include (tstat -H ? lists them)");
                cfg.on[index_of(id)] = true;
            }
        } else if (kw.text == "include_matching") {
            for (size_t i = 0; i < kHistoCount; ++i) {
                const HistoDef& d = histo_def(histo_at(i));
                if (d.global_only && !with_globals) continue;
                if (d.name.find(arg.text) != std::string_view::npos) cfg.on[i] = true;
            }
        } else if (kw.text == "adx_mask") {
            cfg.adx_mask = parse_adx_mask(arg.text, kDefaultAdxMask, cfg.warnings);
        } else if (kw.text == "adx2_mask") {
            // Tstat resets both sampling intervals here (histo_parse_conf).
            cfg.adx2 = true;
            cfg.adx2_sample_us = 60'000'000;
            cfg.adx3_sample_us = 1'000'000;
            cfg.adx2_mask = parse_adx_mask(arg.text, kDefaultAdxMask, cfg.warnings);
        } else if (kw.text == "adx2_sample") {
            cfg.adx2_sample_us = parse_sample(arg.text, 60, "adx2_sample", where(arg),
                                              cfg.warnings);
        } else {
            cfg.adx3_sample_us = parse_sample(arg.text, 1, "adx3_sample", where(arg),
                                              cfg.warnings);
            if (cfg.adx3_sample_us > cfg.adx2_sample_us) {
                cfg.warnings.push_back(where(arg) + "adx3_sample is larger than adx2_sample; "
                                                    "using adx2_sample for both");
                cfg.adx3_sample_us = cfg.adx2_sample_us;
            }
        }
    }
    return cfg;
}

Result<HistoConfig> load_histo_conf(const std::string& path, bool with_globals) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return make_error(path + ": cannot read the histogram configuration (-H)");
    std::stringstream ss;
    ss << in.rdbuf();
    return parse_histo_conf(ss.str(), path, with_globals);
}

std::string histogram_definitions(bool with_globals) {
    std::string out = "#name\tmin\tbin_size\tmax\tdescription\n";
    char buf[96];
    for (size_t i = 0; i < kHistoCount; ++i) {
        const HistoDef& d = histo_def(histo_at(i));
        if (d.global_only && !with_globals) continue;
        out.append(d.name);
        std::snprintf(buf, sizeof buf, "\t%lld\t%lld\t%lld\t", static_cast<long long>(d.min),
                      static_cast<long long>(d.bin_size), static_cast<long long>(d.max));
        out += buf;
        out.append(d.description);
        out += '\n';
    }
    return out;
}

}  // namespace tstat::stats
