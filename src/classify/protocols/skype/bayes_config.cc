#include "classify/protocols/skype/bayes_config.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace tstat::classify::skype {

namespace {

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f' || c == '\n';
}

std::vector<std::string_view> split(std::string_view line) {
    std::vector<std::string_view> out;
    size_t i = 0;
    while (i < line.size()) {
        while (i < line.size() && is_space(line[i])) ++i;
        const size_t start = i;
        while (i < line.size() && !is_space(line[i])) ++i;
        if (i > start) out.push_back(line.substr(start, i - start));
    }
    return out;
}

bool parse_double(std::string_view s, double& out) {
    if (s.empty() || s.size() > 64) return false;
    const std::string copy(s);
    char* end = nullptr;
    out = std::strtod(copy.c_str(), &end);
    return end == copy.c_str() + copy.size() && std::isfinite(out);
}

bool parse_int(std::string_view s, int& out) {
    if (!s.empty() && s.front() == '+') s.remove_prefix(1);
    const auto r = std::from_chars(s.data(), s.data() + s.size(), out);
    return !s.empty() && r.ec == std::errc() && r.ptr == s.data() + s.size();
}

std::string directory_of(const std::string& path) {
    const size_t slash = path.rfind('/');
    if (slash == std::string::npos) return ".";
    if (slash == 0) return "/";
    return path.substr(0, slash);
}

// One class line, its prior still unresolved when written '='.
struct PendingClass {
    BayesClass cls;
    bool uniform_weight = false;
    int line = 0;
};

class LineParser {
public:
    LineParser(const std::string& path, int line) : path_(path), line_(line) {}

    Error fail(std::string_view field, std::string_view what) const {
        return make_error(path_ + ":" + std::to_string(line_) + ": " + std::string(field) +
                          ": " + std::string(what));
    }
    Error bad_value(std::string_view field, std::string_view expected,
                    std::string_view got) const {
        return fail(field, "expected " + std::string(expected) + ", got '" + std::string(got) +
                               "'");
    }

private:
    const std::string& path_;
    int line_;
};

Result<PendingClass> parse_class(const std::vector<std::string_view>& tok, const LineParser& lp,
                                 int line) {
    const std::string_view kw = tok[0];
    PendingClass p;
    p.line = line;
    if (tok.size() < 3)
        return lp.fail(kw, "expected a class name and its probability");
    p.cls.name = std::string(tok[1]);
    if (tok[2] == "=") {
        p.uniform_weight = true;
    } else if (!parse_double(tok[2], p.cls.weight) || p.cls.weight < 0) {
        return lp.bad_value(std::string(kw) + " probability", "a number >= 0 or '='", tok[2]);
    }
    auto sigma_ok = [](double s) { return s > 0; };
    if (kw == "DISCRETE") {
        p.cls.kind = BayesClass::Kind::kDiscrete;
        if (tok.size() != 3) return lp.fail(kw, "unexpected '" + std::string(tok[3]) + "'");
        return p;
    }
    p.cls.kind = BayesClass::Kind::kGaussian;
    if (kw == "GAUSSIAN") {
        if (tok.size() != 5) return lp.fail(kw, "expected: GAUSSIAN name probability mean sigma");
        Gaussian g;
        if (!parse_double(tok[3], g.mean)) return lp.bad_value("GAUSSIAN mean", "a number", tok[3]);
        if (!parse_double(tok[4], g.sigma) || !sigma_ok(g.sigma))
            return lp.bad_value("GAUSSIAN sigma", "a number > 0", tok[4]);
        p.cls.mixture.push_back(g);
        return p;
    }
    // GAUSSIAN+ name probability n (w m s) ...: parentheses and commas only separate.
    if (tok.size() < 4) return lp.fail(kw, "expected the number of Gaussians");
    int n = 0;
    if (!parse_int(tok[3], n) || n < 1 || static_cast<size_t>(n) > kMaxMixture)
        return lp.bad_value("GAUSSIAN+ count", "an integer 1.." + std::to_string(kMaxMixture),
                            tok[3]);
    std::vector<std::string_view> nums;
    for (size_t i = 4; i < tok.size(); ++i) {
        std::string_view t = tok[i];
        size_t j = 0;
        while (j < t.size()) {
            while (j < t.size() && (t[j] == '(' || t[j] == ')' || t[j] == ',')) ++j;
            const size_t start = j;
            while (j < t.size() && t[j] != '(' && t[j] != ')' && t[j] != ',') ++j;
            if (j > start) nums.push_back(t.substr(start, j - start));
        }
    }
    if (nums.size() != static_cast<size_t>(n) * 3)
        return lp.fail(kw, "expected " + std::to_string(n) + " (weight mean sigma) triples, got " +
                               std::to_string(nums.size()) + " numbers");
    for (int i = 0; i < n; ++i) {
        Gaussian g;
        const std::string which = "GAUSSIAN+ #" + std::to_string(i + 1);
        if (!parse_double(nums[3 * i], g.weight))
            return lp.bad_value(which + " weight", "a number", nums[3 * i]);
        if (!parse_double(nums[3 * i + 1], g.mean))
            return lp.bad_value(which + " mean", "a number", nums[3 * i + 1]);
        if (!parse_double(nums[3 * i + 2], g.sigma) || !sigma_ok(g.sigma))
            return lp.bad_value(which + " sigma", "a number > 0", nums[3 * i + 2]);
        p.cls.mixture.push_back(g);
    }
    return p;
}

// The complementary class (Tstat's automatic "RestOfTheWorld"): high where the others are
// low. Computed, as Tstat does, from the stored vectors (log10 values when use_log) and kept
// as plain probabilities.
Result<std::vector<double>> auto_other_pdf(const BayesSettings& s) {
    const size_t real = s.classes.size();
    if (real < 2)
        return make_error(s.source + ": AUTO_OTHER: needs at least two DISCRETE classes");
    const size_t len = s.classes.back().pdf.size();
    for (const BayesClass& c : s.classes)
        if (c.kind != BayesClass::Kind::kDiscrete || c.pdf.size() != len)
            return make_error(s.source + ": AUTO_OTHER: class '" + c.name +
                              "' must be DISCRETE with as many values as the last class (" +
                              std::to_string(len) + ")");
    std::vector<double> pdf(len);
    double xmax = 0.0;
    for (size_t i = 0; i < len; ++i) {
        double x = 0.0;
        for (const BayesClass& c : s.classes) x += c.pdf[i] / static_cast<double>(real - 1);
        xmax = std::max(xmax, x);
        pdf[i] = -x;
    }
    xmax += s.min_threshold;
    double sum = 0.0;
    for (double& v : pdf) {
        v += xmax;
        sum += v;
    }
    for (double& v : pdf) v /= sum;
    sum = 0.0;
    for (double& v : pdf) {
        v = std::max(s.min_threshold, v);
        sum += v;
    }
    for (double& v : pdf) v /= sum;
    return pdf;
}

}  // namespace

Result<std::vector<double>> parse_pdf_file(std::string_view text, const std::string& path,
                                           double min_threshold, bool use_log) {
    std::vector<double> v;
    int line = 1;
    size_t i = 0;
    while (i < text.size()) {
        const char c = text[i];
        if (c == '\n') {
            ++line;
            ++i;
            continue;
        }
        if (is_space(c)) {
            ++i;
            continue;
        }
        if (c == '#') {   // a comment runs to the end of the line
            while (i < text.size() && text[i] != '\n') ++i;
            continue;
        }
        const size_t start = i;
        while (i < text.size() && !is_space(text[i])) ++i;
        const std::string_view tok = text.substr(start, i - start);
        double x = 0;
        if (!parse_double(tok, x) || x < 0)
            return make_error(path + ":" + std::to_string(line) +
                              ": probability: expected a number >= 0, got '" + std::string(tok) +
                              "'");
        if (v.size() >= kMaxPdfLength)
            return make_error(path + ": more than " + std::to_string(kMaxPdfLength) + " values");
        v.push_back(x);
    }
    double sum = 0.0;
    for (double x : v) sum += x;
    if (v.empty() || !(sum > 0) || !std::isfinite(sum))
        return make_error(path + ": no probability values (their sum must be > 0)");
    if (std::fabs(sum - 1.0) > 1e-12)
        for (double& x : v) x /= sum;
    sum = 0.0;
    for (double& x : v) {
        x = std::max(min_threshold, x);
        sum += x;
    }
    for (double& x : v) x /= sum;
    if (use_log)
        for (double& x : v) x = std::log10(x);
    return v;
}

Result<BayesSettings> parse_bayes_config(std::string_view text, const std::string& path,
                                         const DatReader& read_dat) {
    BayesSettings s;
    s.source = path;
    std::vector<PendingClass> pending;
    int line_no = 0;
    size_t pos = 0;
    while (pos <= text.size()) {
        size_t eol = text.find('\n', pos);
        if (eol == std::string_view::npos) eol = text.size();
        const std::string_view line = text.substr(pos, eol - pos);
        pos = eol + 1;
        ++line_no;
        const std::vector<std::string_view> tok = split(line);
        if (tok.empty() || tok[0].front() == '#') continue;
        const LineParser lp(path, line_no);
        const std::string_view kw = tok[0];
        if (kw == "DISCRETE" || kw == "GAUSSIAN" || kw == "GAUSSIAN+") {
            auto p = parse_class(tok, lp, line_no);
            if (!p) return Error{p.error()};
            if (pending.size() >= kMaxBayesClasses)
                return lp.fail(kw, "more than " + std::to_string(kMaxBayesClasses) + " classes");
            pending.push_back(std::move(*p));
            continue;
        }
        // Options: KEYWORD value.
        static constexpr std::string_view kInts[] = {"WINDOW_SIZE", "AUTO_OTHER", "CLASS_LEN",
                                                     "NORMALIZE", "USE_LOG"};
        static constexpr std::string_view kDoubles[] = {"MIN_THRESHOLD", "WIN_THRESHOLD",
                                                        "PRC_THRESHOLD", "AVG_THRESHOLD"};
        const bool is_int = std::find(std::begin(kInts), std::end(kInts), kw) != std::end(kInts);
        const bool is_double =
            std::find(std::begin(kDoubles), std::end(kDoubles), kw) != std::end(kDoubles);
        if (!is_int && !is_double && kw != "FEATURE")
            return lp.fail(kw, "unknown keyword (expected WINDOW_SIZE, AUTO_OTHER, CLASS_LEN, "
                               "MIN_THRESHOLD, WIN_THRESHOLD, PRC_THRESHOLD, AVG_THRESHOLD, "
                               "NORMALIZE, USE_LOG, FEATURE, DISCRETE, GAUSSIAN or GAUSSIAN+)");
        if (tok.size() != 2)
            return lp.fail(kw, tok.size() < 2 ? "missing value"
                                              : "unexpected '" + std::string(tok[2]) + "'");
        const std::string_view arg = tok[1];
        if (kw == "FEATURE") {
            s.feature = std::string(arg);
        } else if (is_int) {
            int v = 0;
            if (!parse_int(arg, v)) return lp.bad_value(kw, "an integer", arg);
            if (kw == "WINDOW_SIZE") s.window_size = v;
            if (kw == "AUTO_OTHER") s.auto_other = v != 0;
            if (kw == "NORMALIZE") s.normalize = v != 0;
            if (kw == "USE_LOG") s.use_log = v != 0;
            if (kw == "CLASS_LEN") {
                if (v < 0) return lp.bad_value(kw, "an integer >= 0", arg);
                s.class_len = v;
            }
        } else {
            double v = 0;
            if (!parse_double(arg, v)) return lp.bad_value(kw, "a number", arg);
            if (kw == "MIN_THRESHOLD") {
                if (!(v > 0)) return lp.bad_value(kw, "a number > 0", arg);
                s.min_threshold = v;
            }
            if (kw == "WIN_THRESHOLD") s.win_threshold = v;
            if (kw == "PRC_THRESHOLD") s.prc_threshold = v;
            if (kw == "AVG_THRESHOLD") s.avg_threshold = v;
        }
    }
    if (pending.empty()) return make_error(path + ": no DISCRETE, GAUSSIAN or GAUSSIAN+ class");

    // '=' is 1 / (number of classes, AUTO_OTHER's included), as in Tstat.
    const double classes = static_cast<double>(pending.size() + (s.auto_other ? 1 : 0));
    const std::string dir = directory_of(path);
    for (PendingClass& p : pending) {
        if (p.uniform_weight) p.cls.weight = 1.0 / classes;
        if (p.cls.kind == BayesClass::Kind::kDiscrete) {
            const std::string dat = dir + "/" + p.cls.name + ".DAT";
            auto body = read_dat(dat);
            if (!body)
                return make_error(path + ":" + std::to_string(p.line) + ": DISCRETE " +
                                  p.cls.name + ": " + body.error());
            auto pdf = parse_pdf_file(*body, dat, s.min_threshold, s.use_log);
            if (!pdf) return Error{pdf.error()};
            p.cls.pdf = std::move(*pdf);
            s.class_len = std::max(s.class_len, static_cast<int>(p.cls.pdf.size()));
        }
        s.classes.push_back(std::move(p.cls));
    }
    // Tstat replaces both thresholds whenever WIN_THRESHOLD is positive (it is 1 by default).
    if (s.win_threshold > 0) {
        const double t =
            std::log10(static_cast<double>(s.class_len)) / static_cast<double>(s.window_size) + 3;
        s.win_threshold = t;
        s.avg_threshold = t;
    }
    if (s.auto_other) {
        auto pdf = auto_other_pdf(s);
        if (!pdf) return Error{pdf.error()};
        double sum = 0;
        for (const BayesClass& c : s.classes) sum += c.weight;
        BayesClass other;
        other.name = "AUTO_OTHER";
        other.kind = BayesClass::Kind::kDiscrete;
        other.weight = 1 - sum;
        other.pdf = std::move(*pdf);
        s.classes.push_back(std::move(other));
    }
    return s;
}

namespace {
Result<std::string> read_text(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return make_error(path + ": cannot read the file");
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}
}  // namespace

Result<BayesSettings> load_bayes_config(const std::string& path) {
    auto text = read_text(path);
    if (!text) return Error{text.error()};
    return parse_bayes_config(*text, path, read_text);
}

}  // namespace tstat::classify::skype
