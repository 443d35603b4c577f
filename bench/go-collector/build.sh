#!/usr/bin/env bash
# Builds the minimal Collector of bench/go-collector into bench/go-collector/.cache/otelcol-bench
# (git-ignored). Modules come from the Go module proxy; go.mod and go.sum pin every version.
# Bounded: the build is killed after BUILD_TIMEOUT_S (default 1500 s: a cold build on 2 busy
# cores takes several minutes, a warm one seconds).
set -euo pipefail
cd "$(dirname "$0")"
export GOFLAGS=-mod=mod
OUT=.cache/otelcol-bench
mkdir -p .cache
start=$(date +%s)
echo "go-collector: building $OUT with $(go version | cut -d' ' -f3) (GOFLAGS=$GOFLAGS)"
timeout "${BUILD_TIMEOUT_S:-1500}" go build -trimpath -ldflags='-s -w' -o "$OUT" .
echo "go-collector: built $OUT ($(du -h "$OUT" | cut -f1)) in $(( $(date +%s) - start )) s"
