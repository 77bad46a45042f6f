#include "stats/rrd/rrd_conf.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace tstat::stats::rrd {

namespace {

std::vector<std::string> words(std::string_view line) {
    std::vector<std::string> out;
    size_t i = 0;
    auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f'; };
    while (i < line.size()) {
        while (i < line.size() && space(line[i])) ++i;
        const size_t s = i;
        while (i < line.size() && !space(line[i])) ++i;
        if (i > s) out.emplace_back(line.substr(s, i - s));
    }
    return out;
}

// The comma-separated values after "idx:" / "prc:" (Tstat cuts at the first ':').
std::vector<std::string> list_after_colon(const std::string& token) {
    std::vector<std::string> out;
    const size_t colon = token.find(':');
    std::string rest = colon == std::string::npos ? "" : token.substr(colon + 1);
    std::stringstream ss(rest);
    for (std::string v; std::getline(ss, v, ',');)
        if (!v.empty()) out.push_back(v);
    return out;
}

}  // namespace

std::string prc_name(double p) {
    char buf[64];
    if (static_cast<double>(static_cast<int>(p)) == p)
        std::snprintf(buf, sizeof buf, "prc%.0f", p);   // prc95 rather than prc95.000
    else
        std::snprintf(buf, sizeof buf, "prc%.3f", p);
    return buf;
}

std::vector<std::string> rrd_files(const HistoRrd& h) {
    const std::string base(histo_def(h.id).name);
    std::vector<std::string> out;
    auto add = [&](const std::string& stat) { out.push_back(base + "." + stat + ".rrd"); };
    // rrdtool_create()'s order, then hit (which Tstat forgot to create, spec §11).
    if (h.avg) add("avg");
    if (h.min) add("min");
    if (h.max) add("max");
    if (h.var) add("var");
    if (h.idxoth) add("idxoth");
    if (h.stdev) add("stdev");
    for (int i : h.idx) add("idx" + std::to_string(i));
    for (double p : h.prc) add(prc_name(p));
    if (h.hit) add("hit");
    return out;
}

Result<RrdConfig> parse_rrd_conf(std::string_view text, const std::string& source,
                                 bool with_globals) {
    RrdConfig cfg;
    std::vector<HistoRrd> by_id(kHistoCount);
    std::vector<bool> named(kHistoCount, false);
    size_t pos = 0;
    int line_no = 0;
    while (pos < text.size()) {
        size_t end = text.find('\n', pos);
        if (end == std::string_view::npos) end = text.size();
        const std::string_view line = text.substr(pos, end - pos);
        pos = end + 1;
        ++line_no;
        if (line.find('#') != std::string_view::npos) continue;
        const std::vector<std::string> w = words(line);
        if (w.empty()) continue;   // Tstat would stop on an empty line; we skip it
        const std::string where = source + ":" + std::to_string(line_no) + ": ";
        HistoId id;
        if (!find_histo(w[0], with_globals, id))
            return make_error(where + "rrdtool: variable <" + w[0] +
                              "> unknown (tstat -H ? lists the histograms)");
        HistoRrd& h = by_id[index_of(id)];
        h.id = id;
        named[index_of(id)] = true;
        std::string idx_token, prc_token;
        for (size_t i = 1; i < w.size(); ++i) {
            const std::string& t = w[i];
            if (t == w[0]) continue;
            if (t == "hit") h.hit = true;
            else if (t == "avg") h.avg = true;
            else if (t == "min") h.min = true;
            else if (t == "max") h.max = true;
            else if (t == "var") h.var = true;
            else if (t == "stdev") h.stdev = true;
            else if (t.find("idx:") != std::string::npos) idx_token = t;   // the last one wins
            else if (t.find("prc:") != std::string::npos) prc_token = t;
            else
                return make_error(where + "rrdtool: unknown token <" + t +
                                  "> (expected avg, min, max, var, stdev, hit, idx:..., prc:...)");
        }
        if (!idx_token.empty()) {
            h.idx.clear();
            for (const std::string& v : list_after_colon(idx_token)) {
                if (v == "other")
                    h.idxoth = true;
                else
                    h.idx.push_back(std::atoi(v.c_str()));
            }
        }
        if (!prc_token.empty()) {
            h.prc.clear();
            for (const std::string& v : list_after_colon(prc_token))
                h.prc.push_back(std::atof(v.c_str()));
        }
    }
    for (size_t i = 0; i < kHistoCount; ++i) {
        if (!named[i]) continue;
        cfg.histograms.push_back(by_id[i]);
        cfg.on[i] = true;
    }
    return cfg;
}

Result<RrdConfig> load_rrd_conf(const std::string& path, bool with_globals) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return make_error(path + ": cannot read the RRD configuration (-R)");
    std::stringstream ss;
    ss << in.rdbuf();
    return parse_rrd_conf(ss.str(), path, with_globals);
}

}  // namespace tstat::stats::rrd
