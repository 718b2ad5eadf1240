# shellcheck shell=bash
# `netlab.sh exec` and `netlab.sh mpirun`: run a command inside a test host, or an MPI job
# with one rank per test host. Both are bounded by --timeout-s (default 600 s, or
# $NETLAB_TIMEOUT_S) and give the command's own exit status (124 on timeout).

netlab_run_usage() {
  cat <<'USAGE'
usage: netlab.sh [--lab ID] exec [--timeout-s S] HOST [--] COMMAND [ARGS...]
       netlab.sh [--lab ID] mpirun -np N [--timeout-s S] [MPIRUN ARGS...] -- PROGRAM [ARGS...]
  HOST is h1..hN, 1..N or the namespace name; the command's hostname is the namespace name.
  mpirun adds the hostfile (one slot per host), the netns launcher agent, --bind-to none,
  mpi_yield_when_idle 1, TCP restricted to the lab subnet, and runs mpirun inside h1.
  Environment variables reach the ranks only when forwarded: -x NAME (repeat per variable).
USAGE
}

cmd_exec() {
  local timeout_s=$NETLAB_DEFAULT_TIMEOUT_S
  while (($#)); do
    case $1 in
      --timeout-s) timeout_s=${2-}; shift 2 || netlab_usage_error "--timeout-s needs a value" ;;
      -h | --help) netlab_run_usage; return 0 ;;
      *) break ;;
    esac
  done
  netlab_check_timeout "$timeout_s"
  (($#)) || netlab_usage_error "exec: name a host (h1..hN) and a command"
  local host=$1
  shift
  [[ ${1-} == -- ]] && shift
  (($#)) || netlab_usage_error "exec: no command given for host $host"
  netlab_require_root exec
  netlab_require_tools ip unshare timeout
  netlab_resolve_lab
  netlab_load_state
  local ns
  ns=$(netlab_host_arg_ns "$host")
  exec timeout --kill-after=5 "$timeout_s" "$NETLAB_SCRIPT" --lab "$LAB_ID" _in "$ns" "$@"
}

# Internal: replaces itself with "$@" run in namespace $1, in its own UTS namespace whose
# hostname is the namespace name (distinct host names keep Open MPI's per-host session
# directories apart). Every step execs, so `timeout` signals and waits for the command itself.
cmd__in() {
  local ns=$1
  shift
  # shellcheck disable=SC2016 # $0 and $@ belong to the inner shell
  exec ip netns exec "$ns" unshare --uts -- /bin/sh -c 'hostname "$0" && exec "$@"' "$ns" "$@"
}

cmd_mpirun() {
  local timeout_s=$NETLAB_DEFAULT_TIMEOUT_S np='' oversubscribe=0
  local -a mpi_args=() program=()
  while (($#)); do
    case $1 in
      -np | -n | --np | -c) np=${2-}; shift 2 || netlab_usage_error "$1 needs a value" ;;
      --timeout-s) timeout_s=${2-}; shift 2 || netlab_usage_error "--timeout-s needs a value" ;;
      -h | --help) netlab_run_usage; return 0 ;;
      --) shift; program=("$@"); break ;;
      *)
        [[ $1 == --oversubscribe || $1 == -oversubscribe ]] && oversubscribe=1
        mpi_args+=("$1")
        shift
        ;;
    esac
  done
  ((${#program[@]})) || netlab_usage_error "mpirun: put the program after '--', e.g. netlab.sh mpirun -np 2 -- ./hello"
  netlab_check_timeout "$timeout_s"
  netlab_require_root mpirun
  netlab_require_tools ip unshare timeout mpirun
  netlab_resolve_lab
  netlab_load_state
  [[ -z $np ]] && np=$LAB_HOSTS
  [[ $np =~ ^[0-9]+$ ]] && ((np >= 1)) || netlab_usage_error "-np '$np': give the number of ranks, at least 1"
  ((np <= LAB_HOSTS || oversubscribe)) ||
    netlab_usage_error "-np $np exceeds the $LAB_HOSTS hosts of lab $(netlab_lab_name) (one rank per namespace); add --oversubscribe to place several ranks per host"

  local dir hostfile i
  dir=$(netlab_state_dir)
  hostfile=$dir/hostfile
  for ((i = 1; i <= LAB_HOSTS; i++)); do echo "$(netlab_host_ns "$i") slots=1"; done >"$hostfile"
  # Every rank and daemon runs in a test host; mpirun itself runs in h1 under its own host name.
  exec timeout --kill-after=10 "$timeout_s" "$NETLAB_SCRIPT" --lab "$LAB_ID" _in "$(netlab_host_ns 1)" \
    env -u HOSTNAME mpirun --allow-run-as-root -np "$np" --hostfile "$hostfile" \
    --bind-to none \
    --mca plm_rsh_agent "$NETLAB_DIR/netns-agent.sh" --mca plm_rsh_no_tree_spawn 1 \
    --mca mpi_yield_when_idle 1 \
    --mca btl tcp,self --mca btl_tcp_if_include "$LAB_SUBNET" --mca oob_tcp_if_include "$LAB_SUBNET" \
    "${mpi_args[@]}" "${program[@]}"
}
