# shellcheck shell=bash
# `netlab.sh down` and the reaper: stop every process inside the lab's namespaces (ranks,
# orted daemons, iperf3, the delay line), delete the namespaces (their veths and qdiscs go
# with them) and the state directory. Works from the namespace names alone, so it also
# removes the leftovers of a run that crashed.

netlab_down_usage() {
  cat <<'USAGE'
usage: netlab.sh [--lab ID] down        tear down one lab (the only one up, or --lab ID)
       netlab.sh down --stale           tear down every lab whose owner, reaper or builder is gone
       netlab.sh down --all             tear down every syn-* lab on this machine (also other users' labs!)
USAGE
}

cmd_down() {
  local mode=one
  while (($#)); do
    case $1 in
      --all) mode=all; shift ;;
      --stale) mode=stale; shift ;;
      -h | --help) netlab_down_usage; return 0 ;;
      *) netlab_usage_error "down: unknown option '$1'" ;;
    esac
  done
  netlab_require_root down
  netlab_require_tools ip
  local id failed=0
  case $mode in
    one)
      netlab_resolve_lab
      netlab_teardown_lab || failed=1
      ;;
    all | stale)
      for id in $(netlab_all_lab_ids); do
        LAB_ID=$id
        if [[ $mode == all ]] || netlab_lab_is_stale; then
          netlab_teardown_lab || failed=1
        fi
      done
      ;;
  esac
  return $failed
}

# A lab is stale when nobody will tear it down any more: no state file, a builder that died
# half-way, or a reaper that is gone.
netlab_lab_is_stale() {
  local file
  file="$(netlab_state_dir)/lab.env"
  [[ -f $file ]] || return 0
  (
    # shellcheck disable=SC1090
    source "$file"
    case $LAB_STATUS in
      creating) ! netlab_pid_alive "$LAB_CREATOR_PID" ;;
      *) ! netlab_is_reaper "${LAB_REAPER_PID:-}" ;;
    esac
  )
}

# True if PID is alive and is this lab's reaper (guards against a reused process id).
netlab_is_reaper() {
  netlab_pid_alive "$1" && tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null | grep -q -- "--lab $LAB_ID _reap "
}

netlab_teardown_lab() {
  local dir name reaper='' pid ns waited
  local -a namespaces pids
  dir=$(netlab_state_dir)
  name=$(netlab_lab_name)
  if [[ -f $dir/lab.env ]]; then
    reaper=$( (
      # shellcheck disable=SC1091
      source "$dir/lab.env"
      echo "${LAB_REAPER_PID:-}"
    ))
  fi
  if [[ -n $reaper && $reaper != "$$" ]] && netlab_is_reaper "$reaper"; then
    kill "$reaper" 2>/dev/null || true
  fi
  mapfile -t namespaces < <(netlab_lab_namespaces)
  pids=()
  for ns in "${namespaces[@]}"; do
    for pid in $(ip netns pids "$ns" 2>/dev/null); do
      [[ $pid == "$$" || $pid == "$BASHPID" || $pid == "$PPID" ]] || pids+=("$pid")
    done
  done
  if ((${#pids[@]})); then
    kill -TERM "${pids[@]}" 2>/dev/null || true
    for ((waited = 0; waited < 30; waited++)); do
      local -a alive=()
      for pid in "${pids[@]}"; do netlab_pid_alive "$pid" && alive+=("$pid"); done
      ((${#alive[@]})) || break
      sleep 0.1
    done
    for pid in "${pids[@]}"; do
      netlab_pid_alive "$pid" && kill -KILL "$pid" 2>/dev/null
    done
  fi
  for ns in "${namespaces[@]}"; do
    ip netns del "$ns" 2>/dev/null || { sleep 0.2; ip netns del "$ns" 2>/dev/null; } || true
  done
  rm -rf "$dir"
  mapfile -t namespaces < <(netlab_lab_namespaces)
  if ((${#namespaces[@]})); then
    echo "netlab: error: lab $name: could not delete namespaces ${namespaces[*]}" >&2
    return 1
  fi
  netlab_log "lab $name down"
}

# Internal: started detached by `up`. Tears the lab down after TTL seconds, or as soon as the
# owner process (if any) exits, or stops when the lab is already gone.
cmd__reap() {
  local ttl=$1 owner=${2:-} reason end
  end=$((SECONDS + ttl))
  reason="its time limit of $ttl s passed"
  while ((SECONDS < end)); do
    [[ -d $(netlab_state_dir) ]] || return 0
    if [[ -n $owner ]] && ! netlab_pid_alive "$owner"; then
      reason="its owner process $owner exited"
      break
    fi
    sleep 1
  done
  echo "netlab: tearing down lab $(netlab_lab_name): $reason" >&2
  netlab_teardown_lab
}
