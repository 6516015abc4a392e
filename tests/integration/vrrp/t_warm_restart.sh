#!/usr/bin/env bash
# Warm restart: a MASTER's halo-vrrpd killed and started again at once keeps
# the VIP (its state file says MASTER and the VIP is still there) and the
# peer never takes over; a clean stop (SIGTERM) records INIT, so the next
# start is cold; a restarted ex-MASTER that hears a higher-priority MASTER
# ends BACKUP and removes the leftover VIP.
#
#   r1 (prio 100) eth0 192.168.0.1 ─┐
#                                    ├─ br0 (namespace sw)
#   r2 (prio 90)  eth0 192.168.0.2 ─┘
#   VIP 192.168.0.100/24, adverts every 1 s (Master_Down_Interval 3.6 s:
#   room for a slow restart plus the one-interval listening window)
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/common.sh"
need_root
LAN_NAMES=(r1 r2); make_lan "${LAN_NAMES[@]}"
addr r1 192.168.0.1; addr r2 192.168.0.2
VIP=192.168.0.100
c1=$(conf r1 100 interval=1s); c2=$(conf r2 90 interval=1s)
STATE=$WORK/r1/run/halo-vrrpd.state

start_vrrpd r1 "$c1"; start_vrrpd r2 "$c2"
expect_wait 20 "r1 MASTER" state_is r1 VI_1 MASTER
expect_wait 20 "r2 BACKUP" state_is r2 VI_1 BACKUP
expect_wait 10 "state file records r1 MASTER" grep -qx "state=MASTER instance=VI_1" "$STATE"
ok "state file is mode 0600" test "$(stat -c %a "$STATE")" = 600
ok "no temporary file left" bash -c "! ls -A '$WORK/r1/run' | grep -q tmp"

kill_r1() { local p; p=$(vrrpd_pid r1); kill -"$1" "$p"; wait "$p" 2>/dev/null; }
vip_deleted() { grep -q "Deleted.*inet $VIP/" "$1"; }

# --- 1. SIGKILL and an immediate restart: nothing moves
bm2=$(status_field r2 VI_1 became_master); t2=$(status_field r2 VI_1 transitions)
MON=$WORK/r1-addr-events.txt
ip -n "$(ns_name r1)" monitor address >"$MON" 2>&1 &
PIDS+=($!)
kill_r1 9
start_vrrpd r1 "$c1"
expect_wait 20 "restarted r1 is MASTER again" state_is r1 VI_1 MASTER
ok "log: warm start decided" grep -q "(VI_1) warm start: previous run was MASTER instance=VI_1 start=warm vips_present=1/1" "$WORK/r1/vrrpd.log"
ok "log: MASTER after a silent window" grep -q "Entering MASTER STATE .* from=INIT reason=warm_restart" "$WORK/r1/vrrpd.log"
ok "the VIP was never removed from r1" bash -c "! grep -q 'Deleted.*inet $VIP/' '$MON'"
ok "r1 holds the VIP" has_vip r1 $VIP
ok "r2 never became MASTER" test "$(status_field r2 VI_1 became_master)" = "$bm2"
ok "r2 made no transition" test "$(status_field r2 VI_1 transitions)" = "$t2"
ok "VIP only on r1" exactly_one_vip $VIP r1 r2

# --- 2. SIGTERM records INIT: the next start is cold (Backup first, then preempt)
kill_r1 TERM
expect_wait 20 "r2 takes over on r1's SIGTERM" state_is r2 VI_1 MASTER
ok "state file records INIT after a clean stop" grep -qx "state=INIT instance=VI_1" "$STATE"
ok "r1 removed its VIP on SIGTERM" bash -c "! ip -n $(ns_name r1) -o addr show dev eth0 | grep -qw $VIP"
warm_lines() { grep -c "warm start" "$WORK/r1/vrrpd.log"; }
w0=$(warm_lines)
start_vrrpd r1 "$c1"
expect_wait 20 "r1 (cold) preempts back to MASTER" state_is r1 VI_1 MASTER
ok "the cold start went through BACKUP" test "$(grep -c 'Entering BACKUP STATE .* from=INIT reason=startup' "$WORK/r1/vrrpd.log")" -ge 2
ok "no warm start after a clean stop" test "$(warm_lines)" = "$w0"
expect_wait 10 "VIP only on r1" exactly_one_vip $VIP r1 r2

# --- 3. state MASTER, but a higher-priority MASTER runs now: r1 ends BACKUP
kill_r1 9
expect_wait 20 "r2 takes over after r1 is killed" state_is r2 VI_1 MASTER
ok "the killed r1 left its VIP behind" has_vip r1 $VIP
conf r2 200 interval=1s >/dev/null
kill -HUP "$(vrrpd_pid r2)"
expect_wait 20 "r2 reloaded at priority 200" test "$(status_field r2 VI_1 priority)" = 200
t2=$(status_field r2 VI_1 transitions)
start_vrrpd r1 "$c1"
expect_wait 20 "restarted r1 ends BACKUP" state_is r1 VI_1 BACKUP
ok "log: warm start decided" test "$(warm_lines)" -gt "$w0"
ok "log: BACKUP because of the higher-priority master" grep -q "Entering BACKUP STATE .* priority=100 from=INIT reason=preempted" "$WORK/r1/vrrpd.log"
expect_wait 10 "r1 removed the leftover VIP" bash -c "! ip -n $(ns_name r1) -o addr show dev eth0 | grep -qw $VIP"
ok "r2 stayed MASTER" state_is r2 VI_1 MASTER
ok "r2 made no transition" test "$(status_field r2 VI_1 transitions)" = "$t2"
ok "VIP only on r2" exactly_one_vip $VIP r1 r2
expect_wait 10 "state file records r1 BACKUP" grep -qx "state=BACKUP instance=VI_1" "$STATE"
finish
