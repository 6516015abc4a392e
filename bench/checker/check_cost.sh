#!/usr/bin/env bash
# User-space instructions per HTTP check of halo-checker, by shared object,
# counted with callgrind (deterministic, and what an emulated guest pays for:
# under TCG every user instruction is emulated). N real servers on loopback
# addresses in a fresh namespace, one nginx, checks every 1 s for SECS s under
# valgrind; only the event loop is counted (--toggle-collect=ev_loop_run), so
# start-up and config loading are not. Not pass/fail; figures quoted in
# bench/checker/README.md.
#   bench/checker/check_cost.sh [--build-dir DIR] [N [SECS]]   (root; REUSE=1:
#   http.reuse_connection: true)
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
build=$top/build
if [ "${1:-}" = --build-dir ]; then build=$2; shift 2; fi
build=$(cd "$build" && pwd)
N=${1:-50}; SECS=${2:-25}
bin=$build/checker/halo-checker
[ "$(id -u)" -eq 0 ] || { echo "needs root (network namespace)" >&2; exit 2; }
[ -x "$bin" ] || { echo "build halo first: cmake --build $build" >&2; exit 2; }
for c in valgrind callgrind_annotate nginx; do
	command -v $c >/dev/null || { echo "needs $c" >&2; exit 2; }
done
w=$(mktemp -d /tmp/halo-check-cost.XXXXXX)
chmod 755 "$w"
NS=cost-$(printf '%04x%04x' $RANDOM $RANDOM)
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	sleep 0.5
	ip netns del "$NS" 2>/dev/null || true
	rm -rf "$w"
}
trap cleanup EXIT
mkdir -p "$w/www" "$w/tmp"
echo "status: OK" >"$w/www/health"
chmod -R a+rX "$w/www"
ip netns add "$NS"
ip -n "$NS" link set lo up
ip -n "$NS" route add local 10.100.0.0/16 dev lo
cat >"$w/nginx.conf" <<NGX
worker_processes 1;
pid $w/nginx.pid;
error_log $w/nginx-error.log;
events { worker_connections 4096; }
http {
	log_format t '\$msec \$server_addr';
	access_log $w/access.log t;
	client_body_temp_path $w/tmp/body;
	proxy_temp_path $w/tmp/proxy;
	fastcgi_temp_path $w/tmp/fastcgi;
	uwsgi_temp_path $w/tmp/uwsgi;
	scgi_temp_path $w/tmp/scgi;
	server { listen 80; root $w/www; }
}
NGX
ip netns exec "$NS" nginx -c "$w/nginx.conf" -g 'daemon off;' &
pids+=($!)
reuse=""
[ "${REUSE:-0}" = 1 ] && reuse=", reuse_connection: true"
# runs as root without seccomp: valgrind's own system calls are not on the
# allow-list, and callgrind writes its profile at exit, after a drop to
# nobody would have made the file unwritable
{
	echo "global: { checker_user: root, seccomp: false }"
	echo "virtual_servers:"
	echo "  - { address: 192.168.0.1, port: 80, real_servers: ["
	for i in $(seq 0 $((N - 1))); do
		echo "      { address: 10.100.$((i / 250)).$((i % 250 + 1)), port: 80, check: { http: { path: /health$reuse }, interval: 1s, timeout: 2s, retry: 0, warmup: 1s } },"
	done
	echo "  ] }"
} >"$w/halo.yaml"
ip netns exec "$NS" valgrind --tool=callgrind --callgrind-out-file="$w/cg.out" \
	--collect-atstart=no --toggle-collect=ev_loop_run \
	"$bin" -d -f "$w/halo.yaml" --run-dir "$w/run" >"$w/checker.log" 2>&1 &
cpid=$!
pids+=("$cpid")
sleep "$SECS"
kill -TERM "$cpid"
wait "$cpid" || true
[ -s "$w/cg.out" ] || { echo "no callgrind profile; checker log:" >&2; cat "$w/checker.log" >&2; exit 1; }
checks=$(wc -l <"$w/access.log")
echo "halo-checker under callgrind: $N real servers, ${SECS} s, $checks requests served by nginx${reuse:+ (reused connections)}"
callgrind_annotate --auto=no --inclusive=no --threshold=100 "$w/cg.out" 2>/dev/null |
	awk '/^ *[0-9,]+ +\([ 0-9.]+%\) +[^*<>]/ && !/PROGRAM TOTALS/ {
		v = $1; gsub(",", "", v); obj = "(unnamed)"
		if ($NF ~ /^\[\//) { obj = $NF; gsub(/[][]/, "", obj); sub(/.*\//, "", obj) }
		print v, obj }' >"$w/per-object"
echo "| object | instructions per check | share |"
echo "|---|---|---|"
awk -v checks="$checks" '{ s[$2] += $1; t += $1 }
	END { for (o in s) printf "%d | %s | %.0f | %.1f %% |\n", s[o], o, s[o] / checks, 100 * s[o] / t
	      printf "-1 | total | %.0f | 100 %% |\n", t / checks }' "$w/per-object" |
	sort -t'|' -k1,1 -rn | awk -F'|' '$1 != "-1 " { sub(/^[-0-9]+ /, ""); print; next } { t = $0 } END { sub(/^-1 /, "", t); print t }'
