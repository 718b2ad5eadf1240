#!/usr/bin/env bash
# Every check a change must pass: lint (module boundaries), type checks, unit tests of every
# package, workspace checks (packaging, boundaries), and the MPI suites under mpirun.
# Ends with one line: "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
export NX_DAEMON=false NX_NO_CLOUD=true npm_config_nodedir=/usr
export SYNCOPATE_TEST_REPORT_DIR="$PWD/tmp/test-reports"
rm -rf "$SYNCOPATE_TEST_REPORT_DIR" && mkdir -p "$SYNCOPATE_TEST_REPORT_DIR"

status=0
step() {
  local name=$1; shift
  echo
  echo "=== $name"
  local t0=$SECONDS
  if "$@"; then
    echo "=== $name: ok ($((SECONDS - t0)) s)"
    echo "$name ok" >> "$SYNCOPATE_TEST_REPORT_DIR/steps.txt"
  else
    echo "=== $name: FAILED ($((SECONDS - t0)) s)"
    echo "$name failed" >> "$SYNCOPATE_TEST_REPORT_DIR/steps.txt"
    status=1
  fi
}

step lint npx eslint packages tools eslint.config.js
step typecheck npx nx run-many -t typecheck --outputStyle=stream
step unit-tests npx nx run-many -t test --outputStyle=stream --parallel=1
step workspace-checks npx vitest run --config tools/vitest.config.ts
step mpi-tests npx nx run-many -t test:mpi --outputStyle=stream --parallel=1
step fault-tests npx vitest run --config tools/reliability/vitest.config.ts

node tools/test-summary.mjs "$SYNCOPATE_TEST_REPORT_DIR" || status=1
exit $status
