#!/usr/bin/env bash
# The end-to-end fault suite (npm run e2e): installs what is missing, builds
# (the agent and gateway processes run packages/cli/dist), type-checks e2e/, and
# runs every scenario of e2e/ against one private three-node Kafka.
#   E2E_SUBSET=fast npm run e2e     the CI subset (shorter phases, fewer scenarios)
#   npm run e2e -- 04               only the scenario files matching "04"
#   E2E_SKIP_SETUP=1 npm run e2e    dependencies already installed: skip tools/setup.sh
# Results: e2e/results/latest.json and latest.md; process logs in .cache/e2e/<scenario>/.
set -euo pipefail
cd "$(dirname "$0")/.."
[ "${E2E_SKIP_SETUP:-}" = 1 ] || bash tools/setup.sh
echo "== build"
npx tsc -b
npx tsc -p e2e
echo "== e2e (${E2E_SUBSET:-full})"
start=$(date +%s)
status=0
npx vitest run --config e2e/vitest.config.ts "$@" || status=$?
echo "== e2e finished in $(( $(date +%s) - start )) s (exit $status)"
exit $status
