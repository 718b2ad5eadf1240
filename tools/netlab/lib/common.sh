# shellcheck shell=bash
# Shared helpers of netlab.sh: errors, tool checks, lab naming and the lab's state file.
#
# A lab called syn-<id> owns the namespaces syn-<id>-h1..hN (one per test host) and syn-<id>-sw
# (the switch: a bridge, or a router with the delay line when a delay is asked), and the state
# directory $NETLAB_STATE_ROOT/syn-<id>. Everything is found again from these names, so `down`
# also cleans up after a run that crashed before it could write its state.

NETLAB_PREFIX=syn
NETLAB_STATE_ROOT=${NETLAB_STATE_DIR:-/run/syncopate-netlab}
# shellcheck disable=SC2034 # used by run.sh
NETLAB_DEFAULT_TIMEOUT_S=${NETLAB_TIMEOUT_S:-600}
# Debian keeps ip/tc in /usr/sbin, which a non-root PATH may lack.
PATH=$PATH:${NETLAB_EXTRA_PATH-/usr/sbin:/sbin}

# Exit codes: 1 a command inside the lab failed, 2 bad usage, 3 the machine cannot host a lab.
netlab_fail() { echo "netlab: error: $*" >&2; exit 1; }
netlab_usage_error() { echo "netlab: error: $*" >&2; echo "netlab: run 'netlab.sh --help' for usage" >&2; exit 2; }
netlab_env_error() { echo "netlab: error: $*" >&2; exit 3; }
netlab_log() { [[ ${NETLAB_QUIET:-0} == 1 ]] || echo "netlab: $*" >&2; }

# The Debian package that provides each external tool, for the error message.
netlab_package_of() {
  case $1 in
    ip | tc | ss) echo iproute2 ;;
    mpirun | mpicc) echo "openmpi-bin libopenmpi-dev" ;;
    iperf3) echo iperf3 ;;
    ping) echo iputils-ping ;;
    python3) echo python3 ;;
    unshare | setsid) echo util-linux ;;
    *) echo coreutils ;;
  esac
}

netlab_require_root() {
  ((EUID == 0)) || netlab_env_error "must run as root: network namespaces, veth pairs and tc qdiscs need CAP_NET_ADMIN (try: sudo $0 $*)"
}

netlab_require_tools() {
  local tool
  for tool in "$@"; do
    command -v "$tool" >/dev/null 2>&1 || netlab_env_error "'$tool' not found; install it with: apt-get install $(netlab_package_of "$tool")"
  done
}

# Accepts "7", "syn-7" or "syn-7-h1"-style input; sets LAB_ID or fails with the allowed form.
netlab_set_lab() {
  local id=${1#"$NETLAB_PREFIX"-}
  [[ $id =~ ^[a-z0-9]{1,12}$ ]] || netlab_usage_error "--lab '$1': a lab id is 1-12 characters of [a-z0-9] (no '_': Open MPI rejects it in host names)"
  LAB_ID=$id
}

netlab_lab_name() { echo "$NETLAB_PREFIX-$LAB_ID"; }
netlab_host_ns() { echo "$NETLAB_PREFIX-$LAB_ID-h$1"; }
netlab_switch_ns() { echo "$NETLAB_PREFIX-$LAB_ID-sw"; }
netlab_state_dir() { echo "$NETLAB_STATE_ROOT/$NETLAB_PREFIX-$LAB_ID"; }

# Every namespace of the current lab that exists now, hosts first, the switch last.
netlab_lab_namespaces() {
  ip netns list 2>/dev/null | awk '{print $1}' | grep -E "^$NETLAB_PREFIX-$LAB_ID-h[0-9]+\$" | sort -V || true
  ip netns list 2>/dev/null | awk '{print $1}' | grep -Fx "$NETLAB_PREFIX-$LAB_ID-sw" || true
}

# Ids of every lab that has a namespace or a state directory.
netlab_all_lab_ids() {
  {
    ip netns list 2>/dev/null | awk '{print $1}' | sed -nE "s/^$NETLAB_PREFIX-([a-z0-9]+)-(h[0-9]+|sw)\$/\\1/p"
    if [[ -d $NETLAB_STATE_ROOT ]]; then
      find "$NETLAB_STATE_ROOT" -mindepth 1 -maxdepth 1 -type d -name "$NETLAB_PREFIX-*" -printf '%f\n' | sed "s/^$NETLAB_PREFIX-//"
    fi
  } | sort -u
}

# Picks the lab when --lab was not given: the only one that is up, or a clear error.
netlab_resolve_lab() {
  [[ -n ${LAB_ID:-} ]] && return 0
  local ids
  mapfile -t ids < <(netlab_all_lab_ids)
  case ${#ids[@]} in
    0) netlab_fail "no lab is up (start one with: netlab.sh up --hosts 2 --rate 1gbit)" ;;
    1) LAB_ID=${ids[0]} ;;
    *) netlab_usage_error "several labs are up (${ids[*]/#/$NETLAB_PREFIX-}); pick one with --lab ID or NETLAB_LAB=ID" ;;
  esac
}

# Loads the state file of the current lab into LAB_* variables.
netlab_load_state() {
  local file
  file="$(netlab_state_dir)/lab.env"
  [[ -f $file ]] || netlab_fail "lab $(netlab_lab_name) has no state file ($file); it is not up or it crashed: run 'netlab.sh --lab $LAB_ID down'"
  # shellcheck disable=SC1090
  source "$file"
}

# Writes KEY=value pairs (shell-quoted) as the lab's state file.
netlab_write_state() {
  local dir pair
  dir=$(netlab_state_dir)
  {
    for pair in "$@"; do printf '%s=%q\n' "${pair%%=*}" "${pair#*=}"; done
  } >"$dir/lab.env.tmp"
  mv "$dir/lab.env.tmp" "$dir/lab.env"
}

netlab_pid_alive() { [[ -n ${1:-} && $1 =~ ^[0-9]+$ ]] && kill -0 "$1" 2>/dev/null; }

# Host argument -> namespace name: "h2", "2" or the full name "syn-<id>-h2".
netlab_host_arg_ns() {
  local arg=$1 index
  case $arg in
    "$NETLAB_PREFIX-$LAB_ID"-h*) index=${arg#"$NETLAB_PREFIX-$LAB_ID"-h} ;;
    h*) index=${arg#h} ;;
    *) index=$arg ;;
  esac
  [[ $index =~ ^[1-9][0-9]*$ && $index -le $LAB_HOSTS ]] ||
    netlab_usage_error "host '$arg' is not in lab $(netlab_lab_name): use h1..h$LAB_HOSTS, 1..$LAB_HOSTS or $(netlab_host_ns 1)"
  netlab_host_ns "$index"
}

netlab_check_timeout() {
  [[ $1 =~ ^[0-9]+$ && $1 -ge 1 && $1 -le 604800 ]] || netlab_usage_error "--timeout-s '$1': give whole seconds in 1..604800"
}
