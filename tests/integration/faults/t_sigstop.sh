#!/usr/bin/env bash
# SIGSTOP vrrpd on the MASTER for 2 x Master_Down_Interval, then SIGCONT: the
# backup takes over while the master is frozen; after SIGCONT the resumed
# master's first advert sends the backup back, within one advert interval, so
# the VIP sits on two routers no longer than that. Timing comes from
# `ip -ts monitor address` in each router.
#
#   r1 (prio 100) eth0 192.168.0.1 ─┐
#                                    ├─ br0 (namespace sw)
#   r2 (prio 90)  eth0 192.168.0.2 ─┘
#   VIP 192.168.0.100/24, adverts every 100 ms
#   Master_Down_Interval(r2) = 3 x 100 + (256 - 90) x 100 / 256 = 365 ms
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../vrrp/common.sh"
. "$(dirname "$0")/faults.sh"
need_root
LAN_NAMES=(r1 r2); make_lan "${LAN_NAMES[@]}"
addr r1 192.168.0.1; addr r2 192.168.0.2
VIP=192.168.0.100
INTERVAL_MS=100
c1=$(conf r1 100); c2=$(conf r2 90)
rt50 "$c1" "$c2"
watch_addrs r1; watch_addrs r2
start_vrrpd r1 "$c1"
expect_wait 10 "r1 MASTER" state_is r1 VI_1 MASTER
start_vrrpd r2 "$c2"
expect_wait 10 "r2 BACKUP" state_is r2 VI_1 BACKUP
expect_wait 10 "VIP only on r1" exactly_one_vip $VIP r1 r2

for round in 1 2 3; do
	t2=$(status_field r2 VI_1 transitions)
	kill -STOP "$(vrrpd_pid r1)"
	sleep 0.73   # 2 x Master_Down_Interval
	expect_wait 10 "round $round: r2 MASTER while r1 is frozen" state_is r2 VI_1 MASTER
	expect_wait 10 "round $round: r2 holds the VIP while r1 is frozen" has_vip r2 $VIP
	T0=$(now_wall)
	kill -CONT "$(vrrpd_pid r1)"
	expect_wait 10 "round $round: r2 back to BACKUP after SIGCONT" state_is r2 VI_1 BACKUP
	expect_wait 10 "round $round: VIP only on r1 again" exactly_one_vip $VIP r1 r2
	sleep 0.2   # let ip monitor write the deletion
	gone=$($TOOL vipgone "$WORK/r2/addr.log" $VIP "$T0")
	echo "# round $round: VIP left r2 ${gone} ms after SIGCONT (bound ${INTERVAL_MS} ms)"
	ok "round $round: VIP on two routers for at most one advert interval after SIGCONT" \
		test "$gone" -ge 0 -a "$gone" -le $INTERVAL_MS
	ok "round $round: r1 never let go of the VIP" test "$($TOOL vipheld "$WORK/r1/addr.log" $VIP "$(now_wall)")" = 1
	ok "round $round: r1 still MASTER" state_is r1 VI_1 MASTER
	ok "round $round: r2 made exactly two transitions" test "$(status_field r2 VI_1 transitions)" -eq $((t2 + 2))
done
ok "r1 never left MASTER (one transition in all)" test "$(grep -c 'Entering' "$WORK/r1/vrrpd.log")" -eq 2
finish
