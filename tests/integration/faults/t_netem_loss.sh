#!/usr/bin/env bash
# 20 % random loss (netem) on the MASTER's link at 100 ms adverts for 60 s:
# the backup may only take over when at least three adverts in a row are lost
# (a gap longer than Master_Down_Interval). The gaps are counted from a tcpdump
# capture in the backup and compared with the backup's became_master counter
# and with the expected number of 3-in-a-row losses, N x (1 - p) x p^3.
# Needs sch_netem: when `tc qdisc add ... netem` fails the test skips (77).
#
#   r1 (prio 100) eth0 192.168.0.1 [netem loss 20 % egress] ─┐
#                                                             ├─ br0 (namespace sw)
#   r2 (prio 90)  eth0 192.168.0.2  tcpdump                  ─┘
#   Master_Down_Interval(r2) = 3 x 100 + (256 - 90) x 100 / 256 = 365 ms
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../vrrp/common.sh"
. "$(dirname "$0")/faults.sh"
need_root
DURATION=${LOSS_SECONDS:-60}
LOSS=${LOSS_PERCENT:-20}
command -v tcpdump >/dev/null || { echo "SKIP: tcpdump not installed"; exit $KSFT_SKIP; }
LAN_NAMES=(r1 r2); make_lan "${LAN_NAMES[@]}"
addr r1 192.168.0.1; addr r2 192.168.0.2
if [ "${LOSS_NO_NETEM:-0}" != 1 ] && ! nsx r1 tc qdisc add dev eth0 root netem loss "$LOSS%" 2>"$WORK/tc.err"; then
	echo "SKIP: this kernel has no sch_netem ($(cat "$WORK/tc.err")); tc actions (act_gact) and nftables are missing too, so there is no other way to drop at random here"
	exit $KSFT_SKIP
fi
VIP=192.168.0.100
c1=$(conf r1 100); c2=$(conf r2 90)
sed -i 's/realtime_priority: 0/realtime_priority: 50/' "$c1" "$c2"
start_vrrpd r1 "$c1"
expect_wait 10 "r1 MASTER" state_is r1 VI_1 MASTER
start_vrrpd r2 "$c2"
expect_wait 10 "r2 BACKUP" state_is r2 VI_1 BACKUP
sleep 1
nsx r2 tcpdump -n -i eth0 -w "$WORK/r2.pcap" -U "ip proto 112 and src host 192.168.0.1" >"$WORK/tcpdump.log" 2>&1 &
TCPDUMP=$!; PIDS+=($TCPDUMP)
wait_for 10 "tcpdump listens" grep -q "listening on" "$WORK/tcpdump.log"
b0=$(status_field r2 VI_1 became_master)
sleep "$DURATION"
b1=$(status_field r2 VI_1 became_master)
kill "$TCPDUMP"; wait "$TCPDUMP" 2>/dev/null
read -r got gaps3 expected sent < <(tcpdump -n -tt -r "$WORK/r2.pcap" 2>/dev/null | python3 -c '
import sys
p, mdi = float(sys.argv[1]) / 100, 0.365
t = [float(l.split()[0]) for l in sys.stdin if l.strip()]
sent = round((t[-1] - t[0]) / 0.1) + 1 if t else 0   # adverts r1 sent while we captured
gaps = sum(1 for a, b in zip(t, t[1:]) if b - a > mdi)
print(len(t), gaps, "%.2f" % (sent * (1 - p) * p ** 3), sent)
' "$LOSS")
echo "# r1 sent about $sent adverts while captured, r2 got $got ($(( (sent - got) * 100 / (sent > 0 ? sent : 1) )) % lost)"
echo "# gaps longer than Master_Down_Interval: $gaps3 (expected about $expected for 3-in-a-row losses); r2 became MASTER $((b1 - b0)) times"
ok "r2 captured r1's adverts" test "$got" -gt 0
ok "every takeover by r2 is explained by a gap of 3+ lost adverts" test $((b1 - b0)) -le "$gaps3"
ok "r1 is MASTER at the end" state_is r1 VI_1 MASTER
expect_wait 10 "VIP only on r1 at the end" exactly_one_vip $VIP r1 r2
finish
