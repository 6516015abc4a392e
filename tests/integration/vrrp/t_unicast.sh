#!/usr/bin/env bash
# Unicast peers instead of multicast, and three routers on one LAN.
#
#   r1 192.168.0.1 (100) ─┐
#   r2 192.168.0.2 (90)  ─┼─ br0     VIP 192.168.0.100 (unicast, vrid 51)
#   r3 192.168.0.3 (40)  ─┘          VIP 192.168.0.200 (multicast, vrid 52, 3 routers)
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/common.sh"
need_root
LAN_NAMES=(r1 r2 r3); make_lan "${LAN_NAMES[@]}"
addr r1 192.168.0.1; addr r2 192.168.0.2; addr r3 192.168.0.3

# unicast pair r1/r2
c1=$(conf r1 100 peers=192.168.0.2 source=192.168.0.1)
c2=$(conf r2 90 peers=192.168.0.1 source=192.168.0.2)
start_vrrpd r1 "$c1"; start_vrrpd r2 "$c2"
expect_wait 5 "unicast: r1 MASTER" state_is r1 VI_1 MASTER
expect_wait 5 "unicast: r2 BACKUP" state_is r2 VI_1 BACKUP
expect_wait 3 "unicast: r2 receives r1's adverts" bash -c "[ \$($HALOCTL --run-dir $WORK/r2/run status --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[\"vrrp\"][\"instances\"][0][\"adverts_received\"])') -gt 3 ]"
timeout 2 ip netns exec "$(ns_name r3)" tcpdump -c 3 -n -i eth0 'ip proto 112' >"$WORK/r3-capture.txt" 2>/dev/null
ok "unicast: no VRRP multicast on the wire" bash -c "! grep -q 224.0.0.18 $WORK/r3-capture.txt"
kill -9 "$(vrrpd_pid r1)"
expect_wait 5 "unicast: r2 takes over" state_is r2 VI_1 MASTER
kill -TERM "$(vrrpd_pid r2)"
wait_for 3 "r2 stopped" bash -c "! kill -0 $(vrrpd_pid r2)"

# three routers, multicast
for n in r1 r2 r3; do rm -rf "$WORK/$n/run"; done
p=(100 90 40); i=0   # skews 19.5 ms apart: a slow (sanitizer) build still orders them
for n in r1 r2 r3; do start_vrrpd $n "$(conf $n ${p[$i]} vrid=52 vip=192.168.0.200/24)"; i=$((i+1)); done
expect_wait 5 "three routers: r1 MASTER" state_is r1 VI_1 MASTER
expect_wait 3 "three routers: r2 BACKUP" state_is r2 VI_1 BACKUP
expect_wait 3 "three routers: r3 BACKUP" state_is r3 VI_1 BACKUP
kill -9 "$(vrrpd_pid r1)"
expect_wait 5 "three routers: r2 (next priority) takes over" state_is r2 VI_1 MASTER
sleep 0.5
ok "three routers: r3 stays BACKUP" state_is r3 VI_1 BACKUP
ok "three routers: r3 never was MASTER" test "$(status_field r3 VI_1 became_master)" -eq 0
finish
