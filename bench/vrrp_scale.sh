#!/usr/bin/env bash
# VRRP at scale, halo-vrrpd and keepalived side by side in one run (not a
# pass/fail test). Prints tables with medians and ratios.
#   scale    1,000 instances over 4 interfaces (250 VRIDs each) at 1 s
#            adverts, master (priority 200) and backup (100): time from exec
#            until every instance is in its steady state, netlink resyncs
#            (ENOBUFS), then steady-state CPU and RSS over SECS seconds
#   jitter   255 instances at 10 ms on one interface, one master: gaps
#            between consecutive adverts of each VRID from tcpdump in an
#            observer namespace, p50/p99 and the deviation from 10 ms
# Usage: sudo bench/vrrp_scale.sh [-r RUNS] [-s SECS] [scale jitter]
#
#   m ─ eth0..eth3 ─┐                 ┌─ eth0..eth3 ─ b
#                   ├─ br0..br3 (sw) ─┤
#   obs ─ eth0 ─────┘ (on br0)        │
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
RUNS=3
SECS=10
while getopts r:s: o; do case $o in r) RUNS=$OPTARG;; s) SECS=$OPTARG;; *) exit 2;; esac; done
shift $((OPTIND - 1))
WHAT=${*:-scale jitter}
BUILD=${BUILD:-$top/build}
export BUILD
. "$top/tests/integration/lib.sh"
need_root
RES="$WORK/results"; mkdir -p "$RES"
HZ=$(getconf CLK_TCK)
SW=$(ns_name sw)
NIF=4

# ---- topology: 4 bridges, m and b on all four, obs on br0 ----
make_lab() {
	local n i ns
	ip netns add "$SW"; NSES+=("$SW")
	for i in $(seq 0 $((NIF - 1))); do
		ip -n "$SW" link add "br$i" type bridge mcast_snooping 0
		ip -n "$SW" link set "br$i" up
	done
	for n in m b obs; do
		ns=$(ns_name $n); ip netns add "$ns"; NSES+=("$ns")
		ip -n "$ns" link set lo up
	done
	for n in m b; do
		for i in $(seq 0 $((NIF - 1))); do
			ip link add "$n$i-$SUFFIX" type veth peer name "eth$i" netns "$(ns_name $n)"
			ip link set "$n$i-$SUFFIX" netns "$SW"
			ip -n "$SW" link set "$n$i-$SUFFIX" master "br$i" up
			nsx $n ip link set "eth$i" up
			nsx $n ip addr add "10.$i.0.$([ $n = m ] && echo 1 || echo 2)/16" dev "eth$i"
		done
	done
	ip link add "obs-$SUFFIX" type veth peer name eth0 netns "$(ns_name obs)"
	ip link set "obs-$SUFFIX" netns "$SW"
	ip -n "$SW" link set "obs-$SUFFIX" master br0 up
	nsx obs ip link set eth0 up
}

vip_of() { echo "10.$1.$((1 + $2 / 200)).$(($2 % 200 + 10))"; }   # IF VRID

# both daemons at the same scheduling: RT=0 (default) plain SCHED_OTHER, RT=50
# SCHED_RR 50 (halo's realtime_priority; keepalived's vrrp_rt_priority; note
# keepalived then also sets RLIMIT_RTTIME and its VRRP child can be killed
# by SIGXCPU with 1,000 instances)
RT=${RT:-0}
# halo_conf PRIO IFACES PER_IF INTERVAL
halo_conf() {
	local prio=$1 nif=$2 per=$3 iv=$4 i v
	echo "global: { realtime_priority: $RT, script_user: root }"
	echo "vrrp:"
	echo "  instances:"
	for i in $(seq 0 $((nif - 1))); do
		for v in $(seq 1 "$per"); do
			echo "    - { name: VI_${i}_$v, interface: eth$i, vrid: $v, priority: $prio, advert_interval: $iv,"
			echo "        garp: { repeat: 1, second_burst_delay: 0s }, virtual_addresses: [ $(vip_of $i $v)/32 ] }"
		done
	done
}

# ka_conf PRIO IFACES PER_IF INTERVAL
ka_conf() {
	local prio=$1 nif=$2 per=$3 iv=$4 i v
	printf 'global_defs {\n  vrrp_garp_master_delay 0\n  vrrp_garp_master_repeat 1\n'
	[ "$RT" -gt 0 ] && printf '  vrrp_rt_priority %s\n' "$RT"
	printf '}\n'
	for i in $(seq 0 $((nif - 1))); do
		for v in $(seq 1 "$per"); do
			printf 'vrrp_instance VI_%d_%d {\n  state BACKUP\n  interface eth%d\n  virtual_router_id %d\n  priority %d\n  advert_int %s\n  version 3\n  virtual_ipaddress {\n    %s/32\n  }\n}\n' \
				"$i" "$v" "$i" "$v" "$prio" "$iv" "$(vip_of $i $v)"
		done
	done
}

# start IMPL NAME CONF: the daemon's pid(s) in $WORK/NAME.pids (VRRP process first)
start() {
	local impl=$1 n=$2 conf=$3
	rm -rf "$WORK/$n"; mkdir -p "$WORK/$n"
	if [ "$impl" = halo ]; then
		ip netns exec "$(ns_name $n)" "$VRRPD" -d -f "$conf" --run-dir "$WORK/$n/run" >"$WORK/$n/log" 2>&1 &
		PIDS+=($!); echo $! >"$WORK/$n.pids"
	else
		ip netns exec "$(ns_name $n)" keepalived -n -l -P -G -D -f "$conf" -p "$WORK/$n/ka.pid" \
			-r "$WORK/$n/ka-vrrp.pid" >"$WORK/$n/log" 2>&1 &
		PIDS+=($!); echo $! >"$WORK/$n.pids"
	fi
}

vrrp_pids() {  # IMPL NAME: every process of the daemon (keepalived: parent and VRRP child)
	cat "$WORK/$2.pids"
	[ "$1" = keepalived ] && [ -f "$WORK/$2/ka-vrrp.pid" ] && cat "$WORK/$2/ka-vrrp.pid"
	return 0
}

stop_all() {
	local p
	for n in m b; do [ -f "$WORK/$n/ka-vrrp.pid" ] && PIDS+=("$(cat "$WORK/$n/ka-vrrp.pid")"); done
	for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null; done
	for p in "${PIDS[@]}"; do for _ in $(seq 200); do kill -0 "$p" 2>/dev/null || break; sleep 0.05; done; kill -9 "$p" 2>/dev/null; done
	PIDS=()
	for n in m b; do for i in $(seq 0 $((NIF - 1))); do
		nsx $n ip -4 addr flush dev "eth$i"
		nsx $n ip addr add "10.$i.0.$([ $n = m ] && echo 1 || echo 2)/16" dev "eth$i"
	done; done
}

nvips() { nsx "$1" ip -4 -o addr show | grep -c '/32'; }
nvips_ge() { [ "$(nvips "$1")" -ge "$2" ]; }
ka_count() { grep -c "Entering $2 STATE" "$WORK/$1/log" 2>/dev/null; }
# both daemons are counted the same way, from their "Entering STATE" log lines
# (halo's status JSON of 1,000 instances is slower to poll than a grep)
count() { ka_count "$2" "$3"; }

# poll until COUNT instances of NAME are in STATE; prints seconds since T0
time_until() {  # IMPL NAME STATE COUNT T0_NS LIMIT_S
	local end=$(( $5 + $6 * 1000000000 )) c
	while [ "$(date +%s%N)" -lt $end ]; do
		c=$(count "$1" "$2" "$3")
		[ "${c:-0}" -ge "$4" ] && { awk -v d=$(( $(date +%s%N) - $5 )) 'BEGIN { printf "%.3f", d / 1e9 }'; return; }
		sleep 0.05
	done
	echo "timeout"
}

ticks() { local t=0 p; for p in "$@"; do t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0))); done; echo $t; }
rss() { local t=0 p; for p in "$@"; do t=$((t + $(awk '/VmRSS/ {print $2}' "/proc/$p/status" 2>/dev/null || echo 0))); done; echo $t; }

scale_run() {  # IMPL RUN
	local impl=$1 run=$2 total=$((NIF * 250)) t0 tb tm mdi
	halo_conf 200 $NIF 250 1s >"$WORK/m.yaml"; halo_conf 100 $NIF 250 1s >"$WORK/b.yaml"
	ka_conf 200 $NIF 250 1 >"$WORK/m.conf"; ka_conf 100 $NIF 250 1 >"$WORK/b.conf"
	local ext=yaml; [ "$impl" = keepalived ] && ext=conf
	t0=$(date +%s%N)
	start "$impl" b "$WORK/b.$ext"
	start "$impl" m "$WORK/m.$ext"
	[ "$impl" = halo ] && wait_for 10 "sockets" test -S "$WORK/m/run/halo-vrrpd.sock" -a -S "$WORK/b/run/halo-vrrpd.sock"
	tb=$(time_until "$impl" b BACKUP $total "$t0" 30)
	tm=$(time_until "$impl" m MASTER $total "$t0" 30)
	wait_for 10 "all VIPs" nvips_ge m $total
	local tv; tv=$(awk -v d=$(( $(date +%s%N) - t0 )) 'BEGIN { printf "%.3f", d / 1e9 }')
	# Master_Down_Interval at priority 200, 1 s: 3 s + (256-200)/256 s
	mdi=3.219
	sleep 3
	local pm pb a1 a2 b1 b2 resync=0 enobufs
	pm=$(vrrp_pids "$impl" m | tr '\n' ' '); pb=$(vrrp_pids "$impl" b | tr '\n' ' ')
	a1=$(ticks $pm); a2=$(ticks $pb)
	sleep "$SECS"
	b1=$(ticks $pm); b2=$(ticks $pb)
	enobufs=$(grep -ciE "no buffer space|ENOBUFS|resynchronising" "$WORK/m/log" "$WORK/b/log" | awk -F: '{s += $NF} END {print s + 0}')
	if [ "$impl" = halo ]; then
		resync=$("$HALOCTL" --run-dir "$WORK/m/run" status --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["vrrp"]["netlink_resyncs"])')
	fi
	echo "$impl $run $tb $tm $tv $mdi $(( (b1 - a1) * 10000 / (HZ * SECS) )) $(( (b2 - a2) * 10000 / (HZ * SECS) )) $(rss $pm) $(rss $pb) $enobufs $resync $(nvips m) $(nvips b)" >>"$RES/scale.txt"
	stop_all
}

measure_scale() {
	local r impl
	for r in $(seq 1 "$RUNS"); do for impl in halo keepalived; do scale_run $impl $r; done; done
	echo
	echo "== scale: $((NIF * 250)) instances over $NIF interfaces, 1 s adverts; $RUNS runs, medians; CPU over $SECS s in % of one core; RT=$RT"
	python3 - "$RES/scale.txt" <<'PY'
import sys, statistics as st
rows = {}
for l in open(sys.argv[1]):
    f = l.split()
    rows.setdefault(f[0], []).append(f[2:])
def med(impl, i):
    v = [float(r[i]) for r in rows[impl] if len(r) > i and r[i] != "timeout"]
    return st.median(v) if v else float("nan")
cols = [("all BACKUP (s)", 0, 1), ("all MASTER (s)", 1, 1), ("all VIPs (s)", 2, 1),
        ("MASTER - MDI (s)", None, 1), ("cpu master %", 4, 100), ("cpu backup %", 5, 100),
        ("rss master kB", 6, 1), ("rss backup kB", 7, 1), ("ENOBUFS logs", 8, 1), ("nl resyncs", 9, 1),
        ("VIPs on master", 10, 1), ("VIPs on backup", 11, 1)]
print(f"{'':<18}" + "".join(f"{k:>12}" for k in rows))
vals = {}
for name, i, div in cols:
    line = f"{name:<18}"
    for impl in rows:
        v = med(impl, 1) - med(impl, 3) if i is None else med(impl, i) / div
        vals[(name, impl)] = v
        line += f"{v:>12.3f}" if div != 1 or i in (None, 0, 1, 2) else f"{v:>12.0f}"
    print(line)
if "halo" in rows and "keepalived" in rows:
    for name, _, _ in cols[:8]:
        k = vals[(name, "keepalived")]
        if k and k == k:
            print(f"ratio halo/keepalived {name}: {vals[(name, 'halo')] / k:.3f}")
PY
}

# ---- jitter: 255 x 10 ms, one master, gaps per VRID on the wire ----
jitter_run() {  # IMPL
	local impl=$1
	halo_conf 200 1 255 10ms >"$WORK/j.yaml"; ka_conf 200 1 255 0.01 >"$WORK/j.conf"
	local ext=yaml; [ "$impl" = keepalived ] && ext=conf
	start "$impl" m "$WORK/j.$ext"
	wait_for 20 "255 VIPs" nvips_ge m 255
	sleep 2
	ip netns exec "$(ns_name obs)" timeout 5 tcpdump -tt -n -i eth0 -w "$WORK/j-$impl.pcap" 'ip proto 112' 2>/dev/null
	tcpdump -tt -n -r "$WORK/j-$impl.pcap" 2>/dev/null | awk -v impl="$impl" '
		{ for (i = 1; i <= NF; i++) if ($i == "vrid") { v = $(i + 1); sub(",", "", v) }
		  if (v in last) printf "%s %.6f\n", impl, ($1 - last[v]) * 1000; last[v] = $1 }' >>"$RES/jitter.txt"
	stop_all
}

measure_jitter() {
	local r
	for r in $(seq 1 "$RUNS"); do jitter_run halo; jitter_run keepalived; done
	echo
	echo "== jitter: 255 instances at 10 ms, one master, gaps between a VRID's adverts on the wire ($RUNS runs x 5 s); RT=$RT"
	python3 - "$RES/jitter.txt" <<'PY'
import sys
g = {}
for l in open(sys.argv[1]):
    impl, v = l.split()
    g.setdefault(impl, []).append(float(v))
def pct(v, p):
    v = sorted(v)
    return v[min(len(v) - 1, int(p / 100 * len(v)))]
print(f"{'impl':<11}{'gaps':>9}{'p50 ms':>9}{'p99 ms':>9}{'max ms':>9}{'p50 |dev|':>11}{'p99 |dev|':>11}")
res = {}
for impl, v in g.items():
    dev = [abs(x - 10) for x in v]
    res[impl] = (pct(v, 50), pct(v, 99), pct(dev, 50), pct(dev, 99))
    print(f"{impl:<11}{len(v):>9}{pct(v, 50):>9.3f}{pct(v, 99):>9.3f}{max(v):>9.3f}{pct(dev, 50):>11.3f}{pct(dev, 99):>11.3f}")
if "halo" in res and "keepalived" in res:
    h, k = res["halo"], res["keepalived"]
    print(f"ratio halo/keepalived p99 |dev|: {h[3] / k[3]:.3f}" if k[3] else "keepalived p99 |dev| is 0")
PY
}

make_lab
for w in $WHAT; do
	case $w in
	scale) measure_scale;;
	jitter) measure_jitter;;
	*) echo "unknown: $w"; exit 2;;
	esac
done
echo
echo "raw results: $RES"
KEEP_WORK=1
