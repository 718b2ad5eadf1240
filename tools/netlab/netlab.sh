#!/usr/bin/env bash
# netlab: N test hosts on one machine, as Linux network namespaces joined by veth pairs to a
# bridge, shaped with tc (tbf or htb), with an optional userspace delay line for latency, and
# an mpirun that places one rank in each namespace. Addresses exist only inside the lab's
# namespaces and no host has a default route, so no lab traffic can leave the machine.
# Every lab has a time limit and is always torn down. See docs/netlab.md.
set -euo pipefail

NETLAB_SCRIPT=$(readlink -f "${BASH_SOURCE[0]}")
NETLAB_DIR=$(dirname "$NETLAB_SCRIPT")
for lib in common address shape up down run status; do
  # shellcheck disable=SC1090
  source "$NETLAB_DIR/lib/$lib.sh"
done

netlab_usage() {
  cat <<'USAGE'
usage: netlab.sh [--lab ID] COMMAND [ARGS...]
  up --hosts N [--rate 1gbit] [--delay-ms 5] [--subnet 10.77.0.0/24] [--shaper tbf|htb] [--ttl-s 3600]
                          build a lab; prints its name syn-ID (ID defaults to the process id)
  down [--stale|--all]    tear a lab down (kills what runs inside, deletes the namespaces)
  exec HOST CMD...        run a command inside host h1..hN (bounded by --timeout-s, default 600)
  mpirun -np N [MPIRUN ARGS] -- PROG ARGS
                          run an MPI job, one rank per host, over TCP inside the lab
  status                  list the labs on this machine
  info                    one lab as JSON (name, subnet, hosts with their addresses)
--lab ID (or NETLAB_LAB=ID) picks the lab; without it the only lab that is up is used.
Needs root and iproute2 (ip, tc); mpirun needs openmpi-bin; --delay-ms needs /usr/bin/python3.
USAGE
}

main() {
  # shellcheck disable=SC2034 # read by the lib functions
  LAB_ID=''
  [[ -n ${NETLAB_LAB:-} ]] && netlab_set_lab "$NETLAB_LAB"
  while (($#)); do
    case $1 in
      --lab) netlab_set_lab "${2-}"; shift 2 || true ;;
      -h | --help | help) netlab_usage; return 0 ;;
      *) break ;;
    esac
  done
  (($#)) || { netlab_usage >&2; exit 2; }
  local command=$1
  shift
  case $command in
    up) cmd_up "$@" ;;
    down) cmd_down "$@" ;;
    exec) cmd_exec "$@" ;;
    mpirun) cmd_mpirun "$@" ;;
    status) cmd_status "$@" ;;
    info) cmd_info "$@" ;;
    _in) cmd__in "$@" ;;
    _reap) cmd__reap "$@" ;;
    *) netlab_usage_error "unknown command '$command'" ;;
  esac
}

main "$@"
