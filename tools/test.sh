#!/usr/bin/env bash
# The one test command (npm test): installs what is missing, builds and
# type-checks, lints (eslint, knip), runs unit tests, integration tests against
# a real local Kafka (started by the vitest global setup), the unit tests again
# on Node 24, and the fast subset of the end-to-end fault suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh # installs and builds (tsc -b)

echo "== type-check the tests"
npx tsc -p tsconfig.tests.json
echo "== lint"
# Formatting of code and JSON (.prettierignore keeps prose and the seed YAML as written).
npx prettier --check --log-level warn .
npx eslint --max-warnings=0 packages
# Unused files, exports and dependencies, and imports of undeclared ones (knip.jsonc).
npx knip --no-progress

mkdir -p .cache/test-results
rm -f .cache/test-results/*.json
status=0
run() { # name, node binary, vitest args...
  local name=$1 node=$2; shift 2
  echo "== $name"
  "$node" node_modules/vitest/vitest.mjs run --reporter=default --reporter=json \
    --outputFile.json=".cache/test-results/$name.json" "$@" || status=1
}
run unit node --project unit
run integration node --project integration

NODE24=$(bash tools/node24.sh)
# The Kafka client's native addon is built for Node 20: build a Node 24 copy
# (cached) and point vitest.config.ts at it.
# One retry: a failed build is rebuilt from scratch.
if kafka24=$(NODE24=$NODE24 bash tools/node24-kafka.sh) || kafka24=$(NODE24=$NODE24 bash tools/node24-kafka.sh); then
  export OTLP_KAFKA_KAFKA_JS_DIR=${kafka24%/lib/index.js}
  run unit-node24 "$NODE24" --project unit
else
  echo "== unit-node24: building the Kafka client for Node 24 failed twice (see .cache/node24-kafka/build.log)" >&2
  status=1
fi

# The fault suite's fast subset (npm run e2e runs all ten scenarios): agent and gateway
# processes, a private three-node Kafka, faults, every item counted by id.
npx tsc -p e2e
export E2E_SUBSET=fast
run e2e-fast node --config e2e/vitest.config.ts

node tools/test-summary.mjs .cache/test-results/*.json || status=1
exit $status
