#!/usr/bin/env bash
# Config generator for the VRRP namespace tests.
# conf NAME PRIO [key=value ...] -> writes $WORK/NAME.yaml and prints its path.
# Keys: version family vip vip6 interval preempt preempt_delay peers source
#       checksum auth extra_instance notify
#       extra (raw YAML lines for the instance, \n-separated, 6-space indent)
#       scripts (raw lines under vrrp.scripts, 4-space indent)
#       instances2 (raw lines appended to vrrp.instances) groups (raw vrrp.sync_groups lines)
conf() {
	local name=$1 prio=$2; shift 2
	local version=3 interval=100ms preempt=true preempt_delay=0s vip=192.168.0.100/24
	local family=4 peers="" source="" checksum=auto auth="" vrid=51 notify=""
	local extra="" scripts="" instances2="" groups="" iface=eth0
	local kv
	for kv in "$@"; do eval "local ${kv%%=*}=\"\${kv#*=}\""; done
	local f="$WORK/$name.yaml"
	{
		echo "global: { router_id: $name, realtime_priority: 0, script_user: root }"
		echo "vrrp:"
		[ -n "$scripts" ] && printf '  scripts:\n%b\n' "$scripts"
		echo "  instances:"
		echo "    - name: VI_1"
		echo "      interface: $iface"
		echo "      vrid: $vrid"
		echo "      priority: $prio"
		echo "      version: $version"
		echo "      advert_interval: $interval"
		echo "      preempt: $preempt"
		echo "      preempt_delay: $preempt_delay"
		echo "      v3_checksum: $checksum"
		echo "      virtual_addresses: [ $vip ]"
		[ -n "$peers" ] && echo "      unicast_peers: [ $peers ]"
		[ -n "$source" ] && echo "      unicast_source: $source"
		[ -n "$auth" ] && echo "      authentication: { type: pass, password: \"$auth\" }"
		[ -n "$notify" ] && echo "      notify: { any: [ $notify ] }"
		[ -n "$extra" ] && printf '%b\n' "$extra"
		[ -n "$instances2" ] && printf '%b\n' "$instances2"
		[ -n "$groups" ] && printf '  sync_groups:\n%b\n' "$groups"
	} >"$f"
	echo "$f"
}

# addr NAME V4 [V6]: gives a router its LAN addresses
addr() {
	nsx "$1" ip addr add "$2/24" dev eth0
	[ -n "${3:-}" ] && nsx "$1" ip -6 addr add "$3/64" dev eth0 nodad
	return 0
}

# kaconf NAME PRIO [key=value ...] -> a keepalived.conf for the same instance
# Keys: version (2|3) interval (keepalived advert_int) vip peers source auth family
kaconf() {
	local name=$1 prio=$2; shift 2
	local version=3 interval=0.1 vip=192.168.0.100/24 peers="" source="" auth="" vrid=51
	local extra="" top="" after=""
	local kv
	for kv in "$@"; do eval "local ${kv%%=*}=\"\${kv#*=}\""; done
	local f="$WORK/$name-ka.conf"
	{
		echo "global_defs {"
		echo "  router_id $name"
		echo "  script_user root"
		echo "  vrrp_garp_master_delay 0"
		echo "}"
		[ -n "$top" ] && printf '%b\n' "$top"
		echo "vrrp_instance VI_1 {"
		echo "  state BACKUP"
		echo "  interface eth0"
		echo "  virtual_router_id $vrid"
		echo "  priority $prio"
		echo "  advert_int $interval"
		echo "  version $version"
		[ -n "$auth" ] && printf '  authentication {\n    auth_type PASS\n    auth_pass %s\n  }\n' "$auth"
		[ -n "$source" ] && echo "  unicast_src_ip $source"
		[ -n "$peers" ] && echo "  unicast_peer { $peers }"
		echo "  virtual_ipaddress {"
		echo "    $vip"
		echo "  }"
		[ -n "$extra" ] && printf '%b\n' "$extra"
		echo "}"
		[ -n "$after" ] && printf '%b\n' "$after"
	} >"$f"
	echo "$f"
}

# ka_state NAME: MASTER/BACKUP/FAULT from keepalived's last "Entering" log line
ka_state() {
	grep -o "Entering [A-Z]* STATE" "$WORK/$1/keepalived.log" 2>/dev/null | tail -n 1 | awk '{print $2}'
}
ka_state_is() { [ "$(ka_state "$1")" = "$2" ]; }
