#include "common/ini_reader.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace tstat {

namespace {
std::string trim(const std::string& s) {
    size_t b = 0, e = s.size();
    while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
    while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
    return s.substr(b, e - b);
}
}  // namespace

bool parse_int(const std::string& text, int64_t& out) {
    if (text.empty()) return false;
    errno = 0;
    char* end = nullptr;
    const bool hex = text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X');
    const long long v = std::strtoll(text.c_str(), &end, hex ? 16 : 10);
    if (errno != 0 || end == text.c_str() || *end != '\0') return false;
    out = v;
    return true;
}

bool parse_double(const std::string& text, double& out) {
    if (text.empty()) return false;
    errno = 0;
    char* end = nullptr;
    const double v = std::strtod(text.c_str(), &end);
    if (errno != 0 || end == text.c_str() || *end != '\0') return false;
    out = v;
    return true;
}

Result<std::vector<IniEntry>> parse_ini(const std::string& text, const std::string& name) {
    std::vector<IniEntry> out;
    std::istringstream in(text);
    std::string raw, section;
    int lineno = 0;
    while (std::getline(in, raw)) {
        ++lineno;
        const auto hash = raw.find('#');
        std::string line = trim(hash == std::string::npos ? raw : raw.substr(0, hash));
        if (line.empty()) continue;
        if (line.front() == '[') {
            if (line.back() != ']')
                return make_error(name + ":" + std::to_string(lineno) +
                                  ": a section line must end with ']': " + line);
            section = trim(line.substr(1, line.size() - 2));
            std::transform(section.begin(), section.end(), section.begin(),
                           [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
            continue;
        }
        IniEntry e;
        e.line = lineno;
        e.section = section;
        const auto eq = line.find('=');
        if (eq != std::string::npos) {
            e.key = trim(line.substr(0, eq));
            e.value = trim(line.substr(eq + 1));
        } else {
            const auto sp = line.find_first_of(" \t");
            e.key = trim(line.substr(0, sp));
            e.value = sp == std::string::npos ? "" : trim(line.substr(sp));
        }
        if (e.key.empty())
            return make_error(name + ":" + std::to_string(lineno) + ": missing key before '='");
        if (e.value.empty()) e.value = "1";
        out.push_back(std::move(e));
    }
    return out;
}

Result<std::vector<IniEntry>> read_ini(const std::string& path) {
    std::ifstream in(path);
    if (!in) return make_error(path + ": cannot read the file");
    std::stringstream ss;
    ss << in.rdbuf();
    return parse_ini(ss.str(), path);
}

}  // namespace tstat
