#!/usr/bin/env bash
# Validates Kubernetes manifests strictly (unknown fields are errors) against the Kubernetes API schemas
# that the PyPI package kubernetes-validate ships (nothing is downloaded at run time, unlike kubeconform).
# Installed once into a virtualenv under AGORA_HOME. A manifest whose kind has no schema fails too.
#   bash scripts/kubernetes-validate.sh FILE...
set -euo pipefail
source "$(dirname "$0")/common.sh"
VALIDATOR_VERSION=1.37.0
# The oldest Kubernetes the chart supports (its apiVersions: policy/v1, autoscaling/v2, batch/v1).
KUBERNETES_VERSION="${AGORA_KUBERNETES_VERSION:-1.30.0}"
VENV="$AGORA_HOME/kubernetes-validate-$VALIDATOR_VERSION"
if [ ! -x "$VENV/bin/kubernetes-validate" ]; then
  if ! python3 -m venv --help >/dev/null 2>&1; then
    log "installing python3 and its venv module (Debian packages)"
    as_root apt-get update -qq >&2 && as_root apt-get install -y -qq python3 python3-venv >&2
  fi
  log "installing kubernetes-validate $VALIDATOR_VERSION into $VENV (once)"
  python3 -m venv "$VENV" >&2
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "kubernetes-validate==$VALIDATOR_VERSION" >&2
fi
[ $# -gt 0 ] || die "usage: kubernetes-validate.sh FILE..."
out="$("$VENV/bin/kubernetes-validate" --strict --quiet -k "$KUBERNETES_VERSION" "$@" 2>&1)" || { printf '%s\n' "$out" >&2; exit 1; }
# A kind it has no schema for is only a warning there: here it fails, nothing goes unchecked.
if grep -q . <<<"$out"; then printf '%s\n' "$out" >&2; exit 1; fi
echo "valid against Kubernetes $KUBERNETES_VERSION (strict): $*"
