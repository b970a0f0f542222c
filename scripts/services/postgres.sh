#!/usr/bin/env bash
# Private PostgreSQL for the test suite on this checkout's loopback port (lib.sh), data in .services/pg.
#   scripts/services/postgres.sh {start|stop|restart|status}
# status exits 0 when running, 3 when stopped.
set -euo pipefail
SVC_NAME=postgres
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PG_LINK="$SERVICES_DIR/pg"   # a directory, or a symlink to one (see pg_root)
PG_ROOT=""                   # resolved by pg_paths
PGDATA=""
PG_SOCK_DIR=""
PG_LOG=""
PGBIN=""

# The PostgreSQL bin dir: the one matching an existing cluster's version,
# else the highest version under /usr/lib/postgresql/*/bin.
find_pg_bindir() {
  local d want=""
  if [ -n "$PGDATA" ] && [ -f "$PGDATA/PG_VERSION" ]; then
    want="$(cat "$PGDATA/PG_VERSION")"
    if [ -x "/usr/lib/postgresql/$want/bin/pg_ctl" ]; then
      echo "/usr/lib/postgresql/$want/bin"
      return 0
    fi
  fi
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [ -x "$d/pg_ctl" ] && [ -x "$d/initdb" ] && [ -x "$d/postgres" ] && [ -x "$d/psql" ]; then
      echo "$d"
      return 0
    fi
  done
  return 1
}

ensure_installed() {
  if ! PGBIN="$(find_pg_bindir)"; then
    apt_install postgresql
    PGBIN="$(find_pg_bindir)" || die "postgresql installed but no /usr/lib/postgresql/*/bin/pg_ctl found"
  fi
  if [ -n "$PGDATA" ] && [ -f "$PGDATA/PG_VERSION" ] &&
    [ "$PGBIN" != "/usr/lib/postgresql/$(cat "$PGDATA/PG_VERSION")/bin" ]; then
    die "cluster in $PGDATA is version $(cat "$PGDATA/PG_VERSION") but only $PGBIN is installed; remove $PG_LINK to recreate it"
  fi
  if is_root && ! getent passwd postgres >/dev/null; then
    die "OS user 'postgres' does not exist (it comes with the postgresql package)"
  fi
}

# Run a command as the postgres OS user (as ourselves when not root), from a
# directory that user can read, without our lock fd.
as_pg() {
  if is_root; then
    (cd / && runuser -u postgres -- "$@" 9>&-)
  else
    (cd / && "$@" 9>&-)
  fi
}

pg_can_use() { # DIR: the postgres user can traverse and write DIR
  if is_root; then
    (cd / && runuser -u postgres -- test -w "$1/." -a -x "$1/.") 2>/dev/null
  else
    test -w "$1/." -a -x "$1/."
  fi
}

short_hash() { printf '%s' "$1" | md5sum | cut -c1-10; }

# Resolve PG_ROOT and friends. With create=1, create the directory tree when
# missing (owned by postgres). When the repo is not reachable for the postgres
# user (e.g. it lives under /root), the data lives in /var/tmp and
# .services/pg is a symlink to it.
pg_paths() {
  local create="${1:-0}"
  if [ -L "$PG_LINK" ]; then
    PG_ROOT="$(readlink -f "$PG_LINK")"
    [ "$create" = 1 ] && [ ! -d "$PG_ROOT" ] && mkdir -p "$PG_ROOT"
  elif [ -d "$PG_LINK" ]; then
    PG_ROOT="$PG_LINK"
  elif [ "$create" = 1 ]; then
    mkdir -p "$SERVICES_DIR"
    chmod go+x "$SERVICES_DIR"
    mkdir -p "$PG_LINK"
    is_root && chown postgres:postgres "$PG_LINK"
    chmod 700 "$PG_LINK"
    if pg_can_use "$PG_LINK"; then
      PG_ROOT="$PG_LINK"
    else
      rmdir "$PG_LINK"
      PG_ROOT="/var/tmp/monetization-supergraph-pg-$(short_hash "$REPO")"
      log "postgres user cannot reach $SERVICES_DIR (a parent directory is not traversable); keeping data in $PG_ROOT, linked from $PG_LINK"
      mkdir -p "$PG_ROOT"
      ln -s "$PG_ROOT" "$PG_LINK"
    fi
  else
    PG_ROOT="$PG_LINK"
  fi
  if [ "$create" = 1 ]; then
    is_root && chown postgres:postgres "$PG_ROOT"
    chmod 700 "$PG_ROOT"
    pg_can_use "$PG_ROOT" || die "the postgres OS user cannot write $PG_ROOT (check permissions of its parent directories)"
  fi
  PGDATA="$PG_ROOT/data"
  PG_LOG="$PG_ROOT/postgres.log"
  PG_SOCK_DIR="$PG_ROOT/run"
  # Unix socket paths are limited to ~107 bytes.
  if [ "${#PG_SOCK_DIR}" -gt 85 ]; then
    PG_SOCK_DIR="/tmp/monetization-supergraph-pg-$(short_hash "$REPO")"
  fi
}

write_config() {
  as_pg mkdir -p -m 700 "$PG_SOCK_DIR"
  # Rewritten on every start so changes here take effect.
  as_pg tee "$PGDATA/monetization.conf" >/dev/null <<EOF
# Managed by scripts/services/postgres.sh -- test-only settings.
listen_addresses = '$SERVICE_HOST'
port = $PG_PORT
unix_socket_directories = '$PG_SOCK_DIR'
max_connections = 200
fsync = off
synchronous_commit = off
full_page_writes = off
shared_buffers = 128MB
log_min_messages = warning
log_line_prefix = '%m [%p] %q%u@%d '
EOF
  if ! grep -q "^include_if_exists = 'monetization.conf'" "$PGDATA/postgresql.conf"; then
    printf "\ninclude_if_exists = 'monetization.conf'\n" | as_pg tee -a "$PGDATA/postgresql.conf" >/dev/null
  fi
}

pg_running() {
  [ -n "$PGBIN" ] && [ -f "$PGDATA/PG_VERSION" ] || return 1
  as_pg "$PGBIN/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1
}

psql_admin() {
  PGOPTIONS="" PGSSLMODE=disable "$PGBIN/psql" -X -q -A -t -v ON_ERROR_STOP=1 \
    -h "$PG_SOCK_DIR" -p "$PG_PORT" -U postgres -d postgres "$@"
}

ensure_role_and_db() {
  psql_admin -c "DO \$\$ BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$PG_USER') THEN
      CREATE ROLE $PG_USER LOGIN SUPERUSER CREATEDB PASSWORD '$PG_PASSWORD';
    END IF;
  END \$\$;" >/dev/null || die "could not create role $PG_USER"
  if [ "$(psql_admin -c "SELECT 1 FROM pg_database WHERE datname = '$PG_DB'")" != 1 ]; then
    psql_admin -c "CREATE DATABASE $PG_DB OWNER $PG_USER" >/dev/null || die "could not create database $PG_DB"
    log "created database $PG_DB"
  fi
}

svc_start() {
  local t0
  t0="$(now_ms)"
  pg_paths 1
  ensure_installed
  if pg_running; then
    ensure_role_and_db
    log "already running on $SERVICE_HOST:$PG_PORT"
    return 0
  fi
  if port_open "$SERVICE_HOST" "$PG_PORT"; then
    die "port $PG_PORT is in use by another process ($(listening_pids "$PG_PORT" | tr '\n' ' ')); cannot start postgres"
  fi
  if [ ! -f "$PGDATA/PG_VERSION" ]; then
    log "initdb $PGDATA ($PGBIN)"
    as_pg rm -rf "$PGDATA"
    as_pg "$PGBIN/initdb" -D "$PGDATA" -U postgres --encoding=UTF8 --locale=C \
      --auth-local=trust --auth-host=scram-sha-256 --no-sync >"$SERVICES_DIR/pg-initdb.log" 2>&1 ||
      { tail -n 30 "$SERVICES_DIR/pg-initdb.log" >&2; die "initdb failed (log: $SERVICES_DIR/pg-initdb.log)"; }
  fi
  write_config
  # A postmaster.pid left behind by a crash whose pid now belongs to another
  # process would block startup.
  if [ -f "$PGDATA/postmaster.pid" ]; then
    local oldpid
    oldpid="$(head -n1 "$PGDATA/postmaster.pid" 2>/dev/null || true)"
    if ! pid_matches "$oldpid" postgres; then
      log "removing stale $PGDATA/postmaster.pid"
      as_pg rm -f "$PGDATA/postmaster.pid"
    fi
  fi
  if ! as_pg "$PGBIN/pg_ctl" -D "$PGDATA" -l "$PG_LOG" -w -t 60 start >/dev/null; then
    tail -n 30 "$PG_LOG" >&2 || true
    die "pg_ctl start failed (log: $PG_LOG)"
  fi
  ensure_role_and_db
  log "started on $SERVICE_HOST:$PG_PORT in $(( $(now_ms) - t0 )) ms"
}

svc_stop() {
  pg_paths 0
  PGBIN="$(find_pg_bindir)" || { log "not installed; nothing to stop"; return 0; }
  if ! pg_running; then
    log "already stopped"
    return 0
  fi
  as_pg "$PGBIN/pg_ctl" -D "$PGDATA" -m fast -w -t 60 stop >/dev/null || die "pg_ctl stop failed (log: $PG_LOG)"
  log "stopped"
}

svc_status() {
  pg_paths 0
  if ! PGBIN="$(find_pg_bindir)"; then
    echo "postgres: not installed"
    exit 3
  fi
  if pg_running; then
    local pid
    pid="$(head -n1 "$PGDATA/postmaster.pid" 2>/dev/null || echo '?')"
    echo "postgres: running  $DATABASE_URL (pid $pid, PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}'), data $PGDATA)"
    exit 0
  fi
  echo "postgres: stopped"
  exit 3
}

usage_and_dispatch "$@"
