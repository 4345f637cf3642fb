#!/usr/bin/env bash
# The test suite under AddressSanitizer + UndefinedBehaviorSanitizer, then the parallel
# check, render and viewer tests under ThreadSanitizer. Usage: scripts/sanitize.sh [asan|tsan]
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
jobs=$(nproc)
which=${1:-all}

if [ "$which" = all ] || [ "$which" = asan ]; then
  cmake --preset asan >/dev/null
  cmake --build build-asan -j"$jobs" --target \
    onemap test_gis test_core test_cli test_io test_render test_report test_web test_bureau test_heat test_coverage \
    test_bureau_pg
  # Leak checking is off: Qt, fontconfig and GDAL keep caches for the life of the process.
  (cd build-asan &&
    ASAN_OPTIONS=detect_leaks=0:abort_on_error=1:strict_string_checks=1 \
    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest -j"$jobs" --output-on-failure --timeout 900 -LE "postgis|install|viewer|browser")
fi

if [ "$which" = all ] || [ "$which" = tsan ]; then
  cmake --preset tsan >/dev/null
  cmake --build build-tsan -j"$jobs" --target test_core
  # The "Threads:" cases share the one map, sites, CRSs and measures across std::threads.
  # Debian's TBB and Qt are not instrumented: TSan cannot see their synchronisation, so
  # tests that go through their thread pools report false races (docs/reliability.md).
  (cd build-tsan &&
    TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 suppressions=$PWD/../tests/tsan.supp" \
    ctest -j"$jobs" --output-on-failure --timeout 900 -R "^Threads:")
fi
