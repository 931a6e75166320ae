#!/usr/bin/env bash
# `npm start`: the whole set-up on a fresh machine, then DS Inspector in a real VS Code.
#   1. installs what is missing (npm packages; Node 24 and code-server, cached in ~/.cache/ds-inspector)
#   2. builds the production bundles and packages dist/ds-inspector.vsix with vsce
#   3. installs it into a throwaway profile and serves code-server on http://127.0.0.1:${DSI_PORT:-8080}
#      with sample-workspace/ open, in the foreground; Ctrl-C stops it.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/ensure-deps.sh --run
echo "[start] building and packaging the extension"
npm run --silent package >/dev/null
exec node --import tsx scripts/serve.ts
