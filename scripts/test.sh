#!/usr/bin/env bash
# The README's test command (`npm test`): provisions PostgreSQL, Redis and Kafka on loopback
# (installing them on a fresh machine, reusing them when already running), then runs every jest
# suite (unit, integration, end-to-end) against them. Extra arguments go to jest.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [ ! -d node_modules ]; then
  echo "node_modules is missing: installing with npm ci"
  npm ci
fi

bash scripts/services/up.sh
set -a
# shellcheck disable=SC1091
. .services/env
set +a

npx jest --ci "$@"
