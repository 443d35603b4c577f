#!/usr/bin/env bash
# The main job (npm run demo): installs what is missing, builds, and runs the
# end-to-end demo: local Kafka, topics, agent and gateway from examples/*.yaml,
# a counting OTLP backend, load, a backend outage, and a loss/duplicate summary.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh # installs and builds
exec node packages/cli/dist/bin.js demo "$@"
