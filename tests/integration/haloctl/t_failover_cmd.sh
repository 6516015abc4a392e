#!/usr/bin/env bash
# haloctl failover INSTANCE: the MASTER hands over with a priority-0 advert,
# the backup takes over after Skew_Time, and the old master does not preempt
# straight back; a BACKUP or an unknown instance is refused.
#
#   r1 (prio 100) ─┐
#                   ├─ br0    VIP 192.168.0.100
#   r2 (prio 90)  ─┘
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../vrrp/common.sh"
need_root
LAN_NAMES=(r1 r2); make_lan "${LAN_NAMES[@]}"
addr r1 192.168.0.1; addr r2 192.168.0.2
VIP=192.168.0.100
start_vrrpd r1 "$(conf r1 100 preempt=false)"; start_vrrpd r2 "$(conf r2 90 preempt=false)"
expect_wait 5 "r1 MASTER" state_is r1 VI_1 MASTER
expect_wait 5 "r2 BACKUP" state_is r2 VI_1 BACKUP
ok "failover refused on the BACKUP" bash -c "! $HALOCTL --run-dir $WORK/r2/run failover VI_1 2>/dev/null"
ok "failover refused for an unknown instance" bash -c "! $HALOCTL --run-dir $WORK/r1/run failover NOPE 2>/dev/null"
ok "failover accepted on the MASTER" "$HALOCTL" --run-dir "$WORK/r1/run" failover VI_1
expect_wait 3 "r2 takes over" state_is r2 VI_1 MASTER
ok "r2 logged the priority-0 takeover" grep -q "Entering MASTER STATE.*reason=priority_zero" "$WORK/r2/vrrpd.log"
expect_wait 2 "exactly one VIP holder, r2" bash -c "[ \"\$(ip -n $(ns_name r1) -o addr show dev eth0 | grep -c $VIP)\" = 0 ]"
ok "r2 holds the VIP" has_vip r2 $VIP
sleep 1
ok "r1 stays BACKUP (nopreempt)" state_is r1 VI_1 BACKUP
ok "r1 logged the resign" grep -q "reason=resign" "$WORK/r1/vrrpd.log"
finish
