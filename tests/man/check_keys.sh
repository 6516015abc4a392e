#!/bin/sh
# check_keys.sh PAGE SRC_DIR CONFIG_DUMP: fails if a key the loader accepts
# is not documented in halo.yaml(5) as ".It Ic <path>". Two sources:
#  1. the key paths of config_print's canonical output (through config_dump)
#     for every good config of tests/config and the example configs;
#  2. every key name in the loader's field tables (lib/config*.c), which
#     must end some documented path.
set -eu
page=$1 src=$2 dump=$3
here=$(dirname "$0")
tmp=$(mktemp -d ./check_keys.XXXXXX)   # the build folder (the test's working directory)
trap 'rm -rf "$tmp"' EXIT

sed -n 's/^\.It Ic \([^ ]*\).*/\1/p' "$page" | sort -u >"$tmp/documented"
[ -s "$tmp/documented" ] || { echo "no .It Ic entries in $page"; exit 1; }

for y in "$src"/tests/config/good/*.yaml "$src"/etc/*.yaml; do
	"$dump" "$y" >"$tmp/out" || { echo "config_dump failed on $y"; exit 1; }
	awk -f "$here/yaml_paths.awk" "$tmp/out"
done | sort -u >"$tmp/paths"
[ -s "$tmp/paths" ] || { echo "no key paths extracted"; exit 1; }

missing=0
while read -r p; do
	grep -qxF "$p" "$tmp/documented" && continue
	# https takes the http keys; the page lists them once, under http
	alt=$(printf '%s\n' "$p" | sed 's/\.https\./.http./')
	grep -qxF "$alt" "$tmp/documented" && continue
	echo "halo.yaml.5 lacks $p"
	missing=1
done <"$tmp/paths"

grep -ohE '(CFG_F|CFG_FN|CFG_REQ|CFG_FN_REQ|CFG_ENUM)\("[a-z_0-9]+"|\{ "[a-z_0-9]+", CFT_' \
	"$src"/lib/config*.c | sed -E 's/.*"([a-z_0-9]+)".*/\1/' | sort -u >"$tmp/keys"
[ "$(wc -l <"$tmp/keys")" -gt 50 ] || { echo "too few keys found in the field tables"; exit 1; }
while read -r k; do
	grep -qE "(^|\.)$k\$" "$tmp/documented" && continue
	echo "halo.yaml.5 lacks the key $k (field tables in lib/config*.c)"
	missing=1
done <"$tmp/keys"

[ "$missing" = 0 ] && echo "$(wc -l <"$tmp/paths") key paths and $(wc -l <"$tmp/keys") key names documented"
exit "$missing"
