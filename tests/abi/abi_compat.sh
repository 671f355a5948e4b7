#!/usr/bin/env bash
# abi_compat.sh BASELINE.abi PROBE.so HEADERS_DIR -- compares the plugin ABI
# of the current headers with the baseline recorded for this ABI minor
# (libabigail). Any difference fails: within a released minor the ABI is
# frozen. Appending fields/functions means a new minor: bump HALO_ABI_MINOR,
# record a new baseline with `abidw` (see sdk/abi/README.md) and update
# tests/abi/abi_layout_test.c, whose offset checks guard the older minors.
# (abidiff rates moved offsets as a mere "change", so a stricter rule than
# its own verdict is needed.)
set -u
report=$(abidiff --headers-dir2 "$3" "$1" "$2")
rc=$?
echo "$report"
if [ "$rc" -ne 0 ]; then
  echo "plugin ABI differs from $(basename "$1") (abidiff exit $rc): see the report above"
  exit 1
fi
echo "plugin ABI identical to $(basename "$1")"
