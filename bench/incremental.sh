#!/usr/bin/env bash
# Incremental benchmark (Kernel 2): on the 1M-event data of bench/run.sh,
# a full run on the first 990,000 events, a run with nothing new, then a
# run after the last 10,000 events are appended to the same file. Prints
# each run's wall time, its share of the full run, peak RSS and how many
# profiles it loaded, computed and delivered.
#   bench/incremental.sh [SET [REFIT]]   (bench/run.sh generates the data first)
# SET adds feature builders (bench/with_builders.py: clv, rfm, recs or
# models, every builder) or twenty segments (segments); REFIT is the
# builders' `refit` policy (e.g. on_request).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${HALO_BUILD_DIR:-build}/bin
DATA=var/bench/events.jsonl
[ -f "$DATA" ] || { echo "run bench/run.sh first (it generates $DATA)" >&2; exit 2; }
DIR=var/bench-incremental
mkdir -p "$DIR"
rm -f "$DIR"/halo.db* "$DIR"/profiles.jsonl "$DIR"/events.jsonl
head -n 990000 "$DATA" > "$DIR/events.jsonl"
# The benchmark pipeline, with its store, input and export in $DIR.
sed "s|\.\./var/bench/|$PWD/$DIR/|g" bench/pipeline.yaml > "$DIR/pipeline.yaml"
if [ -n "${1:-}" ]; then
  python3 bench/with_builders.py "$DIR/pipeline.yaml" "$DIR/pipeline.yaml" "$1" ${2:+"$2"}
fi
full=""
run() {
  local start end
  # Each run starts with nothing left to write back: the input this script
  # just wrote (440 MB) would otherwise reach the disk during the runs and
  # slow their syncs by an amount that depends on the machine's writeback.
  sync
  start=$(date +%s.%N)
  /usr/bin/time -f "%M" "$BIN/halo" run "$DIR/pipeline.yaml" -q --summary-json "$DIR/summary.json" \
    2> "$DIR/time.txt"
  end=$(date +%s.%N)
  python3 - "$1" "$start" "$end" "${full:-0}" "$(tail -1 "$DIR/time.txt")" "$DIR/summary.json" <<'PY'
import json, sys
name, start, end, full, rss_kb, path = sys.argv[1:]
wall = float(end) - float(start)
share = f"{100 * wall / float(full):.1f}% of the full run" if float(full) else "100%"
s = json.load(open(path))
print(f"{name}: {wall:.2f} s wall ({share}), peak RSS {int(rss_kb) // 1024} MiB, "
      f"accepted {s['accepted']}, profiles loaded {s.get('profiles_restored', 0)}, "
      f"computed {s['features_emitted']}, delivered {s['profiles_delivered']}, "
      f"segments: {s['segments_evaluated']} evaluated in {s['stage_seconds']['segments']:.2f} s")
PY
  LAST=$(python3 -c "print(float('$end') - float('$start'))")
}
run "full (990k events)"; full=$LAST
run "nothing new"
tail -n +990001 "$DATA" >> "$DIR/events.jsonl"
run "10k new events"
