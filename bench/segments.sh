#!/usr/bin/env bash
# Segment benchmark: live membership of twenty segments
# and two triggers (bench/with_builders.py segments), and of the same with
# five segments over event history (history), on the 1M-event data of
# bench/run.sh.
# The benchmark pipeline without and with the segments run alternately
# ROUNDS times from an empty store (every profile evaluated from scratch);
# prints wall time, peak RSS, the segments stage's own seconds (membership
# and triggers), the entries recorded and the messages made. The incremental case is `bench/incremental.sh segments`.
#   bench/segments.sh [ROUNDS]        (bench/run.sh generates the data first)
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${HALO_BUILD_DIR:-build}/bin
ROUNDS=${1:-2}
DATA=var/bench/events.jsonl
[ -f "$DATA" ] || { echo "run bench/run.sh first (it generates $DATA)" >&2; exit 2; }
DIR=var/bench-segments
mkdir -p "$DIR"
sed "s|\.\./var/bench/events.jsonl|$PWD/$DATA|; s|\.\./var/bench/|$PWD/$DIR/|g" \
  bench/pipeline.yaml > "$DIR/plain.yaml"
python3 bench/with_builders.py "$DIR/plain.yaml" "$DIR/segments.yaml" segments
python3 bench/with_builders.py "$DIR/plain.yaml" "$DIR/history.yaml" history
. bench/timed_run.sh
run() {
  rm -f "$DIR"/halo.db* "$DIR"/profiles.jsonl
  timed_run "$1" "$DIR/$1.yaml" "$DIR/summary.json" stage_seconds.segments segments_evaluated \
    segment_entries messages_queued
}
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
for _ in $(seq "$ROUNDS"); do
  run plain
  run segments
  run history
done
