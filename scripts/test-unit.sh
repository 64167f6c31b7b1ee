#!/usr/bin/env bash
# `npm run test:unit`: the tests that need nothing running (no MariaDB, Kafka, Redis, helm or network),
# for a quick loop. By convention (README, "Testing") a test that needs MariaDB is named *.db.test.ts, one
# that needs Kafka (with or without MariaDB) *.kafka.test.ts, and the suites that run the whole switch live
# in test/e2e, test/invariants, test/tracing and test/web (helm/ needs the helm binary). `npm test` runs
# them all. test/support/no-services.ts ends a unit test file that opens a socket to a service's port or
# another host, so the convention cannot rot.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/common.sh
mapfile -t files < <(git ls-files --cached --others --exclude-standard -- '*.test.ts' \
  ':!:*.db.test.ts' ':!:*.kafka.test.ts' ':!:test/e2e/' ':!:test/invariants/' ':!:test/tracing/' ':!:test/web/' ':!:helm/' | sort)
export AGORA_SERVICE_PORTS="$AGORA_DB_PORT,$AGORA_KAFKA_PORT,$AGORA_KAFKA_CONTROLLER_PORT,$AGORA_REDIS_PORT,${AGORA_KAFKA_BROKERS##*:}"
exec node --import tsx --import ./test/support/no-services.ts --test --test-timeout=60000 "$@" "${files[@]}"
