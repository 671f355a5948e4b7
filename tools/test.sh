#!/usr/bin/env bash
# Runs the whole test suite: installs dependencies, builds (including the
# plugins and tools the end-to-end tests use) and runs every test with ctest.
# With HALO_SANITIZE=1 it builds into build-asan/ with AddressSanitizer and
# UndefinedBehaviorSanitizer instead.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/install-deps.sh
if [ "${HALO_SANITIZE:-0}" = 1 ]; then
  export HALO_BUILD_DIR=build-asan
  tools/build.sh -DHALO_SANITIZE=ON -DHALO_BUILD_BENCH=OFF
  export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
  export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
else
  export HALO_BUILD_DIR=build
  tools/build.sh
fi
ctest --test-dir "$HALO_BUILD_DIR" --output-on-failure -j 2 ${HALO_CTEST_ARGS:-}
