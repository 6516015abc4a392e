#!/usr/bin/env bash
# SIGKILL each daemon on the MASTER in turn: the checker's death moves nothing
# and its subscriber reconnects to the restarted one; only vrrpd's death moves
# the VIP, and the restarted vrrpd (preempt off, so it stays BACKUP) removes the
# VIP its killed predecessor left behind.
#
#   r1 (prio 100, preempt off) eth0 192.168.0.1 ─┐  halo-vrrpd + halo-checker
#                                                 ├─ br0 (namespace sw)
#   r2 (prio 90)               eth0 192.168.0.2 ─┘  halo-vrrpd + halo-checker
#   VIP 192.168.0.100/24, adverts every 100 ms; ipvs-sync is covered in tests/vm
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../vrrp/common.sh"
. "$(dirname "$0")/faults.sh"
need_root
[ -x "$CHECKER" ] || { echo "no $CHECKER (build first)"; exit 1; }
chmod 755 "$WORK"      # the checker drops to nobody
LAN_NAMES=(r1 r2); make_lan "${LAN_NAMES[@]}"
addr r1 192.168.0.1; addr r2 192.168.0.2
VIP=192.168.0.100
c1=$(conf r1 100 preempt=false); c2=$(conf r2 90)
rt50 "$c1" "$c2"
with_checker "$c1"; with_checker "$c2"

start_vrrpd r1 "$c1"; start_checker r1 "$c1"
expect_wait 10 "r1 MASTER" state_is r1 VI_1 MASTER
start_vrrpd r2 "$c2"; start_checker r2 "$c2"
expect_wait 10 "r2 BACKUP" state_is r2 VI_1 BACKUP
expect_wait 10 "VIP only on r1" exactly_one_vip $VIP r1 r2
SUB=$WORK/r1/sub.jsonl
$TOOL sub "$WORK/r1/run/halo-checker.sock" "$SUB" &
PIDS+=($!)
snapshots() { [ "$(grep -c '"type":"snapshot"' "$SUB")" -ge "$1" ]; }
expect_wait 10 "subscriber got the checker's snapshot" snapshots 1

# --- the checker on the MASTER dies: nothing moves, the subscriber reconnects
t1=$(status_field r1 VI_1 transitions); t2=$(status_field r2 VI_1 transitions)
kill -9 "$(checker_pid r1)"
expect_wait 10 "subscriber saw the checker go away" grep -q '^#lost 1' "$SUB"
sleep 1   # > 2 x Master_Down_Interval (0.36 s): time for a wrong failover to show
ok "checker killed: r1 still MASTER" state_is r1 VI_1 MASTER
ok "checker killed: VIP still only on r1" exactly_one_vip $VIP r1 r2
ok "checker killed: no transition on r1" test "$(status_field r1 VI_1 transitions)" -eq "$t1"
ok "checker killed: no transition on r2" test "$(status_field r2 VI_1 transitions)" -eq "$t2"
start_checker r1 "$c1"
ok "restarted checker answers on the old socket path (stale socket replaced)" bash -c "$TOOL status $WORK/r1/run/halo-checker.sock >/dev/null"
expect_wait 10 "subscriber reconnected by itself" grep -q '^#connected 2' "$SUB"
expect_wait 10 "subscriber got a fresh snapshot from the new checker" snapshots 2
ok "the new snapshot lists the real server" bash -c "grep '\"type\":\"snapshot\"' '$SUB' | tail -n 1 | grep -q 192.168.0.9"

# --- vrrpd on the MASTER dies: the VIP moves; the restart leaves no stale VIP
kill -9 "$(vrrpd_pid r1)"
expect_wait 10 "vrrpd killed: r2 takes over" state_is r2 VI_1 MASTER
expect_wait 10 "vrrpd killed: r2 holds the VIP" has_vip r2 $VIP
ok "r2 made exactly one transition" test "$(status_field r2 VI_1 transitions)" -eq $((t2 + 1))
ok "the killed vrrpd left its VIP on r1 (nobody could remove it)" has_vip r1 $VIP
ok "the checker on r1 outlived vrrpd" kill -0 "$(checker_pid r1)"
start_vrrpd r1 "$c1"
expect_wait 10 "restarted r1 (preempt off) is BACKUP" state_is r1 VI_1 BACKUP
expect_wait 10 "restarted r1 removed the stale VIP" bash -c "! ip -n $(ns_name r1) -o addr show dev eth0 | grep -qw $VIP"
sleep 0.5
ok "VIP only on r2 after the restart" exactly_one_vip $VIP r1 r2
ok "r2 stayed MASTER through r1's restart" state_is r2 VI_1 MASTER
ok "r2 made no further transition" test "$(status_field r2 VI_1 transitions)" -eq $((t2 + 1))

# --- now r2 is MASTER: kill its checker too; nothing moves
kill -9 "$(checker_pid r2)"
sleep 1
ok "r2's checker killed: r2 still MASTER" state_is r2 VI_1 MASTER
ok "r2's checker killed: VIP still only on r2" exactly_one_vip $VIP r1 r2
finish
