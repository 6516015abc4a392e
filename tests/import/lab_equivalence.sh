#!/usr/bin/env bash
# Equivalence in the lab: one keepalived.conf (with @r1/@r2 lines) runs a
# keepalived pair, then the same file converted by `haloctl import-keepalived
# --config-id rN` runs a halo-vrrpd pair in the same namespaces. Both pairs
# must reach the same MASTER for each instance, with the same addresses on
# the same devices and labels, before and after the master of VI_1 stops.
# (The IPVS half of the comparison needs a guest kernel: see tests/vm.)
#
#   r1 (priority 150 on VI_1, 100 on VI_2)  eth0 192.168.0.1 ─┐
#                                                              ├─ br0 (namespace sw)
#   r2 (priority 100 on VI_1, 200 on VI_2)  eth0 192.168.0.2 ─┘
#   VI_1 v2 + PASS: 192.168.0.100/24 label eth0:1, 192.168.0.101/24
#   VI_2 v3 100 ms: 192.168.0.102/24 label eth0:2
. "$(dirname "$0")/../integration/lib.sh"
need_root
command -v keepalived >/dev/null || { echo "keepalived is not installed (tests/run.sh installs it)"; exit 1; }
LAN_NAMES=(r1 r2); make_lan "${LAN_NAMES[@]}"
nsx r1 ip addr add 192.168.0.1/24 dev eth0
nsx r2 ip addr add 192.168.0.2/24 dev eth0

KA=$WORK/keepalived.conf
cat >"$KA" <<'CONF'
global_defs {
    @r1 router_id r1
    @r2 router_id r2
}
vrrp_instance VI_1 {
    @r1 state MASTER
    @r2 state BACKUP
    interface eth0
    virtual_router_id 51
    @r1 priority 150
    @r2 priority 100
    advert_int 1
    authentication {
        auth_type PASS
        auth_pass 1111
    }
    virtual_ipaddress {
        192.168.0.100/24 dev eth0 label eth0:1
        192.168.0.101/24
    }
}
vrrp_instance VI_2 {
    state BACKUP
    interface eth0
    virtual_router_id 52
    version 3
    @r1 priority 100
    @r2 priority 200
    advert_int 0.1
    virtual_ipaddress {
        192.168.0.102/24 label eth0:2
    }
}
CONF

# snapshot: "router address/prefix label" for every virtual address held
VIPS="192.168.0.100 192.168.0.101 192.168.0.102"
snapshot() {
	local n
	for n in r1 r2; do
		nsx "$n" ip -o -4 addr show | awk -v r="$n" '$4 ~ /^192\.168\.0\./ && $4 !~ /^192\.168\.0\.[12]\// {
			lbl = "-"
			for (i = 5; i <= NF; i++)
				if ($i ~ /\\$/) { lbl = $i; sub(/\\$/, "", lbl) }
			if (lbl == $2) lbl = "-"
			print r, $2, $4, lbl }'
	done | sort
}
# each VIP held by exactly one router, VI_1's on one and VI_2's on one
settled() {
	local v
	for v in $VIPS; do exactly_one_vip "$v" r1 r2 || return 1; done
	[ "$(vip_holder 192.168.0.100 r1 r2)" = "$(vip_holder 192.168.0.101 r1 r2)" ]
}
none_left() { local v; for v in $VIPS; do ! has_vip r1 "$v" && ! has_vip r2 "$v" || return 1; done; }

start_ka() {
	local n=$1
	mkdir -p "$WORK/$n"
	ip netns exec "$(ns_name "$n")" keepalived -n -l -P -G -D -f "$KA" -i "$n" -p "$WORK/$n/ka.pid" \
		-r "$WORK/$n/ka-vrrp.pid" >>"$WORK/$n/keepalived.log" 2>&1 &
	PIDS+=("$!"); eval "KA_PID_$n=$!"
}
stop_pid() { kill -TERM "$1" 2>/dev/null; wait_for 10 "pid $1 exits" bash -c "! kill -0 $1 2>/dev/null"; }

# ---- keepalived pair ----
start_ka r1; start_ka r2
expect_wait 20 "keepalived pair settles" settled
expect_wait 10 "keepalived: VI_2 on r2 (priority 200)" has_vip r2 192.168.0.102
expect_wait 10 "keepalived: VI_1 on r1 (priority 150)" has_vip r1 192.168.0.100
KA_START=$(snapshot)
ok "the snapshot sees the labels (r1 eth0 192.168.0.100/24 eth0:1)" grep -qx "r1 eth0 192.168.0.100/24 eth0:1" <<<"$KA_START"
ok "the snapshot sees three addresses" [ "$(wc -l <<<"$KA_START")" -eq 3 ]
stop_pid "$(ka_pid r1)"
expect_wait 10 "keepalived: r2 takes VI_1 when r1 stops" has_vip r2 192.168.0.100
KA_FAILOVER=$(snapshot)
stop_pid "$(ka_pid r2)"
expect_wait 10 "keepalived removed every VIP" none_left

# ---- the same file converted, halo pair ----
for n in r1 r2; do
	ok "import-keepalived --config-id $n converts without warning" \
		"$HALOCTL" import-keepalived --strict --config-id "$n" -o "$WORK/$n.yaml" "$KA"
	# realtime scheduling is off in the lab, as in the other namespace tests
	sed -i 's/^global:$/global:\n  realtime_priority: 0/' "$WORK/$n.yaml"
	ok "the converted $n.yaml passes haloctl check" "$HALOCTL" check "$WORK/$n.yaml"
done
start_vrrpd r1 "$WORK/r1.yaml"; start_vrrpd r2 "$WORK/r2.yaml"
expect_wait 20 "halo pair settles" settled
expect_wait 10 "halo: VI_2 on r2" has_vip r2 192.168.0.102
expect_wait 10 "halo: VI_1 on r1" has_vip r1 192.168.0.100
HALO_START=$(snapshot)
ok "same masters, addresses, devices and labels at start" [ "$HALO_START" = "$KA_START" ]
stop_pid "$(vrrpd_pid r1)"
expect_wait 10 "halo: r2 takes VI_1 when r1 stops" has_vip r2 192.168.0.100
HALO_FAILOVER=$(snapshot)
ok "same masters, addresses, devices and labels after r1 stops" [ "$HALO_FAILOVER" = "$KA_FAILOVER" ]
if [ "$HALO_START" != "$KA_START" ] || [ "$HALO_FAILOVER" != "$KA_FAILOVER" ]; then
	printf 'keepalived start:\n%s\nhalo start:\n%s\nkeepalived after r1 stops:\n%s\nhalo after r1 stops:\n%s\n' \
		"$KA_START" "$HALO_START" "$KA_FAILOVER" "$HALO_FAILOVER"
fi
finish
