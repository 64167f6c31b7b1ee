# Shared settings for the dependency scripts. Sourced, not run.
# Everything downloaded or written lives outside the repo, under AGORA_HOME.
AGORA_HOME="${AGORA_HOME:-$HOME/.cache/agora}"
AGORA_DB_HOST="${AGORA_DB_HOST:-127.0.0.1}"
AGORA_DB_PORT="${AGORA_DB_PORT:-3307}"
AGORA_DB_USER="${AGORA_DB_USER:-agora}"
AGORA_DB_PASSWORD="${AGORA_DB_PASSWORD:-agora}"
AGORA_DB_NAME="${AGORA_DB_NAME:-agora}"
AGORA_KAFKA_PORT="${AGORA_KAFKA_PORT:-9092}"
AGORA_KAFKA_CONTROLLER_PORT="${AGORA_KAFKA_CONTROLLER_PORT:-9093}"
# Redis for the Mojaloop SDK scheme adapter in the tests (scripts/redis.sh); not the default 6379.
AGORA_REDIS_PORT="${AGORA_REDIS_PORT:-6380}"
# What the switch and the tests read (switch/config/config.ts), kept consistent with the ports above.
export AGORA_REDIS_PORT AGORA_DB_PORT AGORA_DB_HOST AGORA_DB_USER AGORA_DB_PASSWORD AGORA_DB_NAME
export AGORA_KAFKA_BROKERS="${AGORA_KAFKA_BROKERS:-127.0.0.1:$AGORA_KAFKA_PORT}"
KAFKA_VERSION="$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$(dirname "${BASH_SOURCE[0]}")/kafka/pom.xml")"

log() { printf '[agora deps] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

# as_root CMD...: run a command as root (directly, or through sudo when available).
as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    die "need root to run: $* (install it yourself, or run as root)"; fi
}

# wait_for SECONDS DESCRIPTION CMD...: retry CMD until it succeeds or the time is up.
wait_for() {
  local limit_s=$1 what=$2; shift 2
  local deadline=$((SECONDS + limit_s))
  until "$@" >/dev/null 2>&1; do
    [ $SECONDS -lt $deadline ] || return 1
    sleep 0.3
  done
  log "$what is ready"
}

pid_alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

# port_open PORT: true when something listens on 127.0.0.1:PORT.
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# stop_service NAME PIDFILE: SIGTERM, up to 30 s for it to end, then SIGKILL.
stop_service() {
  local name=$1 pidf=$2
  if pid_alive "$pidf"; then
    kill "$(cat "$pidf")"
    for _ in $(seq 1 150); do pid_alive "$pidf" || break; sleep 0.2; done
    pid_alive "$pidf" && kill -9 "$(cat "$pidf")"
    rm -f "$pidf"; log "$name stopped"
  else log "$name not running"; fi
}
