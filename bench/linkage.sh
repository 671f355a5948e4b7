#!/usr/bin/env bash
# Probabilistic resolver benchmark: generates FEBRL-style person records
# (halo-datagen people) at each size, links them with config/febrl.yaml and
# prints records, candidate pairs per record, F1, time and peak RSS, so growth
# with size is seen in one run (the machine is noisy; compare within a run).
#   bench/linkage.sh [SIZES...]      (default: 10000 30000 100000)
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${HALO_BUILD_DIR:-build}/bin
SIZES=${*:-10000 30000 100000}
mkdir -p var/bench
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
printf '%9s %12s %9s %8s %8s %9s\n' records candidates per-rec f1 seconds rss-MiB
for n in $SIZES; do
  data=var/bench/people.$n.csv
  [ -f "$data" ] || "$BIN/halo-datagen" people --out "$data" --records "$n" --seed 1 > /dev/null
  /usr/bin/time -f '%M' -o var/bench/linkage.time "$BIN/halo" identity evaluate \
    --config config/febrl.yaml --data "$data" --format json > var/bench/linkage.json
  python3 - "$n" "$(cat var/bench/linkage.json)" "$(tail -1 var/bench/linkage.time)" <<'PY'
import json, sys
n, r, rss_kb = int(sys.argv[1]), json.loads(sys.argv[2]), int(sys.argv[3])
print(f"{n:9d} {r['candidate_pairs']:12d} {2 * r['candidate_pairs'] / n:9.2f} {r['f1']:8.4f} "
      f"{r['seconds']:8.2f} {rss_kb / 1024:9.0f}")
PY
done
