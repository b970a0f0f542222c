#!/usr/bin/env bash
# The README's test command (`npm test`): provisions PostgreSQL, Redis and Kafka on loopback
# (installing them on a fresh machine, reusing them when already running), and Chromium with the
# built dashboard for the browser tests, then runs every jest
# suite (unit, integration, end-to-end) against them. Extra arguments go to jest.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [ ! -d node_modules ]; then
  echo "node_modules is missing: installing with npm ci"
  npm ci --no-audit --no-fund
fi

bash scripts/services/up.sh
# The browser tests: Debian's Chromium (installed once, when missing), and the dashboard built
# from the current sources.
bash scripts/services/chromium.sh >/dev/null
npm run --silent web:build -- --logLevel warn
# The chart's test renders deploy/helm with helm (built once from the Go module proxy, cached).
HELM_BIN="$(bash scripts/deploy/helm.sh)"
export HELM_BIN
set -a
# shellcheck disable=SC1091
. .services/env
set +a

results="$(mktemp)"
status=0
# --experimental-vm-modules lets PGlite (the unit tier's in-process PostgreSQL) load its WebAssembly.
# --forceExit is a safety net so a leaked handle can never hang CI; suites still close what they open.
NODE_OPTIONS="${NODE_OPTIONS:-} --experimental-vm-modules" npx jest --ci --forceExit --json --outputFile="$results" "$@" || status=$?
node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  const skipped = r.numPendingTests + r.numTodoTests;
  console.log(`jest: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${skipped} skipped`);
' "$results" || true
rm -f "$results"
exit "$status"
