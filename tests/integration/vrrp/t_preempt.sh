#!/usr/bin/env bash
# preempt: false keeps a lower-priority MASTER; preempt_delay holds a
# higher-priority BACKUP off for the delay, then it takes over.
#
#   r1 ─┐
#        ├─ br0      VIP 192.168.0.100
#   r2 ─┘
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/common.sh"
need_root
LAN_NAMES=(r1 r2); make_lan "${LAN_NAMES[@]}"
addr r1 192.168.0.1; addr r2 192.168.0.2
VIP=192.168.0.100

# r2 (90) alone becomes MASTER; r1 (100, preempt false) joins and must not take over
start_vrrpd r2 "$(conf r2 90)"
expect_wait 5 "r2 alone becomes MASTER" state_is r2 VI_1 MASTER
start_vrrpd r1 "$(conf r1 100 preempt=false)"
expect_wait 5 "r1 (nopreempt) starts as BACKUP" state_is r1 VI_1 BACKUP
sleep 1   # ten advert intervals: a preempting r1 would have taken over by now
ok "nopreempt: r1 stays BACKUP under a lower-priority master" state_is r1 VI_1 BACKUP
ok "r2 still MASTER" state_is r2 VI_1 MASTER
ok "VIP still on r2 only" exactly_one_vip $VIP r1 r2
kill -TERM "$(vrrpd_pid r1)"; wait_for 3 "r1 gone" bash -c "! kill -0 $(vrrpd_pid r1)"

# preempt_delay 1.5s: r1 waits, then preempts
start_vrrpd r1 "$(conf r1 100 preempt_delay=1500ms)"
expect_wait 3 "r1 with preempt_delay starts as BACKUP" state_is r1 VI_1 BACKUP
sleep 0.8
ok "preempt_delay: r1 still BACKUP before the delay" state_is r1 VI_1 BACKUP
expect_wait 4 "preempt_delay: r1 preempts after the delay" state_is r1 VI_1 MASTER
expect_wait 2 "VIP moved to r1 only" exactly_one_vip $VIP r1 r2
ok "r2 back to BACKUP" state_is r2 VI_1 BACKUP
finish
