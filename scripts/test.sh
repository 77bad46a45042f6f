#!/usr/bin/env bash
# The whole test suite: a release build and an AddressSanitizer+UBSan build, each running every
# ctest (unit, golden, fuzz-corpus replay, and the corpus checks when ../shared exists).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
jobs=$(nproc 2>/dev/null || echo 2)
for preset in release asan; do
  echo "=== $preset build"
  cmake --preset "$preset" -DTSTAT_WERROR=ON >/dev/null
  cmake --build --preset "$preset" -j "$jobs"
  echo "=== $preset tests"
  if [ "$preset" = asan ]; then
    # The corpus fidelity check runs once, on the release build; ASan checks every trace.
    ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
      ctest --preset "$preset" -j "$jobs" -E corpus_fidelity
  else
    ctest --preset "$preset" -j "$jobs"
  fi
done
echo "all tests passed"
