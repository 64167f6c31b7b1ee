#!/usr/bin/env bash
# Starts (up) or stops (down) the switch's real dependencies, MariaDB and Kafka, on 127.0.0.1.
# Set AGORA_MANAGE_DEPS=0 to use your own Kafka and MySQL (see README: Configuration).
set -euo pipefail
HERE="$(dirname "$0")"
source "$HERE/common.sh"
if [ "${AGORA_MANAGE_DEPS:-1}" = 0 ]; then log "AGORA_MANAGE_DEPS=0: using the Kafka and MySQL you configured"; exit 0; fi
case "${1:-}" in
  # The switch never creates its topics: they are created here, once Kafka answers (agora topics create).
  up) bash "$HERE/mariadb.sh" start; bash "$HERE/kafka.sh" start; node "$HERE/../bin/agora.mjs" topics create ;;
  down) bash "$HERE/redis.sh" stop; bash "$HERE/kafka.sh" stop; bash "$HERE/mariadb.sh" stop ;;
  *) echo "usage: $0 up|down" >&2; exit 2 ;;
esac
