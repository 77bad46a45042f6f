#include "classify/protocols/skype/naive_bayes.h"

#include <cmath>

namespace tstat::classify::skype {

namespace {
constexpr double kOneOverSqrt2Pi = 0.398942280401433;   // Tstat's constant, as written
constexpr double kMinusInfinity = -1e99;                 // Tstat's -INF

double prior(const BayesSettings& s, size_t c) {
    return s.use_log ? std::log10(s.classes[c].weight) : s.classes[c].weight;
}

// The window's beliefs start again from the priors.
void reset_window(const BayesSettings& s, BayesState& st, std::span<double> belief) {
    for (size_t c = 0; c < s.classes.size(); ++c) belief[c] = prior(s, c);
    st.sample_num = 0;
}
}  // namespace

double bayes_pdf(const BayesSettings& s, size_t cls, int64_t index) {
    const BayesClass& c = s.classes[cls];
    if (c.kind == BayesClass::Kind::kDiscrete) {
        // Tstat indexes the vector with whatever it gets; below 0 is as much outside as past
        // the end.
        if (index < 0 || static_cast<uint64_t>(index) >= c.pdf.size()) return s.min_threshold;
        return c.pdf[static_cast<size_t>(index)];
    }
    const auto x = static_cast<double>(index);
    double p = 0.0;
    for (const Gaussian& g : c.mixture)
        p += g.weight * kOneOverSqrt2Pi / g.sigma *
             std::exp(-(x - g.mean) * (x - g.mean) / (2.0 * g.sigma * g.sigma));
    const double floored = p < s.min_threshold ? s.min_threshold : p;
    return s.use_log ? std::log10(floored) : floored;
}

void bayes_reset(const BayesSettings& s, BayesState& st, std::span<double> belief) {
    st = BayesState{};
    reset_window(s, st, belief);
    belief[s.classes.size()] = 0;
}

bool bayes_sample(const BayesSettings& s, BayesState& st, std::span<double> belief,
                  int64_t sample) {
    const size_t n = s.classes.size();
    double sum = 0.0;
    for (size_t c = 0; c < n; ++c) {
        const double pdf = bayes_pdf(s, c, sample);
        if (s.use_log) {
            belief[c] += pdf;
        } else {
            belief[c] *= pdf;
            sum += belief[c];
        }
    }
    if (!s.use_log && s.normalize)
        for (size_t c = 0; c < n; ++c) belief[c] /= sum;

    ++st.sample_num;
    const bool window_closed =
        s.window_size == 1 ||
        (s.window_size > 0 && st.sample_num >= static_cast<uint32_t>(s.window_size) &&
         st.sample_num % static_cast<uint32_t>(s.window_size) == 0);
    if (!window_closed) return false;

    ++st.window_num;
    const auto samples = static_cast<double>(st.sample_num);
    int argmax = -1;
    double best = kMinusInfinity;
    for (size_t c = 0; c < n; ++c) {
        const double x = belief[c] / samples;
        if (std::isfinite(x) && x > best) {
            best = x;
            argmax = static_cast<int>(c);
        }
    }
    // (Tstat reads belief[-1] when no class is finite; here nothing is above threshold then.)
    if (argmax >= 0) {
        belief[n] = belief[static_cast<size_t>(argmax)];
        // Tstat compares the window's summed belief, not the per-sample one.
        if (belief[n] > s.win_threshold) ++st.above_threshold;
        if (sample <= s.class_len) {
            ++st.valid_windows;
            st.mean_max_belief +=
                (belief[n] / samples - st.mean_max_belief) / static_cast<double>(st.window_num);
        }
    }
    if (s.window_size > 0) reset_window(s, st, belief);
    return true;
}

}  // namespace tstat::classify::skype
