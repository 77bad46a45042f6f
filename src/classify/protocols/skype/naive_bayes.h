// Naive-Bayes belief of one feature of one flow direction (spec §9.8; Tstat's naivebayes.c).
// Every sample adds log10 P{sample | class} to each class's belief (or multiplies, without
// USE_LOG); every WINDOW_SIZE samples the window's best class gives its belief per sample,
// whose running mean over the windows is the flow's "max mean belief". The beliefs live in a
// span the caller owns (class count + 1 doubles), so nothing is allocated per flow here.
#pragma once

#include <cstdint>
#include <span>

#include "classify/protocols/skype/bayes_config.h"

namespace tstat::classify::skype {

// P{index | class} as Tstat evaluates it: a DISCRETE value past the pdf's end is
// min_threshold (not its log); a Gaussian mixture is floored at min_threshold, then log10.
double bayes_pdf(const BayesSettings& s, size_t cls, int64_t index);

struct BayesState {
    double mean_max_belief = 0;   // running mean of the windows' best per-sample belief
    uint32_t sample_num = 0;      // samples in the current window
    uint32_t window_num = 0;      // windows evaluated
    uint32_t valid_windows = 0;   // ... with a best class and a sample within CLASS_LEN
    uint32_t above_threshold = 0; // windows whose best belief passed WIN_THRESHOLD
};

// Number of doubles bayes_sample() needs for `s`.
inline size_t belief_slots(const BayesSettings& s) { return s.classes.size() + 1; }

// Back to the priors (a new flow).
void bayes_reset(const BayesSettings& s, BayesState& st, std::span<double> belief);

// Adds one sample; returns true when it closed a window.
bool bayes_sample(const BayesSettings& s, BayesState& st, std::span<double> belief,
                  int64_t sample);

}  // namespace tstat::classify::skype
