#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan+UBSan) into build-fuzz/ and
# runs each for FUZZ_SECONDS (default 30), HALO_JOBS (default 2) at a time, on
# its corpus in fuzz/corpus/<name> (plus fuzz/<name>.dict as a dictionary when
# it exists).
# Usage: tools/fuzz.sh [TARGET...]   (no target: all of them)
# New inputs found are written to build-fuzz/corpus/<name>/, not into the
# repository; copy the interesting ones to fuzz/corpus/<name>/ by hand.
# Crashing inputs are kept in build-fuzz/artifacts/<name>/.
# Prints one summary line per target ("fuzz NAME: N executions, M new units,
# ok|FAILED ...") and a last line "fuzz: N passed, M failed". Exit status is
# non-zero when any target crashes, leaks, times out (a hang: -timeout) or
# runs out of memory (-rss_limit_mb).
# Runs unattended (CI: root, no stdin): installs clang and its runtime with
# apt-get when they are missing, refreshing the package lists if needed.
set -euo pipefail
cd "$(dirname "$0")/.."
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"

installed() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"
}

# apt-get install, retried once after `apt-get update` (a fresh machine may
# have no package lists yet).
apt_install() {
  local apt=($SUDO env DEBIAN_FRONTEND=noninteractive apt-get -y -qq --no-install-recommends)
  if ! "${apt[@]}" install "$@" </dev/null >/dev/null; then
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq </dev/null >/dev/null
    "${apt[@]}" install "$@" </dev/null >/dev/null
  fi
}

installed clang || apt_install clang
CLANG_MAJOR=$(clang -dumpversion | cut -d. -f1)
installed "libclang-rt-$CLANG_MAJOR-dev" || apt_install "libclang-rt-$CLANG_MAJOR-dev"

BUILD_DIR=${HALO_FUZZ_BUILD_DIR:-build-fuzz}
SECONDS_PER_TARGET=${FUZZ_SECONDS:-30}
CC=clang CXX=clang++ cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DHALO_FUZZ=ON -DHALO_BUILD_TESTS=OFF -DHALO_BUILD_BENCH=OFF >/dev/null
cmake --build "$BUILD_DIR" -j "${HALO_JOBS:-2}" --target halo_fuzz_all

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for f in fuzz/*_fuzz.cpp; do
    targets+=("$(basename "$f" _fuzz.cpp)")
  done
fi

# The value of libFuzzer's final "stat::NAME: N" line in LOG, or "?".
final_stat() {
  local value
  value=$(grep -E "^stat::$1:" "$2" | tail -n 1 | awk '{print $2}' || true)
  echo "${value:-?}"
}

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

# Fuzzes target $1 for SECONDS_PER_TARGET; writes its summary line to
# $BUILD_DIR/fuzz-$1.result and, only when it failed, what to show of the
# failure to $BUILD_DIR/fuzz-$1.failure (whose presence is the verdict).
fuzz_one() {
  local n=$1 log="$BUILD_DIR/fuzz-$1.log" result=ok dict=() artifact
  rm -f "$BUILD_DIR/fuzz-$n.failure"
  mkdir -p "$BUILD_DIR/corpus/$n" "$BUILD_DIR/artifacts/$n"
  [ -f "fuzz/$n.dict" ] && dict=(-dict="fuzz/$n.dict")
  if ! "$BUILD_DIR/bin/fuzz_$n" -max_total_time="$SECONDS_PER_TARGET" -timeout=10 \
      -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$BUILD_DIR/artifacts/$n/" \
      "${dict[@]}" "$BUILD_DIR/corpus/$n" "fuzz/corpus/$n" </dev/null 2>"$log"; then
    tail -n 40 "$log" >"$BUILD_DIR/fuzz-$n.failure"
    artifact=$(ls -t "$BUILD_DIR/artifacts/$n" 2>/dev/null | head -n 1 || true)
    result="FAILED (log $log${artifact:+, input $BUILD_DIR/artifacts/$n/$artifact})"
  fi
  echo "fuzz $n: $(final_stat number_of_executed_units "$log") executions, $(final_stat new_units_added "$log") new units, $result" >"$BUILD_DIR/fuzz-$n.result"
}

# HALO_JOBS targets at a time (each is one process on one core).
jobs_at_once=${HALO_JOBS:-2}
for n in "${targets[@]}"; do
  echo "== fuzz $n ($SECONDS_PER_TARGET s) =="
  fuzz_one "$n" &
  while [ "$(jobs -rp | wc -l)" -ge "$jobs_at_once" ]; do wait -n || true; done
done
wait

passed=0
failed=0
echo "== fuzz summary =="
for n in "${targets[@]}"; do
  if [ -f "$BUILD_DIR/fuzz-$n.failure" ]; then
    cat "$BUILD_DIR/fuzz-$n.failure"
    failed=$((failed + 1))
  else
    passed=$((passed + 1))
  fi
  cat "$BUILD_DIR/fuzz-$n.result"
done
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
