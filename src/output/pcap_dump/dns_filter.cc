#include "output/pcap_dump/dns_filter.h"

#include <fstream>
#include <sstream>

namespace tstat::output::pcap_dump {

namespace {
bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f'; }
}  // namespace

Result<DnsFilter> DnsFilter::parse(std::string_view text, const std::string& name) {
    DnsFilter f;
    size_t pos = 0;
    int lineno = 0;
    while (pos < text.size()) {
        size_t end = text.find('\n', pos);
        if (end == std::string_view::npos) end = text.size();
        std::string_view line = text.substr(pos, end - pos);
        pos = end + 1;
        ++lineno;
        if (const auto hash = line.find('#'); hash != std::string_view::npos)
            line = line.substr(0, hash);
        const std::string where = name + ":" + std::to_string(lineno) + ": ";
        size_t i = 0;
        while (i < line.size() && is_space(line[i])) ++i;
        if (i == line.size()) continue;  // empty or comment-only line
        const size_t name_start = i;
        while (i < line.size() && !is_space(line[i])) ++i;
        const std::string_view domain = line.substr(name_start, i - name_start);
        if (domain.size() > kMaxNameLength)
            return make_error(where + "name longer than " + std::to_string(kMaxNameLength) +
                              " characters");
        while (i < line.size() && is_space(line[i])) ++i;
        // sscanf("%u"): an optional sign, then digits; anything after them is ignored.
        bool negative = false;
        if (i < line.size() && (line[i] == '+' || line[i] == '-')) negative = line[i++] == '-';
        if (i == line.size() || line[i] < '0' || line[i] > '9')
            return make_error(where + "expected '<name> <0|1>', found no 0|1 after '" +
                              std::string(domain) + "'");
        unsigned long value = 0;
        while (i < line.size() && line[i] >= '0' && line[i] <= '9' && value < 10)
            value = value * 10 + static_cast<unsigned long>(line[i++] - '0');
        if (negative && value != 0) value = 2;  // -1 reads as a huge %u: invalid
        if (value > 1)
            return make_error(where + "invalid value for '" + std::string(domain) +
                              "': must be 0 or 1");
        if (domain.substr(0, 7) == "ANY.ANY") {
            f.default_ = value == 1;
            continue;
        }
        if (f.entries_.size() + 1 >= kMaxNames)
            return make_error(where + "more than " + std::to_string(kMaxNames - 1) +
                              " names (Tstat's limit)");
        f.entries_.push_back({std::string(domain), value == 1});
    }
    return f;
}

Result<DnsFilter> DnsFilter::load(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return make_error(path + ": cannot open the DNS filter file (-F)");
    std::stringstream ss;
    ss << in.rdbuf();
    return parse(ss.str(), path);
}

bool DnsFilter::dump(std::string_view name) const noexcept {
    if (name.empty()) return default_;
    for (const Entry& e : entries_) {
        if (name.size() < e.name.size()) continue;
        if (name.substr(name.size() - e.name.size()) == e.name) return e.dump;
    }
    return default_;
}

}  // namespace tstat::output::pcap_dump
