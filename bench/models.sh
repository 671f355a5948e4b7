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
python3 - "$DIR" <<'PY'
import sys
d = sys.argv[1]
text = open(d + "/plain.yaml").read()
marker = "destinations:"
clv = ("  - name: lifetime\n    plugin: clv\n"
       "    config: { event: Order Completed, value: properties.revenue, horizon: 90d }\n")
rfm = ("  - name: rfm\n    plugin: rfm\n"
       "    config: { events: [Order Completed], value: properties.revenue, window: 365d }\n")
voice = "  - name: voice\n    plugin: satisfaction\n    config: {}\n"
engagement = "  - name: engagement\n    plugin: engagement\n    config: {}\n"
recs = "  - name: recs\n    plugin: recommendations\n    config: {}\n"
loyalty = "  - name: loyalty\n    plugin: loyalty\n    config: {}\n"
for name, added in (("clv", clv), ("rfm", rfm), ("recs", recs),
                    ("models", clv + rfm + voice + engagement + recs + loyalty)):
    open(f"{d}/{name}.yaml", "w").write(text.replace(marker, added + marker, 1))
PY
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
