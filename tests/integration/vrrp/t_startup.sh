#!/usr/bin/env bash
# Startup: startup_delay keeps a fresh instance in INIT (no adverts, no VIPs)
# for that long; startup_hold starts it as BACKUP that does not preempt a
# running lower-priority master until the hold is over (a rebooted director
# does not take the VIP back at once).
#
#   r1 (prio 100) eth0 192.168.0.1 ─┐
#                                    ├─ br0 (namespace sw)
#   r2 (prio 90)  eth0 192.168.0.2 ─┘
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/common.sh"
need_root
LAN_NAMES=(r1 r2); make_lan "${LAN_NAMES[@]}"
addr r1 192.168.0.1; addr r2 192.168.0.2
VIP=192.168.0.100

start_vrrpd r2 "$(conf r2 90)"
expect_wait 5 "r2 alone becomes MASTER" state_is r2 VI_1 MASTER

# startup_delay 1.5s: INIT first
t0=$(date +%s%N)
start_vrrpd r1 "$(conf r1 100 extra='      startup_delay: 3s')"
ok "r1 is in INIT during startup_delay" state_is r1 VI_1 INIT
ok "r1 sent no advert while in INIT" test "$(status_field r1 VI_1 adverts_sent)" -eq 0
ok "r2 still MASTER meanwhile" state_is r2 VI_1 MASTER
wait_for 10 "r1 MASTER" state_is r1 VI_1 MASTER
dt=$(( ($(date +%s%N) - t0) / 1000000 ))
echo "# r1 MASTER ${dt} ms after its start (startup_delay 3000 ms + Master_Down 0.36 s; polling adds)"
ok "r1 took over only after the delay" test $dt -ge 3000
ok "r1 logged the end of the delay" grep -q "startup_delay over" "$WORK/r1/vrrpd.log"
expect_wait 2 "r2 back to BACKUP" state_is r2 VI_1 BACKUP

# startup_hold 2s: r1 restarts as BACKUP under r2 and preempts only after the hold
kill -9 "$(vrrpd_pid r1)"
expect_wait 5 "r2 takes over when r1 dies" state_is r2 VI_1 MASTER
nsx r1 ip addr del $VIP/24 dev eth0 2>/dev/null
rm -rf "$WORK/r1/run"
t0=$(date +%s%N)
start_vrrpd r1 "$(conf r1 100 extra='      startup_hold: 8s')"
expect_wait 2 "r1 starts as BACKUP" state_is r1 VI_1 BACKUP
t2=$(status_field r2 VI_1 transitions)
sleep 0.5
ok "r1 does not preempt r2 during startup_hold" state_is r1 VI_1 BACKUP
ok "r2 made no transition meanwhile" test "$(status_field r2 VI_1 transitions)" = "$t2"
wait_for 15 "r1 MASTER" state_is r1 VI_1 MASTER
dt=$(( ($(date +%s%N) - t0) / 1000000 ))
echo "# r1 preempted ${dt} ms after its start (startup_hold 8000 ms; polling adds)"
ok "r1 preempted only after the hold (>= 8 s)" test $dt -ge 8000
ok "by preemption after the hold (reason master_down, r2's adverts discarded)" bash -c "grep 'Entering' $WORK/r1/vrrpd.log | tail -n 1 | grep -q 'Entering MASTER STATE.*reason=master_down'"
expect_wait 2 "exactly one VIP holder" exactly_one_vip $VIP r1 r2
finish
