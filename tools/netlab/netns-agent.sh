#!/usr/bin/env bash
# Open MPI launcher agent for netlab (`--mca plm_rsh_agent`): where mpirun would ssh to a
# host, this runs the daemon's command line inside that host's network namespace, in a fresh
# UTS namespace named after it (one host name per namespace keeps Open MPI's session
# directories and shared-memory segments apart).
# Open MPI calls it as: netns-agent.sh HOST COMMAND-WORDS... (a shell command line, like ssh).
set -euo pipefail
PATH=$PATH:/usr/sbin:/sbin
host=${1-}
shift || true
if [[ ! $host =~ ^syn-[a-z0-9]+-h[0-9]+$ ]]; then
  echo "netns-agent: '$host' is not a netlab host (expected syn-<lab>-h<i>)" >&2
  exit 255
fi
if ! ip netns list | awk '{print $1}' | grep -Fxq "$host"; then
  echo "netns-agent: no network namespace $host (is the lab up?)" >&2
  exit 255
fi
# shellcheck disable=SC2016 # $0 and $1 belong to the inner shell
exec ip netns exec "$host" unshare --uts -- /bin/sh -c 'hostname "$0" && eval "$1"' "$host" "$*"
