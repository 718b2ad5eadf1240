#!/usr/bin/env bash
# Launch a Node program on N MPI ranks with the mpirun flags that work on a development
# machine (until `syncopate launch` exists; it will use the same flags, from mpirunArgs in
# @syncopate/transport-mpi):
#   --allow-run-as-root  only when running as root (containers, CI)
#   --oversubscribe      more ranks than cores (4 ranks on a 2-core machine)
#   --bind-to none       pinned ranks on an oversubscribed machine wait on each other's time slices
#
# Usage: tools/mpi/launch.sh -np N [--keep-going] [--mca NAME VALUE]... <script.js|.mjs> [args...]
#   --keep-going  survivors of a dying rank report it themselves (RankLostError) instead of
#                 being killed by mpirun (orte_abort_on_non_zero_status 0)
# Exit status: mpirun's.
set -euo pipefail

usage() {
  echo "usage: $0 -np N [--keep-going] [--mca NAME VALUE]... <script> [args...]" >&2
  exit 2
}

np=""
extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    -np | -n | --np)
      [ $# -ge 2 ] || usage
      np=$2
      shift 2
      ;;
    --keep-going)
      extra+=(--mca orte_abort_on_non_zero_status 0)
      shift
      ;;
    --mca)
      [ $# -ge 3 ] || usage
      extra+=(--mca "$2" "$3")
      shift 3
      ;;
    -h | --help) usage ;;
    *) break ;;
  esac
done
[ -n "$np" ] || usage
[[ "$np" =~ ^[1-9][0-9]*$ ]] || { echo "$0: -np must be a positive integer, got '$np'" >&2; exit 2; }
[ $# -ge 1 ] || usage
command -v mpirun >/dev/null || { echo "$0: mpirun not found; install Open MPI: apt-get install -y openmpi-bin libopenmpi-dev" >&2; exit 127; }

flags=(--oversubscribe --bind-to none)
[ "$(id -u)" -eq 0 ] && flags=(--allow-run-as-root "${flags[@]}")

script=$1
shift
case "$script" in
  *.js | *.mjs | *.cjs) exec mpirun "${flags[@]}" "${extra[@]}" -np "$np" "$(command -v node)" "$script" "$@" ;;
  *) exec mpirun "${flags[@]}" "${extra[@]}" -np "$np" "$script" "$@" ;;
esac
