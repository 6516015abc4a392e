#!/usr/bin/env bash
# Shared helpers for the namespace tests (kselftest habits): random namespace
# suffixes, deferred cleanup, polling instead of fixed sleeps, and assertions
# that print what they expected. Source it; set BUILD to the build folder.
set -u

KSFT_SKIP=77
SUFFIX=$(printf '%04x%04x' $RANDOM $RANDOM)
NSES=()
PIDS=()
FAILS=0
CHECKS=0
BUILD=${BUILD:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/build}
WORK=$(mktemp -d "$BUILD/itest.XXXXXX")
VRRPD=${VRRPD:-$BUILD/vrrpd/halo-vrrpd}
HALOCTL=${HALOCTL:-$BUILD/haloctl/haloctl}

need_root() {
	if [ "$(id -u)" -ne 0 ]; then
		echo "SKIP: needs root for network namespaces"
		exit $KSFT_SKIP
	fi
}

MAIN_SHELL=$BASHPID
cleanup() {
	local p ns
	# only the test's own shell tears the lab down, never a subshell
	[ "$BASHPID" = "$MAIN_SHELL" ] || return 0
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
	for p in "${PIDS[@]}"; do
		for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.05; done
		kill -9 "$p" 2>/dev/null
	done
	for ns in "${NSES[@]}"; do ip netns del "$ns" 2>/dev/null; done
	if [ "${KEEP_WORK:-0}" != 1 ] && [ "$FAILS" -eq 0 ]; then rm -rf "$WORK"; fi
}
trap cleanup EXIT

ns_name() { echo "$1-$SUFFIX"; }

# make_lan N1 N2 ...: a switch namespace with bridge br0, and one namespace per
# name whose eth0 is plugged into it.
make_lan() {
	local sw; sw=$(ns_name sw)
	ip netns add "$sw"; NSES+=("$sw")
	ip -n "$sw" link add br0 type bridge mcast_snooping 0
	ip -n "$sw" link set br0 up
	ip netns exec "$sw" sysctl -qw net.ipv6.conf.all.disable_ipv6=1
	local i=0 n ns
	for n in "$@"; do
		i=$((i + 1))
		ns=$(ns_name "$n")
		ip netns add "$ns"; NSES+=("$ns")
		ip netns exec "$ns" sysctl -qw net.ipv6.conf.default.accept_dad=0
		ip link add "v$i-$SUFFIX" type veth peer name eth0 netns "$ns"
		ip link set "v$i-$SUFFIX" netns "$sw"
		ip -n "$sw" link set "v$i-$SUFFIX" master br0 up
		ip -n "$ns" link set lo up
		ip -n "$ns" link set eth0 address "02:00:00:00:00:$(printf %02x $i)"
		ip -n "$ns" link set eth0 up
		ip netns exec "$ns" sysctl -qw net.ipv6.conf.eth0.accept_dad=0
	done
}

# port_of NAME: the switch-side veth of a router (to cut its link from outside)
port_of() {
	local i=0 n
	for n in "${LAN_NAMES[@]}"; do i=$((i + 1)); [ "$n" = "$1" ] && { echo "v$i-$SUFFIX"; return; }; done
}

nsx() { local ns; ns=$(ns_name "$1"); shift; ip netns exec "$ns" "$@"; }

# start_vrrpd NAME CONFIG: runs halo-vrrpd in the router's namespace
start_vrrpd() {
	local n=$1 conf=$2
	mkdir -p "$WORK/$n"
	ip netns exec "$(ns_name "$n")" "$VRRPD" -d -f "$conf" --run-dir "$WORK/$n/run" >>"$WORK/$n/vrrpd.log" 2>&1 &
	local pid=$!
	PIDS+=("$pid")
	eval "VRRPD_PID_$n=$pid"
	wait_for 5 "vrrpd on $n answers" test -S "$WORK/$n/run/halo-vrrpd.sock"
}

vrrpd_pid() { eval "echo \${VRRPD_PID_$1}"; }

# start_keepalived NAME CONFIG
start_keepalived() {
	local n=$1 conf=$2
	mkdir -p "$WORK/$n"
	ip netns exec "$(ns_name "$n")" keepalived -n -l -P -G -D -f "$conf" -p "$WORK/$n/ka.pid" -r "$WORK/$n/ka-vrrp.pid" \
		>>"$WORK/$n/keepalived.log" 2>&1 &
	local pid=$!
	PIDS+=("$pid")
	eval "KA_PID_$n=$pid"
}

ka_pid() { eval "echo \${KA_PID_$1}"; }

# wait_for SECONDS DESCRIPTION CMD...: polls every 20 ms
wait_for() {
	local secs=$1 what=$2; shift 2
	local end=$(( $(date +%s%N) + secs * 1000000000 ))
	while [ "$(date +%s%N)" -lt $end ]; do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.02
	done
	echo "timeout after ${secs}s waiting for: $what"
	return 1
}

has_vip() { nsx "$1" ip -o addr show dev "${3:-eth0}" | grep -qw "inet6\? $2"; }

# status_field NAME INSTANCE FIELD: one field of `haloctl status --json`
status_field() {
	"$HALOCTL" --run-dir "$WORK/$1/run" status --json 2>/dev/null | python3 -c '
import json, sys
d = json.load(sys.stdin)
for i in d["vrrp"]["instances"]:
    if i["name"] == sys.argv[1]:
        v = i
        for k in sys.argv[2].split("."):
            v = v[k]
        print(v)
' "$2" "$3"
}

state_is() { [ "$(status_field "$1" "$2" state)" = "$3" ]; }

ok() {
	CHECKS=$((CHECKS + 1))
	local what=$1; shift
	if "$@"; then
		echo "ok $CHECKS - $what"
	else
		FAILS=$((FAILS + 1))
		echo "not ok $CHECKS - $what"
	fi
}

# expect_wait SECONDS WHAT CMD...: an assertion that polls
expect_wait() {
	local secs=$1 what=$2; shift 2
	CHECKS=$((CHECKS + 1))
	if wait_for "$secs" "$what" "$@"; then
		echo "ok $CHECKS - $what"
	else
		FAILS=$((FAILS + 1))
		echo "not ok $CHECKS - $what"
	fi
}

# exactly_one_vip VIP ROUTERS...: true when exactly one router holds it
exactly_one_vip() {
	local vip=$1 n c=0; shift
	for n in "$@"; do has_vip "$n" "$vip" && c=$((c + 1)); done
	[ $c -eq 1 ]
}

vip_holder() {
	local vip=$1 n; shift
	for n in "$@"; do has_vip "$n" "$vip" && { echo "$n"; return; }; done
	echo none
}

# sanitizer_clean: no ASan/UBSan/LeakSanitizer report in any daemon log
sanitizer_clean() {
	! grep -lE "ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:" "$WORK"/*/*.log 2>/dev/null | grep -q .
}

# seccomp_clean: no daemon had a system call refused by its allow-list
seccomp_clean() {
	! grep -l "seccomp: denied system call" "$WORK"/*/*.log 2>/dev/null | grep -q .
}

finish() {
	# daemons were stopped by now only if the test stopped them; stop the rest
	# so their exit-time leak reports land in the logs before we look
	local p
	for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null; done
	for p in "${PIDS[@]}"; do for _ in $(seq 100); do kill -0 "$p" 2>/dev/null || break; sleep 0.05; done; done
	ok "no sanitizer report in the daemons' logs" sanitizer_clean
	ok "no system call refused by seccomp in the daemons' logs" seccomp_clean
	if [ "$FAILS" -ne 0 ]; then
		echo "FAILED: $FAILS of $CHECKS checks; logs in $WORK"
		for f in "$WORK"/*/*.log; do [ -f "$f" ] && { echo "--- $f"; tail -n 30 "$f"; }; done
		exit 1
	fi
	[ "$CHECKS" -gt 0 ] || { echo "no checks ran"; exit 1; }
	echo "PASS: $CHECKS checks"
	exit 0
}
