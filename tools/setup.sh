#!/usr/bin/env bash
# Installs what this repository needs, idempotently: Debian headers for building
# librdkafka (the Kafka client's prebuilt binaries come from outside the npm
# registry, so it is built from source here) and the npm dependencies, then
# builds (tsc -b, incremental: a no-op when nothing changed) so that dist/ and
# with it `npx otlp-kafka` work.
set -euo pipefail
cd "$(dirname "$0")/.."

need_pkgs=(zlib1g-dev libssl-dev libzstd-dev liblz4-dev libsasl2-dev libcurl4-openssl-dev)
missing=()
for p in "${need_pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  if [ "$(id -u)" = 0 ]; then
    echo "setup: installing Debian packages: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "setup: missing Debian packages. Run: sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
fi

# Reinstall only when the lock file changed since the last install.
stamp=node_modules/.otlp-kafka-setup
if [ ! -f "$stamp" ] || ! cmp -s package-lock.json "$stamp"; then
  echo "setup: npm ci (builds librdkafka from source; a few minutes the first time)"
  CKJS_LINKING=dynamic npm ci --no-audit --no-fund --loglevel=error
  cp package-lock.json "$stamp"
fi

echo "setup: build (tsc -b)"
npx tsc -b
