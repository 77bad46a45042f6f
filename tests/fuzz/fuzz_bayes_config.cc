// libFuzzer target for the Skype classifier's naive-Bayes configuration parser
// (parse_bayes_config, spec §9.8). Any input parses or yields an error naming the file; a
// parsed configuration has classes with a prior each, DISCRETE ones a pdf, Gaussian ones a
// positive sigma; samples of any value go through bayes_pdf() and bayes_sample() (ASan
// checks they stay inside the belief vector).
// The input is the .conf text; every DISCRETE class reads the same fixed .DAT file.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "classify/protocols/skype/bayes_config.h"
#include "classify/protocols/skype/naive_bayes.h"

namespace {
void require(bool ok) {
    if (!ok) __builtin_trap();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace tstat::classify::skype;
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    // The same bytes also serve as a .DAT file when they hold numbers.
    const std::string dat = size > 0 && (data[0] == '0' || data[0] == '.') ? std::string(text)
                                                                            : "1 2 3 0 4\n";
    auto reader = [&](const std::string&) -> tstat::Result<std::string> { return dat; };
    auto s = parse_bayes_config(text, "fuzz/p.conf", reader);
    if (!s) {
        require(s.error().rfind("fuzz/", 0) == 0);
        return 0;
    }
    require(!s->classes.empty());
    for (const BayesClass& c : s->classes) {
        if (c.kind == BayesClass::Kind::kDiscrete) require(!c.pdf.empty());
        for (const Gaussian& g : c.mixture) require(g.sigma > 0);
    }
    std::vector<double> belief(belief_slots(*s));
    BayesState st;
    bayes_reset(*s, st, belief);
    for (int64_t sample : {int64_t{-5}, int64_t{0}, int64_t{3}, int64_t{700}, int64_t{1} << 40}) {
        for (size_t c = 0; c < s->classes.size(); ++c) (void)bayes_pdf(*s, c, sample);
        for (int i = 0; i < 5; ++i) bayes_sample(*s, st, belief, sample);
    }
    return 0;
}
