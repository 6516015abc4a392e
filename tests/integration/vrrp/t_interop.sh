#!/usr/bin/env bash
# Interop with the real keepalived (Debian's package) as the peer: halo MASTER
# with keepalived BACKUP and the reverse, failover both ways, for VRRPv2 with
# PASS auth, VRRPv3 IPv4 (keepalived's default pseudo-header checksum),
# VRRPv3 IPv6 and unicast. After each step exactly one router holds the VIP.
#
#   h  (halo-vrrpd)  eth0 192.168.0.1 / 2001:db8::1 ─┐
#                                                     ├─ br0 (namespace sw)
#   k  (keepalived)  eth0 192.168.0.2 / 2001:db8::2 ─┘
#   VIP 192.168.0.100/24 (or 2001:db8::100/64)
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/common.sh"
need_root
command -v keepalived >/dev/null || { echo "keepalived is not installed (tests/run.sh installs it)"; exit 1; }
LAN_NAMES=(h k); make_lan "${LAN_NAMES[@]}"
addr h 192.168.0.1 2001:db8::1; addr k 192.168.0.2 2001:db8::2

stop_all() {
	kill -TERM "$(vrrpd_pid h)" "$(ka_pid k)" 2>/dev/null
	wait_for 5 "both stopped" bash -c "! kill -0 $(vrrpd_pid h) 2>/dev/null && ! kill -0 $(ka_pid k) 2>/dev/null"
	rm -rf "$WORK/h/run"; : >"$WORK/k/keepalived.log"
	nsx h ip addr flush dev eth0 scope global; nsx k ip addr flush dev eth0 scope global
	addr h 192.168.0.1 2001:db8::1; addr k 192.168.0.2 2001:db8::2
}

h_hears() { [ "$(status_field h VI_1 adverts_received)" -gt 1 ]; }
h_no_drops() {
	"$HALOCTL" --run-dir "$WORK/h/run" status --json | python3 -c '
import json, sys
i = json.load(sys.stdin)["vrrp"]["instances"][0]
bad = {k: v for k, v in i["drops"].items() if v}
print("# drops:", bad)
sys.exit(1 if bad else 0)'
}

# scenario LABEL VIP HALO-ARGS -- KA-ARGS
scenario() {
	local label=$1 vip=$2; shift 2
	local hargs=() kargs=() side=h
	for a in "$@"; do
		if [ "$a" = "--" ]; then side=k; continue; fi
		if [ $side = h ]; then hargs+=("$a"); else kargs+=("$a"); fi
	done
	local bare=${vip%/*}
	# 1. halo higher: halo MASTER, keepalived BACKUP
	start_vrrpd h "$(conf h 100 vip=$vip "${hargs[@]}")"
	start_keepalived k "$(kaconf k 90 vip=$vip "${kargs[@]}")"
	expect_wait 6 "$label: halo (100) MASTER" state_is h VI_1 MASTER
	expect_wait 6 "$label: keepalived (90) BACKUP" ka_state_is k BACKUP
	sleep 0.5
	ok "$label: keepalived stays BACKUP (accepts halo's adverts)" ka_state_is k BACKUP
	ok "$label: exactly one VIP holder" exactly_one_vip $bare h k
	ok "$label: the holder is halo" test "$(vip_holder $bare h k)" = h
	ok "$label: keepalived logged no invalid packet" bash -c "! grep -qiE 'invalid|bogus|checksum' $WORK/k/keepalived.log"
	# 2. halo dies: keepalived takes over
	kill -9 "$(vrrpd_pid h)"
	expect_wait 6 "$label: keepalived takes over when halo dies" ka_state_is k MASTER
	expect_wait 3 "$label: keepalived holds the VIP" has_vip k $bare
	# 3. halo back with higher priority: preempts keepalived
	start_vrrpd h "$(conf h 100 vip=$vip "${hargs[@]}")"
	expect_wait 6 "$label: halo preempts keepalived" state_is h VI_1 MASTER
	expect_wait 6 "$label: keepalived back to BACKUP" ka_state_is k BACKUP
	expect_wait 3 "$label: exactly one VIP holder after preemption" exactly_one_vip $bare h k
	stop_all
	# 4. keepalived higher: keepalived MASTER, halo BACKUP, then keepalived stops
	start_keepalived k "$(kaconf k 110 vip=$vip "${kargs[@]}")"
	expect_wait 6 "$label: keepalived (110) MASTER" ka_state_is k MASTER
	start_vrrpd h "$(conf h 100 vip=$vip "${hargs[@]}")"
	expect_wait 6 "$label: halo (100) BACKUP under keepalived" state_is h VI_1 BACKUP
	sleep 0.5
	ok "$label: halo stays BACKUP (accepts keepalived's adverts)" state_is h VI_1 BACKUP
	expect_wait 4 "$label: halo receives keepalived's adverts" h_hears
	ok "$label: halo dropped nothing from keepalived" h_no_drops
	expect_wait 3 "$label: exactly one VIP holder (keepalived)" exactly_one_vip $bare h k
	kill -TERM "$(ka_pid k)"
	expect_wait 6 "$label: halo takes over when keepalived stops" state_is h VI_1 MASTER
	expect_wait 3 "$label: exactly one VIP holder (halo)" exactly_one_vip $bare h k
	stop_all
}

scenario "v2+auth" 192.168.0.100/24 version=2 interval=1s auth=secret1 -- version=2 interval=1 auth=secret1
scenario "v3-ipv4" 192.168.0.100/24 version=3 interval=100ms -- version=3 interval=0.1
scenario "v3-ipv6" 2001:db8::100/64 version=3 interval=100ms -- version=3 interval=0.1
scenario "v3-unicast" 192.168.0.100/24 peers=192.168.0.2 source=192.168.0.1 -- peers=192.168.0.1 source=192.168.0.2
finish
