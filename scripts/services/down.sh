#!/usr/bin/env bash
# Stop the test services started by up.sh (Kafka, the Redis Cluster, Redis, PostgreSQL).
# Keeps their data; tries every service even if one fails.
set -euo pipefail
SVC_NAME=down
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

rc=0
for svc in kafka redis-cluster redis postgres; do
  "$SERVICES_SCRIPTS_DIR/$svc.sh" stop || { log "stopping $svc failed"; rc=1; }
done
exit "$rc"
