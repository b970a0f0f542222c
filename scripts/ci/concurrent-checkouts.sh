#!/usr/bin/env bash
# Proves that test services are per checkout: a second clone of this repository runs a small suite
# against its own PostgreSQL, Redis and Kafka while this checkout's services run and this checkout
# runs the same suite, both pass, and `npm run services:down` in the clone leaves this checkout's
# services answering. Run after `npm test` (it reuses this checkout's node_modules and services).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
REPO="$(pwd)"
# PostgreSQL and Kafka (the outbox), Redis (rate limits): every service of a checkout is used.
SUITE="${CONCURRENT_CHECKOUTS_SUITE:-tests/integration/outbox.test.ts tests/integration/rate-limit.test.ts}"

log() { printf '[checkouts] %s\n' "$*" >&2; }
fail() { printf '[checkouts] FAILED: %s\n' "$*" >&2; exit 1; }

clone="$(mktemp -d /tmp/monetization-second-checkout.XXXXXX)"
logs="$(mktemp -d /tmp/monetization-checkout-logs.XXXXXX)"
cleanup() {
  (cd "$clone" && bash scripts/services/down.sh >/dev/null 2>&1) || true
  rm -rf "$clone" "$logs"
}
trap cleanup EXIT

git clone --quiet --shared --no-checkout "$REPO" "$clone"
# The working tree as it is (tracked files, committed or not), so the check tests this change.
git ls-files -z | tar --null -cf - -T - | tar -xf - -C "$clone"
ln -s "$REPO/node_modules" "$clone/node_modules"

bash scripts/services/up.sh >/dev/null 2>&1
first_env="$(cat .services/env)"

run_suite() { # DIR LABEL
  # shellcheck disable=SC2086 # SUITE is a list of test files
  (cd "$1" && bash scripts/test.sh $SUITE >"$logs/$2.log" 2>&1)
}

log "running $SUITE in this checkout and in a second clone at the same time"
run_suite "$REPO" first & first_pid=$!
run_suite "$clone" second & second_pid=$!
first_rc=0; second_rc=0
wait "$first_pid" || first_rc=$?
wait "$second_pid" || second_rc=$?
for label in first second; do
  grep -E '^jest: ' "$logs/$label.log" | sed "s/^/[checkouts:$label] /" >&2 || true
done
[ "$first_rc" -eq 0 ] || { cat "$logs/first.log" >&2; fail "the suite failed in this checkout"; }
[ "$second_rc" -eq 0 ] || { cat "$logs/second.log" >&2; fail "the suite failed in the second clone"; }

second_env="$(cat "$clone/.services/env")"
[ "$first_env" != "$second_env" ] || fail "both checkouts were given the same services: $first_env"

log "stopping the second clone's services"
(cd "$clone" && bash scripts/services/down.sh >/dev/null 2>&1) || fail "services:down failed in the second clone"
for svc in postgres redis kafka; do
  bash "scripts/services/$svc.sh" status >/dev/null || fail "$svc of this checkout stopped with the clone's"
done
# shellcheck disable=SC2086
bash scripts/test.sh $SUITE >/dev/null 2>&1 || fail "the suite no longer passes here after the clone's services:down"
log "ok: two checkouts ran side by side on their own services (this one: ${first_env//$'\n'/ })"
