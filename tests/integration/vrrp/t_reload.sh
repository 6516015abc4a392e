#!/usr/bin/env bash
# SIGHUP reload: same file -> no transition and no missed advert; a priority
# change applied in place; a bad file rejected while the old config runs.
#
#   r1 (100) ─┐
#              ├─ br0    VIP 192.168.0.100
#   r2 (90)  ─┘
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/common.sh"
need_root
LAN_NAMES=(r1 r2); make_lan "${LAN_NAMES[@]}"
addr r1 192.168.0.1; addr r2 192.168.0.2
c1=$(conf r1 100); c2=$(conf r2 90)
start_vrrpd r1 "$c1"; start_vrrpd r2 "$c2"
expect_wait 5 "r1 MASTER" state_is r1 VI_1 MASTER
expect_wait 5 "r2 BACKUP" state_is r2 VI_1 BACKUP
t1=$(status_field r1 VI_1 transitions); t2=$(status_field r2 VI_1 transitions)
for i in $(seq 20); do kill -HUP "$(vrrpd_pid r1)"; kill -HUP "$(vrrpd_pid r2)"; sleep 0.05; done
wait_for 3 "reloads counted" test "$(status_field r1 VI_1 transitions)" -ge 0
sleep 0.5
ok "20 reloads: r1 made no transition" test "$(status_field r1 VI_1 transitions)" -eq "$t1"
ok "20 reloads: r2 made no transition" test "$(status_field r2 VI_1 transitions)" -eq "$t2"
ok "r1 still MASTER" state_is r1 VI_1 MASTER
ok "r2 never became MASTER" test "$(status_field r2 VI_1 became_master)" -eq 0

# priority change in place: r2 becomes 110 and preempts
conf r2 110 >/dev/null
kill -HUP "$(vrrpd_pid r2)"
expect_wait 5 "r2 with new priority 110 preempts" state_is r2 VI_1 MASTER
ok "r2 reports priority 110" test "$(status_field r2 VI_1 priority)" -eq 110

# a bad file: logged, old config keeps running
echo "vrrp: { instances: [ { name: VI_1, vrid: 300 } ] }" >"$WORK/r2.yaml"
kill -HUP "$(vrrpd_pid r2)"
expect_wait 3 "bad reload is logged with file:line:col" grep -q "r2.yaml:1:[0-9]*: " "$WORK/r2/vrrpd.log"
ok "bad reload: r2 still MASTER" state_is r2 VI_1 MASTER
ok "bad reload: priority still 110" test "$(status_field r2 VI_1 priority)" -eq 110
ok "bad reload: the daemon is alive" kill -0 "$(vrrpd_pid r2)"
ok "haloctl check rejects the bad file" bash -c "! $HALOCTL check $WORK/r2.yaml 2>/dev/null"
finish
