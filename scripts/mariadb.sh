#!/usr/bin/env bash
# MariaDB for Agora in user space on 127.0.0.1: install (Debian's mariadb-server) when missing, start,
# stop. Idempotent: a second start reuses the running server.
# Usage: scripts/mariadb.sh start|stop|status
set -euo pipefail
source "$(dirname "$0")/common.sh"
# AGORA_MARIADB_DIR: where this server keeps its data, socket and pid (a second, private server for the
# crash suite uses its own, with its own AGORA_DB_PORT).
DIR="${AGORA_MARIADB_DIR:-$AGORA_HOME/mariadb}"
DATA="$DIR/data"
SOCK="$DIR/mariadb.sock"
PIDF="$DIR/mariadb.pid"

install_if_missing() {
  command -v mariadbd >/dev/null && return
  [ -x /usr/sbin/mariadbd ] && return
  log "installing mariadb-server from Debian"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq mariadb-server >/dev/null
}

mariadbd_bin() { command -v mariadbd || echo /usr/sbin/mariadbd; }

client() { mariadb --socket="$SOCK" -uroot "$@"; }

start() {
  if pid_alive "$PIDF" && client -e 'select 1' >/dev/null 2>&1; then log "MariaDB already running"; return; fi
  install_if_missing
  mkdir -p "$DIR"
  if [ ! -d "$DATA/mysql" ]; then
    log "initialising MariaDB data in $DATA"
    mariadb-install-db --datadir="$DATA" --user="$(id -un)" --auth-root-authentication-method=socket \
      --skip-test-db >"$DIR/install.log" 2>&1 || { cat "$DIR/install.log" >&2; die "mariadb-install-db failed"; }
  fi
  # Durable settings (innodb_flush_log_at_trx_commit=1, binlog off) are the defaults we keep.
  nohup "$(mariadbd_bin)" --no-defaults --datadir="$DATA" --socket="$SOCK" --pid-file="$PIDF" \
    --port="$AGORA_DB_PORT" --bind-address=127.0.0.1 --user="$(id -un)" \
    --innodb-buffer-pool-size="${AGORA_DB_BUFFER_POOL:-1G}" --innodb-log-file-size="${AGORA_DB_LOG_FILE_SIZE:-512M}" \
    --innodb-flush-log-at-trx-commit="${AGORA_DB_FLUSH_LOG_AT_TRX_COMMIT:-1}" \
    --max-connections=500 --character-set-server=utf8mb4 --collation-server=utf8mb4_bin \
    --log-error="$DIR/error.log" >/dev/null 2>&1 &
  wait_for 60 "MariaDB on 127.0.0.1:$AGORA_DB_PORT" client -e 'select 1' \
    || { tail -20 "$DIR/error.log" >&2; die "MariaDB did not start"; }
  client <<SQL
CREATE USER IF NOT EXISTS '$AGORA_DB_USER'@'127.0.0.1' IDENTIFIED BY '$AGORA_DB_PASSWORD';
CREATE USER IF NOT EXISTS '$AGORA_DB_USER'@'localhost' IDENTIFIED BY '$AGORA_DB_PASSWORD';
GRANT ALL PRIVILEGES ON *.* TO '$AGORA_DB_USER'@'127.0.0.1';
GRANT ALL PRIVILEGES ON *.* TO '$AGORA_DB_USER'@'localhost';
CREATE DATABASE IF NOT EXISTS \`$AGORA_DB_NAME\`;
SQL
}

stop() { stop_service MariaDB "$PIDF"; }

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) pid_alive "$PIDF" && echo running || echo stopped ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
