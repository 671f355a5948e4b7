#!/usr/bin/env bash
# Installs the Debian 12 packages Halo needs to build, test and package.
# Idempotent; needs root (or sudo). Skips apt when everything is present.
set -euo pipefail
PKGS=(build-essential cmake ninja-build pkg-config git
      libboost-dev libboost-program-options-dev libboost-filesystem-dev
      libyaml-cpp-dev libsimdjson-dev libsqlite3-dev libzstd-dev liblz4-dev libxxhash-dev libnlopt-dev libcctz-dev libicu-dev libre2-dev libkainjow-mustache-dev libgmime-3.0-dev tzdata
      libcurl4-openssl-dev libssl-dev libgtest-dev libgmock-dev libbenchmark-dev
      sqlite3 abigail-tools clang-format file dpkg-dev time python3 openssl help2man
      postfix dovecot-imapd dovecot-pop3d)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
# Postfix is the real SMTP server of the smtp destination's tests, and
# Dovecot the real IMAP/POP3 server of the mail-bounces source's; the tests
# start their own instances on loopback: install them unconfigured and
# never start the system's mail services.
echo "postfix postfix/main_mailer_type select No configuration" | $SUDO debconf-set-selections
no_start=""
if [ ! -e /usr/sbin/policy-rc.d ]; then
  no_start=/usr/sbin/policy-rc.d
  printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$no_start" >/dev/null
  $SUDO chmod +x "$no_start"
fi
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
[ -z "$no_start" ] || $SUDO rm -f "$no_start"
