#!/usr/bin/env bash
# Segments evaluated from scratch over a stored store: the twenty segments
# of `bench/with_builders.py segments-only` (no triggers), without a
# destination, over every profile of a store the benchmark pipeline built.
# Generates EVENTS events for CUSTOMERS customers (default 1,600,000 each:
# 1,006,221 profiles), runs the plain pipeline once, keeps that store, then
# ROUNDS times restores it and runs the segments alone; prints wall time,
# peak RSS, CPU and the segments stage's own seconds. HALO_BUILD_DIR names
# another build to time against (run both in one sitting: the machines are
# noisy).
#   bench/segments_from_store.sh [ROUNDS] [EVENTS] [CUSTOMERS]
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${HALO_BUILD_DIR:-build}/bin
ROUNDS=${1:-3}
EVENTS=${2:-1600000}
CUSTOMERS=${3:-1600000}
DIR=$PWD/var/bench-segments-store
DATA=$DIR/events.jsonl
mkdir -p "$DIR"
if [ ! -f "$DATA.$EVENTS.$CUSTOMERS" ]; then
  rm -f "$DATA".*.* "$DIR"/kept.db
  "$BIN/halo-datagen" bench --out "$DATA" --events "$EVENTS" --customers "$CUSTOMERS" --seed 1
  touch "$DATA.$EVENTS.$CUSTOMERS"
fi
# The plain pipeline on this data, without its destination.
sed "s|\.\./var/bench/events.jsonl|$DATA|; s|\.\./var/bench/|$DIR/|g" bench/pipeline.yaml |
  sed '/^destinations:/,$d' > "$DIR/plain.yaml"
python3 bench/with_builders.py "$DIR/plain.yaml" "$DIR/segments.yaml" segments-only
. bench/timed_run.sh
if [ ! -f "$DIR/kept.db" ]; then
  rm -f "$DIR"/halo.db*
  timed_run store "$DIR/plain.yaml" "$DIR/summary.json" profiles
  mv "$DIR/halo.db" "$DIR/kept.db"
fi
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
for _ in $(seq "$ROUNDS"); do
  rm -f "$DIR"/halo.db*
  cp "$DIR/kept.db" "$DIR/halo.db"
  sync
  timed_run segments "$DIR/segments.yaml" "$DIR/summary.json" stage_seconds.segments \
    segments_evaluated segment_entries
done
