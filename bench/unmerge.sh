#!/usr/bin/env bash
# Unmerge benchmark: on the 1M-event data of bench/run.sh, one run, then
# `halo identity unmerge --detach` of a device id of the profile holding
# the most identifiers (the split: its events resolved again on their
# own), beside `halo rebuild` of the same store, which recomputes every
# profile from the log (what an unmerge cost before the split). ROUNDS
# times from a copy of the same store (the machine is noisy: compare
# within a round). Then `--reattach` of the same id: its events linked
# again without a rebuild (before, a reattach was a rebuild too). Prints
# wall time and peak RSS of each, and checks that the split and the
# rebuild export the same profiles, and the reattach those of the first
# run (ids aside).
#   bench/unmerge.sh [ROUNDS]   (bench/run.sh generates the data first)
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${HALO_BUILD_DIR:-build}/bin
DATA=var/bench/events.jsonl
[ -f "$DATA" ] || { echo "run bench/run.sh first (it generates $DATA)" >&2; exit 2; }
ROUNDS=${1:-3}
DIR=$PWD/var/bench-unmerge
mkdir -p "$DIR/store"
rm -f "$DIR"/store/halo.db* "$DIR"/store/profiles.jsonl
sed "s|\.\./var/bench/events.jsonl|$PWD/$DATA|; s|\.\./var/bench/|$DIR/store/|g" \
  bench/pipeline.yaml > "$DIR/pipeline.yaml"
"$BIN/halo" run "$DIR/pipeline.yaml" -q
cp "$DIR"/store/halo.db "$DIR/halo.db.snapshot"
cp "$DIR"/store/profiles.jsonl "$DIR/profiles.jsonl.snapshot"
# A device id of the profile with the most identifiers (the export lists them).
DEVICE=$(python3 -c '
import json, sys
best = max((json.loads(l) for l in open(sys.argv[1])),
           key=lambda p: (sum(len(v) for v in p["identifiers"].values()), -int(p["profile_id"])))
print(sorted(best["identifiers"]["anonymous_id"])[0])' "$DIR/store/profiles.jsonl")
echo "detaching anonymous_id $DEVICE"

# A copy of the store after the run, with no decision in it.
fresh() {
  rm -f "$DIR"/store/halo.db* "$DIR"/store/profiles.jsonl
  cp "$DIR/halo.db.snapshot" "$DIR/store/halo.db"
  cp "$DIR/profiles.jsonl.snapshot" "$DIR/store/profiles.jsonl"
  sync
}
# NAME COMMAND...: wall time and peak RSS of one command.
timed() {
  local name=$1 start end
  shift
  start=$(date +%s.%N)
  /usr/bin/time -f "%M" "$@" > "$DIR/out.txt" 2> "$DIR/err.txt"
  end=$(date +%s.%N)
  printf '%s: %.2f s wall, peak RSS %d MiB\n' "$name" \
    "$(python3 -c "print($end - $start)")" $(( $(tail -1 "$DIR/err.txt") / 1024 ))
}
# The export without profile ids, sorted: what a split and a rebuild share.
contents() {
  python3 -c '
import json, sys
rows = (json.loads(l) for l in open(sys.argv[1]))
print("\n".join(sorted(json.dumps({k: v for k, v in r.items() if k != "profile_id"},
                                  sort_keys=True) for r in rows)))' "${1:-$DIR/store/profiles.jsonl}"
}
contents "$DIR/profiles.jsonl.snapshot" > "$DIR/first.txt"
# A B WHAT: the two contents files in $DIR hold the same profiles, or exit 1.
same() {
  if cmp -s "$DIR/$1" "$DIR/$2"; then
    echo "    same profiles ($(wc -l < "$DIR/$1")) after $3"
  else
    echo "    DIFFERENT profiles after $3" >&2
    exit 1
  fi
}
for round in $(seq "$ROUNDS"); do
  echo "round $round"
  fresh
  timed "  unmerge (split)" "$BIN/halo" identity unmerge "$DIR/pipeline.yaml" \
    --detach "anonymous_id=$DEVICE"
  grep -o "profile [0-9]* split: its [0-9]* events resolved again" "$DIR/err.txt" |
    sed 's/^/    /' || { echo "    not split:"; grep identity "$DIR/err.txt"; }
  contents > "$DIR/split.txt"
  timed "  rebuild of the same store" "$BIN/halo" rebuild "$DIR/pipeline.yaml" -q
  contents > "$DIR/rebuilt.txt"
  same split.txt rebuilt.txt "the split and the rebuild"
  timed "  reattach (linked again)" "$BIN/halo" identity unmerge "$DIR/pipeline.yaml" \
    --reattach "anonymous_id=$DEVICE"
  grep -o "linked again: its [0-9]* events joined [0-9]* profile(s)" "$DIR/err.txt" |
    sed 's/^/    /' || { echo "    not linked again on its own:"; grep identity "$DIR/err.txt"; }
  contents > "$DIR/reattached.txt"
  same reattached.txt first.txt "the reattach and the first run"
done
