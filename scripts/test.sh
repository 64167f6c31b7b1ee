#!/usr/bin/env bash
# `npm test`: starts MariaDB and Kafka (unless AGORA_MANAGE_DEPS=0), then runs every *.test.ts with node's
# own test runner. Test files run in parallel; each uses its own database and Kafka topic prefix.
# Also Redis and Mojaloop's SDK scheme adapter, which test/e2e/mojaloop-sdk-scheme-adapter.test.ts runs as
# DFSPs (installed once, apart from the project's dependencies), and helm for the chart tests.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/common.sh
# The rules first (Biome, dependency-cruiser): a violation fails npm test before any service starts.
npm run --silent lint
bash scripts/deps.sh up
bash scripts/redis.sh start
bash scripts/mojaloop-sdk.sh install >/dev/null
# helm for the chart tests, built once from the Go module proxy on a machine without it: before the tests,
# so that the build (minutes on 2 cores) is not inside a test's time limit.
bash scripts/helm.sh >/dev/null
mapfile -t files < <(git ls-files --cached --others --exclude-standard -- '*.test.ts' | sort)
exec node --import tsx --test --test-concurrency="${AGORA_TEST_CONCURRENCY:-4}" --test-timeout=300000 "$@" "${files[@]}"
