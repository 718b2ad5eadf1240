#!/usr/bin/env bash
# Idempotent set-up for a fresh Debian 12 machine: system packages, npm ci, builds.
# Safe to run again: each step is skipped when its result is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages: Open MPI (our binding links it), Fashion-MNIST (the demo's data),
# mpi4py (the allreduce benchmark's reference), iproute2 + iperf3 + ping (the network lab and its smoke test),
# PyTorch with OpenBLAS (the peer race against DDP; without libopenblas0-pthread torch uses the reference BLAS, 33x slower).
packages=(openmpi-bin libopenmpi-dev dataset-fashion-mnist python3-mpi4py python3-numpy iproute2 iperf3 iputils-ping g++ make python3
  python3-torch libopenblas0-pthread)
missing=()
for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# node-gyp must never try to download Node headers: they come with Debian's nodejs at /usr.
export npm_config_nodedir=/usr
export NX_DAEMON=false NX_NO_CLOUD=true

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: npm ci"
  npm ci --no-audit --no-fund --loglevel=error
fi

# The MPI addon is built by `npm ci`; rebuild it if Open MPI arrived later.
if [ -f packages/transport-mpi/binding.gyp ] && ! ls packages/transport-mpi/build/Release/*.node >/dev/null 2>&1; then
  echo "setup: building the MPI addon"
  npm rebuild @syncopate/transport-mpi --loglevel=error
fi

echo "setup: building packages"
mkdir -p tmp
if ! npx nx run-many -t build --outputStyle=static >tmp/setup-build.log 2>&1; then
  grep -v '^npm warn' tmp/setup-build.log
  echo "setup: the build failed (full log: tmp/setup-build.log)"
  exit 1
fi
echo "setup: ready"
