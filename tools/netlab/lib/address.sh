# shellcheck shell=bash
# IPv4 arithmetic for the lab subnet: host i gets network + i; in delay mode the router
# answers as gateway on the last usable address. Nothing here touches the system.

netlab_ip_to_int() {
  local IFS=. a b c d
  read -r a b c d <<<"$1"
  echo $(((a << 24) | (b << 16) | (c << 8) | d))
}

netlab_int_to_ip() {
  local n=$1
  echo "$(((n >> 24) & 255)).$(((n >> 16) & 255)).$(((n >> 8) & 255)).$((n & 255))"
}

# Validates "a.b.c.d/p" (p in 8..30, a.b.c.d the network address itself) and enough room for
# `hosts` hosts plus the gateway; sets SUBNET_NET (int) and SUBNET_PREFIX.
netlab_parse_subnet() {
  local subnet=$1 hosts=$2 ip prefix octet size
  [[ $subnet =~ ^([0-9]{1,3}(\.[0-9]{1,3}){3})/([0-9]{1,2})$ ]] ||
    netlab_usage_error "--subnet '$subnet': give an IPv4 network as a.b.c.d/prefix, e.g. 10.77.0.0/24"
  ip=${BASH_REMATCH[1]}
  prefix=${BASH_REMATCH[3]}
  for octet in ${ip//./ }; do
    ((10#$octet <= 255)) || netlab_usage_error "--subnet '$subnet': octet $octet is above 255"
  done
  ((prefix >= 8 && prefix <= 30)) || netlab_usage_error "--subnet '$subnet': the prefix length must be in 8..30"
  SUBNET_NET=$(netlab_ip_to_int "$ip")
  SUBNET_PREFIX=$prefix
  size=$((1 << (32 - prefix)))
  ((SUBNET_NET % size == 0)) ||
    netlab_usage_error "--subnet '$subnet': $ip is not the network address of a /$prefix (try $(netlab_int_to_ip $((SUBNET_NET - SUBNET_NET % size)))/$prefix)"
  ((hosts <= size - 3)) ||
    netlab_usage_error "--subnet '$subnet' holds at most $((size - 3)) hosts (network, gateway and broadcast addresses are taken); asked for $hosts"
}

# Address of host i (1-based) in the parsed subnet.
netlab_host_address() { netlab_int_to_ip $((SUBNET_NET + $1)); }

# The router's address in delay mode: the last usable address of the subnet.
netlab_gateway_address() { netlab_int_to_ip $((SUBNET_NET + (1 << (32 - SUBNET_PREFIX)) - 2)); }
