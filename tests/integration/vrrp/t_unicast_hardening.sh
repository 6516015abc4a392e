#!/usr/bin/env bash
# Unicast hardening: adverts from a host that is not a listed peer are dropped
# and counted (check_unicast_source, default on) even with a higher priority;
# unicast_fault_no_peer puts an instance in FAULT while no peer is on-link;
# IPv6 unicast to global peers goes out from a global source address.
#
#   r1 192.168.0.1 2001:db8::1 (100) ─┐
#   r2 192.168.0.2 2001:db8::2 (90)  ─┼─ br0    VIP 192.168.0.100 / 2001:db8::100
#   r3 192.168.0.3 (spoofer, 200)    ─┘
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/common.sh"
need_root
LAN_NAMES=(r1 r2 r3); make_lan "${LAN_NAMES[@]}"
addr r1 192.168.0.1 2001:db8::1; addr r2 192.168.0.2 2001:db8::2; addr r3 192.168.0.3
VIP=192.168.0.100

start_vrrpd r1 "$(conf r1 100 peers=192.168.0.2 source=192.168.0.1)"
start_vrrpd r2 "$(conf r2 90 peers=192.168.0.1 source=192.168.0.2)"
expect_wait 5 "r1 MASTER" state_is r1 VI_1 MASTER
expect_wait 5 "r2 BACKUP" state_is r2 VI_1 BACKUP
# r3 is not r2's peer but sends it priority-200 adverts for the same VRID
start_vrrpd r3 "$(conf r3 200 peers=192.168.0.2 source=192.168.0.3)"
expect_wait 5 "r3 (alone in its view) becomes MASTER" state_is r3 VI_1 MASTER
not_peer_drops() { [ "$(status_field r2 VI_1 drops.not_peer)" -ge "$1" ]; }
expect_wait 3 "r2 counts r3's adverts as not_peer drops" not_peer_drops 5
ok "r2 stays BACKUP under r1 despite r3's priority 200" state_is r2 VI_1 BACKUP
ok "r2's master is still r1" test "$(status_field r2 VI_1 master_address)" = 192.168.0.1
ok "r2 never became MASTER" test "$(status_field r2 VI_1 became_master)" -eq 0
kill -TERM "$(vrrpd_pid r3)"; wait_for 3 "r3 stopped" bash -c "! kill -0 $(vrrpd_pid r3)"

# unicast_fault_no_peer: r3's only peer 10.9.9.9 is not on-link -> FAULT
rm -rf "$WORK/r3/run"
start_vrrpd r3 "$(conf r3 50 vrid=60 vip=192.168.0.160/24 peers=10.9.9.9 extra='      unicast_fault_no_peer: true')"
expect_wait 3 "no peer on-link: r3 in FAULT" state_is r3 VI_1 FAULT
ok "status says why (fault_no_peer)" test "$(status_field r3 VI_1 fault_no_peer)" = True
nsx r3 ip addr add 10.9.9.1/24 dev eth0
expect_wait 3 "peer on-link after an address in its prefix: r3 leaves FAULT" bash -c "! { $(declare -f status_field state_is); HALOCTL=$HALOCTL WORK=$WORK; state_is r3 VI_1 FAULT; }"
nsx r3 ip addr del 10.9.9.1/24 dev eth0
expect_wait 3 "prefix gone again: back to FAULT" state_is r3 VI_1 FAULT
kill -TERM "$(vrrpd_pid r1)" "$(vrrpd_pid r2)" "$(vrrpd_pid r3)"
for n in r1 r2 r3; do wait_for 3 "$n stopped" bash -c "! kill -0 $(vrrpd_pid $n)"; rm -rf "$WORK/$n/run"; done

# IPv6 unicast to global peers, no unicast_source: a global source, never link-local
start_vrrpd r1 "$(conf r1 100 vip=2001:db8::100/64 peers=2001:db8::2)"
start_vrrpd r2 "$(conf r2 90 vip=2001:db8::100/64 peers=2001:db8::1)"
expect_wait 5 "IPv6 unicast: r1 MASTER" state_is r1 VI_1 MASTER
expect_wait 5 "IPv6 unicast: r2 BACKUP" state_is r2 VI_1 BACKUP
timeout 2 ip netns exec "$(ns_name r2)" tcpdump -c 3 -n -i eth0 'ip6 proto 112' >"$WORK/v6.txt" 2>/dev/null
echo "# $(head -n 1 "$WORK/v6.txt")"
ok "adverts to the global peer come from 2001:db8::1" grep -q "2001:db8::1 > 2001:db8::2" "$WORK/v6.txt"
ok "no advert from a link-local source" bash -c "! grep -q 'fe80' $WORK/v6.txt"
ok "r2 knows r1 by its global address" test "$(status_field r2 VI_1 master_address)" = 2001:db8::1
ok "r2 dropped nothing of r1's" test "$(status_field r2 VI_1 drops.not_peer)" -eq 0
finish
