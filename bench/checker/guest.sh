# Guest half of bench/checker/bench_guest.sh (runs inside tests/vm/vm-run.sh's
# guest, busybox ash): halo (halo-checker + halo-ipvs-sync) against keepalived
# (-C: its parent + checker child) on the same N real servers, HTTP GET
# /health every 1 s, served by one nginx on N loopback addresses in a network
# namespace. For each size in SIZES, REPS rounds, the order of the two tools
# alternating per round; each run: WARM s of warm-up, then a SECS s window:
#   CPU   utime+stime (/proc/PID/stat) of all the tool's processes / window
#   RSS   sum of VmRSS of those processes at the end of the window
#   rate  requests nginx logged in the window / SECS
#   drift |period - 1 s| per address from nginx's arrival times ($msec), p50/p99
# nginx's log is the neutral witness: the same for both tools.
# Files from the host: bench.env, kc-N.conf (keepalived) and halo-N.yaml
# (haloctl import-keepalived of kc-N.conf) for every N in SIZES.
. /test/lib.sh
SIZES="200 1000"; SECS=30; REPS=3; WARM=10
[ -f /test/bench.env ] && . /test/bench.env
NS=rs
W=/tmp/ngx
HZ=100                 # USER_HZ on x86-64 (busybox has no getconf)
mkdir -p $W/www $W/tmp $RUN /run/kb
ulimit -n 65536

# ---- real servers: one nginx, every 10.100.0.0/16 address local on lo ----
$IP netns add $NS
$IP -n $NS link set lo up
$IP -n $NS route add local 10.100.0.0/16 dev lo
$IP netns exec $NS sh -c 'echo "1024 65000" >/proc/sys/net/ipv4/ip_local_port_range; echo 1 >/proc/sys/net/ipv4/tcp_tw_reuse'
echo "status: OK" >$W/www/health
chmod -R a+rX $W
cat >$W/nginx.conf <<NGX
user www-data;
worker_processes 1;
worker_rlimit_nofile 65536;
pid $W/nginx.pid;
error_log $W/error.log;
events { worker_connections 16384; }
http {
	log_format t '\$msec \$server_addr \$status';
	access_log $W/access.log t buffer=256k flush=1s;
	client_body_temp_path $W/tmp/body;
	proxy_temp_path $W/tmp/proxy;
	fastcgi_temp_path $W/tmp/fastcgi;
	uwsgi_temp_path $W/tmp/uwsgi;
	scgi_temp_path $W/tmp/scgi;
	server { listen 80 backlog=4096; root $W/www; }
}
NGX
$IP netns exec $NS nginx -e $W/error.log -c $W/nginx.conf -g 'daemon off;' &
NGX=$!
wait_for 30 test -s $W/nginx.pid || { echo "nginx did not start"; cat $W/error.log; exit 1; }
$IP netns exec $NS curl -s -m 5 http://10.100.3.7/health | grep -q OK || { echo "nginx does not answer"; cat $W/error.log; exit 1; }

# Wall-clock time with a fraction (nginx's $msec is wall-clock; busybox's date
# has no %N): uptime plus an offset taken when `date +%s` ticks over.
s0=$(date +%s); while [ "$(date +%s)" = "$s0" ]; do :; done
OFF=$(awk -v s=$((s0 + 1)) -v u="$(now)" 'BEGIN { printf "%.3f", s - u }')
wall() { awk -v o=$OFF -v u="$(now)" 'BEGIN { printf "%.3f", o + u }'; }
ticks() { for p in "$@"; do awk '{ print $14 + $15 }' /proc/$p/stat; done | awk '{ s += $1 } END { print s + 0 }'; }
rss_kb() { for p in "$@"; do awk '$1 == "VmRSS:" { print $2 }' /proc/$p/status; done | awk '{ s += $1 } END { print s + 0 }'; }
alive() { for p in "$@"; do [ -d /proc/$p ] || return 1; done; }
up_in_ipvs() { $IP netns exec $NS ipvsadm -Ln | grep -c 'Route *1 '; }
# pct P COUNT SORTED_FILE: the value at index int(P * COUNT) (0-based), as bench_checker.sh
pct() { [ "$2" -gt 0 ] && sed -n "$(awk -v p=$1 -v n=$2 'BEGIN { i = int(p * n); if (i > n - 1) i = n - 1; print i + 1 }')p" $3; }
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# run_one TOOL N ROUND: appends "tool n round cpu rss_mb rate p50 p99 seen non200 up periods" to results
run_one() {
	local tool=$1 n=$2 r=$3 pids t0 t1 k0 k1 m0 m1 rss up
	# a fresh access log for this run (nginx reopens it on USR1)
	rm -f $W/access.log; kill -USR1 $NGX; usleep 300000
	$IP netns exec $NS ipvsadm -C
	if [ $tool = halo ]; then
		rm -rf $RUN; mkdir -p $RUN
		$IP netns exec $NS halo-checker -d -f /test/halo-$n.yaml --run-dir $RUN >>halo-checker.log 2>&1 &
		local hc=$!
		wait_for 60 test -S $RUN/halo-checker.sock || echo "WARNING: halo-checker socket missing"
		$IP netns exec $NS halo-ipvs-sync -d -f /test/halo-$n.yaml --run-dir $RUN >>halo-ipvs-sync.log 2>&1 &
		pids="$hc $!"
	else
		rm -f /run/kb/*
		$IP netns exec $NS keepalived -n -C -l -G -f /test/kc-$n.conf -p /run/kb/k.pid -c /run/kb/kc.pid \
			>>keepalived.log 2>&1 &
		local kp=$!
		wait_for 60 test -s /run/kb/kc.pid || echo "WARNING: keepalived checker child missing"
		pids="$kp $(cat /run/kb/kc.pid 2>/dev/null)"
	fi
	sleep $WARM
	alive $pids || echo "WARNING: $tool n=$n round $r: a process died during warm-up"
	t0=$(now); k0=$(ticks $pids); m0=$(wall)
	local each0 each1 p
	each0=$(for p in $pids; do ticks $p; done)
	local st=""
	if [ "${STRACE:-0}" = 1 ]; then   # diagnostic mode: system calls per check (slows the tool down)
		for p in $pids; do strace -c -q -p $p -o /tmp/st.$tool.$n.$p & st="$st $!"; done
	fi
	sleep $SECS
	[ -n "$st" ] && { kill -INT $st; for p in $st; do wait $p; done; }
	t1=$(now); k1=$(ticks $pids); m1=$(wall); rss=$(rss_kb $pids)
	each1=$(for p in $pids; do ticks $p; done)
	# per process: CPU % and RSS (halo: checker, ipvs-sync; keepalived: parent, checker child)
	echo "$tool $n $r $(for p in $pids; do echo "$(rss_kb $p)"; done | tr '\n' ' ')" >>/tmp/rss.each
	echo "$each0" >/tmp/e0; echo "$each1" >/tmp/e1
	echo "$tool $n $r $(paste /tmp/e0 /tmp/e1 | awk -v hz=$HZ -v t0=$t0 -v t1=$t1 '{ printf "%.1f ", ($2 - $1) / hz / (t1 - t0) * 100 }')" >>/tmp/cpu.each
	alive $pids || echo "WARNING: $tool n=$n round $r: a process died during the window"
	up=$(up_in_ipvs)
	# keepalived: TERM to the parent only (it stops its checker child)
	if [ $tool = halo ]; then kill $pids; else kill ${pids%% *}; fi 2>/dev/null
	for p in $pids; do wait $p 2>/dev/null; done
	for p in $pids; do wait_for 20 sh -c "[ ! -d /proc/$p ]" || kill -9 $p; done 2>/dev/null
	sleep 1.5          # nginx flushes its log buffer every second
	awk -v lo="$m0" -v hi="$m1" -v iv=1 '
		$1 + 0 >= lo + 0 && $1 + 0 < hi + 0 {
			n++; if ($3 != 200) bad++
			if ($2 in last) { d = ($1 - last[$2]) - iv; if (d < 0) d = -d; print d / iv * 100 > "/tmp/drift" }
			else seen++
			last[$2] = $1
		}
		END { printf "%d %d %d\n", n, seen, bad > "/tmp/counts" }' $W/access.log
	touch /tmp/drift
	set -- $(cat /tmp/counts)
	local reqs=$1 seen=$2 bad=$3 np p50 p99
	np=$(wc -l </tmp/drift)
	sort -n /tmp/drift >/tmp/drift.s
	p50=$(pct 0.50 $np /tmp/drift.s); p99=$(pct 0.99 $np /tmp/drift.s)
	rm -f /tmp/drift /tmp/drift.s /tmp/counts
	if [ -n "$st" ]; then
		for p in $pids; do
			echo "strace -c $tool n=$n pid $p ($(cat /proc/$p/comm 2>/dev/null || echo gone)), $reqs requests in the window:"
			awk '/^[ -]/ && NF >= 5' /tmp/st.$tool.$n.$p | sed 's/^/   /' | head -25
		done
	fi
	awk -v tool=$tool -v n=$n -v r=$r -v k0=$k0 -v k1=$k1 -v t0=$t0 -v t1=$t1 -v hz=$HZ -v rss=$rss \
		-v reqs=$reqs -v m0=$m0 -v m1=$m1 -v p50=${p50:-nan} -v p99=${p99:-nan} -v seen=$seen -v bad=$bad -v up=$up -v np=$np 'BEGIN {
		cpu = (k1 - k0) / hz / (t1 - t0) * 100; rate = reqs / (m1 - m0)
		printf "%s %d %d %.1f %.1f %.0f %.2f %.2f %d %d %d %d %.0f\n", tool, n, r, cpu,
			rss / 1024, rate, p50, p99, seen, bad, up, np, (rate > 0 ? cpu / 100 * 1e6 / rate : 0) }' | tee -a results
	$IP netns exec $NS ipvsadm -C
}

# The guest's clock source decides what clock_gettime costs: under TCG the
# kernel picks hpet (the TSC is marked unstable unless the command line says
# tsc=reliable), and with hpet or acpi_pm the x86 vDSO falls back to a system
# call reading an emulated device: a clock read then costs as much as any
# other system call, unlike on real hardware (halo-checker made 45-58 clock
# reads per check in the STRACE=1 run of bench/checker/README.md), so
# bench_guest.sh boots with clocksource=tsc tsc=reliable by default.
CS=/sys/devices/system/clocksource/clocksource0
echo "guest clocksource: $(cat $CS/current_clocksource) (available: $(cat $CS/available_clocksource))"
echo "guest: $(nproc) CPUs, $(awk '/MemTotal/ { print int($2 / 1024) " MB" }' /proc/meminfo), SIZES=$SIZES SECS=$SECS WARM=$WARM REPS=$REPS"
echo "columns: tool n round cpu% rss_MB checks/s drift_p50% drift_p99% addresses_seen non200 up_in_ipvs periods cpu_us_per_check"
for n in $SIZES; do
	for r in $(seq $REPS); do
		if [ $((r % 2)) = 1 ]; then order="halo keepalived"; else order="keepalived halo"; fi
		for tool in $order; do run_one $tool $n $r; done
	done
done

echo
echo "== halo-checker + halo-ipvs-sync vs keepalived -C (parent + checker), HTTP GET every 1 s, one guest boot"
echo "   medians of $REPS rounds; window ${SECS}s after ${WARM}s warm-up; software emulation (TCG):"
echo "   absolute numbers are meaningless, compare within this boot only (the ratio column)"
printf '| %s | %s | %s | %s | %s |\n' "real servers / metric" "halo" "keepalived" "halo/keepalived" "runs halo ; keepalived"
echo "|---|---|---|---|---|"
for n in $SIZES; do
	for c in "4 CPU, % of one core" "5 RSS, MB" "6 checks per second" "7 drift p50, %" "8 drift p99, %" "13 CPU per check, us"; do
		col=${c%% *}; name=${c#* }
		h=$(awk -v n=$n -v c=$col '$1 == "halo" && $2 == n { print $c }' results | median)
		k=$(awk -v n=$n -v c=$col '$1 == "keepalived" && $2 == n { print $c }' results | median)
		hr=$(awk -v n=$n -v c=$col '$1 == "halo" && $2 == n { printf "%s ", $c }' results)
		kr=$(awk -v n=$n -v c=$col '$1 == "keepalived" && $2 == n { printf "%s ", $c }' results)
		ratio=$(awk -v h=$h -v k=$k 'BEGIN { if (k + 0 == 0) print "-"; else printf "%.2f", h / k }')
		printf '| %s: %s | %s | %s | %s | %s; %s |\n' $n "$name" "$h" "$k" "$ratio" "$hr" "$kr"
	done
done
echo
echo "sanity (per run: addresses seen in the window / non-200 answers / real servers with weight 1 in IPVS at the end):"
awk '{ printf "   %s n=%s round %s: seen %s, non-200 %s, up %s, periods %s\n", $1, $2, $3, $9, $10, $11, $12 }' results
echo "per process, CPU % of one core (halo: checker ipvs-sync; keepalived: parent checker):"
sed 's/^/   /' /tmp/cpu.each
echo "per process, RSS kB:"
sed 's/^/   /' /tmp/rss.each
echo "log lines 'Removing service' (a check failed): halo-checker $(grep -c 'Removing service' halo-checker.log 2>/dev/null)," \
	"halo-ipvs-sync $(grep -c 'Removing service' halo-ipvs-sync.log 2>/dev/null), keepalived $(grep -c 'Removing service' keepalived.log 2>/dev/null)"
grep -i -E 'error|fatal|cannot|failed' halo-checker.log halo-ipvs-sync.log keepalived.log $W/error.log 2>/dev/null | head -10
kill $NGX
exit 0
