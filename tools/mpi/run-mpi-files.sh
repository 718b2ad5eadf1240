#!/usr/bin/env bash
# Runs a package's *.mpi.test.ts files one mpirun job per file:
#   tools/mpi/run-mpi-files.sh VITEST_CONFIG MPIRUN [MPIRUN ARGS...]
# vitest starts a fresh worker process for every test file, and a rank launched by mpirun can
# initialise MPI only once, so two files in one job fail in the second ("getting local rank
# failed"). Each job writes its own JSON report (suffix = the file's name). Run from the package.
set -uo pipefail
config=$1; shift
vitest=$(dirname "$0")/../../node_modules/vitest/vitest.mjs
files=$(find src test -name '*.mpi.test.ts' 2>/dev/null | sort)
[ -n "$files" ] || { echo "run-mpi-files: no *.mpi.test.ts under $PWD/src or $PWD/test" >&2; exit 1; }
status=0
for file in $files; do
  echo "run-mpi-files: $file"
  SYNCOPATE_TEST_REPORT_SUFFIX=$(basename "$file" .mpi.test.ts) "$@" node "$vitest" run --config "$config" "$file" || status=1
done
exit $status
