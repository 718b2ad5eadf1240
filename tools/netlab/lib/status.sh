# shellcheck shell=bash
# `netlab.sh status` (every lab, human-readable) and `netlab.sh info` (one lab as JSON, for
# netlab.mjs and other scripts).

cmd_status() {
  netlab_require_tools ip
  local id count=0 file
  for id in $(netlab_all_lab_ids); do
    count=$((count + 1))
    LAB_ID=$id
    file="$(netlab_state_dir)/lab.env"
    local namespaces processes=0 ns state
    namespaces=$(netlab_lab_namespaces | wc -l)
    for ns in $(netlab_lab_namespaces); do processes=$((processes + $(ip netns pids "$ns" 2>/dev/null | wc -l))); done
    if [[ -f $file ]]; then
      state=$( (
        # shellcheck disable=SC1090
        source "$file"
        local age=$(($(date +%s) - LAB_CREATED))
        echo "$LAB_STATUS, $LAB_HOSTS hosts on $LAB_SUBNET, rate $LAB_RATE ($LAB_SHAPER), delay $LAB_DELAY_MS ms, age ${age}s of ${LAB_TTL_S}s${LAB_OWNER_PID:+, owner pid $LAB_OWNER_PID}"
      ))
    else
      state="no state file (crashed?)"
    fi
    netlab_lab_is_stale && state="$state, STALE (remove with: netlab.sh down --stale)"
    echo "$(netlab_lab_name): $state; $namespaces namespaces, $processes processes inside"
  done
  ((count)) || echo "no netlab labs are up"
}

# JSON description of one lab: name, subnet, rate, delay and every host's namespace and address.
cmd_info() {
  netlab_resolve_lab
  netlab_load_state
  netlab_parse_subnet "$LAB_SUBNET" "$LAB_HOSTS"
  local i sep=''
  printf '{"name":"%s","id":"%s","subnet":"%s","rate":"%s","rateBits":%s,"shaper":"%s","delayMs":%s,"ttlS":%s,"stateDir":"%s","hosts":[' \
    "$(netlab_lab_name)" "$LAB_ID" "$LAB_SUBNET" "$LAB_RATE" "$LAB_RATE_BITS" "$LAB_SHAPER" "$LAB_DELAY_MS" "$LAB_TTL_S" "$(netlab_state_dir)"
  for ((i = 1; i <= LAB_HOSTS; i++)); do
    printf '%s{"index":%d,"name":"%s","address":"%s"}' "$sep" "$i" "$(netlab_host_ns "$i")" "$(netlab_host_address "$i")"
    sep=,
  done
  printf ']}\n'
}
