#!/usr/bin/env bash
# A "VS Code executable" for @vscode/test-electron's runTests(): accepts VS Code's command-line flags
# and runs the extension tests inside code-server, driven by headless Chromium (see launcher.ts).
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
exec node --import "$here/../../node_modules/tsx/dist/loader.mjs" "$here/launcher.ts" "$@"
