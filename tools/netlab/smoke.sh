#!/usr/bin/env bash
# netlab smoke test for CI (needs root; bounded to 75 s, typically ~10 s):
#   2 hosts at 100mbit -> iperf3 for 2 s must measure the rate within 15 %;
#   mpirun -np 2 of hello-mpi.c must put one rank in each namespace and pass its ring and allreduce;
#   with ping installed, a 5 ms delay line must give a ping RTT of 10..15 ms;
#   after `down`, no namespace and no state of the smoke labs may be left.
# Exit status 0 on success; the last line says what was measured.
set -euo pipefail
if [[ -z ${NETLAB_SMOKE_BOUNDED:-} ]]; then
  exec timeout --kill-after=5 75 env NETLAB_SMOKE_BOUNDED=1 bash "$0" "$@"
fi

here=$(cd "$(dirname "$0")" && pwd)
netlab=$here/netlab.sh
fail() { echo "netlab smoke: FAILED: $*" >&2; exit 1; }
step() { echo "netlab smoke: $*" >&2; }

[[ $(id -u) == 0 ]] || { echo "netlab smoke: needs root (network namespaces and tc)" >&2; exit 3; }
PATH=$PATH:/usr/sbin:/sbin
for tool in ip tc iperf3 mpicc mpirun; do
  command -v "$tool" >/dev/null || { echo "netlab smoke: '$tool' missing (apt-get install iproute2 iperf3 openmpi-bin libopenmpi-dev)" >&2; exit 3; }
done
[[ -x /usr/bin/python3 ]] || { echo "netlab smoke: /usr/bin/python3 missing (apt-get install python3)" >&2; exit 3; }

labs=("s$$" "d$$")
work=$(mktemp -d /tmp/netlab-smoke.XXXXXX)
cleanup() {
  local status=$?
  for lab in "${labs[@]}"; do NETLAB_QUIET=1 "$netlab" --lab "$lab" down 2>/dev/null || true; done
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

# Waits (at most 5 s) until a TCP port listens inside a host.
wait_listen() {
  local lab=$1 host=$2 port=$3 i
  for ((i = 0; i < 50; i++)); do
    "$netlab" --lab "$lab" exec --timeout-s 5 "$host" ss -Hltn "sport = :$port" | grep -q LISTEN && return 0
    sleep 0.1
  done
  fail "nothing listens on port $port in $host of lab syn-$lab"
}

step "compiling hello-mpi.c"
mpicc -O2 -o "$work/hello-mpi" "$here/hello-mpi.c"

lab=${labs[0]}
step "up: 2 hosts at 100mbit (lab syn-$lab)"
"$netlab" --lab "$lab" up --hosts 2 --rate 100mbit --ttl-s 90 >/dev/null

step "iperf3 h1 -> h2 for 2 s"
"$netlab" --lab "$lab" exec --timeout-s 20 h2 iperf3 -s -1 -B 10.77.0.2 >/dev/null 2>&1 &
wait_listen "$lab" h2 5201
"$netlab" --lab "$lab" exec --timeout-s 20 h1 iperf3 -c 10.77.0.2 -t 2 -J >"$work/iperf.json"
wait
mbit=$(/usr/bin/python3 -c 'import json,sys; print("%.1f" % (json.load(open(sys.argv[1]))["end"]["sum_received"]["bits_per_second"] / 1e6))' "$work/iperf.json")
awk -v m="$mbit" 'BEGIN { exit !(m >= 85 && m <= 115) }' || fail "100mbit link measured $mbit Mbit/s, outside 85..115"
step "measured $mbit Mbit/s"

step "mpirun -np 2 hello-mpi"
"$netlab" --lab "$lab" mpirun -np 2 --timeout-s 30 -- "$work/hello-mpi" >"$work/hello.txt"
cat "$work/hello.txt" >&2
[[ $(grep -c ' ok$' "$work/hello.txt") == 2 ]] || fail "expected 2 ranks reporting ok"
[[ $(grep -o 'netns net:\[[0-9]*\]' "$work/hello.txt" | sort -u | wc -l) == 2 ]] || fail "the 2 ranks did not run in 2 different network namespaces"
grep -q "host syn-$lab-h1 " "$work/hello.txt" && grep -q "host syn-$lab-h2 " "$work/hello.txt" || fail "ranks did not run on h1 and h2"

summary="100mbit link ${mbit} Mbit/s, mpirun -np 2 ok"
if command -v ping >/dev/null; then
  lab=${labs[1]}
  step "up: 2 hosts behind a 5 ms delay line (lab syn-$lab)"
  "$netlab" --lab "$lab" up --hosts 2 --delay-ms 5 --ttl-s 60 >/dev/null
  rtt=$("$netlab" --lab "$lab" exec --timeout-s 10 h1 ping -q -c 5 -i 0.2 10.77.0.2 | sed -nE 's|^rtt [^=]*= [0-9.]+/([0-9.]+)/.*|\1|p')
  [[ -n $rtt ]] || fail "ping through the delay line got no reply"
  awk -v r="$rtt" 'BEGIN { exit !(r >= 10 && r <= 15) }' || fail "5 ms each way gave a ping RTT of $rtt ms, outside 10..15"
  summary="$summary, 5 ms delay line RTT ${rtt} ms"
else
  summary="$summary, delay line not checked (ping missing: apt-get install iputils-ping)"
fi

step "down"
for lab in "${labs[@]}"; do NETLAB_QUIET=1 "$netlab" --lab "$lab" down 2>/dev/null || true; done
left=$(ip netns list | awk '{print $1}' | grep -E "^syn-(${labs[0]}|${labs[1]})-" || true)
[[ -z $left ]] || fail "namespaces left after down: $left"
for lab in "${labs[@]}"; do [[ ! -e ${NETLAB_STATE_DIR:-/run/syncopate-netlab}/syn-$lab ]] || fail "state of syn-$lab left after down"; done
echo "netlab smoke: ok ($summary, no namespace left)"
