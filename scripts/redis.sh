#!/usr/bin/env bash
# Redis in user space on 127.0.0.1, for the Mojaloop SDK scheme adapter the tests run as DFSPs (its cache):
# install (Debian's redis-server) when missing, start, stop. Idempotent: a second start reuses the running
# server. Not used by the switch itself.
# Usage: scripts/redis.sh start|stop|status
set -euo pipefail
source "$(dirname "$0")/common.sh"
DIR="$AGORA_HOME/redis"
PIDF="$DIR/redis.pid"

install_if_missing() {
  command -v redis-server >/dev/null && return
  log "installing redis-server from Debian"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq redis-server >/dev/null
}

client() { redis-cli -h 127.0.0.1 -p "$AGORA_REDIS_PORT" "$@"; }

start() {
  if pid_alive "$PIDF" && [ "$(client ping 2>/dev/null)" = PONG ]; then log "Redis already running"; return; fi
  mkdir -p "$DIR"
  exec 9>"$DIR/start.lock"
  flock 9
  if pid_alive "$PIDF" && [ "$(client ping 2>/dev/null)" = PONG ]; then log "Redis already running"; return; fi
  install_if_missing
  # A cache for tests: no snapshots, no append-only file. The daemon must not keep the lock (fd 9).
  redis-server --bind 127.0.0.1 --port "$AGORA_REDIS_PORT" --dir "$DIR" --pidfile "$PIDF" --daemonize yes \
    --logfile "$DIR/redis.log" --save '' --appendonly no --protected-mode yes 9>&-
  wait_for 30 "Redis on 127.0.0.1:$AGORA_REDIS_PORT" bash -c "[ \"\$(redis-cli -h 127.0.0.1 -p $AGORA_REDIS_PORT ping)\" = PONG ]" \
    || { tail -20 "$DIR/redis.log" >&2; die "Redis did not start"; }
}

stop() { stop_service Redis "$PIDF"; }

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) pid_alive "$PIDF" && echo running || echo stopped ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
