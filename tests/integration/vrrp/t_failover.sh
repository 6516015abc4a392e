#!/usr/bin/env bash
# Election, failover on SIGKILL / link cut, stale-VIP removal, FAULT on link
# down, preemption, and the priority-0 handover on SIGTERM.
#
#   r1 (prio 100) eth0 192.168.0.1 ─┐
#                                    ├─ br0 (namespace sw)
#   r2 (prio 90)  eth0 192.168.0.2 ─┘
#   VIP 192.168.0.100/24 on eth0 of the MASTER only
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/common.sh"
need_root
LAN_NAMES=(r1 r2); make_lan "${LAN_NAMES[@]}"
addr r1 192.168.0.1; addr r2 192.168.0.2
VIP=192.168.0.100
# keepalived-style notify: the script gets INSTANCE <name> <state> <priority>
printf '#!/bin/sh\necho "$*" >>"%s/notify.log"\n' "$WORK" >"$WORK/notify.sh"; chmod 755 "$WORK/notify.sh"
c1=$(conf r1 100 notify="$WORK/notify.sh, r1"); c2=$(conf r2 90)

start_vrrpd r1 "$c1"; start_vrrpd r2 "$c2"
expect_wait 5 "r1 (higher priority) becomes MASTER" state_is r1 VI_1 MASTER
expect_wait 5 "r2 stays BACKUP" state_is r2 VI_1 BACKUP
expect_wait 2 "VIP only on r1" exactly_one_vip $VIP r1 r2
ok "r1 holds the VIP" has_vip r1 $VIP
ok "log line: (VI_1) Entering MASTER STATE" grep -q "(VI_1) Entering MASTER STATE instance=VI_1 vrid=51" "$WORK/r1/vrrpd.log"

# SIGKILL the master: no priority 0, the backup waits Master_Down_Interval
kill -9 "$(vrrpd_pid r1)"
expect_wait 5 "r2 takes over after r1 is killed" state_is r2 VI_1 MASTER
expect_wait 2 "r2 holds the VIP" has_vip r2 $VIP
ok "the killed r1 left its VIP behind (stale)" has_vip r1 $VIP
start_vrrpd r1 "$c1"
expect_wait 5 "restarted r1 preempts back to MASTER" state_is r1 VI_1 MASTER
expect_wait 3 "after restart exactly one router holds the VIP" exactly_one_vip $VIP r1 r2
ok "it is r1" has_vip r1 $VIP
ok "r2 went back to BACKUP" state_is r2 VI_1 BACKUP

# cut r1's link from the switch side: r2 takes over (carrier lost on r1 -> FAULT)
sw=$(ns_name sw)
ip -n "$sw" link set "$(port_of r1)" down
expect_wait 5 "r1 enters FAULT when its link goes down" state_is r1 VI_1 FAULT
expect_wait 5 "r2 becomes MASTER when r1's link is cut" state_is r2 VI_1 MASTER
ok "r1 removed its VIP in FAULT" bash -c "! ip -n $(ns_name r1) -o addr show dev eth0 | grep -qw $VIP"
ok "log line: (VI_1) Entering FAULT STATE" grep -q "(VI_1) Entering FAULT STATE" "$WORK/r1/vrrpd.log"
ip -n "$sw" link set "$(port_of r1)" up
expect_wait 5 "r1 leaves FAULT when the link is back and preempts" state_is r1 VI_1 MASTER
expect_wait 3 "exactly one VIP holder after the link is back" exactly_one_vip $VIP r1 r2

# SIGTERM: r1 sends priority 0, r2 takes over after Skew_Time, not Master_Down_Interval
before=$(status_field r2 VI_1 transitions)
kill -TERM "$(vrrpd_pid r1)"
expect_wait 3 "r2 takes over on r1's SIGTERM" state_is r2 VI_1 MASTER
expect_wait 2 "r1 removed its VIP on SIGTERM" bash -c "! ip -n $(ns_name r1) -o addr show dev eth0 | grep -qw $VIP"
ok "r2 counted one transition" test "$(status_field r2 VI_1 transitions)" -eq $((before + 1))
ok "r2's log says the master resigned (priority 0)" grep -q "Entering MASTER STATE.*reason=priority_zero" "$WORK/r2/vrrpd.log"
notify_seq() { tr '\n' ' ' <"$WORK/notify.log"; }
expect_wait 3 "notify script saw the stop" grep -q "r1 INSTANCE VI_1 STOP" "$WORK/notify.log"
echo "# notify calls: $(notify_seq)"
ok "notify calls in transition order" bash -c "[[ '$(notify_seq)' == 'r1 INSTANCE VI_1 BACKUP 100 r1 INSTANCE VI_1 MASTER 100 '* ]]"
ok "notify saw FAULT then BACKUP then MASTER after the link cut" bash -c "tr '\n' ' ' <$WORK/notify.log | grep -q 'FAULT 100 r1 INSTANCE VI_1 BACKUP 100 r1 INSTANCE VI_1 MASTER 100'"
finish
