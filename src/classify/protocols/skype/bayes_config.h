// The naive-Bayes configuration files of the Skype classifier (`-B dir`: dir/pktsize.conf and
// dir/avgipg.conf; spec §9.8, Tstat's bayes_init()). Options, then one line per class:
//
//   FEATURE PKTSIZE          WINDOW_SIZE 30       CLASS_LEN 500     USE_LOG 1   NORMALIZE 1
//   MIN_THRESHOLD 1e-33      AVG_THRESHOLD x      WIN_THRESHOLD x   PRC_THRESHOLD x
//   AUTO_OTHER 0|1
//   DISCRETE  name weight|=                       (pdf in <conf dir>/name.DAT, one value a line)
//   GAUSSIAN  name weight|= mean sigma
//   GAUSSIAN+ name weight n (w1 m1 s1) ... (wn mn sn)
//
// '#' starts a comment line. Values are checked: a bad line is an error naming file:line and
// the field, where Tstat would read 0 with atof()/atoi() and go on.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace tstat::classify::skype {

struct Gaussian {
    double weight = 1;
    double mean = 0;
    double sigma = 1;
};

struct BayesClass {
    enum class Kind : uint8_t { kDiscrete, kGaussian };
    std::string name;
    Kind kind = Kind::kDiscrete;
    double weight = 0;                 // the prior P{class}
    std::vector<double> pdf;           // DISCRETE: log10(p) when use_log, else p
    std::vector<Gaussian> mixture;     // GAUSSIAN (one) / GAUSSIAN+ (several)
};

struct BayesSettings {
    std::string source;                // file name, for messages
    std::string feature;               // FEATURE (informative only, as in Tstat)
    bool use_log = true;
    bool normalize = true;
    bool auto_other = false;
    double min_threshold = 1e-33;
    int window_size = -1;              // <= 0 and != 1: beliefs are never evaluated
    double avg_threshold = 1;
    double win_threshold = 1;
    double prc_threshold = 0.95;
    int class_len = 0;                 // CLASS_LEN, raised to the longest DISCRETE pdf
    std::vector<BayesClass> classes;   // AUTO_OTHER's class last
};

inline constexpr size_t kMaxBayesClasses = 64;
inline constexpr size_t kMaxMixture = 64;
inline constexpr size_t kMaxPdfLength = 1 << 20;

// Reads `<dir of the conf file>/<name>.DAT`; returns its text or an error.
using DatReader = std::function<Result<std::string>(const std::string& path)>;

// Parses one configuration file's text; `path` names it in messages and locates the .DAT
// files (through `read_dat`).
Result<BayesSettings> parse_bayes_config(std::string_view text, const std::string& path,
                                         const DatReader& read_dat);
// Reads `path` and its .DAT files from disk.
Result<BayesSettings> load_bayes_config(const std::string& path);

// A DISCRETE class's pdf file (bayes_file2vec()): one number per line ('#' comments), made a
// distribution, floored at min_threshold, made a distribution again, log10 if use_log.
Result<std::vector<double>> parse_pdf_file(std::string_view text, const std::string& path,
                                           double min_threshold, bool use_log);

}  // namespace tstat::classify::skype
