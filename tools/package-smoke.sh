#!/usr/bin/env bash
# Builds the Debian packages from an existing build/ and checks them: the
# halo package, unpacked to a scratch root, finds all its bundled plugins,
# carries a stripped binary, man pages, the systemd units, licence and
# changelog, and no developer tools; halo-dbgsym holds the debug symbols;
# the SDK package carries the headers and CMake package; halo-tools the
# data generator.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${HALO_BUILD_DIR:-build}
fail() { echo "package: $*"; exit 1; }
(cd "$BUILD_DIR" && rm -f ./*.deb ./*.ddeb && cpack -G DEB >/dev/null 2>&1)
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
for pkg in halo halo-sdk halo-tools; do
  deb=$(ls "$BUILD_DIR"/"${pkg}"_*.deb)
  mkdir -p "$root/$pkg"
  dpkg -x "$deb" "$root/$pkg"
  test -f "$root/$pkg/usr/share/doc/$pkg/copyright" || fail "$pkg has no copyright (licence) file"
  [ -n "$(dpkg-deb -f "$deb" Description)" ] || fail "$pkg has no description"
done
ls "$BUILD_DIR"/halo-dbgsym_*.ddeb >/dev/null 2>&1 || fail "no halo-dbgsym package"

halo="$root/halo/usr/bin/halo"
listing=$("$halo" plugins)
for p in file-jsonl file-csv deterministic aggregates clv rfm satisfaction engagement recommendations loyalty woocommerce hubspot \
  square pos-csv mail-bounces webhook profile-webhook smtp kavenegar twilio sendgrid; do
  grep -q "^$p " <<<"$listing" || { echo "$listing"; fail "plugin $p not found by the installed halo"; }
done
# Libraries holding two plugins of one name: each kind is found.
for p in "file-jsonl source" "file-jsonl destination" "hubspot source" "hubspot destination" \
  "sendgrid source" "sendgrid destination" "kavenegar source" "kavenegar destination"; do
  grep -qE "^${p% *} +${p#* } " <<<"$listing" ||
    { echo "$listing"; fail "${p#* } plugin ${p% *} not found by the installed halo"; }
done
[[ "$(file -L "$halo")" == *", stripped"* ]] || fail "usr/bin/halo is not stripped: $(file -L "$halo")"
test ! -e "$root/halo/usr/bin/halo-datagen" || fail "halo-datagen is in the runtime package"
test -x "$root/halo-tools/usr/bin/halo-datagen" || fail "halo-tools lacks halo-datagen"
for page in halo halo-run halo-serve halo-validate halo-plugins halo-profile halo-deadletters halo-rebuild halo-store; do
  test -s "$root/halo/usr/share/man/man1/$page.1.gz" || fail "man page $page(1) missing"
done
[[ "$(zcat "$root/halo/usr/share/man/man1/halo-run.1.gz")" == *summary*json* ]] ||
  fail "halo-run(1) does not show the options of halo run --help"
for unit in halo-run@.service halo-run@.timer halo-serve@.service; do
  test -f "$root/halo/usr/lib/systemd/system/$unit" || fail "systemd unit $unit missing"
done
if command -v systemd-analyze >/dev/null 2>&1; then
  for unit in halo-run@.service halo-serve@.service; do
    systemd-analyze verify "$root/halo/usr/lib/systemd/system/$unit" 2>&1 |
      grep -v "$unit: Command /usr/bin/halo is not executable" | grep -i "error" &&
      fail "systemd-analyze finds errors in $unit"
  done
fi
grep -q '^ExecStart=/usr/bin/halo serve ' "$root/halo/usr/lib/systemd/system/halo-serve@.service" ||
  fail "halo-serve@.service does not run halo serve"
test -f "$root/halo/usr/share/doc/halo/CHANGELOG.md" || fail "changelog missing"
test -f "$root/halo-sdk/usr/include/halo/plugin.h" || fail "SDK header missing"
test -f "$root/halo-sdk/usr/lib/cmake/HaloSDK/HaloSDKConfig.cmake" || fail "SDK CMake package missing"
for f in HaloPluginRecipe.cmake halo_plugin.map; do
  test -f "$root/halo-sdk/usr/lib/cmake/HaloSDK/$f" || fail "SDK plugin recipe $f missing"
done
echo "packages ok: $(cd "$BUILD_DIR" && ls ./*.deb ./*.ddeb | tr '\n' ' ')"
