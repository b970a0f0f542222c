#!/usr/bin/env bash
# shellcheck disable=SC2034 # variables are used by the scripts that source this
# Shared helpers for scripts/services/*.sh. Source it, do not run it:
#   SVC_NAME=redis; . "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
#
# Every service runs as a private instance bound to 127.0.0.1 only, with its
# state under "$REPO/.services/<service>" (git-ignored).
set -euo pipefail

SERVICES_SCRIPTS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$SERVICES_SCRIPTS_DIR/../.." && pwd)"
SERVICES_DIR="$REPO/.services"
if [ -z "${HOME:-}" ]; then
  HOME="$(getent passwd "$(id -u)" | cut -d: -f6)"
  export HOME
fi
CACHE_DIR="${MONETIZATION_CACHE_DIR:-$HOME/.cache/monetization-supergraph}"

SERVICE_HOST=127.0.0.1
PG_USER=monetization
PG_PASSWORD=monetization
PG_DB=monetization_test

# Each checkout gets its own block of ten ports, so several clones or worktrees can run their
# services at once. The block is a slot claimed in a registry shared by every checkout of this
# machine ($SLOTS_DIR/<slot> holds the owning checkout's path): it is chosen once, starting at a
# hash of the checkout's path, skipping slots owned by other live checkouts and ports something
# else listens on, then remembered in .services/slot. Ports stay below Linux's ephemeral range.
SLOTS_DIR="${MONETIZATION_SLOTS_DIR:-$CACHE_DIR/slots}"
SLOT_COUNT=100
SLOT_PORT_BASE=21000

_slot_ports() { # SLOT: the four ports of a slot
  local base=$(( SLOT_PORT_BASE + $1 * 10 ))
  echo "$base $(( base + 1 )) $(( base + 2 )) $(( base + 3 ))"
}

_slot_owner_alive() { # SLOT: another existing checkout holds it
  local owner
  owner="$(cat "$SLOTS_DIR/$1" 2>/dev/null || true)"
  [ -n "$owner" ] && [ "$owner" != "$REPO" ] && [ -d "$owner/scripts/services" ]
}

_slot_cluster_ports() { # SLOT: the six ports of its Redis Cluster (three masters, three replicas)
  local base=$(( SLOT_PORT_BASE + $1 * 10 ))
  echo "$(( base + 4 )) $(( base + 5 )) $(( base + 6 )) $(( base + 7 )) $(( base + 8 )) $(( base + 9 ))"
}

_slot_ports_free() { # SLOT: nothing listens on its ports yet
  local p
  for p in $(_slot_ports "$1") $(_slot_cluster_ports "$1"); do
    ! port_open "$SERVICE_HOST" "$p" || return 1
  done
}

# services_slot: this checkout's slot, claiming one on first use.
services_slot() {
  local slot="" start i s
  if [ -r "$SERVICES_DIR/slot" ]; then
    slot="$(cat "$SERVICES_DIR/slot")"
    if [[ "$slot" =~ ^[0-9]+$ ]] && [ "$(cat "$SLOTS_DIR/$slot" 2>/dev/null || true)" = "$REPO" ]; then
      echo "$slot"
      return 0
    fi
  fi
  mkdir -p "$SLOTS_DIR" "$SERVICES_DIR"
  (
    flock -w 60 8 || die "could not lock the slot registry $SLOTS_DIR"
    start=$(( $(printf '%s' "$REPO" | cksum | cut -d' ' -f1) % SLOT_COUNT ))
    for (( i = 0; i < SLOT_COUNT; i++ )); do
      s=$(( (start + i) % SLOT_COUNT ))
      if [ "$(cat "$SLOTS_DIR/$s" 2>/dev/null || true)" = "$REPO" ] ||
        { ! _slot_owner_alive "$s" && _slot_ports_free "$s"; }; then
        printf '%s\n' "$REPO" >"$SLOTS_DIR/$s"
        printf '%s\n' "$s" >"$SERVICES_DIR/slot"
        echo "$s"
        exit 0
      fi
    done
    die "all $SLOT_COUNT service slots in $SLOTS_DIR are taken by other checkouts"
  ) 8>"$SLOTS_DIR/.lock"
}



SVC_NAME="${SVC_NAME:-services}"

log() { printf '[%s] %s\n' "$SVC_NAME" "$*" >&2; }
die() { printf '[%s] ERROR: %s\n' "$SVC_NAME" "$*" >&2; exit 1; }

is_root() { [ "$(id -u)" -eq 0 ]; }

# Milliseconds since the epoch, for timings.
now_ms() { date +%s%3N; }

# port_open HOST PORT: true when something accepts TCP connections there.
port_open() {
  (exec 3<>"/dev/tcp/$1/$2") >/dev/null 2>&1
}

# pid_alive PID: true when the process exists and is not a zombie.
pid_alive() {
  local pid="$1" state
  [ -n "$pid" ] && [ -r "/proc/$pid/stat" ] || return 1
  state="$(sed -e 's/^.*) //' "/proc/$pid/stat" 2>/dev/null | cut -d' ' -f1)" || return 1
  [ -n "$state" ] && [ "$state" != Z ] && [ "$state" != X ]
}

# pid_cmdline PID: the command line with NULs turned into spaces.
pid_cmdline() {
  tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null || true
}

# pid_matches PID TEXT: PID is alive and its command line contains TEXT.
pid_matches() {
  local cmd
  pid_alive "$1" || return 1
  cmd="$(pid_cmdline "$1")"
  [[ "$cmd" == *"$2"* ]]
}

# wait_for_port HOST PORT TIMEOUT_S [PID]: wait until the port accepts
# connections. Fails early when PID (if given) dies.
wait_for_port() {
  local host="$1" port="$2" timeout="$3" pid="${4:-}"
  local deadline=$(( $(now_ms) + timeout * 1000 ))
  while ! port_open "$host" "$port"; do
    if [ -n "$pid" ] && ! pid_alive "$pid"; then
      log "process $pid exited before $host:$port opened"
      return 1
    fi
    if [ "$(now_ms)" -ge "$deadline" ]; then
      log "timed out after ${timeout}s waiting for $host:$port"
      return 1
    fi
    sleep 0.2
  done
}

# wait_port_closed HOST PORT TIMEOUT_S
wait_port_closed() {
  local host="$1" port="$2" timeout="$3"
  local deadline=$(( $(now_ms) + timeout * 1000 ))
  while port_open "$host" "$port"; do
    if [ "$(now_ms)" -ge "$deadline" ]; then
      log "timed out after ${timeout}s waiting for $host:$port to close"
      return 1
    fi
    sleep 0.2
  done
}

# wait_pid_gone PID TIMEOUT_S
wait_pid_gone() {
  local pid="$1" timeout="$2"
  local deadline=$(( $(now_ms) + timeout * 1000 ))
  while pid_alive "$pid"; do
    [ "$(now_ms)" -lt "$deadline" ] || return 1
    sleep 0.1
  done
}

# listening_pids PORT: pids listening on 127.0.0.1:PORT (needs root for other
# users' sockets; empty when unknown).
listening_pids() {
  command -v ss >/dev/null 2>&1 || return 0
  ss -Hltnp "sport = :$1" 2>/dev/null | grep -o 'pid=[0-9]*' | cut -d= -f2 | sort -u || true
}

# svc_lock NAME: serialise start/stop of one service across processes. The
# lock is held on fd 9 until the script exits; every long-lived child we launch
# must get `9>&-` so it does not inherit (and keep) the lock.
svc_lock() {
  mkdir -p "$SERVICES_DIR"
  exec 9>"$SERVICES_DIR/.$1.lock"
  if ! flock -w 600 9; then
    die "could not take lock $SERVICES_DIR/.$1.lock within 600s"
  fi
}

_APT_UPDATED=""
_apt_update() {
  [ -n "$_APT_UPDATED" ] && return 0
  log "apt-get update"
  apt-get -o DPkg::Lock::Timeout=300 update -qq >&2 || die "apt-get update failed"
  _APT_UPDATED=1
}

# apt_install PKG...: install Debian packages (root only). Runs `apt-get
# update` first when there are no package lists, or once after a failed try.
apt_install() {
  is_root || die "missing packages ($*) and not root: install them with apt-get install $*"
  export DEBIAN_FRONTEND=noninteractive
  if ! compgen -G '/var/lib/apt/lists/*_Packages*' >/dev/null; then
    _apt_update
  fi
  log "apt-get install $*"
  if ! apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends "$@" >&2; then
    _apt_update
    apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends "$@" >&2 \
      || die "apt-get install $* failed"
  fi
}

# usage_and_dispatch "$@": common {start|stop|status} entry point. The service
# script defines svc_start, svc_stop and svc_status (0 running, 3 stopped).
usage_and_dispatch() {
  local cmd="${1:-}"
  case "$cmd" in
    start) svc_lock "$SVC_NAME"; svc_start ;;
    stop) svc_lock "$SVC_NAME"; svc_stop ;;
    restart) svc_lock "$SVC_NAME"; svc_stop; svc_start ;;
    status) svc_status ;;
    *)
      echo "usage: $0 {start|stop|restart|status}" >&2
      exit 2
      ;;
  esac
}

# This checkout's ports and URLs (after the helpers above, which the slot lookup uses).
SLOT="$(services_slot)"
read -r PG_PORT REDIS_PORT KAFKA_PORT KAFKA_CONTROLLER_PORT <<<"$(_slot_ports "$SLOT")"
read -r -a REDIS_CLUSTER_PORTS <<<"$(_slot_cluster_ports "$SLOT")"
DATABASE_URL="postgres://$PG_USER:$PG_PASSWORD@$SERVICE_HOST:$PG_PORT/$PG_DB"
REDIS_URL="redis://$SERVICE_HOST:$REDIS_PORT"
KAFKA_BROKERS="$SERVICE_HOST:$KAFKA_PORT"
REDIS_CLUSTER_NODES="$(printf "$SERVICE_HOST:%s," "${REDIS_CLUSTER_PORTS[@]}")"
REDIS_CLUSTER_NODES="${REDIS_CLUSTER_NODES%,}"
