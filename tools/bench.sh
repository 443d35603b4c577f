#!/usr/bin/env bash
# npm run bench: throughput and memory benchmarks (never part of npm test).
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh
npx tsc -b
run() { echo; echo "== bench/$1"; node --conditions=@otlp-kafka/source --import tsx "bench/$1/run.ts"; }
if [ $# -gt 0 ]; then for b in "$@"; do run "$b"; done; exit 0; fi
for dir in bench/*/; do b=$(basename "$dir"); [ -f "bench/$b/run.ts" ] && run "$b"; done
