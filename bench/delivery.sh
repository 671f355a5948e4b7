#!/usr/bin/env bash
# Delivery benchmark: N messages (default 20,000) delivered by the `webhook`
# destination to the Standard Webhooks receiver contract server on loopback
# (tests/contract/webhook_server.py: checks each signature, de-duplicates,
# logs each message). Run 1 reads N `Checkout Started` events and stores a
# timer each; run 2 fires them and delivers. The same run 2 without the
# destination (messages stay pending) is the baseline, from the same store
# copy, so the difference is delivery alone. ROUNDS rounds.
# DEST=sendgrid delivers through the `sendgrid` destination to the SendGrid
# contract server (tests/contract/sendgrid_server.py) instead, with a
# template of one content for everyone, so messages go out in batches of
# up to 1,000 per request.
# CONCURRENCY (default 4) is the webhook destination's `concurrency`: its
# requests in flight at once. RECEIVERS (default 1) is how many processes
# the Python receiver serves from (contract_base --processes), so that on
# a machine with cores to spare the receiver is not what is measured.
#   [DEST=webhook|sendgrid] [CONCURRENCY=N] [RECEIVERS=N] bench/delivery.sh [ROUNDS] [N]
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=$PWD/${HALO_BUILD_DIR:-build}/bin
ROUNDS=${1:-2}
N=${2:-20000}
DEST=${DEST:-webhook}
CONCURRENCY=${CONCURRENCY:-4}
RECEIVERS=${RECEIVERS:-1}
DIR=$PWD/var/bench-delivery
mkdir -p "$DIR"
SECRET=whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw
python3 - "$DIR/events.jsonl" "$N" <<'PY'
import sys
path, n = sys.argv[1], int(sys.argv[2])
with open(path, "w") as out:
    for i in range(n):
        out.write(f'{{"type":"identify","userId":"u{i}","messageId":"i{i}",'
                  f'"timestamp":"2026-01-05T09:00:00Z","traits":{{"email":"u{i}@example.ir",'
                  f'"first_name":"u{i}"}}}}\n')
        out.write(f'{{"type":"track","event":"Checkout Started","userId":"u{i}",'
                  f'"messageId":"c{i}","timestamp":"2026-01-05T10:00:00Z"}}\n')
PY
rm -f "$DIR/port" "$DIR/received.jsonl"
if [ "$DEST" = sendgrid ]; then
  PYTHONPATH=tests/contract python3 tests/contract/sendgrid_server.py --api-key SG.bench \
    --senders news@shop.example --log "$DIR/received.jsonl" --port-file "$DIR/port" &
else
  PYTHONPATH=tests/contract python3 tests/contract/webhook_server.py --secret "$SECRET" \
    --log "$DIR/received.jsonl" --port-file "$DIR/port" --processes "$RECEIVERS" &
fi
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 50); do [ -s "$DIR/port" ] && break; sleep 0.1; done
PORT=$(cat "$DIR/port")

# pipeline NAME AS_OF DESTINATIONS
pipeline() {
  {
    echo "version: 1"
    echo "store: { kind: sqlite, path: $DIR/halo.db }"
    echo "run: { as_of: \"$2\" }"
    echo "identity:"
    echo "  resolver: deterministic"
    echo "  identifiers:"
    echo "    - { type: user_id, priority: 1, max_per_profile: 1 }"
    echo "    - { type: email, priority: 2, max_per_profile: 3, paths: [traits.email] }"
    echo "sources:"
    echo "  - { name: web, plugin: file-jsonl, config: { path: $DIR/events.jsonl } }"
    echo "destinations: $3"
    echo "triggers:"
    echo "  - name: cart"
    echo "    on: { event: Checkout Started }"
    echo "    wait: 1h"
    echo "    send: { channel: email, destination: hooks, template: cart, variables: { first_name: traits.first_name } }"
    echo "templates:"
    if [ "$DEST" = sendgrid ]; then  # one content for everyone: batched
      echo "  - { name: cart, subject: \"Your cart\", text: \"Hello\", html: \"<p>Hello</p>\" }"
    else
      echo "  - { name: cart, subject: \"{{first_name}}, your cart\", text: \"Hello {{first_name}}\", html: \"<p>{{first_name}}</p>\" }"
    fi
  } > "$DIR/$1.yaml"
}
HOOKS="[ { name: hooks, plugin: webhook, concurrency: $CONCURRENCY, config: { url: \"http://127.0.0.1:$PORT/hooks\", secret: \"$SECRET\" } } ]"
if [ "$DEST" = sendgrid ]; then
  export HALO_BENCH_SENDGRID_KEY=SG.bench
  HOOKS="[ { name: hooks, plugin: sendgrid, config: { api_key: \"\${HALO_BENCH_SENDGRID_KEY}\", from: news@shop.example, base_url: \"http://127.0.0.1:$PORT\" } } ]"
fi
pipeline read "2026-01-05T10:00:00Z" "$HOOKS"
pipeline fire_only "2026-01-05T11:00:00Z" "[]"
pipeline fire_deliver "2026-01-05T11:00:00Z" "$HOOKS"

. bench/timed_run.sh
run() {  # PIPELINE LABEL
  timed_run "$2" "$DIR/$1.yaml" "$DIR/summary.json" stage_seconds.deliver messages_sent \
    messages_retrying
}
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
for _ in $(seq "$ROUNDS"); do
  rm -f "$DIR"/halo.db*
  "$BIN/halo" run "$DIR/read.yaml" -q
  cp "$DIR/halo.db" "$DIR/timers.db"
  run fire_only "fire $N, no delivery"
  cp "$DIR/timers.db" "$DIR/halo.db"
  rm -f "$DIR/halo.db-wal" "$DIR/halo.db-shm"
  : > "$DIR/received.jsonl"
  run fire_deliver "fire and deliver $N"
  echo "receiver ($DEST): $(wc -l < "$DIR/received.jsonl") messages accepted"
done
