#!/usr/bin/env bash
# Pipeline benchmark (issue 3): generates 1,000,000 Segment JSONL events for
# 50,000 customers, times the simdjson floor and the full pipeline in the
# same run, and prints events/s, MB/s, ratio to the floor and peak RSS.
#   bench/run.sh [EVENTS] [CUSTOMERS]
# The many-profile variant: bench/run.sh 1000000 1000000 (629,006 profiles).
# SHAPE=identity: the identity-heavy data (`halo-datagen bench --shape
# identity`: five identifier types from several paths, phones in every
# written form, in-store orders by loyalty card, many merges) with the five
# identifiers declared (SET defaults to identity).
# SET=NAME runs the pipeline bench/with_builders.py makes for that set
# (e.g. SET=windows: the identifier limits with a time window).
set -euo pipefail
cd "$(dirname "$0")/.."
EVENTS=${1:-1000000}
CUSTOMERS=${2:-50000}
SHAPE=${SHAPE:-web}
if [ "$SHAPE" = identity ]; then SET=${SET:-identity}; fi
BIN=${HALO_BUILD_DIR:-build}/bin
mkdir -p var/bench
DATA=var/bench/events.jsonl
if [ ! -f "$DATA.$EVENTS.$CUSTOMERS.$SHAPE" ]; then
  rm -f "$DATA".*.*  # the marker of the data this replaces
  "$BIN/halo-datagen" bench --out "$DATA" --events "$EVENTS" --customers "$CUSTOMERS" --seed 1 \
    --shape "$SHAPE"
  touch "$DATA.$EVENTS.$CUSTOMERS.$SHAPE"
fi
BYTES=$(stat -c %s "$DATA")
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "input: $EVENTS events, $CUSTOMERS customers, $((BYTES / 1000000)) MB, shape $SHAPE"
# The floor reads the whole file into one buffer; on huge pages, as `halo`
# keeps its heap (docs/cli.md, "Heap memory"), so that the yardstick is
# parsing and not the VM's price of 4 KiB page faults (docs/benchmarks.md,
# "A page cache that follows the store").
FLOOR=$(GLIBC_TUNABLES=glibc.malloc.hugetlb=1 "$BIN/halo-bench-floor" "$DATA")
echo "simdjson floor (1 core): $FLOOR"
PIPELINE=bench/pipeline.yaml
if [ -n "${SET:-}" ]; then
  PIPELINE=var/bench/pipeline-$SET.yaml
  sed "s|\.\./var/bench/|$PWD/var/bench/|g" bench/pipeline.yaml > "$PIPELINE"
  python3 bench/with_builders.py "$PIPELINE" "$PIPELINE" "$SET"
  echo "pipeline: $PIPELINE"
fi
rm -f var/bench/halo.db* var/bench/profiles.jsonl
/usr/bin/time -v "$BIN/halo" run "$PIPELINE" -q --summary-json var/bench/summary.json 2> var/bench/time.txt
SUMMARY=$(cat var/bench/summary.json)
echo "pipeline: $SUMMARY"
RSS_KB=$(awk -F: '/Maximum resident/{gsub(/ /,"",$2); print $2}' var/bench/time.txt)
python3 - "$FLOOR" "$SUMMARY" "$RSS_KB" "$BYTES" <<'PY'
import json, sys
floor, run, rss_kb, size = json.loads(sys.argv[1]), json.loads(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
eps = run["records_read"] / run["seconds"]
print(f"pipeline: {eps:,.0f} events/s, {size / run['seconds'] / 1e6:.1f} MB/s, "
      f"{run['seconds'] / floor['seconds']:.2f}x the floor's time, peak RSS {rss_kb / 1024:.0f} MiB, "
      f"profiles {run['profiles']} ({rss_kb * 1024 / max(run['profiles'], 1):.0f} B of peak RSS each), "
      f"rejected {run['rejected']}, duplicates {run['duplicates']}")
PY
