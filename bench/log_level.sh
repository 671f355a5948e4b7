#!/usr/bin/env bash
# The event log's zstd level end to end (`store.log_compression_level`):
# for each round, each level in turn runs the benchmark pipeline from an
# empty store, then `halo rebuild` on the store it wrote; prints wall, user
# and system CPU and peak RSS of both, and the store's size.
#   bench/log_level.sh [ROUNDS] [LEVEL...]   (default: 3 rounds, levels 1 -1)
# The data is bench/run.sh's (SHAPE=identity bench/run.sh first for the
# identity-heavy data; its five identifiers are declared here as there).
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-3}
shift || true
LEVELS=("$@")
[ ${#LEVELS[@]} -gt 0 ] || LEVELS=(1 -1)
BIN=${HALO_BUILD_DIR:-build}/bin
DATA=var/bench/events.jsonl
[ -f "$DATA" ] || { echo "run bench/run.sh first (it generates $DATA)" >&2; exit 2; }
DIR=var/bench-log-level
mkdir -p "$DIR"
SET=
if ls var/bench/events.jsonl.*.identity >/dev/null 2>&1; then SET=identity; fi
for level in "${LEVELS[@]}"; do
  sed "s|\.\./var/bench/|$PWD/$DIR/|g; s|$PWD/$DIR/events.jsonl|$PWD/$DATA|" bench/pipeline.yaml |
    sed "s|^store: { kind: sqlite, path: \([^ ]*\) }|store: { kind: sqlite, path: \1, log_compression_level: $level }|" \
      > "$DIR/pipeline$level.yaml"
  grep -q "log_compression_level: $level" "$DIR/pipeline$level.yaml"
  [ -z "$SET" ] || python3 bench/with_builders.py "$DIR/pipeline$level.yaml" "$DIR/pipeline$level.yaml" "$SET"
done
echo "data: $(ls var/bench/events.jsonl.*.* | sed 's|.*events.jsonl.||'), $(nproc) cores"
timed() {
  /usr/bin/time -f "%e s wall, %U s user, %S s sys, %M KiB" "$@" 2> "$DIR/time.txt" >/dev/null
  tail -1 "$DIR/time.txt"
}
for round in $(seq "$ROUNDS"); do
  for level in "${LEVELS[@]}"; do
    rm -f "$DIR"/halo.db* "$DIR"/profiles.jsonl
    sync
    run=$(timed "$BIN/halo" run "$DIR/pipeline$level.yaml" -q)
    size=$(du -b "$DIR/halo.db" | cut -f1)
    sync
    rebuild=$(timed "$BIN/halo" rebuild "$DIR/pipeline$level.yaml" -q)
    echo "round $round, level $level: run $run; store $((size / 1000000)) MB; rebuild $rebuild"
  done
done
