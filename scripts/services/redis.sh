#!/usr/bin/env bash
# Private Redis for the test suite on this checkout's loopback port (lib.sh), no persistence, state in
# .services/redis (not the system redis-server service).
#   scripts/services/redis.sh {start|stop|restart|status}
# status exits 0 when running, 3 when stopped.
set -euo pipefail
SVC_NAME=redis
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

REDIS_DIR="$SERVICES_DIR/redis"
REDIS_CONF="$REDIS_DIR/redis.conf"
REDIS_PIDFILE="$REDIS_DIR/redis.pid"
REDIS_LOG="$REDIS_DIR/redis.log"

ensure_installed() {
  if ! command -v redis-server >/dev/null 2>&1 || ! command -v redis-cli >/dev/null 2>&1; then
    apt_install redis-server redis-tools
    command -v redis-server >/dev/null 2>&1 || die "redis-server still missing after apt-get install"
  fi
}

rcli() { redis-cli -h "$SERVICE_HOST" -p "$REDIS_PORT" "$@"; }

redis_pid() {
  local pid
  pid="$(cat "$REDIS_PIDFILE" 2>/dev/null || true)"
  if pid_matches "$pid" redis-server; then
    echo "$pid"
    return 0
  fi
  return 1
}

redis_running() {
  command -v redis-cli >/dev/null 2>&1 || return 1
  [ "$(rcli ping 2>/dev/null || true)" = PONG ]
}

write_config() {
  mkdir -p "$REDIS_DIR"
  cat >"$REDIS_CONF" <<EOF
# Managed by scripts/services/redis.sh -- test-only, no persistence.
bind $SERVICE_HOST
port $REDIS_PORT
protected-mode yes
daemonize yes
supervised no
pidfile "$REDIS_PIDFILE"
logfile "$REDIS_LOG"
loglevel warning
dir "$REDIS_DIR"
save ""
appendonly no
databases 16
EOF
}

svc_start() {
  local t0 pid
  t0="$(now_ms)"
  ensure_installed
  if redis_running; then
    log "already running on $SERVICE_HOST:$REDIS_PORT"
    return 0
  fi
  if port_open "$SERVICE_HOST" "$REDIS_PORT"; then
    die "port $REDIS_PORT is in use by another process ($(listening_pids "$REDIS_PORT" | tr '\n' ' ')) that does not answer PING"
  fi
  write_config
  rm -f "$REDIS_PIDFILE"
  redis-server "$REDIS_CONF" </dev/null >>"$REDIS_LOG" 2>&1 9>&- || {
    tail -n 20 "$REDIS_LOG" >&2 || true
    die "redis-server failed to start (log: $REDIS_LOG)"
  }
  local deadline=$(( $(now_ms) + 20000 ))
  until redis_running; do
    if [ "$(now_ms)" -ge "$deadline" ]; then
      tail -n 20 "$REDIS_LOG" >&2 || true
      die "redis did not answer PING on $SERVICE_HOST:$REDIS_PORT within 20s (log: $REDIS_LOG)"
    fi
    sleep 0.1
  done
  log "started on $SERVICE_HOST:$REDIS_PORT in $(( $(now_ms) - t0 )) ms"
}

svc_stop() {
  local pid=""
  pid="$(redis_pid || true)"
  if ! redis_running && [ -z "$pid" ]; then
    log "already stopped"
    return 0
  fi
  if [ -z "$pid" ]; then
    pid="$(rcli info server 2>/dev/null | tr -d '\r' | sed -n 's/^process_id://p' || true)"
  fi
  rcli shutdown nosave >/dev/null 2>&1 || true
  if [ -n "$pid" ] && ! wait_pid_gone "$pid" 10; then
    log "redis (pid $pid) ignored SHUTDOWN; killing it"
    kill -KILL "$pid" 2>/dev/null || true
    wait_pid_gone "$pid" 5 || die "could not kill redis pid $pid"
  fi
  wait_port_closed "$SERVICE_HOST" "$REDIS_PORT" 10 || die "port $REDIS_PORT still open after stopping redis"
  rm -f "$REDIS_PIDFILE"
  log "stopped"
}

svc_status() {
  if ! command -v redis-server >/dev/null 2>&1; then
    echo "redis: not installed"
    exit 3
  fi
  if redis_running; then
    local ver pid
    ver="$(rcli info server 2>/dev/null | tr -d '\r' | sed -n 's/^redis_version://p')"
    pid="$(redis_pid || echo '?')"
    echo "redis: running  $REDIS_URL (pid $pid, $ver, no persistence)"
    exit 0
  fi
  echo "redis: stopped"
  exit 3
}

usage_and_dispatch "$@"
