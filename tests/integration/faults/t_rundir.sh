#!/usr/bin/env bash
# The run dir is removed under the running daemons: vrrpd re-creates its
# control socket within a few seconds (housekeeping once a second) and
# `haloctl --run-dir DIR status` works again; the VRRP state is untouched.
# The checker, running as nobody, gets its socket back from its keeper
# (uid 0, no capabilities): root's and 0600 as at start.
#
#   r1 (prio 100) eth0 192.168.0.1 ─┐  halo-vrrpd + halo-checker, run dir $WORK/r1/run
#                                    ├─ br0 (namespace sw)
#   r2 (prio 90)  eth0 192.168.0.2 ─┘  halo-vrrpd
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../vrrp/common.sh"
. "$(dirname "$0")/faults.sh"
need_root
[ -x "$CHECKER" ] || { echo "no $CHECKER (build first)"; exit 1; }
chmod 755 "$WORK"
LAN_NAMES=(r1 r2); make_lan "${LAN_NAMES[@]}"
addr r1 192.168.0.1; addr r2 192.168.0.2
VIP=192.168.0.100
c1=$(conf r1 100); c2=$(conf r2 90)
rt50 "$c1" "$c2"
with_checker "$c1"
start_vrrpd r1 "$c1"; start_checker r1 "$c1"; start_vrrpd r2 "$c2"
expect_wait 10 "r1 MASTER" state_is r1 VI_1 MASTER
expect_wait 10 "r2 BACKUP" state_is r2 VI_1 BACKUP
RUN=$WORK/r1/run
ok "haloctl status works before" bash -c "$HALOCTL --run-dir $RUN status >/dev/null"
t1=$(status_field r1 VI_1 transitions)
for round in 1 2; do
	rm -rf "$RUN"
	ok "round $round: the run dir is gone" test ! -e "$RUN"
	expect_wait 10 "round $round: vrrpd re-created its socket" test -S "$RUN/halo-vrrpd.sock"
	expect_wait 10 "round $round: haloctl --run-dir status works again" bash -c "$HALOCTL --run-dir $RUN status >/dev/null"
	ok "round $round: the new socket is mode 0600" test "$(stat -c %a "$RUN/halo-vrrpd.sock")" = 600
	expect_wait 10 "round $round: the checker re-created its socket" test -S "$RUN/halo-checker.sock"
	expect_wait 10 "round $round: the checker answers on it" $TOOL status "$RUN/halo-checker.sock"
	ok "round $round: the checker's socket is root's and 0600" test "$(stat -c %U:%a "$RUN/halo-checker.sock")" = root:600
	ok "round $round: r1 still MASTER, no transition" test "$(status_field r1 VI_1 transitions)" -eq "$t1"
	ok "round $round: VIP only on r1" exactly_one_vip $VIP r1 r2
done
ok "vrrpd logged the re-creation" grep -q "control socket .* re-created" "$WORK/r1/vrrpd.log"
ok "the checker is still running" kill -0 "$(checker_pid r1)"
ok "the checker logged the re-creation" grep -q "control socket .*halo-checker.sock re-created" "$WORK/r1/checker.log"
ok "the checker still runs as nobody" test "$(awk '$1 == "Uid:" { print $2 }' "/proc/$(checker_pid r1)/status")" = "$(id -u nobody)"
kill -TERM "$(checker_pid r1)"
expect_wait 10 "the stopped checker's socket file is gone (removed by its keeper)" test ! -e "$RUN/halo-checker.sock"
finish
