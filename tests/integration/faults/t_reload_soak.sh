#!/usr/bin/env bash
# Reload soak: 10,000 SIGHUPs (every tenth a burst of two within 1 ms) to each
# vrrpd of a running pair and to the checker beside the MASTER, as fast as they
# reload (each signal waits for status.reloads to move). Unchanged instances
# make 0 transitions; fd count and RSS after the soak stay within a small bound
# of the figures after a warm-up.
#
#   r1 (prio 100) eth0 192.168.0.1 ─┐  halo-vrrpd + halo-checker
#                                    ├─ br0 (namespace sw)
#   r2 (prio 90)  eth0 192.168.0.2 ─┘  halo-vrrpd
#   VIP 192.168.0.100/24, adverts every 100 ms
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../vrrp/common.sh"
. "$(dirname "$0")/faults.sh"
need_root
[ -x "$CHECKER" ] || { echo "no $CHECKER (build first)"; exit 1; }
N=${SOAK_N:-10000}
WARM=300
RSS_BOUND_KB=${SOAK_RSS_BOUND_KB:-4096}
# ASan keeps freed memory in a quarantine (256 MB by default): cap it so RSS means something
if ldd "$VRRPD" | grep -q libasan || nm "$VRRPD" 2>/dev/null | grep -q __asan_init; then
	export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=4
	RSS_BOUND_KB=$((RSS_BOUND_KB * 2))
fi
chmod 755 "$WORK"
LAN_NAMES=(r1 r2); make_lan "${LAN_NAMES[@]}"
addr r1 192.168.0.1; addr r2 192.168.0.2
VIP=192.168.0.100
c1=$(conf r1 100); c2=$(conf r2 90)
# as deployed (etc/halo.yaml): SCHED_RR 50, so a loaded machine cannot starve the adverts
sed -i 's/realtime_priority: 0/realtime_priority: 50/' "$c1" "$c2"
with_checker "$c1"
start_vrrpd r1 "$c1"; start_checker r1 "$c1"
expect_wait 10 "r1 MASTER" state_is r1 VI_1 MASTER
start_vrrpd r2 "$c2"
expect_wait 10 "r2 BACKUP" state_is r2 VI_1 BACKUP
S1=$WORK/r1/run/halo-vrrpd.sock S2=$WORK/r2/run/halo-vrrpd.sock SC=$WORK/r1/run/halo-checker.sock
P1=$(vrrpd_pid r1) P2=$(vrrpd_pid r2) PC=$(checker_pid r1)
# the daemons run under `ip netns exec`, which execs them: the pids are theirs
# the fewest fds over 1 s: the checker's probe socket comes and goes every 300 ms
fds() {
	local m=999999 c
	for _ in $(seq 20); do c=$(ls "/proc/$1/fd" | wc -l); [ "$c" -lt "$m" ] && m=$c; sleep 0.05; done
	echo "$m"
}
rss() { awk '$1 == "VmRSS:" { print $2 }' "/proc/$1/status"; }

# warm-up: allocator pools and caches reach their steady size
for p in "$S1 $P1" "$S2 $P2" "$SC $PC"; do $TOOL soak $p $WARM >/dev/null || echo "warm-up failed: $p"; done
t1=$(status_field r1 VI_1 transitions); t2=$(status_field r2 VI_1 transitions)
b2=$(status_field r2 VI_1 became_master)
declare -A FD0 RSS0
for p in $P1 $P2 $PC; do FD0[$p]=$(fds $p); RSS0[$p]=$(rss $p); done

start=$(date +%s); s0=$(date +%s%N)
a0=$(status_field r2 VI_1 adverts_received)
$TOOL soak "$S1" "$P1" "$N" >"$WORK/soak-r1.txt" 2>&1 & j1=$!
$TOOL soak "$S2" "$P2" "$N" >"$WORK/soak-r2.txt" 2>&1 & j2=$!
$TOOL soak "$SC" "$PC" "$N" >"$WORK/soak-chk.txt" 2>&1 & j3=$!
PIDS+=($j1 $j2 $j3)
ok "r1 vrrpd soak ran to the end" wait $j1
ok "r2 vrrpd soak ran to the end" wait $j2
ok "checker soak ran to the end" wait $j3
a1=$(status_field r2 VI_1 adverts_received); s1=$(date +%s%N)
expected=$(( (s1 - s0) / 100000000 ))
echo "# soak took $(( $(date +%s) - start )) s; r2 received $((a1 - a0)) adverts from r1 (about $expected at 100 ms)"
ok "r1 kept its advert rhythm through the soak (at least 80 % of the adverts)" test $((a1 - a0)) -ge $((expected * 8 / 10))
for f in r1 r2 chk; do echo "# $f: $(cat "$WORK/soak-$f.txt")"; done
sent_ok() { read -r _ sent _ reloads _ <"$1"; [ "$sent" -eq "$N" ] && [ "$reloads" -ge $((N * 9 / 10)) ] && [ "$reloads" -le "$N" ]; }
ok "r1 vrrpd: $N signals, reloads counted (a burst may merge into one)" sent_ok "$WORK/soak-r1.txt"
ok "r2 vrrpd: $N signals, reloads counted" sent_ok "$WORK/soak-r2.txt"
ok "checker: $N signals, reloads counted" sent_ok "$WORK/soak-chk.txt"

ok "r1: 0 transitions during the soak" test "$(status_field r1 VI_1 transitions)" -eq "$t1"
ok "r2: 0 transitions during the soak" test "$(status_field r2 VI_1 transitions)" -eq "$t2"
ok "r1 still MASTER" state_is r1 VI_1 MASTER
ok "r2 never became MASTER during the soak" test "$(status_field r2 VI_1 became_master)" -eq "$b2"
ok "VIP only on r1" exactly_one_vip $VIP r1 r2
for p in $P1 $P2 $PC; do
	name=$(tr -d '\0' </proc/$p/comm)
	f1=$(fds $p) r1=$(rss $p)
	echo "# $name pid $p: fds ${FD0[$p]} -> $f1, RSS ${RSS0[$p]} kB -> $r1 kB"
	ok "$name pid $p: no fd growth" test "$f1" -le "${FD0[$p]}"
	ok "$name pid $p: RSS growth under $RSS_BOUND_KB kB" test $((r1 - ${RSS0[$p]})) -le "$RSS_BOUND_KB"
done
ok "no reload was rejected" bash -c "! grep -qi 'reload.*fail\|rejected' $WORK/r1/vrrpd.log $WORK/r2/vrrpd.log $WORK/r1/checker.log"
finish
