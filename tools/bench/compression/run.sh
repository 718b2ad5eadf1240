#!/usr/bin/env bash
# Build core + compression, make sure Debian's PyTorch (with OpenBLAS) is there, run the bench.
#   bash tools/bench/compression/run.sh [bench.mjs arguments]
set -euo pipefail
cd "$(dirname "$0")/../../.."
export npm_config_nodedir=/usr
(cd packages/core && npx tsc -p tsconfig.lib.json)
(cd packages/compression && npx tsc -p tsconfig.lib.json)

if ! /usr/bin/python3 -c 'import torch' 2>/dev/null || ! dpkg -s libopenblas0-pthread >/dev/null 2>&1; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    echo "run.sh: installing python3-torch and libopenblas0-pthread (~35 s, 800 MB)" >&2
    flock /tmp/apt.lock apt-get install -y -qq python3-torch libopenblas0-pthread >/dev/null \
      || { flock /tmp/apt.lock apt-get update -qq && flock /tmp/apt.lock apt-get install -y -qq python3-torch libopenblas0-pthread >/dev/null; }
  else
    echo "run.sh: PyTorch is missing; install it with:" >&2
    echo "  sudo apt-get install -y python3-torch libopenblas0-pthread" >&2
    echo "run.sh: continuing without the torch reference" >&2
    exec node tools/bench/compression/bench.mjs --no-torch "$@"
  fi
fi
exec node tools/bench/compression/bench.mjs "$@"
