#!/usr/bin/env bash
# All tests, on a fresh clone: installs what is missing, runs the unit specs,
# brings up a real Docker engine with the local base images, packs the plugin,
# runs the end-to-end suites, and stops the engine if it started it.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/ensure-deps.sh
mkdir -p tmp/test-results

status=0
npx jest --config jest.config.js --selectProjects unit --json --outputFile=tmp/test-results/unit.json || status=$?

# Stop the engine afterwards only when this run started it: an engine someone else runs stays up.
engine="$(bash scripts/engine/up.sh)"
if [[ "$engine" == *STARTED=1* ]]; then
  trap 'bash scripts/engine/down.sh' EXIT
fi
# The e2e global setup builds base images and packs the plugin; suites share one engine, so run in band.
npx jest --config jest.config.js --selectProjects e2e --runInBand --json --outputFile=tmp/test-results/e2e.json || status=$?

node scripts/test-summary.js tmp/test-results/unit.json tmp/test-results/e2e.json
exit "$status"
