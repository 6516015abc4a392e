#!/usr/bin/env bash
# Host-side cost of loading the IPVS benchmark's config: generates the same
# N x M halo.yaml as bench/ipvs_guest.sh and counts the instructions of
# `halo-ipvs-sync -n` on it with callgrind (deterministic, unlike time in the
# emulated guest). Not pass/fail; the figure quoted in bench/ipvs_results.md.
#   bench/ipvs_config_cost.sh [--build-dir DIR] [N [M]]
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=$top/build
if [ "${1:-}" = --build-dir ]; then build=$2; shift 2; fi
N=${1:-1000}; M=${2:-10}
bin=$build/ipvs-sync/halo-ipvs-sync
[ -x "$bin" ] || { echo "build halo first: cmake --build $build" >&2; exit 2; }
command -v valgrind >/dev/null || { echo "needs valgrind (apt-get install valgrind)" >&2; exit 2; }
w=$(mktemp -d)
trap 'rm -rf "$w"' EXIT
awk -v n="$N" -v m="$M" '
function vip(i) { return sprintf("172.16.%d.%d", int(i / 250), i % 250 + 1) }
function rip(i, j) { return sprintf("10.%d.%d.%d", 100 + int(i / 250), i % 250, j + 1) }
BEGIN {
	print "virtual_servers:"
	for (i = 0; i < n; i++) {
		printf "  - { address: %s, port: 80, scheduler: rr, forwarding: dr, real_servers: [", vip(i)
		for (j = 0; j < m; j++)
			printf "%s{ address: %s, port: 80, weight: 1 }", (j ? ", " : ""), rip(i, j)
		print "] }"
	}
}' >"$w/halo.yaml"
"$bin" -n -f "$w/halo.yaml" >/dev/null || { echo "halo-ipvs-sync -n refused the generated file" >&2; exit 1; }
valgrind --tool=callgrind --callgrind-out-file="$w/cg.out" "$bin" -n -f "$w/halo.yaml" 2>"$w/vg.log"
total=$(awk '/^summary:/ { print $2 }' "$w/cg.out")
printf '%s x %s config, halo-ipvs-sync -n: %s instructions (%s M)\n' "$N" "$M" "$total" "$((total / 1000000))"
callgrind_annotate "$w/cg.out" 2>/dev/null | sed -n '/^Ir/,+12p' | head -14
