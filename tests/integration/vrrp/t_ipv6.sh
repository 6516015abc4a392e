#!/usr/bin/env bash
# VRRPv3 over IPv6: adverts from the link-local address to ff02::12, VIP
# 2001:db8::100 moves on failover.
#
#   r1 (prio 100) fe80::.. 2001:db8::1 ─┐
#                                        ├─ br0
#   r2 (prio 90)  fe80::.. 2001:db8::2 ─┘
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/common.sh"
need_root
LAN_NAMES=(r1 r2); make_lan "${LAN_NAMES[@]}"
addr r1 192.168.0.1 2001:db8::1; addr r2 192.168.0.2 2001:db8::2
VIP=2001:db8::100
c1=$(conf r1 100 vip=2001:db8::100/64); c2=$(conf r2 90 vip=2001:db8::100/64)
wait_for 5 "link-local addresses" bash -c "ip -n $(ns_name r1) -6 addr show dev eth0 scope link | grep -q fe80"
start_vrrpd r1 "$c1"; start_vrrpd r2 "$c2"
expect_wait 5 "IPv6: r1 MASTER" state_is r1 VI_1 MASTER
expect_wait 5 "IPv6: r2 BACKUP" state_is r2 VI_1 BACKUP
hears() { [ "$(status_field r2 VI_1 adverts_received)" -gt 3 ]; }
expect_wait 3 "IPv6: r2 hears r1's adverts" hears
expect_wait 2 "IPv6: VIP on r1 only" exactly_one_vip $VIP r1 r2
ok "IPv6: master address seen by r2 is r1's link-local" test "$(status_field r2 VI_1 master_address)" = "$(nsx r1 ip -6 -o addr show dev eth0 scope link | awk '{print $4}' | cut -d/ -f1)"
kill -9 "$(vrrpd_pid r1)"
expect_wait 5 "IPv6: r2 takes over" state_is r2 VI_1 MASTER
expect_wait 2 "IPv6: r2 holds the VIP" has_vip r2 $VIP
finish
