#!/usr/bin/env bash
# SMTP benchmark: N messages (default 300) through the kernel's SMTP client
# (the host's smtp_send) into a real Postfix on loopback with STARTTLS,
# with a connection per message, over one kept connection, and through
# smtp_send_many with 2 and 4 sessions at once (the smtp destination's
# road), alternately ROUNDS times (default 2). Needs root (Postfix's daemons) and Debian's
# postfix package, as plugins/smtp/tests do.
#   bench/smtp.sh [N] [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${HALO_BUILD_DIR:-build}/bin
[ -x "$BIN/halo-bench-smtp" ] || { echo "build first: $BIN/halo-bench-smtp is missing" >&2; exit 2; }
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
"$BIN/halo-bench-smtp" "${1:-300}" "${2:-2}"
