#!/usr/bin/env bash
# VRRP benchmarks, halo-vrrpd and keepalived side by side in one run (not a
# pass/fail test). Prints tables with medians and ratios.
#   failover   cut the master's link; last master advert -> backup's first
#              advert and first gratuitous ARP (tcpdump in an observer ns);
#              v3 at 10 ms, backup priority 100 (bound 36.09 ms)
#   graceful   SIGTERM the master: its priority-0 advert -> backup's first
#              advert (bound: Skew_Time 6.09 ms)
#   load       255 instances at 10 ms on one interface: CPU % and RSS of the
#              master and the backup over 20 s
#   stability  the same 255 instances 30 s idle, then 60 s under
#              stress-ng --cpu 4: backup -> MASTER transitions
# Usage: sudo bench/vrrp_bench.sh [-n TRIALS] [failover graceful load stability]
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
TRIALS=20
while getopts n: o; do case $o in n) TRIALS=$OPTARG;; *) exit 2;; esac; done
shift $((OPTIND - 1))
WHAT=${*:-failover graceful load stability}
BUILD=${BUILD:-$top/build}
export BUILD
. "$top/tests/integration/lib.sh"
. "$top/tests/integration/vrrp/common.sh"
need_root
KEEP_WORK=${KEEP_WORK:-0}
command -v stress-ng >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq stress-ng >/dev/null
LAN_NAMES=(r1 r2 obs); make_lan "${LAN_NAMES[@]}"
addr r1 192.168.0.1; addr r2 192.168.0.2; addr obs 192.168.0.9
SW=$(ns_name sw)
RES="$WORK/results"; mkdir -p "$RES"

# ---- one pair of daemons ----
# start_pair IMPL COUNT INTERVAL_HALO INTERVAL_KA
start_pair() {
	local impl=$1 count=$2 ih=$3 ik=$4 n prio
	for n in r1 r2; do
		[ $n = r1 ] && prio=200 || prio=100
		if [ "$impl" = halo ]; then
			multi_conf "$n" "$prio" "$count" "$ih" >"$WORK/$n-bench.yaml"
			rm -rf "$WORK/$n/run"
			start_vrrpd "$n" "$WORK/$n-bench.yaml"
		else
			multi_kaconf "$n" "$prio" "$count" "$ik" >"$WORK/$n-bench.conf"
			start_keepalived "$n" "$WORK/$n-bench.conf"
		fi
	done
}

stop_pair() {
	local p
	for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null; done
	for p in "${PIDS[@]}"; do for _ in $(seq 100); do kill -0 "$p" 2>/dev/null || break; sleep 0.05; done; done
	PIDS=()
	for n in r1 r2; do nsx $n ip -4 addr flush dev eth0; done
	addr r1 192.168.0.1; addr r2 192.168.0.2
	pkill -f "keepalived.*$WORK" 2>/dev/null   # keepalived's VRRP child runs on under its own pid
	sleep 0.3
}

multi_conf() {  # NAME PRIO COUNT INTERVAL
	local n=$1 prio=$2 count=$3 iv=$4 i
	echo "global: { router_id: $n, realtime_priority: 50, script_user: root }"
	echo "vrrp:"
	echo "  instances:"
	for i in $(seq 1 "$count"); do
		echo "    - { name: VI_$i, interface: eth0, vrid: $i, priority: $prio, advert_interval: $iv,"
		echo "        garp: { repeat: 1, second_burst_delay: 0s },"
		echo "        virtual_addresses: [ 192.168.$((100 + i / 250)).$((i % 250 + 1))/32 ] }"
	done
}

multi_kaconf() {  # NAME PRIO COUNT INTERVAL
	local n=$1 prio=$2 count=$3 iv=$4 i
	printf 'global_defs {\n  router_id %s\n  vrrp_garp_master_delay 0\n  vrrp_garp_master_repeat 1\n}\n' "$n"
	for i in $(seq 1 "$count"); do
		printf 'vrrp_instance VI_%d {\n  state BACKUP\n  interface eth0\n  virtual_router_id %d\n  priority %d\n  advert_int %s\n  version 3\n  virtual_ipaddress {\n    192.168.%d.%d/32\n  }\n}\n' \
			"$i" "$i" "$prio" "$iv" $((100 + i / 250)) $((i % 250 + 1))
	done
}

r1_master() {
	if [ -S "$WORK/r1/run/halo-vrrpd.sock" ]; then state_is r1 VI_1 MASTER; else has_vip r1 192.168.100.2; fi
}
r2_master() {
	if [ -S "$WORK/r2/run/halo-vrrpd.sock" ]; then state_is r2 VI_1 MASTER; else has_vip r2 192.168.100.2; fi
}
r2_backup() { ! has_vip r2 192.168.100.2; }

# ---- failover / graceful trials ----
trial() {  # IMPL KIND N
	local impl=$1 kind=$2 t=$3 cap="$WORK/cap-$1-$2-$3.txt"
	wait_for 10 "r1 master" r1_master || return 1
	wait_for 5 "r2 backup" r2_backup || return 1
	sleep 0.3
	nsx obs tcpdump -tt -n -l -i eth0 -j adapter_unsynced --time-stamp-precision=micro \
		'ip proto 112 or arp' >"$cap" 2>/dev/null &
	local tp=$!
	sleep 0.4
	if [ "$kind" = failover ]; then
		ip -n "$SW" link set "$(port_of r1)" down
	else
		if [ "$impl" = halo ]; then kill -TERM "$(vrrpd_pid r1)"; else kill -TERM "$(ka_pid r1)"; fi
	fi
	wait_for 5 "r2 master" r2_master
	sleep 0.3
	kill "$tp"; wait "$tp" 2>/dev/null
	if [ "$kind" = failover ]; then
		ip -n "$SW" link set "$(port_of r1)" up
	else
		local old; if [ "$impl" = halo ]; then old=$(vrrpd_pid r1); else old=$(ka_pid r1); fi
		wait_for 5 "the stopped r1 exits" bash -c "! kill -0 $old 2>/dev/null"
		if [ "$impl" = halo ]; then
			start_vrrpd r1 "$WORK/r1-bench.yaml"
		else
			start_keepalived r1 "$WORK/r1-bench.conf"
		fi
	fi
	echo "$cap" >>"$RES/$impl-$kind.list"
}

analyse_trials() {  # IMPL KIND -> "median p95 ..." rows into $RES/table
	python3 - "$RES/$1-$2.list" "$1" "$2" >>"$RES/table-$2.txt" <<'PY'
import re, statistics, sys
files = open(sys.argv[1]).read().split()
adv, arp = [], []
for f in files:
    last_m = first_b = first_arp = None
    for line in open(f):
        m = re.match(r'(\d+\.\d+) IP (\S+) > \S+: VRRPv\d, Advertisement, vrid (\d+), prio (\d+)', line)
        if m:
            t, src, vrid = float(m.group(1)), m.group(2), m.group(3)
            if vrid != "1":
                continue
            if src == "192.168.0.1" and first_b is None:
                last_m = t
            elif src == "192.168.0.2" and first_b is None and last_m is not None:
                first_b = t
            continue
        m = re.match(r'(\d+\.\d+) ARP, (Request who-has 192\.168\.100\.2 (\([^)]*\) )?tell 192\.168\.100\.2|Reply 192\.168\.100\.2 is-at)', line)
        if m and last_m is not None and first_arp is None:
            first_arp = float(m.group(1))
    if last_m and first_b:
        adv.append((first_b - last_m) * 1000)
    if last_m and first_arp:
        arp.append((first_arp - last_m) * 1000)
def p95(v):
    v = sorted(v); return v[min(len(v) - 1, int(round(0.95 * (len(v) - 1))))]
for name, v in (("advert", adv), ("garp", arp)):
    if v:
        print(f"{sys.argv[2]} {name} {len(v)} {statistics.median(v):.3f} {p95(v):.3f} {min(v):.3f} {max(v):.3f}")
    else:
        print(f"{sys.argv[2]} {name} 0 nan nan nan nan")
PY
}

run_trials() {  # KIND
	local kind=$1 impl t
	for impl in halo keepalived; do
		start_pair $impl 1 10ms 0.01
		for t in $(seq 1 "$TRIALS"); do trial $impl "$kind" "$t"; done
		stop_pair
		analyse_trials $impl "$kind"
	done
	local bound=36.09; [ "$kind" = graceful ] && bound=6.09
	echo
	echo "== $kind: ms from the master's last advert (bound $bound ms), $TRIALS trials each"
	python3 - "$RES/table-$kind.txt" "$bound" <<'PY'
import sys
rows = [l.split() for l in open(sys.argv[1])]
bound = float(sys.argv[2])
print(f"{'impl':<11}{'event':<8}{'n':>4}{'median':>10}{'p95':>10}{'min':>10}{'max':>10}{'median-bound':>14}")
by = {}
for r in rows:
    impl, ev, n, med, p95, mn, mx = r
    by[(impl, ev)] = float(med)
    print(f"{impl:<11}{ev:<8}{n:>4}{float(med):>10.3f}{float(p95):>10.3f}{float(mn):>10.3f}{float(mx):>10.3f}{float(med)-bound:>14.3f}")
for ev in ("advert", "garp"):
    h, k = by.get(("halo", ev)), by.get(("keepalived", ev))
    if h and k and h == h and k == k:
        print(f"ratio halo/keepalived median ({ev}): {h / k:.3f}")
PY
}

# ---- load / stability ----
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
rss_kb() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }

# the VRRP process of each router: halo-vrrpd's pid, keepalived's VRRP child
vrrp_pid_of() {  # IMPL NAME
	if [ "$1" = halo ]; then vrrpd_pid "$2"; else cat "$WORK/$2/ka-vrrp.pid"; fi
}

measure_load() {
	local impl secs=20 hz; hz=$(getconf CLK_TCK)
	for impl in halo keepalived; do
		mkdir -p "$WORK/r2"; : >"$WORK/r2/vrrpd.log"; : >"$WORK/r2/keepalived.log"
		start_pair $impl 255 10ms 0.01
		wait_for 20 "r1 master" r1_master; sleep 3
		local p1 p2 a1 a2 b1 b2
		p1=$(vrrp_pid_of $impl r1); p2=$(vrrp_pid_of $impl r2)
		local t0; t0=$(count_backup_masters $impl)
		a1=$(cpu_ticks "$p1"); a2=$(cpu_ticks "$p2")
		sleep $secs
		b1=$(cpu_ticks "$p1"); b2=$(cpu_ticks "$p2")
		echo "$impl $(( (b1 - a1) * 100 * 100 / (hz * secs) )) $(( (b2 - a2) * 100 * 100 / (hz * secs) )) $(rss_kb "$p1") $(rss_kb "$p2") $(( $(count_backup_masters $impl) - t0 ))" >>"$RES/load.txt"
		stop_pair
	done
	echo
	echo "== load: 255 instances at 10 ms, $secs s (CPU in % of one core)"
	python3 - "$RES/load.txt" <<'PY'
import sys
rows = {l.split()[0]: l.split()[1:] for l in open(sys.argv[1])}
print(f"{'impl':<11}{'cpu master':>12}{'cpu backup':>12}{'rss master':>13}{'rss backup':>13}{'backup->MASTER in window':>26}")
for impl, (c1, c2, r1, r2, tr) in rows.items():
    print(f"{impl:<11}{int(c1)/100:>11.2f}%{int(c2)/100:>11.2f}%{r1:>10} kB{r2:>10} kB{tr:>26}")
if "halo" in rows and "keepalived" in rows:
    h, k = rows["halo"], rows["keepalived"]
    for i, what in enumerate(("cpu master", "cpu backup", "rss master", "rss backup")):
        if float(k[i]) > 0:
            print(f"ratio halo/keepalived {what}: {float(h[i]) / float(k[i]):.3f}")
PY
}

count_backup_masters() {  # IMPL: how often r2 went MASTER
	if [ "$1" = halo ]; then
		grep -c "Entering MASTER STATE" "$WORK/r2/vrrpd.log"
	else
		grep -c "Entering MASTER STATE" "$WORK/r2/keepalived.log"
	fi
}

measure_stability() {
	local impl
	for impl in halo keepalived; do
		mkdir -p "$WORK/r2"; : >"$WORK/r2/vrrpd.log"; : >"$WORK/r2/keepalived.log"
		start_pair $impl 255 10ms 0.01
		wait_for 20 "r1 master" r1_master; sleep 3
		local base idle stress
		base=$(count_backup_masters $impl)
		sleep 30
		idle=$(( $(count_backup_masters $impl) - base ))
		timeout 70 stress-ng --cpu 4 --timeout 60s >/dev/null 2>&1
		stress=$(( $(count_backup_masters $impl) - base - idle ))
		echo "$impl $idle $stress" >>"$RES/stability.txt"
		stop_pair
	done
	echo
	echo "== stability: 255 instances at 10 ms; backup -> MASTER transitions"
	printf '%-11s%12s%26s\n' impl "idle 30 s" "stress-ng --cpu 4 60 s"
	while read -r impl idle stress; do printf '%-11s%12s%26s\n' "$impl" "$idle" "$stress"; done <"$RES/stability.txt"
}

echo "# vrrp_bench $(date -u +%FT%TZ) on $(nproc) cores, kernel $(uname -r), keepalived $(keepalived -v 2>&1 | head -1 | awk '{print $2}')"
for w in $WHAT; do
	case $w in
	failover|graceful) run_trials "$w" ;;
	load) measure_load ;;
	stability) measure_stability ;;
	esac
done
FAILS=0; CHECKS=1
