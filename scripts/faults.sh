#!/usr/bin/env bash
# `npm run test:faults`: the resilience suite, one file at a time on an otherwise quiet machine (they compare
# timings within a run, or kill processes):
# - test/faults/fault-suite.ts, the crash and fault suite: it starts its own private MariaDB (port 3317) and
#   Kafka (9192) and kills only those;
# - test/faults/callback-isolation.ts, healthy DFSPs' latency beside a failing and a black-holed one, on the
#   shared MariaDB and Kafka (started here if they are not running);
# - test/faults/scale-out.ts, the switch as separate processes per role (two api, two position, notification,
#   timeout, quote) on the shared MariaDB and Kafka under load, one position process SIGKILLed (about 2 minutes).
# Small by default (CI, about 6 minutes); `npm run test:faults -- --large` (or FAULTS_SIZE=large) for the long run.
set -euo pipefail
cd "$(dirname "$0")/.."
for arg in "$@"; do
  case "$arg" in
    --large) export FAULTS_SIZE=large ;;
    --small) export FAULTS_SIZE=small ;;
    *) echo "usage: $0 [--small|--large]" >&2; exit 2 ;;
  esac
done
source scripts/common.sh
bash scripts/deps.sh up
exec node --import tsx --test --test-concurrency=1 --test-timeout=3600000 test/faults/fault-suite.ts test/faults/callback-isolation.ts test/faults/scale-out.ts
