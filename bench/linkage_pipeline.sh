#!/usr/bin/env bash
# identity.linkage inside `halo run`: FEBRL-style person records (halo-datagen
# people), each read by file-csv as an identify event with its own record id
# (no shared key), run once with the linkage of config/febrl.yaml and once
# without it, so the linker's cost is seen against a baseline in the same
# run. Prints records, profiles, pairwise F1 against the record ids, wall
# time and peak RSS.
#   bench/linkage_pipeline.sh [SIZES...]      (default: 10000 30000 100000)
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=$PWD/${HALO_BUILD_DIR:-build}/bin
SIZES=${*:-10000 30000 100000}
OUT=var/bench/linkage-pipeline
mkdir -p "$OUT"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
printf '%9s %8s %9s %8s %8s %9s\n' records linkage profiles f1 seconds rss-MiB
# The pipeline: the fields and blocking of config/febrl.yaml under identity.linkage.
pipeline() {  # DIR WITH_LINKAGE
  {
    printf 'version: 1\nstore: { kind: sqlite, path: halo.db }\nidentity:\n'
    printf '  identifiers:\n    - { type: record_id, priority: 1, paths: [userId] }\n'
    if [ "$2" = yes ]; then
      echo "  linkage:"
      sed -n '/^  config:/,/^[a-z]/p' config/febrl.yaml | sed '1d;/^[a-z]/d;/^ *#/d'
    fi
    printf 'sources:\n  - name: crm\n    plugin: file-csv\n    config:\n      path: people.csv\n'
    printf '      mapping:\n        type: "=identify"\n        userId: rec_id\n'
    printf '        timestamp: "=2026-01-01T00:00:00Z"\n'
    for c in given_name surname street_number address_1 address_2 suburb postcode state \
      date_of_birth soc_sec_id; do
      printf '        traits.%s: %s\n' "$c" "$c"
    done
    printf 'destinations:\n  - { name: out, plugin: file-jsonl, config: { path: profiles.jsonl } }\n'
  } > "$1/p.yaml"
}
for n in $SIZES; do
  data=var/bench/people.$n.csv
  [ -f "$data" ] || "$BIN/halo-datagen" people --out "$data" --records "$n" --seed 1 > /dev/null
  for linkage in no yes; do
    dir=$OUT/$n-$linkage
    rm -rf "$dir" && mkdir -p "$dir" && cp "$data" "$dir/people.csv"
    pipeline "$dir" "$linkage"
    start=$(date +%s.%N)
    /usr/bin/time -f "%M" -o "$dir/rss" "$BIN/halo" run "$dir/p.yaml" -q 2> "$dir/log"
    end=$(date +%s.%N)
    python3 - "$n" "$linkage" "$dir" "$start" "$end" <<'PY'
import json, sys
from collections import Counter
n, linkage, d, start, end = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4]), float(sys.argv[5])
person = lambda r: r.split('-dup-')[0] if '-dup-' in r else r.rsplit('-', 1)[0]
predicted = correct = 0
people = Counter()
profiles = 0
for line in open(f"{d}/profiles.jsonl"):
    ids = json.loads(line)["identifiers"]["record_id"]
    profiles += 1
    predicted += len(ids) * (len(ids) - 1) // 2
    correct += sum(k * (k - 1) // 2 for k in Counter(map(person, ids)).values())
    people.update(map(person, ids))
actual = sum(k * (k - 1) // 2 for k in people.values())
p = correct / predicted if predicted else 0
r = correct / actual if actual else 0
f1 = 2 * p * r / (p + r) if p + r else 0
rss = int(open(f"{d}/rss").read().split()[-1]) / 1024
print(f"{int(n):9d} {linkage:>8} {profiles:9d} {f1:8.4f} {end - start:8.2f} {rss:9.0f}")
PY
  done
done
