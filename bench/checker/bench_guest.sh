#!/usr/bin/env bash
# halo vs keepalived health checking, side by side in ONE qemu guest boot
# (tests/vm/vm-run.sh; keepalived's checker needs IPVS, which only the
# guest's kernel has). For SMALL and N real servers (default 200 and 1000),
# HTTP GET /health every 1 s against one nginx on N loopback addresses in a
# guest network namespace:
#   halo:       halo-checker + halo-ipvs-sync (CPU and RSS of both counted)
#   keepalived: keepalived -C, its parent + checker child (both counted)
# keepalived.conf is generated here (delay_loop 1, HTTP_GET url { path
# /health status_code 200 }, connect_timeout 2) and halo's YAML is
# `haloctl import-keepalived` of that same file, so both check the same way.
# REPS rounds per size, the two tools' order alternating, WARM s warm-up then
# a SECS s window each; prints a table of medians and halo/keepalived ratios.
# Software emulation (TCG): only the ratio within one boot means anything.
# Not pass/fail.
#   bench/checker/bench_guest.sh [--build-dir DIR] [N [SECS [REPS]]]
#   env: SMALL=200 (smaller sizes run first, a list such as "50 200"; 0: only N),
#        WARM=10, STRACE=1 (diagnostic: strace -c each process over the window;
#        it slows the tools, so not for the numbers), HALO_VM_SMP / HALO_VM_MEM (vm-run.sh),
#        HALO_VM_APPEND (kernel command line; default "clocksource=tsc
#        tsc=reliable" so that clock reads go through the vDSO as on real
#        hardware; set it empty for the emulated HPET of the earlier runs)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
build=$top/build
if [ "${1:-}" = --build-dir ]; then build=$2; shift 2; fi
build=$(cd "$build" && pwd)
N=${1:-1000}; SECS=${2:-30}; REPS=${3:-3}
SMALL=${SMALL:-200}; WARM=${WARM:-10}
export HALO_VM_APPEND=${HALO_VM_APPEND-clocksource=tsc tsc=reliable}
SIZES=
for n in $SMALL; do [ "$n" -gt 0 ] && [ "$n" != "$N" ] && SIZES="$SIZES$n "; done
SIZES="$SIZES$N"
for b in checker/halo-checker ipvs-sync/halo-ipvs-sync haloctl/haloctl; do
	[ -x "$build/$b" ] || { echo "build halo first: no $build/$b" >&2; exit 2; }
done
KA=$(command -v keepalived) || { echo "needs keepalived (apt-get install keepalived)" >&2; exit 2; }
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
[ -x "$NGINX" ] || { echo "needs nginx (apt-get install nginx-light)" >&2; exit 2; }
[ "$N" -le 62500 ] || { echo "N at most 62500 (10.100.0.0/16, 250 per /24)" >&2; exit 2; }

env=$(mktemp -d "$build/bench-guest.XXXXXX")
LOADPID=
cleanup() {
	[ -n "$LOADPID" ] && kill "$LOADPID" 2>/dev/null
	[ "${KEEP_WORK:-0}" = 1 ] || rm -rf "$env"
}
trap cleanup EXIT

# keepalived.conf: 250 real servers per virtual server (192.168.v.x:80, DR, rr),
# real server i at 10.100.(i/250).(i%250+1):80; then halo's YAML by the importer.
files=()
for n in $SIZES; do
	awk -v n="$n" 'BEGIN {
		print "global_defs {\n  router_id bench\n}"
		for (v = 0; v * 250 < n; v++) {
			printf "virtual_server 192.168.%d.%d 80 {\n  delay_loop 1\n  lb_algo rr\n  lb_kind DR\n  protocol TCP\n", v / 250, v % 250 + 1
			for (i = v * 250; i < n && i < (v + 1) * 250; i++)
				printf "  real_server 10.100.%d.%d 80 {\n    weight 1\n    HTTP_GET {\n      url {\n        path /health\n        status_code 200\n      }\n      connect_timeout 2\n    }\n  }\n", i / 250, i % 250 + 1
			print "}"
		}
	}' >"$env/kc-$n.conf"
	if ! "$build/haloctl/haloctl" import-keepalived -o "$env/halo-$n.yaml" "$env/kc-$n.conf" 2>"$env/import-$n.log"; then
		cat "$env/import-$n.log" >&2; echo "import-keepalived failed" >&2; exit 1
	fi
	[ -s "$env/import-$n.log" ] && { echo "import-keepalived $n: $(wc -l <"$env/import-$n.log") diagnostic(s):"; head -5 "$env/import-$n.log"; }
	"$build/checker/halo-checker" -n -f "$env/halo-$n.yaml" || { echo "imported YAML for $n does not load" >&2; exit 1; }
	files+=("$env/kc-$n.conf" "$env/halo-$n.yaml")
done
echo "imported check (first real server of halo-$N.yaml):"
awk '/^      - address:/ { if (++k == 2) exit } k == 1' "$env/halo-$N.yaml" | sed 's/^/   /'
printf 'SIZES="%s"\nSECS=%s\nREPS=%s\nWARM=%s\nSTRACE=%s\n' "$SIZES" "$SECS" "$REPS" "$WARM" "${STRACE:-0}" >"$env/bench.env"
extra=()
[ "${STRACE:-0}" = 1 ] && extra=(--bin "$(command -v strace)")

nsizes=$(echo $SIZES | wc -w)
timeout=$((300 + nsizes * 2 * REPS * (WARM + SECS + 90)))
echo "date: $(date -u '+%Y-%m-%d %H:%M:%S UTC'); host load average at start: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) host CPUs"
echo "halo build: $build; keepalived: $("$KA" --version 2>&1 | head -n1); nginx: $("$NGINX" -v 2>&1 | sed 's/.*: //')"
( while :; do cut -d' ' -f1 /proc/loadavg >>"$env/load"; sleep 10; done ) &
LOADPID=$!
rc=0
"$top/tests/vm/vm-run.sh" --build-dir "$build" --timeout "$timeout" --bin "$KA" --bin "$NGINX" "${extra[@]}" \
	"$here/guest.sh" "$top/tests/vm/lib.sh" "$env/bench.env" "${files[@]}" || rc=$?
kill "$LOADPID" 2>/dev/null; LOADPID=
echo "date: $(date -u '+%Y-%m-%d %H:%M:%S UTC'); host load average (1 min) sampled every 10 s during the run:" \
	"$(sort -n "$env/load" | awk '{ v[NR] = $1; s += $1 } END { printf "min %.2f, median %.2f, mean %.2f, max %.2f (%d samples)", v[1], v[int((NR + 1) / 2)], s / NR, v[NR], NR }')"
exit "$rc"
