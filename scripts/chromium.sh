#!/usr/bin/env bash
# Prints the path of a Chromium for the web view's browser tests, installing Debian's package if missing.
set -euo pipefail
source "$(dirname "$0")/common.sh"
for candidate in chromium chromium-browser; do
  if command -v "$candidate" >/dev/null; then command -v "$candidate"; exit 0; fi
done
log "installing chromium from Debian (once)"
as_root apt-get update -qq >&2
DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq chromium >&2
command -v chromium
