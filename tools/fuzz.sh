#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan+UBSan) into build-fuzz/ and
# runs each for FUZZ_SECONDS (default 30) on its corpus in fuzz/corpus/<name>.
# Usage: tools/fuzz.sh [TARGET...]   (no target: all of them)
# New inputs found are written to build-fuzz/corpus/<name>/, not into the
# repository; copy the interesting ones to fuzz/corpus/<name>/ by hand.
# Exit status is non-zero when any target crashes, leaks or times out.
set -euo pipefail
cd "$(dirname "$0")/.."
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
for p in clang libclang-rt-14-dev; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends clang libclang-rt-14-dev
    break
  fi
done
BUILD_DIR=${HALO_FUZZ_BUILD_DIR:-build-fuzz}
CC=clang CXX=clang++ cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DHALO_FUZZ=ON -DHALO_BUILD_TESTS=OFF -DHALO_BUILD_BENCH=OFF >/dev/null
cmake --build "$BUILD_DIR" -j "${HALO_JOBS:-2}" --target halo_fuzz_all
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for f in fuzz/*_fuzz.cpp; do
    n=$(basename "$f" _fuzz.cpp)
    targets+=("$n")
  done
fi
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
status=0
for n in "${targets[@]}"; do
  mkdir -p "$BUILD_DIR/corpus/$n" "$BUILD_DIR/artifacts/$n"
  echo "== fuzz $n (${FUZZ_SECONDS:-30} s) =="
  if ! "$BUILD_DIR/bin/fuzz_$n" -max_total_time="${FUZZ_SECONDS:-30}" -timeout=10 \
      -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$BUILD_DIR/artifacts/$n/" \
      "$BUILD_DIR/corpus/$n" "fuzz/corpus/$n" 2>"$BUILD_DIR/fuzz-$n.log"; then
    tail -n 40 "$BUILD_DIR/fuzz-$n.log"
    status=1
  else
    grep -E '^stat::(number_of_executed_units|new_units_added)|cov:' "$BUILD_DIR/fuzz-$n.log" | tail -n 3
  fi
done
exit $status
