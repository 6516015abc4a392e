#!/usr/bin/env bash
# Sync groups: VI_1 and VI_2 in group G1 change state together. A member's
# tracked link going down takes the whole group to FAULT (keepalived's
# behaviour) and the peer takes both; a member preempted by a higher peer
# takes the other member along without thrashing; group notify runs.
# Then keepalived as the peer with its vrrp_sync_group: the groups fail over
# together both ways.
#
#   r1 eth0 192.168.0.1 ─┐   trk0 <-> trk1: a veth pair inside r1, tracked by VI_2
#                         ├─ br0 (namespace sw)
#   r2 eth0 192.168.0.2 ─┘
#   VI_1 vrid 51 VIP 192.168.0.100, VI_2 vrid 52 VIP 192.168.0.101
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/common.sh"
need_root
LAN_NAMES=(r1 r2); make_lan "${LAN_NAMES[@]}"
addr r1 192.168.0.1; addr r2 192.168.0.2
V1=192.168.0.100; V2=192.168.0.101
nsx r1 ip link add trk0 type veth peer name trk1
nsx r1 ip link set trk1 up; nsx r1 ip link set trk0 up
printf '#!/bin/sh\necho "$*" >>"%s/group.log"\n' "$WORK" >"$WORK/gnotify.sh"; chmod 755 "$WORK/gnotify.sh"
echo 0 >"$WORK/prio"

# sconf NAME PRIO [track lines for VI_1] [track lines for VI_2]
sconf() {
	local i2="    - name: VI_2
      interface: eth0
      vrid: 52
      priority: $2
      advert_interval: 100ms
      virtual_addresses: [ $V2/24 ]
${4:-}"
	conf "$1" "$2" extra="${3:-}" instances2="$i2" \
		groups="    - name: G1\n      instances: [ VI_1, VI_2 ]\n      notify: { any: [ $WORK/gnotify.sh, $1 ] }"
}
both() { state_is "$1" VI_1 "$2" && state_is "$1" VI_2 "$2"; }
group_state() {
	"$HALOCTL" --run-dir "$WORK/$1/run" status --json | python3 -c '
import json, sys; print(json.load(sys.stdin)["vrrp"]["sync_groups"][0]["state"])'
}
group_is() { [ "$(group_state "$1")" = "$2" ]; }
test_prio() { [ "$(status_field "$1" "$2" priority)" = "$3" ]; }

c1=$(sconf r1 100 "      track_files: [ { path: $WORK/prio, weight: 1 } ]" \
	"      track_interfaces: [ { name: trk0, weight: 0 } ]")
c2=$(sconf r2 90)
start_vrrpd r1 "$c1"; start_vrrpd r2 "$c2"
expect_wait 5 "r1: both members MASTER" both r1 MASTER
expect_wait 5 "r2: both members BACKUP" both r2 BACKUP
expect_wait 2 "r1's group state is MASTER" group_is r1 MASTER
expect_wait 2 "group notify ran on r1: GROUP G1 MASTER" grep -q "r1 GROUP G1 MASTER" "$WORK/group.log"

# VI_2's tracked link goes down (weight 0): the whole group goes FAULT
nsx r1 ip link set trk1 down
expect_wait 3 "r1: VI_2 FAULT and VI_1 follows" both r1 FAULT
expect_wait 3 "r2 takes both" both r2 MASTER
ok "r2 holds $V1" has_vip r2 $V1
ok "r2 holds $V2" has_vip r2 $V2
expect_wait 2 "group notify: r1 GROUP G1 FAULT" grep -q "r1 GROUP G1 FAULT" "$WORK/group.log"
nsx r1 ip link set trk1 up
expect_wait 5 "link back: r1 takes both back" both r1 MASTER
expect_wait 3 "r2 back to BACKUP on both" both r2 BACKUP

# VI_1 alone drops below r2 (100 - 20 = 80 < 90) while VI_2 still outranks
# r2: the group prefers Backup to thrashing (keepalived's
# vrrp_sync_can_goto_master), so nothing moves
echo -20 >"$WORK/prio"
expect_wait 2 "r1's VI_1 runs at 80" test_prio r1 VI_1 80
t1=$(status_field r2 VI_1 transitions)
sleep 1.5
ok "r2's VI_1 did not take over alone (group prefers Backup)" test "$(status_field r2 VI_1 transitions)" = "$t1"
ok "r1 still Master of both" both r1 MASTER
echo 0 >"$WORK/prio"

# r2 reloaded with 110 on both members: the group moves over together, and
# r1's VI_2 follows VI_1 to Backup (priority 0, so r2's VI_2 takes over at once)
c2=$(sconf r2 110)
kill -HUP "$(vrrpd_pid r2)"
expect_wait 4 "r2 takes both after its reload to 110" both r2 MASTER
expect_wait 2 "r1 has both in BACKUP" both r1 BACKUP
ok "r1's VI_2 followed the group (log)" grep -q "(VI_2) following sync group G1: backup" "$WORK/r1/vrrpd.log"
t1=$(status_field r1 VI_2 transitions)
sleep 1.5
ok "r1's VI_2 stays BACKUP (no thrashing)" test "$(status_field r1 VI_2 transitions)" = "$t1"
ok "r2 holds both VIPs" bash -c "ip -n $(ns_name r2) -o addr show dev eth0 | grep -qw $V1 && ip -n $(ns_name r2) -o addr show dev eth0 | grep -qw $V2"
ok "r1 holds neither VIP" bash -c "! ip -n $(ns_name r1) -o addr show dev eth0 | grep -qwE '$V1|$V2'"
# ---- interop: keepalived's vrrp_sync_group on r2 ----
kill -TERM "$(vrrpd_pid r1)" "$(vrrpd_pid r2)"
for n in r1 r2; do wait_for 3 "$n stopped" bash -c "! kill -0 $(vrrpd_pid $n)"; rm -rf "$WORK/$n/run"; done
ka_both() { [ "$(grep -c "(VI_[12]) Entering $2 STATE" "$WORK/$1/keepalived.log")" -ge 2 ] && ka_last "$1" VI_1 "$2" && ka_last "$1" VI_2 "$2"; }
ka_last() { [ "$(grep -o "($2) Entering [A-Z]* STATE" "$WORK/$1/keepalived.log" | tail -n 1 | awk '{print $3}')" = "$3" ]; }
start_vrrpd r1 "$c1"
start_keepalived r2 "$(kaconf r2 90 after="vrrp_instance VI_2 {\n  state BACKUP\n  interface eth0\n  virtual_router_id 52\n  priority 90\n  advert_int 0.1\n  version 3\n  virtual_ipaddress {\n    $V2/24\n  }\n}\nvrrp_sync_group G1 {\n  group {\n    VI_1\n    VI_2\n  }\n}")"
expect_wait 6 "interop: halo r1 MASTER of both" both r1 MASTER
expect_wait 6 "interop: keepalived BACKUP of both" ka_both r2 BACKUP
nsx r1 ip link set trk1 down
expect_wait 3 "interop: r1's group goes FAULT on VI_2's tracked link" both r1 FAULT
expect_wait 5 "interop: keepalived takes both" ka_both r2 MASTER
expect_wait 3 "interop: keepalived holds both VIPs" bash -c "ip -n $(ns_name r2) -o addr show dev eth0 | grep -qw $V1 && ip -n $(ns_name r2) -o addr show dev eth0 | grep -qw $V2"
nsx r1 ip link set trk1 up
expect_wait 6 "interop: r1 takes both back" both r1 MASTER
expect_wait 6 "interop: keepalived's group back to BACKUP" ka_both r2 BACKUP
# keepalived's group member preempted: its other member follows, and so do halo's
kill -TERM "$(vrrpd_pid r1)"
expect_wait 6 "interop: keepalived takes both on halo's SIGTERM" ka_both r2 MASTER
finish
