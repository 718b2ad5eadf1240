#!/usr/bin/env bash
# Measures what the lab delivers on this machine (needs root; bounded to 240 s, ~40 s here):
# iperf3 at 1gbit and 100mbit with tbf, 1gbit with htb, the delay line (ping RTT and iperf3
# one way and both ways), mpirun -np 4 across 4 namespaces at 1gbit (launch time, and Open
# MPI's MPI_Allreduce as a baseline for allreduce benchmarks). Prints a Markdown table.
# Usage: tools/netlab/measure.sh [DELAY_MS]   (default 5)
set -euo pipefail
if [[ -z ${NETLAB_MEASURE_BOUNDED:-} ]]; then
  exec timeout --kill-after=5 240 env NETLAB_MEASURE_BOUNDED=1 bash "$0" "$@"
fi
here=$(cd "$(dirname "$0")" && pwd)
netlab=$here/netlab.sh
delay=${1:-5}
lab="m$$"
work=$(mktemp -d /tmp/netlab-measure.XXXXXX)
trap 'NETLAB_QUIET=1 "$netlab" --lab "$lab" down 2>/dev/null || true; rm -rf "$work"' EXIT
trap 'exit 130' INT TERM HUP
export NETLAB_QUIET=1

row() { printf '| %s | %s |\n' "$1" "$2"; }
mbits() { /usr/bin/python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))["end"]; print("%.1f" % (d["sum_received"]["bits_per_second"]/1e6) + ((" + %.1f" % (d["sum_received_bidir_reverse"]["bits_per_second"]/1e6)) if "sum_received_bidir_reverse" in d else ""))' "$1"; }

# iperf3 from h1 to h2 for 3 s in the current lab; extra args go to the client (e.g. --bidir).
iperf() {
  "$netlab" --lab "$lab" exec --timeout-s 30 h2 iperf3 -s -1 >/dev/null 2>&1 &
  local i
  for ((i = 0; i < 50; i++)); do
    "$netlab" --lab "$lab" exec h2 ss -Hltn 'sport = :5201' | grep -q LISTEN && break
    sleep 0.1
  done
  "$netlab" --lab "$lab" exec --timeout-s 30 h1 iperf3 -c 10.77.0.2 -t 3 -J "$@" >"$work/iperf.json"
  wait
  mbits "$work/iperf.json"
}

lab_up() { "$netlab" --lab "$lab" down 2>/dev/null || true; "$netlab" --lab "$lab" up --ttl-s 120 "$@" >/dev/null; }

mpicc -O2 -o "$work/hello-mpi" "$here/hello-mpi.c"
mpicc -O2 -o "$work/allreduce-mpi" "$here/allreduce-mpi.c"

echo "| setting | result |"
echo "|---|---|"
lab_up --hosts 2
row "no shaping, iperf3 h1→h2 (Mbit/s)" "$(iperf)"
lab_up --hosts 2 --rate 1gbit
row "tbf 1gbit, iperf3 (Mbit/s)" "$(iperf)"
lab_up --hosts 2 --rate 100mbit
row "tbf 100mbit, iperf3 (Mbit/s)" "$(iperf)"
lab_up --hosts 2 --rate 1gbit --shaper htb
row "htb 1gbit, iperf3 (Mbit/s)" "$(iperf)"
lab_up --hosts 2 --rate 1gbit --delay-ms "$delay"
rtt=$("$netlab" --lab "$lab" exec --timeout-s 20 h1 ping -q -c 10 -i 0.2 10.77.0.2 | sed -nE 's|^rtt [^=]*= ([0-9.]+)/([0-9.]+)/([0-9.]+)/.*|\2 (min \1, max \3)|p')
row "delay line ${delay} ms one way, ping RTT (ms)" "$rtt"
row "delay line ${delay} ms + tbf 1gbit, iperf3 (Mbit/s)" "$(iperf)"
row "delay line ${delay} ms + tbf 1gbit, iperf3 --bidir (Mbit/s, each way)" "$(iperf --bidir)"
lab_up --hosts 4 --rate 1gbit
start=$(date +%s.%N)
"$netlab" --lab "$lab" mpirun -np 4 --timeout-s 60 -- "$work/hello-mpi" >"$work/hello.txt"
end=$(date +%s.%N)
[[ $(grep -c ' ok$' "$work/hello.txt") == 4 && $(grep -o 'netns net:\[[0-9]*\]' "$work/hello.txt" | sort -u | wc -l) == 4 ]] ||
  { cat "$work/hello.txt" >&2; echo "measure: mpirun -np 4 did not give 4 ranks in 4 namespaces" >&2; exit 1; }
row "tbf 1gbit, mpirun -np 4 hello-mpi across 4 namespaces (s, whole run)" "$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", b - a }')"
"$netlab" --lab "$lab" mpirun -np 4 --timeout-s 120 -- "$work/allreduce-mpi" 1000 100000 1000000 >"$work/allreduce.txt"
while read -r _ _ floats _ ms bw; do
  row "tbf 1gbit, MPI_Allreduce np=4, ${floats#floats=} floats (ms per call; algbw MB/s)" "${ms#ms=}; ${bw#algbw_MBps=}"
done <"$work/allreduce.txt"
