#!/usr/bin/env bash
# Host-side cost of loading the IPVS benchmark's config: generates the same
# N x M halo.yaml as bench/ipvs_guest.sh and counts the instructions of
# `halo-ipvs-sync -n` on it with callgrind (deterministic, unlike time in the
# emulated guest), then a bare YAML event loop over the same file with no halo
# code: libyaml (halo's parser) and, when its headers are installed
# (apt-get install libfyaml-dev), libfyaml, i.e. the floor any config load on
# that parser pays. Not pass/fail; the figures quoted in bench/ipvs_results.md.
#   bench/ipvs_config_cost.sh [--build-dir DIR] [N [M]]
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=$top/build
if [ "${1:-}" = --build-dir ]; then build=$2; shift 2; fi
N=${1:-1000}; M=${2:-10}
bin=$build/ipvs-sync/halo-ipvs-sync
[ -x "$bin" ] || { echo "build halo first: cmake --build $build" >&2; exit 2; }
for c in valgrind cc; do command -v $c >/dev/null || { echo "needs $c" >&2; exit 2; }; done
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

cat >"$w/ly.c" <<'C'
#include <stdio.h>
#include <yaml.h>
int main(int argc, char **argv)
{
	FILE *f = fopen(argv[1], "rb");
	yaml_parser_t p;
	yaml_event_t e;
	long n = 0;
	int end = 0;
	yaml_parser_initialize(&p);
	yaml_parser_set_input_file(&p, f);
	while (!end) {
		if (!yaml_parser_parse(&p, &e))
			return 1;
		n += e.type == YAML_SCALAR_EVENT;
		end = e.type == YAML_STREAM_END_EVENT;
		yaml_event_delete(&e);
	}
	yaml_parser_delete(&p);
	printf("%ld scalars\n", n);
	return 0;
}
C
cat >"$w/fy.c" <<'C'
#include <stdio.h>
#include <libfyaml.h>
int main(int argc, char **argv)
{
	struct fy_parse_cfg cfg = { .flags = FYPCF_QUIET };
	struct fy_parser *p = fy_parser_create(&cfg);
	struct fy_event *e;
	long n = 0;
	size_t len;
	if (!p || fy_parser_set_input_file(p, argv[1]))
		return 1;
	while ((e = fy_parser_parse(p))) {
		if (e->type == FYET_SCALAR && fy_token_get_text(e->scalar.value, &len))
			n++;
		fy_parser_event_free(p, e);
	}
	if (fy_parser_get_stream_error(p))
		return 1;
	fy_parser_destroy(p);
	printf("%ld scalars\n", n);
	return 0;
}
C
count() {   # count NAME BINARY: the bare parser's instructions over the file
	local out
	out=$("$2" "$w/halo.yaml") || { echo "$1: parse failed" >&2; exit 1; }
	valgrind --tool=callgrind --callgrind-out-file="$w/$1.cg" "$2" "$w/halo.yaml" >/dev/null 2>&1
	awk -v name="$1" -v out="$out" -v bytes="$(wc -c <"$w/halo.yaml")" '/^summary:/ {
		printf "%-9s %s, %d instructions (%d M), %.0f per byte of the %d-byte file\n", name, out, $2, $2 / 1e6, $2 / bytes, bytes }' "$w/$1.cg"
}
cc -O2 -o "$w/ly" "$w/ly.c" -lyaml
count libyaml "$w/ly"
if [ -e /usr/include/libfyaml.h ]; then
	cc -O2 -o "$w/fy" "$w/fy.c" -lfyaml
	count libfyaml "$w/fy"
else
	echo "libfyaml: not measured (apt-get install libfyaml-dev)"
fi
