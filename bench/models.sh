#!/usr/bin/env bash
# Model benchmark: what the feature builders cost. On the 1M-event data of
# bench/run.sh, the benchmark pipeline as it is, with the `clv` builder
# added (a BG/NBD and Gamma-Gamma fit over every profile), with `rfm`
# (quintile scores), with `recommendations` (product similarity and
# bought-together), and with every builder (clv, rfm, satisfaction,
# engagement, recommendations, loyalty); every profile is emitted after a fit. The
# five run alternately ROUNDS times; prints wall time and peak RSS.
#   bench/models.sh [ROUNDS]        (bench/run.sh generates the data first)
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${HALO_BUILD_DIR:-build}/bin
ROUNDS=${1:-2}
DATA=var/bench/events.jsonl
[ -f "$DATA" ] || { echo "run bench/run.sh first (it generates $DATA)" >&2; exit 2; }
DIR=var/bench-models
mkdir -p "$DIR"
sed "s|\.\./var/bench/events.jsonl|$PWD/$DATA|; s|\.\./var/bench/|$PWD/$DIR/|g" \
  bench/pipeline.yaml > "$DIR/plain.yaml"
for set in clv rfm recs models; do
  python3 bench/with_builders.py "$DIR/plain.yaml" "$DIR/$set.yaml" "$set"
done
run() {
  rm -f "$DIR"/halo.db* "$DIR"/profiles.jsonl
  local start end
  start=$(date +%s.%N)
  /usr/bin/time -f "%M" "$BIN/halo" run "$DIR/$1.yaml" -q --summary-json "$DIR/summary.json" \
    2> "$DIR/time.txt"
  end=$(date +%s.%N)
  python3 -c "import sys; print(f'{sys.argv[1]:6} {float(sys.argv[3]) - float(sys.argv[2]):.2f} s, peak RSS {int(sys.argv[4]) / 1024:.0f} MiB')" \
    "$1" "$start" "$end" "$(tail -1 "$DIR/time.txt")"
}
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
for _ in $(seq "$ROUNDS"); do
  run plain
  run clv
  run rfm
  run recs
  run models
done
