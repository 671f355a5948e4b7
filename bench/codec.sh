#!/usr/bin/env bash
# Event-log codec benchmark: the log of the store bench/run.sh leaves
# (1M events) compressed and decompressed with zstd at the store's level
# (1) and faster ones, and with LZ4, one after another in each of ROUNDS
# rounds (default 2), on one core (halo-bench-codec).
#   bench/codec.sh [ROUNDS]           (bench/run.sh makes the store first)
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${HALO_BUILD_DIR:-build}/bin
STORE=var/bench/halo.db
[ -f "$STORE" ] || { echo "run bench/run.sh first (it makes $STORE)" >&2; exit 2; }
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
"$BIN/halo-bench-codec" "$STORE" "${1:-2}"
