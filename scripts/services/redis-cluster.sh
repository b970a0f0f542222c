#!/usr/bin/env bash
# Private Redis Cluster for the test suite: three masters and three replicas from Debian's
# redis-server on this checkout's loopback ports +4..+9 of its slot (lib.sh), no persistence,
# node state (nodes.conf, logs, pid files) in .services/redis-cluster/<port>. A short
# cluster-node-timeout (REDIS_CLUSTER_NODE_TIMEOUT_MS, default 2000) keeps failover tests short.
#   scripts/services/redis-cluster.sh {start|stop|restart|status}
# start is idempotent: running nodes are kept, stopped ones are started again (they rejoin from
# their nodes.conf), and the cluster is created (redis-cli --cluster create) only when its nodes
# hold no cluster yet; a cluster that cannot become healthy is wiped and created anew.
# status exits 0 when the cluster is up and healthy, 3 otherwise.
set -euo pipefail
SVC_NAME=redis-cluster
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

CLUSTER_DIR="$SERVICES_DIR/redis-cluster"
NODE_TIMEOUT_MS="${REDIS_CLUSTER_NODE_TIMEOUT_MS:-2000}"
HEALTHY_TIMEOUT_S="${REDIS_CLUSTER_START_TIMEOUT:-30}"

ensure_installed() {
  if ! command -v redis-server >/dev/null 2>&1 || ! command -v redis-cli >/dev/null 2>&1; then
    apt_install redis-server redis-tools
    command -v redis-server >/dev/null 2>&1 || die "redis-server still missing after apt-get install"
  fi
}

ncli() { local port="$1"; shift; redis-cli -h "$SERVICE_HOST" -p "$port" "$@"; }
node_dir() { echo "$CLUSTER_DIR/$1"; }
node_up() { [ "$(ncli "$1" ping 2>/dev/null || true)" = PONG ]; }
# cluster_field PORT FIELD: one line of CLUSTER INFO.
cluster_field() { ncli "$1" cluster info 2>/dev/null | tr -d '\r' | sed -n "s/^$2://p"; }

write_config() { # PORT
  local port="$1" dir
  dir="$(node_dir "$port")"
  mkdir -p "$dir"
  cat >"$dir/redis.conf" <<EOF
# Managed by scripts/services/redis-cluster.sh -- test-only cluster node, no persistence.
bind $SERVICE_HOST
port $port
protected-mode yes
daemonize yes
supervised no
pidfile "$dir/redis.pid"
logfile "$dir/redis.log"
loglevel warning
dir "$dir"
save ""
appendonly no
cluster-enabled yes
cluster-config-file nodes.conf
cluster-node-timeout $NODE_TIMEOUT_MS
# A replica takes over however long it was cut off from its master (tests kill masters at will).
cluster-replica-validity-factor 0
enable-debug-command local
EOF
}

start_node() { # PORT
  local port="$1" dir deadline
  dir="$(node_dir "$port")"
  node_up "$port" && return 0
  if port_open "$SERVICE_HOST" "$port"; then
    die "port $port is in use by another process ($(listening_pids "$port" | tr '\n' ' ')) that does not answer PING"
  fi
  write_config "$port"
  rm -f "$dir/redis.pid"
  redis-server "$dir/redis.conf" </dev/null >>"$dir/redis.log" 2>&1 9>&- || {
    tail -n 20 "$dir/redis.log" >&2 || true
    die "redis-server on port $port failed to start (log: $dir/redis.log)"
  }
  deadline=$(( $(now_ms) + 20000 ))
  until node_up "$port"; do
    [ "$(now_ms)" -lt "$deadline" ] || die "cluster node $port did not answer PING within 20s (log: $dir/redis.log)"
    sleep 0.1
  done
}

stop_node() { # PORT
  local port="$1" dir pid
  dir="$(node_dir "$port")"
  pid="$(cat "$dir/redis.pid" 2>/dev/null || true)"
  pid_matches "$pid" redis-server || pid=""
  if ! node_up "$port" && [ -z "$pid" ]; then return 0; fi
  ncli "$port" shutdown nosave >/dev/null 2>&1 || true
  if [ -n "$pid" ] && ! wait_pid_gone "$pid" 10; then
    kill -KILL "$pid" 2>/dev/null || true
    wait_pid_gone "$pid" 5 || die "could not kill redis cluster node pid $pid"
  fi
  wait_port_closed "$SERVICE_HOST" "$port" 10 || die "port $port still open after stopping its cluster node"
  rm -f "$dir/redis.pid"
}

# healthy: every node sees a complete cluster (state ok, all slots, six nodes, none failing).
healthy() {
  local port nodes
  for port in "${REDIS_CLUSTER_PORTS[@]}"; do
    [ "$(cluster_field "$port" cluster_state)" = ok ] || return 1
    [ "$(cluster_field "$port" cluster_slots_ok)" = 16384 ] || return 1
    [ "$(cluster_field "$port" cluster_known_nodes)" = "${#REDIS_CLUSTER_PORTS[@]}" ] || return 1
    nodes="$(ncli "$port" cluster nodes 2>/dev/null)" || return 1
    ! grep -Eq 'fail|handshake|noaddr' <<<"$nodes" || return 1
  done
}

wait_healthy() { # TIMEOUT_S
  local deadline=$(( $(now_ms) + $1 * 1000 ))
  until healthy; do
    [ "$(now_ms)" -lt "$deadline" ] || return 1
    sleep 0.2
  done
}

# fresh: no node holds any cluster state yet (each knows only itself and no slots).
fresh() {
  local port
  for port in "${REDIS_CLUSTER_PORTS[@]}"; do
    [ "$(cluster_field "$port" cluster_known_nodes)" = 1 ] || return 1
    [ "$(cluster_field "$port" cluster_slots_assigned)" = 0 ] || return 1
  done
}

create_cluster() {
  local addresses=() port
  for port in "${REDIS_CLUSTER_PORTS[@]}"; do addresses+=("$SERVICE_HOST:$port"); done
  log "creating the cluster: ${addresses[*]} (3 masters, 1 replica each)"
  redis-cli --cluster create "${addresses[@]}" --cluster-replicas 1 --cluster-yes >"$CLUSTER_DIR/create.log" 2>&1 9>&- || {
    tail -n 20 "$CLUSTER_DIR/create.log" >&2 || true
    die "redis-cli --cluster create failed (log: $CLUSTER_DIR/create.log)"
  }
}

wipe() {
  local port
  for port in "${REDIS_CLUSTER_PORTS[@]}"; do stop_node "$port"; done
  rm -rf "$CLUSTER_DIR"
}

svc_start() {
  local t0 port
  t0="$(now_ms)"
  ensure_installed
  if healthy; then
    log "already running on $REDIS_CLUSTER_NODES"
    return 0
  fi
  mkdir -p "$CLUSTER_DIR"
  for port in "${REDIS_CLUSTER_PORTS[@]}"; do start_node "$port"; done
  if fresh; then create_cluster; fi
  if ! wait_healthy "$HEALTHY_TIMEOUT_S"; then
    # Nodes that remember a cluster the others forgot (or whose slots were all lost): start over.
    log "cluster not healthy after ${HEALTHY_TIMEOUT_S}s; wiping it and creating it anew"
    wipe
    mkdir -p "$CLUSTER_DIR"
    for port in "${REDIS_CLUSTER_PORTS[@]}"; do start_node "$port"; done
    create_cluster
    wait_healthy "$HEALTHY_TIMEOUT_S" || die "the new cluster did not become healthy within ${HEALTHY_TIMEOUT_S}s"
  fi
  log "cluster healthy on $REDIS_CLUSTER_NODES in $(( $(now_ms) - t0 )) ms"
}

svc_stop() {
  local port
  for port in "${REDIS_CLUSTER_PORTS[@]}"; do stop_node "$port"; done
  log "stopped"
}

svc_status() {
  if ! command -v redis-server >/dev/null 2>&1; then
    echo "redis-cluster: not installed"
    exit 3
  fi
  if healthy; then
    echo "redis-cluster: running  $REDIS_CLUSTER_NODES (3 masters + 3 replicas, node timeout ${NODE_TIMEOUT_MS} ms, no persistence)"
    exit 0
  fi
  local up=0 port
  for port in "${REDIS_CLUSTER_PORTS[@]}"; do node_up "$port" && up=$(( up + 1 )); done
  echo "redis-cluster: not healthy ($up of ${#REDIS_CLUSTER_PORTS[@]} nodes answering)"
  exit 3
}

usage_and_dispatch "$@"
