#include "output/anonymize/thread_anonymizer.h"

namespace tstat::output::anonymize {

namespace {
thread_local Anonymizer* t_current = nullptr;
}  // namespace

Anonymizer* thread_anonymizer() noexcept { return t_current; }

void set_thread_anonymizer(Anonymizer* a) noexcept { t_current = a; }

ScopedAnonymizer::ScopedAnonymizer(Anonymizer* a) noexcept : previous_(t_current) { t_current = a; }

ScopedAnonymizer::~ScopedAnonymizer() { t_current = previous_; }

}  // namespace tstat::output::anonymize
