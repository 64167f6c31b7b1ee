#!/usr/bin/env bash
# Apache Kafka 4.x (KRaft, single node) for Agora on 127.0.0.1, from Maven Central jars fetched once into
# AGORA_HOME. Idempotent: a second start reuses the running broker.
# Usage: scripts/kafka.sh fetch|start|stop|status
set -euo pipefail
source "$(dirname "$0")/common.sh"
HERE="$(cd "$(dirname "$0")" && pwd)"
LIBS="$AGORA_HOME/kafka-$KAFKA_VERSION/libs"
# AGORA_KAFKA_DIR: where this broker keeps its data, config and pid (a second, private broker for the
# crash suite uses its own, with its own AGORA_KAFKA_PORT and AGORA_KAFKA_CONTROLLER_PORT).
DIR="${AGORA_KAFKA_DIR:-$AGORA_HOME/kafka}"
PIDF="$DIR/kafka.pid"

fetch() {
  [ -f "$LIBS/kafka_2.13-$KAFKA_VERSION.jar" ] && return
  command -v mvn >/dev/null || { as_root apt-get update -qq; DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq maven >/dev/null; }
  log "fetching Kafka $KAFKA_VERSION jars from Maven Central into $LIBS"
  mkdir -p "$LIBS.tmp"
  (cd "$HERE/kafka" && mvn -q -B -Dmaven.repo.local="$AGORA_HOME/m2" dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$LIBS.tmp")
  rm -rf "$LIBS" && mv "$LIBS.tmp" "$LIBS"
}

write_config() {
  mkdir -p "$DIR/data"
  cat >"$DIR/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$AGORA_KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$AGORA_KAFKA_PORT,CONTROLLER://127.0.0.1:$AGORA_KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$AGORA_KAFKA_PORT
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
log.dirs=$DIR/data
num.partitions=4
offsets.topic.replication.factor=1
offsets.topic.num.partitions=8
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
min.insync.replicas=1
default.replication.factor=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=false
log.retention.hours=24
PROPS
  cat >"$DIR/log4j2.properties" <<PROPS
status = warn
appender.file.type = File
appender.file.name = file
appender.file.fileName = $DIR/server.log
appender.file.layout.type = PatternLayout
appender.file.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = warn
rootLogger.appenderRef.file.ref = file
logger.kafka.name = kafka
logger.kafka.level = info
PROPS
}

java_run() {
  java -Xms256m -Xmx"${AGORA_KAFKA_HEAP:-1g}" -XX:+UseG1GC -Dlog4j2.configurationFile="$DIR/log4j2.properties" \
    -cp "$LIBS/*" "$@"
}

start() {
  if pid_alive "$PIDF" && port_open "$AGORA_KAFKA_PORT"; then log "Kafka already running"; return; fi
  command -v java >/dev/null || { as_root apt-get update -qq; DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq openjdk-17-jre-headless >/dev/null; }
  fetch
  write_config
  if [ ! -f "$DIR/data/meta.properties" ]; then
    local cluster_id; cluster_id="$(java_run kafka.tools.StorageTool random-uuid | tail -1)"
    java_run kafka.tools.StorageTool format --ignore-formatted --standalone -t "$cluster_id" -c "$DIR/server.properties" >"$DIR/format.log" 2>&1 \
      || java_run kafka.tools.StorageTool format --ignore-formatted -t "$cluster_id" -c "$DIR/server.properties" >"$DIR/format.log" 2>&1 \
      || { cat "$DIR/format.log" >&2; die "Kafka storage format failed"; }
  fi
  nohup java -Xms256m -Xmx"${AGORA_KAFKA_HEAP:-1g}" -XX:+UseG1GC -Dlog4j2.configurationFile="$DIR/log4j2.properties" \
    -cp "$LIBS/*" kafka.Kafka "$DIR/server.properties" >"$DIR/stdout.log" 2>&1 &
  echo $! >"$PIDF"
  wait_for 90 "Kafka on 127.0.0.1:$AGORA_KAFKA_PORT" port_open "$AGORA_KAFKA_PORT" \
    || { tail -30 "$DIR/stdout.log" "$DIR/server.log" >&2 || true; die "Kafka did not start"; }
}

stop() { stop_service Kafka "$PIDF"; }

case "${1:-}" in
  fetch) fetch ;;
  start) start ;;
  stop) stop ;;
  status) pid_alive "$PIDF" && echo running || echo stopped ;;
  *) echo "usage: $0 fetch|start|stop|status" >&2; exit 2 ;;
esac
