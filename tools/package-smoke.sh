#!/usr/bin/env bash
# Builds the Debian packages (halo, halo-sdk) from an existing build/ and
# checks them: the halo package, unpacked to a scratch root, finds all its
# bundled plugins; the SDK package carries the headers and CMake package.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${HALO_BUILD_DIR:-build}
(cd "$BUILD_DIR" && rm -f ./*.deb && cpack -G DEB >/dev/null 2>&1)
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
dpkg -x "$BUILD_DIR"/halo_*.deb "$root"
dpkg -x "$BUILD_DIR"/halo-sdk_*.deb "$root"
listing=$("$root/usr/bin/halo" plugins)
for p in file-jsonl file-csv deterministic aggregates woocommerce hubspot square pos-csv; do
  grep -q "^$p " <<<"$listing" || { echo "package: plugin $p not found by the installed halo"; echo "$listing"; exit 1; }
done
test -f "$root/usr/include/halo/plugin.h"
test -f "$root/usr/lib/cmake/HaloSDK/HaloSDKConfig.cmake"
echo "packages ok: $(cd "$BUILD_DIR" && ls ./*.deb | tr '\n' ' ')"
