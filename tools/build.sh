#!/usr/bin/env bash
# Configures and builds Halo into build/ (or $HALO_BUILD_DIR) with -j2.
# Extra arguments are passed to cmake at configure time.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${HALO_BUILD_DIR:-build}
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=${HALO_BUILD_TYPE:-RelWithDebInfo} "$@" >/dev/null
cmake --build "$BUILD_DIR" -j "${HALO_JOBS:-2}"
