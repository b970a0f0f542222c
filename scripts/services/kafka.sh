#!/usr/bin/env bash
# Private single-node Kafka (KRaft, broker+controller in one JVM) for the test
# suite on this checkout's loopback ports (lib.sh: PLAINTEXT and controller), data in
# .services/kafka/data. Broker jars come from Maven Central (there is no Debian
# package) and are cached in ${MONETIZATION_CACHE_DIR:-~/.cache/monetization-supergraph}/kafka-<version>/libs.
#   scripts/services/kafka.sh {start|stop|restart|status}
# status exits 0 when running, 3 when stopped.
# Env: KAFKA_VERSION (default: 3.9.1, falling back to 3.9.0),
#      KAFKA_START_TIMEOUT (s, default 90), KAFKA_STOP_GRACE (s, default 15).
set -euo pipefail
SVC_NAME=kafka
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

KAFKA_VERSIONS="${KAFKA_VERSION:-3.9.1 3.9.0}"
KAFKA_SCALA=2.13
SLF4J_VERSION=1.7.36
RELOAD4J_VERSION=1.2.25
DEP_PLUGIN=org.apache.maven.plugins:maven-dependency-plugin:3.6.1
KAFKA_START_TIMEOUT="${KAFKA_START_TIMEOUT:-90}"
KAFKA_STOP_GRACE="${KAFKA_STOP_GRACE:-15}"

KAFKA_DIR="$SERVICES_DIR/kafka"
KAFKA_DATA="$KAFKA_DIR/data"
KAFKA_PROPS="$KAFKA_DIR/server.properties"
KAFKA_LOG4J="$KAFKA_DIR/log4j.properties"
KAFKA_LOG="$KAFKA_DIR/server.log"
KAFKA_PIDFILE="$KAFKA_DIR/kafka.pid"
KAFKA_CLUSTER_ID_FILE="$KAFKA_DIR/cluster-id"
KAFKA_LIBS=""    # set by ensure_libs
KAFKA_VER=""     # set by ensure_libs
READY_MARKER="Kafka Server started"

ensure_java() {
  command -v java >/dev/null 2>&1 || apt_install openjdk-17-jre-headless
}

libs_ok() { # LIBS_DIR VERSION
  [ -f "$1/.complete" ] && [ -f "$1/kafka_${KAFKA_SCALA}-$2.jar" ]
}

fetch_libs() { # VERSION DEST_LIBS_DIR
  local ver="$1" dest="$2" work
  command -v mvn >/dev/null 2>&1 || apt_install maven
  work="$(mktemp -d "${TMPDIR:-/tmp}/kafka-fetch.XXXXXX")"
  cat >"$work/pom.xml" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0"
         xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
         xsi:schemaLocation="http://maven.apache.org/POM/4.0.0 http://maven.apache.org/xsd/maven-4.0.0.xsd">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.monetization-supergraph</groupId>
  <artifactId>kafka-broker-libs</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency>
      <groupId>org.apache.kafka</groupId>
      <artifactId>kafka_${KAFKA_SCALA}</artifactId>
      <version>${ver}</version>
    </dependency>
    <!-- kafka core only has log4j as compileOnly: the broker needs a binding at run time. -->
    <dependency>
      <groupId>org.slf4j</groupId>
      <artifactId>slf4j-reload4j</artifactId>
      <version>${SLF4J_VERSION}</version>
    </dependency>
    <dependency>
      <groupId>ch.qos.reload4j</groupId>
      <artifactId>reload4j</artifactId>
      <version>${RELOAD4J_VERSION}</version>
    </dependency>
  </dependencies>
</project>
EOF
  log "fetching Kafka $ver broker jars from Maven Central (mvn dependency:copy-dependencies)"
  rm -rf "$dest.tmp"
  mkdir -p "$dest.tmp"
  if ! mvn -B -q -Dstyle.color=never -f "$work/pom.xml" "$DEP_PLUGIN:copy-dependencies" \
    -DincludeScope=runtime -DoutputDirectory="$dest.tmp" >"$work/mvn.log" 2>&1 9>&-; then
    tail -n 20 "$work/mvn.log" >&2 || true
    log "could not resolve Kafka $ver (full log: $work/mvn.log)"
    rm -rf "$dest.tmp"
    rmdir "$(dirname "$dest")" 2>/dev/null || true
    return 1
  fi
  if [ ! -f "$dest.tmp/kafka_${KAFKA_SCALA}-$ver.jar" ]; then
    log "mvn succeeded but kafka_${KAFKA_SCALA}-$ver.jar is missing"
    rm -rf "$dest.tmp"
    return 1
  fi
  cp "$work/pom.xml" "$dest.tmp/.pom.xml"
  touch "$dest.tmp/.complete"
  rm -rf "$dest"
  mv "$dest.tmp" "$dest"
  rm -rf "$work"
  log "cached $(find "$dest" -name '*.jar' | wc -l) jars in $dest"
}

# Pick the jars: a cached version if any (no network), else fetch in order.
ensure_libs() {
  local v
  for v in $KAFKA_VERSIONS; do
    if libs_ok "$CACHE_DIR/kafka-$v/libs" "$v"; then
      KAFKA_VER="$v"
      KAFKA_LIBS="$CACHE_DIR/kafka-$v/libs"
      return 0
    fi
  done
  mkdir -p "$CACHE_DIR"
  for v in $KAFKA_VERSIONS; do
    if fetch_libs "$v" "$CACHE_DIR/kafka-$v/libs"; then
      KAFKA_VER="$v"
      KAFKA_LIBS="$CACHE_DIR/kafka-$v/libs"
      return 0
    fi
  done
  die "could not fetch Kafka ($KAFKA_VERSIONS) from Maven Central"
}

write_config() {
  mkdir -p "$KAFKA_DIR" "$KAFKA_DATA"
  cat >"$KAFKA_PROPS" <<EOF
# Managed by scripts/services/kafka.sh -- single-node KRaft for tests.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@$SERVICE_HOST:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://$SERVICE_HOST:$KAFKA_PORT,CONTROLLER://$SERVICE_HOST:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://$SERVICE_HOST:$KAFKA_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$KAFKA_DATA
num.partitions=1
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=10
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=10
auto.create.topics.enable=true
delete.topic.enable=true
group.initial.rebalance.delay.ms=0
num.network.threads=2
num.io.threads=4
num.recovery.threads.per.data.dir=2
log.retention.hours=168
EOF
  # WARN to stdout (which goes to server.log), plus the one INFO line that
  # start waits for.
  cat >"$KAFKA_LOG4J" <<EOF
log4j.rootLogger=WARN, stdout
log4j.appender.stdout=org.apache.log4j.ConsoleAppender
log4j.appender.stdout.layout=org.apache.log4j.PatternLayout
log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka.server.KafkaRaftServer=INFO
log4j.logger.state.change.logger=WARN
log4j.logger.kafka.request.logger=WARN
EOF
}

kjava() { # CLASS ARGS...: run a Kafka main class in the foreground
  java -Xms64m -Xmx256m -Djava.awt.headless=true -Dlog4j.configuration="file:$KAFKA_LOG4J" \
    -cp "$KAFKA_LIBS/*" "$@"
}

format_storage() {
  [ -f "$KAFKA_DATA/meta.properties" ] && return 0
  local cid
  if [ ! -s "$KAFKA_CLUSTER_ID_FILE" ]; then
    # A Kafka Uuid: 16 random bytes, base64url without padding (22 chars).
    head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n' >"$KAFKA_CLUSTER_ID_FILE"
  fi
  cid="$(cat "$KAFKA_CLUSTER_ID_FILE")"
  log "formatting $KAFKA_DATA (cluster id $cid)"
  if ! kjava kafka.tools.StorageTool format -t "$cid" -c "$KAFKA_PROPS" >"$KAFKA_DIR/format.log" 2>&1 9>&-; then
    cat "$KAFKA_DIR/format.log" >&2
    die "kafka-storage format failed"
  fi
}

# Our broker's pid: from the pidfile, else whatever java kafka.Kafka with our
# server.properties listens on the port.
kafka_pid() {
  local pid
  for pid in $(cat "$KAFKA_PIDFILE" 2>/dev/null || true) $(listening_pids "$KAFKA_PORT") $(listening_pids "$KAFKA_CONTROLLER_PORT"); do
    if pid_matches "$pid" "kafka.Kafka $KAFKA_PROPS"; then
      echo "$pid"
      return 0
    fi
  done
  return 1
}

# wait_ready PID: port open and the "started" line in this run's log.
wait_ready() {
  local pid="$1" deadline=$(( $(now_ms) + KAFKA_START_TIMEOUT * 1000 ))
  while :; do
    if grep -q "$READY_MARKER" "$KAFKA_LOG" 2>/dev/null && port_open "$SERVICE_HOST" "$KAFKA_PORT"; then
      return 0
    fi
    if ! pid_alive "$pid"; then
      log "broker (pid $pid) exited during startup; last lines of $KAFKA_LOG:"
      tail -n 40 "$KAFKA_LOG" >&2 || true
      return 1
    fi
    if [ "$(now_ms)" -ge "$deadline" ]; then
      log "broker not ready after ${KAFKA_START_TIMEOUT}s; last lines of $KAFKA_LOG:"
      tail -n 40 "$KAFKA_LOG" >&2 || true
      return 1
    fi
    sleep 0.25
  done
}

svc_start() {
  local t0 pid
  t0="$(now_ms)"
  if pid="$(kafka_pid)"; then
    if port_open "$SERVICE_HOST" "$KAFKA_PORT"; then
      log "already running on $SERVICE_HOST:$KAFKA_PORT (pid $pid)"
      return 0
    fi
    log "broker (pid $pid) is starting; waiting for it"
    wait_ready "$pid" || die "broker did not become ready"
    log "ready"
    return 0
  fi
  for p in "$KAFKA_PORT" "$KAFKA_CONTROLLER_PORT"; do
    if port_open "$SERVICE_HOST" "$p"; then
      die "port $p is in use by another process ($(listening_pids "$p" | tr '\n' ' ')); cannot start kafka"
    fi
  done
  ensure_java
  ensure_libs
  write_config
  format_storage
  [ -f "$KAFKA_LOG" ] && mv -f "$KAFKA_LOG" "$KAFKA_LOG.prev"
  rm -f "$KAFKA_PIDFILE"
  # setsid: own session, so the broker outlives (and is not signalled with)
  # the caller's process group. All fds redirected so callers that capture
  # our output (execSync) do not wait for the broker.
  KAFKA_LIBS="$KAFKA_LIBS" KAFKA_LOG4J="$KAFKA_LOG4J" KAFKA_PROPS="$KAFKA_PROPS" KAFKA_PIDFILE="$KAFKA_PIDFILE" \
    setsid nohup bash -c 'echo $$ >"$KAFKA_PIDFILE"; exec java -Xms256m -Xmx512m \
      -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:+ExitOnOutOfMemoryError \
      -Djava.awt.headless=true -Dlog4j.configuration="file:$KAFKA_LOG4J" \
      -cp "$KAFKA_LIBS/*" kafka.Kafka "$KAFKA_PROPS"' \
    </dev/null >"$KAFKA_LOG" 2>&1 9>&- &
  local deadline=$(( $(now_ms) + 5000 ))
  until [ -s "$KAFKA_PIDFILE" ]; do
    [ "$(now_ms)" -lt "$deadline" ] || die "broker process did not start (log: $KAFKA_LOG)"
    sleep 0.05
  done
  pid="$(cat "$KAFKA_PIDFILE")"
  if ! wait_ready "$pid"; then
    # Do not leave a half-started broker holding the ports.
    kill -TERM "$pid" 2>/dev/null || true
    wait_pid_gone "$pid" 10 || kill -KILL "$pid" 2>/dev/null || true
    rm -f "$KAFKA_PIDFILE"
    die "broker did not become ready (log: $KAFKA_LOG)"
  fi
  log "started Kafka $KAFKA_VER on $SERVICE_HOST:$KAFKA_PORT (pid $pid) in $(( $(now_ms) - t0 )) ms"
}

svc_stop() {
  local t0 pid
  t0="$(now_ms)"
  if ! pid="$(kafka_pid)"; then
    rm -f "$KAFKA_PIDFILE"
    if port_open "$SERVICE_HOST" "$KAFKA_PORT"; then
      die "port $KAFKA_PORT is open but not by our broker ($(listening_pids "$KAFKA_PORT" | tr '\n' ' ')); not touching it"
    fi
    log "already stopped"
    return 0
  fi
  kill -TERM "$pid" 2>/dev/null || true
  if ! wait_pid_gone "$pid" "$KAFKA_STOP_GRACE"; then
    log "broker (pid $pid) still alive after ${KAFKA_STOP_GRACE}s; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    wait_pid_gone "$pid" 10 || die "could not kill broker pid $pid"
  fi
  wait_port_closed "$SERVICE_HOST" "$KAFKA_PORT" 10 || die "port $KAFKA_PORT still open after the broker exited"
  wait_port_closed "$SERVICE_HOST" "$KAFKA_CONTROLLER_PORT" 5 || true
  rm -f "$KAFKA_PIDFILE"
  log "stopped in $(( $(now_ms) - t0 )) ms"
}

svc_status() {
  local pid
  if pid="$(kafka_pid)"; then
    local ver=""
    local cmd libs jar
    cmd="$(pid_cmdline "$pid")"
    libs="${cmd#* -cp }"
    libs="$(dirname "${libs%% *}")"
    for jar in "$libs/kafka_${KAFKA_SCALA}-"*.jar; do
      [ -f "$jar" ] || continue
      ver="${jar##*/kafka_"$KAFKA_SCALA"-}"
      ver="${ver%.jar}"
    done
    if port_open "$SERVICE_HOST" "$KAFKA_PORT"; then
      echo "kafka: running  $KAFKA_BROKERS (pid $pid, Kafka ${ver:-?} KRaft, data $KAFKA_DATA)"
      exit 0
    fi
    echo "kafka: starting (pid $pid, port $KAFKA_PORT not open yet)"
    exit 3
  fi
  echo "kafka: stopped"
  exit 3
}

usage_and_dispatch "$@"
