#!/usr/bin/env bash
# Debian's Chromium for the browser tests (driven by playwright-core, which downloads no browser of
# its own here). Idempotent: installs only when /usr/bin/chromium is missing, then prints its path.
#   scripts/services/chromium.sh
set -euo pipefail
SVC_NAME=chromium
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

CHROMIUM_BIN=/usr/bin/chromium
if [ ! -x "$CHROMIUM_BIN" ]; then
  apt_install chromium
  [ -x "$CHROMIUM_BIN" ] || die "$CHROMIUM_BIN still missing after apt-get install chromium"
fi
echo "$CHROMIUM_BIN"
