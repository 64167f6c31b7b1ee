#!/usr/bin/env bash
# Prints the path of a helm binary, building it once from the Go module proxy into AGORA_HOME if the
# machine has none (helm is a Go module; `go install` needs only the module proxy).
set -euo pipefail
source "$(dirname "$0")/common.sh"
HELM_VERSION=v3.17.3
if command -v helm >/dev/null; then command -v helm; exit 0; fi
BIN="$AGORA_HOME/helm-$HELM_VERSION/bin"
if [ ! -x "$BIN/helm" ]; then
  command -v go >/dev/null || die "helm is missing and there is no Go toolchain to build it"
  log "building helm $HELM_VERSION with go install (once)"
  mkdir -p "$BIN"
  GOBIN="$BIN" GOFLAGS=-mod=mod go install "helm.sh/helm/v3/cmd/helm@$HELM_VERSION" >&2
fi
echo "$BIN/helm"
