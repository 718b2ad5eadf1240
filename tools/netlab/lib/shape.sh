# shellcheck shell=bash
# Bandwidth shaping with the two qdiscs this kernel has (no netem, fq or codel): a token
# bucket filter (`tbf`, the default) or a one-class hierarchical token bucket (`htb`).
# Each link is shaped on both ends' egress, so every host has the full rate up and down.

# "100mbit", "1gbit", "2.5gbit", "500kbit" -> bits per second in RATE_BITS; "" or "none" -> 0.
netlab_parse_rate() {
  local rate=${1,,} number unit scale
  if [[ -z $rate || $rate == none ]]; then
    RATE_BITS=0
    return
  fi
  [[ $rate =~ ^([0-9]+(\.[0-9]+)?)(bit|kbit|mbit|gbit)$ ]] ||
    netlab_usage_error "--rate '$1': give a rate in bits per second such as 100mbit, 1gbit, 2.5gbit or 500kbit (or none)"
  number=${BASH_REMATCH[1]}
  unit=${BASH_REMATCH[3]}
  case $unit in
    bit) scale=1 ;;
    kbit) scale=1000 ;;
    mbit) scale=1000000 ;;
    gbit) scale=1000000000 ;;
  esac
  RATE_BITS=$(awk -v n="$number" -v s="$scale" 'BEGIN { printf "%.0f", n * s }')
  ((RATE_BITS >= 64000 && RATE_BITS <= 100000000000)) ||
    netlab_usage_error "--rate '$1': the rate must be between 64kbit and 100gbit"
}

# Bucket size: 2 ms worth of tokens, at least 32 KiB. With the kernel's 1 ms timer this
# reaches the nominal rate (measured: 1gbit -> 957 Mbit/s, 100mbit -> 95.7 Mbit/s in iperf3).
netlab_burst_bytes() { awk -v r="$1" 'BEGIN { b = r / 8 / 500; if (b < 32768) b = 32768; printf "%.0f", b }'; }

# netlab_shape NAMESPACE DEVICE SHAPER RATE_BITS
netlab_shape() {
  local ns=$1 dev=$2 shaper=$3 rate=$4 burst
  ((rate > 0)) || return 0
  burst=$(netlab_burst_bytes "$rate")
  case $shaper in
    tbf)
      ip netns exec "$ns" tc qdisc add dev "$dev" root tbf rate "${rate}bit" burst "$burst" latency 50ms
      ;;
    htb)
      ip netns exec "$ns" tc qdisc add dev "$dev" root handle 1: htb default 10
      # An explicit quantum keeps tc from warning that rate/r2q is too big at Gbit rates.
      ip netns exec "$ns" tc class add dev "$dev" parent 1: classid 1:10 htb rate "${rate}bit" ceil "${rate}bit" \
        burst "$burst" cburst "$burst" quantum 60000
      ;;
  esac
}
