#!/usr/bin/env bash
# Timer benchmark: a trigger on an event stores one timer per event; a later
# run fires those due. N checkouts (default 1,000,000) by N/4 customers,
# spread evenly over ten days, a trigger `on: { event: Checkout Started }`
# with `wait: 1h` and an `unless` event (so the history builder runs too).
#   run 1 (as_of: the first day): reads every event, stores N timers;
#   run 2 (as_of: a day and an hour later): fires the ~N/10 due;
# beside the same run 1 without the trigger, from an empty store, ROUNDS
# times alternately (the machine is noisy: compare within a round).
# Prints wall time, peak RSS and the segments stage (where timers fire).
#   bench/timers.sh [ROUNDS] [N]
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${HALO_BUILD_DIR:-build}/bin
ROUNDS=${1:-2}
N=${2:-1000000}
DIR=$PWD/var/bench-timers
mkdir -p "$DIR"
python3 - "$DIR/events.jsonl" "$N" <<'PY'
import sys
path, n = sys.argv[1], int(sys.argv[2])
start, span = 1767571200, 10 * 86400  # 2026-01-05T00:00:00Z, ten days
with open(path, "w") as out:
    for i in range(n):
        t = start + i * span // n
        stamp = f"2026-01-{5 + t // 86400 - start // 86400:02d}T{t % 86400 // 3600:02d}:" \
                f"{t % 3600 // 60:02d}:{t % 60:02d}Z"
        out.write(f'{{"type":"track","event":"Checkout Started","userId":"c{i % (n // 4)}",'
                  f'"messageId":"m{i}","timestamp":"{stamp}"}}\n')
PY
pipeline() {  # NAME AS_OF WITH_TRIGGER
  cat > "$DIR/$1.yaml" <<EOF
version: 1
store: { kind: sqlite, path: $DIR/halo.db }
run: { as_of: "$2" }
identity:
  resolver: deterministic
  identifiers:
    - { type: user_id, priority: 1, max_per_profile: 1 }
sources:
  - { name: events, plugin: file-jsonl, config: { path: $DIR/events.jsonl } }
features:
  - name: carts
    plugin: aggregates
    config: { features: { checkouts: { count: { event: Checkout Started } } } }
destinations: []
EOF
  [ "$3" = yes ] && cat >> "$DIR/$1.yaml" <<'EOF'
triggers:
  - name: cart_reminder
    on: { event: Checkout Started }
    wait: 1h
    unless: { event: Order Completed }
    send: { channel: email, destination: mail, template: cart_reminder }
EOF
  return 0
}
pipeline plain "2026-01-05T00:00:00Z" no
pipeline store "2026-01-05T00:00:00Z" yes
pipeline fire "2026-01-06T01:00:00Z" yes
. bench/timed_run.sh
run() {  # PIPELINE LABEL
  timed_run "$2" "$DIR/$1.yaml" "$DIR/summary.json" stage_seconds.segments messages_queued
}
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
for _ in $(seq "$ROUNDS"); do
  rm -f "$DIR"/halo.db*
  run plain "read, no trigger"
  rm -f "$DIR"/halo.db*
  run store "read, store $N timers"
  run fire "fire the due ones"
done
