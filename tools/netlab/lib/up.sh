# shellcheck shell=bash
# `netlab.sh up`: builds a lab. Order: validate every option, write the state directory
# (so a crash half-way can be found and removed), create namespaces and links, start the
# delay line and the reaper that enforces the time limit, mark the lab up, print its name.

netlab_up_usage() {
  cat <<'USAGE'
usage: netlab.sh [--lab ID] up --hosts N [--rate RATE] [--delay-ms MS] [--subnet CIDR]
                 [--shaper tbf|htb] [--ttl-s S] [--owner-pid PID]
  --hosts N       test hosts h1..hN, one network namespace each (1..250)
  --rate RATE     per-link rate, each direction: 100mbit, 1gbit, ... (default: none, unshaped)
  --delay-ms MS   one-way delay added by the userspace delay line (default 0: plain bridge)
  --subnet CIDR   lab addresses, host i = network + i (default 10.77.0.0/24; exists only in the lab)
  --shaper S      tbf (default) or htb
  --ttl-s S       the lab is torn down after S seconds whatever happens (default 3600)
  --owner-pid P   also tear it down as soon as process P exits (used by netlab.mjs)
Prints the lab name (syn-ID) on stdout.
USAGE
}

cmd_up() {
  local hosts='' rate='' delay_ms=0 subnet=10.77.0.0/24 shaper=tbf ttl_s=3600 owner_pid=''
  while (($#)); do
    case $1 in
      --hosts) hosts=${2-}; shift 2 || netlab_usage_error "--hosts needs a value" ;;
      --rate) rate=${2-}; shift 2 || netlab_usage_error "--rate needs a value" ;;
      --delay-ms) delay_ms=${2-}; shift 2 || netlab_usage_error "--delay-ms needs a value" ;;
      --subnet) subnet=${2-}; shift 2 || netlab_usage_error "--subnet needs a value" ;;
      --shaper) shaper=${2-}; shift 2 || netlab_usage_error "--shaper needs a value" ;;
      --ttl-s) ttl_s=${2-}; shift 2 || netlab_usage_error "--ttl-s needs a value" ;;
      --owner-pid) owner_pid=${2-}; shift 2 || netlab_usage_error "--owner-pid needs a value" ;;
      -h | --help) netlab_up_usage; return 0 ;;
      *) netlab_usage_error "up: unknown option '$1'" ;;
    esac
  done
  [[ $hosts =~ ^[0-9]+$ ]] && ((hosts >= 1 && hosts <= 250)) ||
    netlab_usage_error "--hosts '${hosts}': give the number of test hosts, 1..250"
  netlab_parse_rate "$rate"
  [[ $delay_ms =~ ^[0-9]+(\.[0-9]+)?$ ]] && awk -v d="$delay_ms" 'BEGIN { exit !(d <= 10000) }' ||
    netlab_usage_error "--delay-ms '$delay_ms': give a one-way delay in milliseconds, 0..10000"
  netlab_parse_subnet "$subnet" "$hosts"
  [[ $shaper == tbf || $shaper == htb ]] || netlab_usage_error "--shaper '$shaper': choose tbf or htb"
  [[ $ttl_s =~ ^[0-9]+$ ]] && ((ttl_s >= 10 && ttl_s <= 604800)) ||
    netlab_usage_error "--ttl-s '$ttl_s': give the lab's lifetime in whole seconds, 10..604800"
  [[ -z $owner_pid ]] || netlab_pid_alive "$owner_pid" || netlab_usage_error "--owner-pid '$owner_pid' is not a running process"
  local delayed=0
  awk -v d="$delay_ms" 'BEGIN { exit !(d > 0) }' && delayed=1

  netlab_require_root up
  netlab_require_tools ip tc unshare timeout setsid
  if ((delayed)); then
    [[ -x /usr/bin/python3 ]] || netlab_env_error "--delay-ms needs Debian's /usr/bin/python3 for the delay line; install it with: apt-get install python3"
    [[ -c /dev/net/tun ]] || netlab_env_error "--delay-ms needs /dev/net/tun (kernel CONFIG_TUN) for the delay line"
  fi
  [[ -n ${LAB_ID:-} ]] || LAB_ID=$$
  local dir name
  dir=$(netlab_state_dir)
  name=$(netlab_lab_name)
  if [[ -e $dir || -n $(netlab_lab_namespaces) ]]; then
    netlab_fail "lab $name already exists; remove it with: netlab.sh --lab $LAB_ID down"
  fi
  mkdir -p "$NETLAB_STATE_ROOT"
  mkdir "$dir" || netlab_fail "cannot create the state directory $dir"

  local -a state=(LAB_ID="$LAB_ID" LAB_HOSTS="$hosts" LAB_RATE="${rate:-none}" LAB_RATE_BITS="$RATE_BITS"
    LAB_DELAY_MS="$delay_ms" LAB_SUBNET="$subnet" LAB_SHAPER="$shaper" LAB_TTL_S="$ttl_s"
    LAB_OWNER_PID="$owner_pid" LAB_CREATED="$(date +%s)" LAB_CREATOR_PID="$$")
  netlab_write_state "${state[@]}" LAB_STATUS=creating
  NETLAB_UP_COMPLETE=0
  trap 'netlab_up_on_exit $?' EXIT
  trap 'exit 130' INT HUP
  trap 'exit 143' TERM

  netlab_build_switch "$delayed"
  local i
  for ((i = 1; i <= hosts; i++)); do
    netlab_build_host "$i" "$delayed" "$shaper" "$RATE_BITS"
  done
  local delay_pid=''
  if ((delayed)); then
    netlab_start_delay_line "$delay_ms" "$ttl_s"
    delay_pid=$NETLAB_DELAY_PID
  fi
  # The reaper runs detached and tears the lab down at its time limit or when its owner dies.
  setsid "$NETLAB_SCRIPT" --lab "$LAB_ID" _reap "$ttl_s" "$owner_pid" </dev/null >"$dir/reaper.log" 2>&1 &
  local reaper_pid=$!
  netlab_write_state "${state[@]}" LAB_STATUS=up LAB_DELAY_PID="$delay_pid" LAB_REAPER_PID="$reaper_pid"
  NETLAB_UP_COMPLETE=1
  trap - EXIT INT TERM HUP
  netlab_log "lab $name up: $hosts hosts on $subnet, rate ${rate:-unshaped} ($shaper), delay ${delay_ms} ms, torn down after ${ttl_s} s"
  echo "$name"
}

# Any failure or signal before the lab is complete removes what was built so far.
netlab_up_on_exit() {
  local status=$1
  ((NETLAB_UP_COMPLETE)) && return 0
  trap - EXIT INT TERM HUP
  echo "netlab: error: building lab $(netlab_lab_name) failed (exit status $status); tearing it down" >&2
  netlab_teardown_lab || true
  exit $((status == 0 ? 1 : status))
}

# Runs a command inside a lab namespace.
netlab_in() { local ns=$1; shift; ip netns exec "$ns" "$@"; }

# Common settings of every lab namespace: loopback up, no IPv6 (no link-local chatter, no
# second address family for MPI to try), no ICMP redirects.
netlab_prepare_ns() {
  local ns=$1
  ip netns add "$ns"
  netlab_in "$ns" ip link set lo up
  netlab_in "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
  netlab_in "$ns" sysctl -qw net.ipv4.conf.all.send_redirects=0 net.ipv4.conf.default.send_redirects=0
}

# The switch: a bridge (no delay), or a router that sends every forwarded packet through the
# delay line's TUN device (policy routing) and answers as the hosts' gateway.
netlab_build_switch() {
  local ns delayed=$1
  ns=$(netlab_switch_ns)
  netlab_prepare_ns "$ns"
  if ((delayed)); then
    netlab_in "$ns" sysctl -qw net.ipv4.ip_forward=1 net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0
    netlab_in "$ns" ip addr add "$(netlab_gateway_address)/32" dev lo
    netlab_in "$ns" ip tuntap add dev dly0 mode tun
    # Room for bursts while the delay line catches up (the default 500 packets overflows at 1 Gbit).
    netlab_in "$ns" ip link set dly0 txqueuelen 10000
    netlab_in "$ns" sysctl -qw net.ipv4.conf.dly0.rp_filter=0
    netlab_in "$ns" ip link set dly0 up
    netlab_in "$ns" ip route add "$(netlab_int_to_ip "$SUBNET_NET")/$SUBNET_PREFIX" dev dly0 table 100
  else
    netlab_in "$ns" ip link add br0 type bridge
    netlab_in "$ns" ip link set br0 up
  fi
}

# Host i: namespace, a veth pair created directly inside the two namespaces (the root
# namespace never sees an interface or an address), its address, no default route, shaping.
netlab_build_host() {
  local i=$1 delayed=$2 shaper=$3 rate=$4 ns sw address
  ns=$(netlab_host_ns "$i")
  sw=$(netlab_switch_ns)
  address=$(netlab_host_address "$i")
  netlab_prepare_ns "$ns"
  ip link add name eth0 netns "$ns" type veth peer name "h$i" netns "$sw"
  if ((delayed)); then
    netlab_in "$ns" ip addr add "$address/32" dev eth0
    netlab_in "$ns" ip link set eth0 up
    netlab_in "$ns" ip route add "$(netlab_int_to_ip "$SUBNET_NET")/$SUBNET_PREFIX" via "$(netlab_gateway_address)" dev eth0 onlink
    netlab_in "$sw" sysctl -qw "net.ipv4.conf.h$i.rp_filter=0"
    netlab_in "$sw" ip link set "h$i" up
    netlab_in "$sw" ip route add "$address/32" dev "h$i"
    netlab_in "$sw" ip rule add iif "h$i" lookup 100 pref 100
  else
    netlab_in "$ns" ip addr add "$address/$SUBNET_PREFIX" dev eth0
    netlab_in "$ns" ip link set eth0 up
    netlab_in "$sw" ip link set "h$i" master br0
    netlab_in "$sw" ip link set "h$i" up
  fi
  netlab_shape "$ns" eth0 "$shaper" "$rate"
  netlab_shape "$sw" "h$i" "$shaper" "$rate"
}

# Starts delay-line.py in the router namespace and waits (at most 5 s) until it is attached.
netlab_start_delay_line() {
  local delay_ms=$1 ttl_s=$2 dir log waited
  dir=$(netlab_state_dir)
  log=$dir/delay-line.log
  ip netns exec "$(netlab_switch_ns)" setsid /usr/bin/python3 "$NETLAB_DIR/delay-line.py" \
    --dev dly0 --delay-ms "$delay_ms" --max-seconds "$ttl_s" </dev/null >"$log" 2>&1 &
  NETLAB_DELAY_PID=$!
  for ((waited = 0; waited < 50; waited++)); do
    grep -q 'ready' "$log" 2>/dev/null && return 0
    netlab_pid_alive "$NETLAB_DELAY_PID" || break
    sleep 0.1
  done
  netlab_fail "the delay line did not start: $(tail -n 5 "$log" 2>/dev/null)"
}
