#!/bin/sh
# keepalived_t.sh FILE [CONFIG_ID]: the real keepalived accepts FILE
# (`keepalived -t`, which also fails on warnings). It runs in a private
# network namespace (unshare -n) holding the interfaces the corpus names,
# eth0..eth3 as two veth pairs. Exit 77 (skip) without root or keepalived.
set -eu
file=$1
id=${2:-}
command -v keepalived >/dev/null 2>&1 || { echo "keepalived is not installed"; exit 77; }
command -v unshare >/dev/null 2>&1 || { echo "unshare is not installed"; exit 77; }
[ "$(id -u)" = 0 ] || { echo "needs root for a network namespace"; exit 77; }
cd "$(dirname "$file")"
exec unshare -n sh -c '
	ip link add eth0 type veth peer name eth1 &&
	ip link add eth2 type veth peer name eth3 &&
	exec keepalived -t -l -G -f "$1" ${2:+-i "$2"}' sh "$(basename "$file")" "$id"
