#!/usr/bin/env bash
# Ensure the test services (PostgreSQL, Redis, a Redis Cluster, Kafka) are installed and
# running on loopback, reusing running instances, then write .services/env:
#   DATABASE_URL=...  REDIS_URL=...  KAFKA_BROKERS=...  REDIS_CLUSTER_NODES_TEST=...
# (the cluster's variable is not REDIS_CLUSTER_NODES, so that only the suites that ask for the
# cluster use it; everything else runs on the single node).
# Load it with e.g. `set -a; . .services/env; set +a`.
set -euo pipefail
SVC_NAME=up
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

t0="$(now_ms)"
"$SERVICES_SCRIPTS_DIR/postgres.sh" start
"$SERVICES_SCRIPTS_DIR/redis.sh" start
"$SERVICES_SCRIPTS_DIR/redis-cluster.sh" start
"$SERVICES_SCRIPTS_DIR/kafka.sh" start

mkdir -p "$SERVICES_DIR"
tmp="$SERVICES_DIR/env.tmp.$$"
cat >"$tmp" <<ENV
DATABASE_URL=$DATABASE_URL
REDIS_URL=$REDIS_URL
KAFKA_BROKERS=$KAFKA_BROKERS
REDIS_CLUSTER_NODES_TEST=$REDIS_CLUSTER_NODES
ENV
mv -f "$tmp" "$SERVICES_DIR/env"

"$SERVICES_SCRIPTS_DIR/postgres.sh" status
"$SERVICES_SCRIPTS_DIR/redis.sh" status
"$SERVICES_SCRIPTS_DIR/redis-cluster.sh" status
"$SERVICES_SCRIPTS_DIR/kafka.sh" status
echo "services ready in $(( $(now_ms) - t0 )) ms; env written to $SERVICES_DIR/env"
