#!/usr/bin/env bash
# Installs what a fresh machine of this kind (Debian, Node 20, root, npm registry and apt only)
# lacks for DS Inspector. Idempotent; prints nothing when everything is already there.
#   scripts/ensure-deps.sh            everything the test tiers need
#   scripts/ensure-deps.sh --run      only what `npm start` needs (npm packages, code-server)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
log() { echo "[ensure-deps] $*" >&2; }

for_run=false
case "${1:-}" in
  "") ;;
  --run) for_run=true ;;
  *) echo "usage: scripts/ensure-deps.sh [--run]" >&2; exit 2 ;;
esac

command -v node >/dev/null && command -v npm >/dev/null ||
  { log "Node.js and npm are missing: install Node 20 or later (apt-get install nodejs npm) and run again."; exit 1; }

# apt packages, each only when its binary (or, for a -dev package, the package) is missing.
missing=()
need_binary() { command -v "$1" >/dev/null 2>&1 || [ -x "/usr/sbin/$1" ] || missing+=("$2"); }
need_package() { dpkg -s "$1" >/dev/null 2>&1 || missing+=("$1"); }
need_package libkrb5-dev # code-server's native modules build against it
if [ "$for_run" = false ]; then
  need_binary chromium chromium            # webview and e2e tiers, integration launcher
  need_binary mariadbd mariadb-server      # contract tests start their own server
  need_binary redis-server redis-server
fi
if [ ${#missing[@]} -gt 0 ]; then
  log "installing apt packages: ${missing[*]}"
  if [ "$(id -u)" = 0 ]; then sudo=""; else sudo="sudo"; fi
  $sudo apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >&2
fi

# npm packages: a clean install when node_modules is absent or does not match package.json.
if [ ! -d node_modules ] || ! npm ls --depth=0 >/dev/null 2>&1; then
  log "installing npm packages (npm ci)"
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --loglevel=error --no-audit --no-fund >&2
fi

# Node 24 and code-server, cached in ~/.cache/ds-inspector (silent when cached).
bash scripts/ensure-code-server.sh >/dev/null
