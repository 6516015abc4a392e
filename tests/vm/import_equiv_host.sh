#!/usr/bin/env bash
# Host side of vm.import_equiv: converts the keepalived.conf files of
# tests/import that have virtual servers with this build's
# `haloctl import-keepalived` (as an operator would, at test time), makes a
# throwaway TLS certificate for the SSL_GET real server, and runs
# import_equiv.sh in the guest with keepalived and openssl copied in.
#   import_equiv_host.sh --build-dir DIR [--timeout SEC] GUEST-SCRIPT LIB.SH
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
imp=$(cd "$here/../import" && pwd)
build_dir="" timeout_s=600
while [ $# -gt 0 ]; do
	case $1 in
	--build-dir) build_dir=$2; shift 2 ;;
	--timeout) timeout_s=$2; shift 2 ;;
	*) break ;;
	esac
done
[ -n "$build_dir" ] && [ $# -ge 1 ] || { echo "usage: $0 --build-dir DIR SCRIPT [FILES...]" >&2; exit 2; }
build_dir=$(cd "$build_dir" && pwd)
haloctl=$build_dir/haloctl/haloctl
for b in "$haloctl" /usr/sbin/keepalived /usr/bin/openssl; do
	[ -x "$b" ] || { echo "import_equiv: missing $b (apt-get install keepalived openssl)" >&2; exit 2; }
done

work=$(mktemp -d "$build_dir/import-equiv.XXXXXX")
trap 'rm -rf "$work"' EXIT
cfg=$work/cfg
mkdir -p "$cfg"

# NAME FILE (relative to tests/import): every corpus file with virtual servers
# whose conversion has no warning (unmapped.conf is the warnings' own test)
# and whose checks the lab's servers answer (escapes.conf's UDP bytes are
# there for the YAML escapes only).
list=(seed:seed.conf lvs-http:corpus/lvs-http.conf vs-fwmark-group:corpus/vs-fwmark-group.conf
	checkers:corpus/checkers.conf includes:corpus/includes.conf vs-group-ranges:corpus/vs-group-ranges.conf
	vs-tunnel:corpus/vs-tunnel.conf)
: >"$cfg/list"
for e in "${list[@]}"; do
	name=${e%%:*} f=$imp/${e#*:}
	case " ${IMPORT_EQUIV_ONLY:-$name} " in *" $name "*) ;; *) continue ;; esac
	args=$(sed -n 's/^# import-args: //p' "$f")
	cid=$(printf '%s\n' "$args" | sed -n 's/.*--config-id \([^ ]*\).*/\1/p')
	cp "$f" "$cfg/$name.conf"
	[ -d "${f%.conf}.d" ] && cp -r "${f%.conf}.d" "$cfg/"
	# shellcheck disable=SC2086
	if ! (cd "$(dirname "$f")" && "$haloctl" import-keepalived $args -o "$cfg/$name.yaml" "$f") 2>"$work/$name.err"; then
		cat "$work/$name.err" >&2
		echo "import_equiv: haloctl import-keepalived $f failed" >&2
		exit 1
	fi
	if [ -s "$work/$name.err" ]; then
		echo "import_equiv: $f converts with warnings:" >&2
		cat "$work/$name.err" >&2
		exit 1
	fi
	echo "$name $name.conf $name.yaml ${cid:--}" >>"$cfg/list"
done
[ -n "${IMPORT_EQUIV_LOGS:-}" ] && touch "$cfg/verbose"   # print the daemons' logs
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=rs.test \
	-keyout "$cfg/key.pem" -out "$cfg/cert.pem" 2>/dev/null

"$here/vm-run.sh" --build-dir "$build_dir" --timeout "$timeout_s" \
	--bin /usr/sbin/keepalived --bin /usr/bin/openssl "$@" "$cfg"
