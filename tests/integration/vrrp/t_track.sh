#!/usr/bin/env bash
# Tracking: each tracker kind moves r1's effective priority (or puts it in
# FAULT) and the VIP moves to r2 and back; a hung script is killed and counts
# as a failure; a priority change reaches the wire in the next advert.
#
#   r1 (prio 100) eth0 192.168.0.1 ─┐        r1 also has trk0 <-> trk1 (a veth
#                                    ├─ br0   pair inside r1, the tracked link)
#   r2 (prio 90)  eth0 192.168.0.2 ─┘
#   VIP 192.168.0.100/24
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/common.sh"
need_root
LAN_NAMES=(r1 r2); make_lan "${LAN_NAMES[@]}"
addr r1 192.168.0.1; addr r2 192.168.0.2
VIP=192.168.0.100
nsx r1 ip link add trk0 type veth peer name trk1
nsx r1 ip link set trk1 up; nsx r1 ip link set trk0 up
# a process only this test runs: its comm is the file name (15 chars at most)
PROC="htrk$SUFFIX"
cp "$(command -v sleep)" "$WORK/$PROC"
echo 0 >"$WORK/prio"
touch "$WORK/ok"

scripts="    chk_ok: { command: [/usr/bin/test, -e, $WORK/ok], interval: 100ms, timeout: 1s, rise: 2, fall: 2, weight: 0 }
    chk_hang: { command: [/bin/sleep, \"30\"], interval: 200ms, timeout: 150ms, weight: -5 }"
extra="      track_interfaces: [ { name: trk0, weight: -30, delay_up: 300ms } ]
      track_scripts: [ chk_ok, chk_hang ]
      track_files: [ $WORK/prio ]
      track_processes: [ { name: $PROC, weight: 10 } ]"
c1=$(conf r1 100 scripts="$scripts" extra="$extra"); c2=$(conf r2 90)

prio_is() { [ "$(status_field "$1" VI_1 priority)" = "$2" ]; }
master_prio_is() { [ "$(status_field "$1" VI_1 master_priority)" = "$2" ]; }
start_vrrpd r2 "$c2"
start_vrrpd r1 "$c1"
# r1: 100 - 5 (hung script) = 95 > 90
expect_wait 5 "r1 becomes MASTER at 95 (100, hung script -5)" state_is r1 VI_1 MASTER
expect_wait 3 "r1's effective priority is 95" prio_is r1 95
ok "r2 is BACKUP" state_is r2 VI_1 BACKUP
ok "the hung script was killed and logged" grep -q "track script chk_hang timed out" "$WORK/r1/vrrpd.log"
hang_timeouts() {
	"$HALOCTL" --run-dir "$WORK/r1/run" status --json | python3 -c '
import json, sys
s = [x for x in json.load(sys.stdin)["vrrp"]["track_scripts"] if x["name"] == "chk_hang"][0]
print(s["timeouts"], s["failures"], s["up"])'
}
hang_ok() { set -- $(hang_timeouts); [ "$1" -ge 2 ] && [ "$2" -ge "$1" ] && [ "$3" = False ]; }
expect_wait 3 "the hung script's timeouts count as failures" hang_ok

# process: running adds 10
"$WORK/$PROC" 60 & PIDS+=($!)
expect_wait 3 "process tracker: $PROC running adds 10 (105)" prio_is r1 105
# the Master announces a new priority at once: r2 learns it without waiting an interval
expect_wait 1 "r2 sees r1's new priority" master_prio_is r2 105

# file: -20 -> 85 < 90: r2 preempts
echo -20 >"$WORK/prio"
expect_wait 2 "file tracker: priority 85" prio_is r1 85
expect_wait 3 "r2 takes over when r1's priority drops below it" state_is r2 VI_1 MASTER
expect_wait 2 "VIP moves to r2" exactly_one_vip $VIP r1 r2
ok "the holder is r2" has_vip r2 $VIP
echo 0 >"$WORK/prio"
expect_wait 3 "file back to 0: r1 preempts back" state_is r1 VI_1 MASTER
expect_wait 2 "VIP back on r1" has_vip r1 $VIP

# interface: trk0 down -> -30 (75): r2 takes over; up counts only after 300 ms
nsx r1 ip link set trk1 down
expect_wait 2 "interface tracker: trk0 down gives 75" prio_is r1 75
expect_wait 3 "r2 takes over on r1's tracked link loss" state_is r2 VI_1 MASTER
nsx r1 ip link set trk1 up
t0=$(date +%s%N)
wait_for 3 "priority back to 105" prio_is r1 105
dt=$(( ($(date +%s%N) - t0) / 1000000 ))
echo "# trk0 up counted after ${dt} ms (delay_up 300ms)"
ok "delay_up holds the up state back (>= 250 ms)" test $dt -ge 250
expect_wait 3 "r1 preempts back after the link is up" state_is r1 VI_1 MASTER

# script weight 0: failing twice (fall 2) puts r1 in FAULT
rm -f "$WORK/ok"
expect_wait 3 "script tracker with weight 0: r1 enters FAULT" state_is r1 VI_1 FAULT
expect_wait 3 "r2 becomes MASTER" state_is r2 VI_1 MASTER
ok "r1 holds no VIP in FAULT" bash -c "! ip -n $(ns_name r1) -o addr show dev eth0 | grep -qw $VIP"
touch "$WORK/ok"
expect_wait 3 "script ok again (rise 2): r1 leaves FAULT and preempts" state_is r1 VI_1 MASTER
expect_wait 2 "exactly one VIP holder" exactly_one_vip $VIP r1 r2
ok "status lists four tracker kinds" bash -c "\"$HALOCTL\" --run-dir $WORK/r1/run status --json | grep -o '\"kind\": *\"[a-z]*\"' | sort -u | wc -l | grep -qx 4"

# reload with the same trackers keeps the effective priority (not reset to base)
kill -HUP "$(vrrpd_pid r1)"
sleep 0.3
ok "after reload the effective priority is still 105" prio_is r1 105
ok "after reload r1 is still MASTER" state_is r1 VI_1 MASTER
# ---- interop: tracking-driven failover against keepalived ----
kill -TERM "$(vrrpd_pid r1)" "$(vrrpd_pid r2)"
for n in r1 r2; do wait_for 3 "$n stopped" bash -c "! kill -0 $(vrrpd_pid $n)"; rm -rf "$WORK/$n/run"; done
echo 0 >"$WORK/prio"; echo 0 >"$WORK/kaprio"
start_vrrpd r1 "$(conf r1 100 extra="      track_files: [ $WORK/prio ]")"
start_keepalived r2 "$(kaconf r2 90 top="vrrp_track_file kf {\n  file $WORK/kaprio\n  weight 1\n}" extra="  track_file {\n    kf\n  }")"
expect_wait 6 "interop: halo (100) MASTER" state_is r1 VI_1 MASTER
expect_wait 6 "interop: keepalived (90) BACKUP" ka_state_is r2 BACKUP
echo -20 >"$WORK/prio"
expect_wait 5 "interop: halo's file drops it to 80, keepalived takes over" ka_state_is r2 MASTER
expect_wait 3 "interop: halo BACKUP" state_is r1 VI_1 BACKUP
echo 0 >"$WORK/prio"
expect_wait 5 "interop: halo back at 100 preempts keepalived" state_is r1 VI_1 MASTER
expect_wait 5 "interop: keepalived BACKUP again" ka_state_is r2 BACKUP
echo 30 >"$WORK/kaprio"
expect_wait 5 "interop: keepalived's own track_file (+30 = 120) preempts halo" ka_state_is r2 MASTER
expect_wait 3 "interop: halo follows to BACKUP" state_is r1 VI_1 BACKUP
ok "interop: halo saw keepalived's priority 120" test "$(status_field r1 VI_1 master_priority)" = 120
finish
