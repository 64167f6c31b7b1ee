#!/usr/bin/env bash
# `npm run test:faults`: the crash and fault suite (test/faults/fault-suite.ts). It starts its own private
# MariaDB (port 3317) and Kafka (9192) and kills only those; the shared ones need not run.
# Small by default (CI, about 2-3 minutes); `npm run test:faults -- --large` (or FAULTS_SIZE=large) for the long run.
set -euo pipefail
cd "$(dirname "$0")/.."
for arg in "$@"; do
  case "$arg" in
    --large) export FAULTS_SIZE=large ;;
    --small) export FAULTS_SIZE=small ;;
    *) echo "usage: $0 [--small|--large]" >&2; exit 2 ;;
  esac
done
exec node --import tsx --test --test-timeout=3600000 test/faults/fault-suite.ts
