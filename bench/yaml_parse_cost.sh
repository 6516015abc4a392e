#!/usr/bin/env bash
# Instructions a bare YAML event loop needs for the IPVS benchmark's N x M
# file (same generator as bench/ipvs_config_cost.sh), with no halo code: the
# floor any config load built on that parser pays. libyaml (halo's parser)
# and, when its headers are installed (apt-get install libfyaml-dev), libfyaml
# for comparison. Counted with callgrind; not pass/fail.
#   bench/yaml_parse_cost.sh [N [M]]
set -euo pipefail
N=${1:-1000}; M=${2:-10}
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
count() {   # count NAME BINARY
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
