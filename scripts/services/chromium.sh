#!/usr/bin/env bash
# Debian's Chromium for the dashboard's browser tests (tests/e2e/dashboard-browser.test.ts), driven
# by playwright-core: installed like PostgreSQL, from Debian's packages, never a downloaded browser.
# `bash scripts/services/chromium.sh` installs it when missing and prints its version.
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

if ! [ -x /usr/bin/chromium ]; then
  apt_install chromium
fi
echo "chromium: $(/usr/bin/chromium --version 2>/dev/null || echo 'installed')"
