#!/usr/bin/env bash
# User-space instructions per HTTP check of halo-checker, by shared object,
# counted with callgrind (deterministic, and what an emulated guest pays for:
# under TCG every user instruction is emulated). N real servers in the lab of
# lab.sh (namespace, one nginx), checks every 1 s for SECS s under valgrind;
# only the event loop is counted (--toggle-collect=ev_loop_run), so start-up
# and config loading are not. Not pass/fail; figures quoted in
# bench/checker/README.md.
#   bench/checker/check_cost.sh [--build-dir DIR] [N [SECS]]   (root)
#   env: REUSE=1 (http.reuse_connection: true), CG_OUT=FILE (keep the profile,
#        e.g. for callgrind_annotate --tree=caller FILE)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=$here/../../build
if [ "${1:-}" = --build-dir ]; then build=$2; shift 2; fi
build=$(cd "$build" && pwd)
N=${1:-50}; SECS=${2:-25}
bin=$build/checker/halo-checker
[ "$(id -u)" -eq 0 ] || { echo "needs root (network namespace)" >&2; exit 2; }
[ -x "$bin" ] || { echo "build halo first: cmake --build $build" >&2; exit 2; }
for c in valgrind callgrind_annotate nginx; do
	command -v $c >/dev/null || { echo "needs $c" >&2; exit 2; }
done
W=$(mktemp -d /tmp/halo-check-cost.XXXXXX)
chmod 755 "$W"
. "$here/lab.sh"
cleanup() { lab_down; rm -rf "$W"; }
trap cleanup EXIT
lab_up
# as root without seccomp: valgrind's own system calls are not on the
# allow-list, and callgrind writes its profile at exit, after a drop to
# nobody would have made the file unwritable
lab_config "$N" 1s "${REUSE:-0}" "checker_user: root, seccomp: false" >"$W/halo.yaml"
cg=${CG_OUT:-$W/cg.out}
ip netns exec "$NS" valgrind --tool=callgrind --callgrind-out-file="$cg" \
	--collect-atstart=no --toggle-collect=ev_loop_run \
	"$bin" -d -f "$W/halo.yaml" --run-dir "$W/run" >"$W/checker.log" 2>&1 &
cpid=$!
PIDS+=("$cpid")
sleep "$SECS"
kill -TERM "$cpid"
wait "$cpid" || true
[ -s "$cg" ] || { echo "no callgrind profile; checker log:" >&2; cat "$W/checker.log" >&2; exit 1; }
sleep 1.5   # nginx flushes its log buffer every second
checks=$(wc -l <"$W/access.log")
echo "halo-checker under callgrind: $N real servers, ${SECS} s, $checks requests served by nginx$([ "${REUSE:-0}" = 1 ] && echo ' (reused connections)')"
callgrind_annotate --auto=no --inclusive=no --threshold=100 "$cg" 2>/dev/null |
	awk '/^ *[0-9,]+ +\([ 0-9.]+%\) +[^*<>]/ && !/PROGRAM TOTALS/ {
		v = $1; gsub(",", "", v); obj = "(unnamed)"
		if ($NF ~ /^\[\//) { obj = $NF; gsub(/[][]/, "", obj); sub(/.*\//, "", obj) }
		print v, obj }' >"$W/per-object"
echo "| object | instructions per check | share |"
echo "|---|---|---|"
awk -v checks="$checks" '{ s[$2] += $1; t += $1 }
	END { for (o in s) printf "%d | %s | %.0f | %.1f %% |\n", s[o], o, s[o] / checks, 100 * s[o] / t
	      printf "-1 | total | %.0f | 100 %% |\n", t / checks }' "$W/per-object" |
	sort -t'|' -k1,1 -rn | awk -F'|' '$1 != "-1 " { sub(/^[-0-9]+ /, ""); print; next } { t = $0 } END { sub(/^-1 /, "", t); print t }'
