#!/usr/bin/env bash
# halo-checker benchmark (issue 3): N real servers (default 10,000) served by
# one local nginx on as many loopback addresses inside a network namespace,
# HTTP checks every INTERVAL. Prints checker CPU % of one core, RSS, achieved
# checks per second and period drift (p50/p99, from nginx's own arrival times
# per address). Not pass/fail. halo alone: keepalived's checker needs IPVS in
# the kernel, so its side runs in the qemu guest (bench_guest.sh). The lab
# (namespace, nginx): lab.sh.
# usage: bench_checker.sh [N] [SECONDS] [INTERVAL]   (root; BUILD= the build dir,
#        REUSE=1 for http.reuse_connection: true, i.e. keep-alive connections)
set -eu
N=${1:-10000}
SECS=${2:-30}
INTERVAL=${3:-1s}
WARM=10
here=$(cd "$(dirname "$0")" && pwd)
BUILD=${BUILD:-$here/../../build}
CHECKER=${CHECKER:-$BUILD/checker/halo-checker}
[ "$(id -u)" -eq 0 ] || { echo "SKIP: needs root for the namespace"; exit 77; }
[ -x "$CHECKER" ] || { echo "no $CHECKER"; exit 1; }
W=$(mktemp -d "$BUILD/bench-checker.XXXXXX")
chmod 755 "$W"
. "$here/lab.sh"
cleanup() {
	lab_down
	[ "${KEEP_WORK:-0}" = 1 ] || rm -rf "$W"
}
trap cleanup EXIT
lab_up

lab_config "$N" "$INTERVAL" "${REUSE:-0}" "checker_user: nobody" >"$W/halo.yaml"
chmod 644 "$W/halo.yaml"
ulimit -n "$(ulimit -Hn)"
ip netns exec "$NS" "$CHECKER" -d -f "$W/halo.yaml" --run-dir "$W/run" >"$W/checker.log" 2>&1 &
CPID=$!
PIDS+=("$CPID")
for _ in $(seq 200); do [ -S "$W/run/halo-checker.sock" ] && break; sleep 0.1; done
status_checks() {
	python3 -c '
import json, socket, sys
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); s.sendall(b"{\"cmd\":\"status\"}\n")
b = b""
while not b.endswith(b"\n"):
    c = s.recv(1 << 20)
    if not c: break
    b += c
d = json.loads(b)
print(d["checks"], d["failures"], sum(1 for r in d["real_servers"] if r["up"]))' "$W/run/halo-checker.sock"
}
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$CPID/stat"; }
sleep "$WARM"
read -r c0 f0 _ < <(status_checks)
t0=$(date +%s.%N); k0=$(cpu_ticks); m0=$(date +%s)
# RSS sampled every 0.5 s inside the window, away from the status calls at
# its ends (a status reply for 10,000 servers is ~13 MB while it is built)
( while sleep 0.5; do awk '$1 == "VmRSS:" { print $2 }' "/proc/$CPID/status" || exit 0; done ) >"$W/rss.txt" &
RSS_PID=$!
PIDS+=("$RSS_PID")
sleep "$SECS"
kill "$RSS_PID"
read -r c1 f1 up < <(status_checks)
t1=$(date +%s.%N); k1=$(cpu_ticks)
rss=$(sort -n "$W/rss.txt" | awk '{ a[NR] = $1 } END { print a[NR] + 0, a[int((NR + 1) / 2)] + 0 }' | tr ' ' ,)
hz=$(getconf CLK_TCK)
sleep 1.5   # nginx flushes its log buffer every second
python3 - "$W/access.log" "$m0" "$SECS" "$INTERVAL" "$N" "$c0" "$c1" "$f0" "$f1" "$up" "$t0" "$t1" "$k0" "$k1" "$hz" "$rss" "${REUSE:-0}" <<'PY'
import sys, collections
(log, m0, secs, interval, n, c0, c1, f0, f1, up, t0, t1, k0, k1, hz, rss, reuse) = sys.argv[1:]
iv = float(interval[:-2]) / 1000 if interval.endswith("ms") else float(interval[:-1])
lo, hi = float(m0), float(m0) + float(secs)
arr = collections.defaultdict(list)
for line in open(log):
    ts, addr = line.split()
    ts = float(ts)
    if lo <= ts <= hi:
        arr[addr].append(ts)
drift = sorted(abs((b - a) - iv) / iv for v in arr.values() for a, b in zip(v, v[1:]))
pct = lambda p: drift[min(len(drift) - 1, int(p * len(drift)))] * 100 if drift else float("nan")
wall = float(t1) - float(t0)
cpu = (int(k1) - int(k0)) / int(hz) / wall * 100
rate = (int(c1) - int(c0)) / wall
print("| metric | halo-checker | target |")
print("|---|---|---|")
print("| real servers (HTTP, interval %s%s) | %s (%s up) | 10,000 |" % (interval, ", reused connections" if reuse == "1" else "", n, up))
print("| CPU, %% of one core | %.1f | <= 25 |" % cpu)
rss_max, rss_med = (int(x) / 1024 for x in rss.split(","))
print("| RSS, max (median) of the window | %.1f MB (%.1f) | <= 32 MB |" % (rss_max, rss_med))
print("| checks per second | %.0f (failures %d) | %.0f |" % (rate, int(f1) - int(f0), int(n) / iv))
print("| period drift p50 / p99 | %.2f %% / %.2f %% | p99 <= 5 %% |" % (pct(0.50), pct(0.99)))
print("| periods measured | %d over %s s | |" % (len(drift), secs))
PY
