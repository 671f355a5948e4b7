#!/usr/bin/env bash
# One command from a fresh Debian 12 machine to a finished demo run:
# installs dependencies, builds, generates the demo data (seeded) and runs
# `halo run config/demo.yaml` on the embedded SQLite store.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/install-deps.sh
tools/build.sh
CUSTOMERS=${HALO_DEMO_CUSTOMERS:-10000}
if [ ! -f data/demo/summary.json ] || [ "${HALO_DEMO_REGENERATE:-0}" = 1 ]; then
  build/bin/halo-datagen demo --out data/demo --customers "$CUSTOMERS" --seed 42
fi
rm -rf var/demo
build/bin/halo run config/demo.yaml
echo "profiles: var/demo/profiles.jsonl   try: build/bin/halo profile get config/demo.yaml --email \"\$(head -1 data/demo/truth.jsonl | sed -E 's/.*\"email\": ?\\[\"([^\"]+)\".*/\\1/')\""
