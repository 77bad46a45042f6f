// The Anonymizer of the calling thread, if any. Rows are formatted by several threads (the
// writer formats flow records, the worker formats event rows such as DNS messages); each
// installs its own Anonymizer for as long as it formats, and LineBuffer asks for it when it
// prints an address flagged iscrypto or a host name (spec §13). No anonymizer: plain output.
#pragma once

#include "output/anonymize/anonymizer.h"

namespace tstat::output::anonymize {

Anonymizer* thread_anonymizer() noexcept;
// Installs `a` (nullptr: none) for the calling thread.
void set_thread_anonymizer(Anonymizer* a) noexcept;

// Installs `a` for the calling thread until destroyed (the previous one comes back).
class ScopedAnonymizer {
  public:
    explicit ScopedAnonymizer(Anonymizer* a) noexcept;
    ~ScopedAnonymizer();
    ScopedAnonymizer(const ScopedAnonymizer&) = delete;
    ScopedAnonymizer& operator=(const ScopedAnonymizer&) = delete;

  private:
    Anonymizer* previous_;
};

}  // namespace tstat::output::anonymize
