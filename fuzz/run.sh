#!/usr/bin/env bash
# fuzz/run.sh [SECONDS]: builds the libFuzzer targets with clang into
# build-fuzz/ (ASan + UBSan), replays each seed corpus and every recorded
# crash, then fuzzes each target for SECONDS (default 60, -max_total_time),
# up to $(nproc) targets at a time. Prints executions per target and exits
# non-zero on any crash, leak, timeout or out-of-memory.
#   FUZZ_TARGETS="fuzz_vrrp_pkt fuzz_http"  only these
#   FUZZ_BUILD=DIR                         another build folder
#   FUZZ_JOBS=N                            targets in parallel
#   FUZZ_SEED=N                            libFuzzer's -seed (default 1: a
#                                          gate that fails can be re-run
#                                          exactly; 0 = a new seed each run)
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
secs=${1:-60}
build=${FUZZ_BUILD:-$top/build-fuzz}
jobs=${FUZZ_JOBS:-$(nproc)}
seed=${FUZZ_SEED:-1}
cd "$top"

CC=clang cmake -S . -B "$build" -DHALO_FUZZ=ON -DHALO_WERROR=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	-DHALO_FUZZ_SECONDS="$secs" >/dev/null || exit 1
cmake --build "$build" --target fuzz_all -j "$jobs" >"$build/fuzz-build.log" 2>&1 ||
	{ cat "$build/fuzz-build.log"; echo "fuzz/run.sh: build failed"; exit 1; }

targets=${FUZZ_TARGETS:-$(cd "$top/fuzz" && ls fuzz_*.c | sed 's/\.c$//')}
out="$build/fuzz/out"
rm -rf "$out"
mkdir -p "$out"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

status=0
echo "== replay: seed corpora and recorded crashes"
for t in $targets; do
	if "$top/fuzz/replay.sh" "$build/fuzz/$t" "$top/fuzz/corpus/$t" "$top/fuzz/crashes/$t" \
		>"$out/$t.replay.log" 2>&1; then
		echo "ok   $t ($(grep -c '^Executed' "$out/$t.replay.log") inputs)"
	else
		echo "FAIL $t: replay crashed; see $out/$t.replay.log"
		tail -n 30 "$out/$t.replay.log"
		status=1
	fi
done

# fuzz_one TARGET: new inputs go to a scratch folder, crash files to $out
fuzz_one() {
	local t=$1
	mkdir -p "$out/$t.new"
	"$build/fuzz/$t" -max_total_time="$secs" -seed="$seed" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
		-artifact_prefix="$out/$t-" "$out/$t.new" "$top/fuzz/corpus/$t" >"$out/$t.log" 2>&1
	echo $? >"$out/$t.rc"
}

echo "== fuzzing each target for ${secs}s ($jobs at a time, -seed=$seed)"
running=0
for t in $targets; do
	fuzz_one "$t" &
	running=$((running + 1))
	if [ $running -ge "$jobs" ]; then wait -n; running=$((running - 1)); fi
done
wait

printf '%-20s %12s %10s %8s  %s\n' target execs exec/s cov result | tee "$out/summary.txt"
for t in $targets; do
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out/$t.log" | tail -n 1)
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$out/$t.log" | tail -n 1)
	cov=$(grep -o 'cov: [0-9]*' "$out/$t.log" | tail -n 1 | awk '{print $2}')
	rc=$(cat "$out/$t.rc" 2>/dev/null || echo 1)
	res=ok
	if [ "$rc" -ne 0 ] || ls "$out/$t"-* >/dev/null 2>&1; then
		res="CRASH (rc=$rc): $(ls "$out/$t"-* 2>/dev/null | tr '\n' ' ')"
		status=1
	fi
	printf '%-20s %12s %10s %8s  %s\n' "$t" "${runs:-?}" "${rate:-?}" "${cov:-?}" "$res" | tee -a "$out/summary.txt"
done
for t in $targets; do
	if [ "$(cat "$out/$t.rc" 2>/dev/null || echo 1)" -ne 0 ]; then
		echo "--- $t"
		grep -E 'ERROR|SUMMARY|runtime error|#[0-9]+ ' "$out/$t.log" | head -n 25
	fi
done
if [ $status -ne 0 ]; then echo "fuzz/run.sh: FAILED (logs in $out)"; else echo "fuzz/run.sh: no crash"; fi
exit $status
