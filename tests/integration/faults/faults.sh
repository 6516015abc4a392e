#!/usr/bin/env bash
# Helpers for the fault tests, sourced after ../lib.sh and ../vrrp/common.sh:
# a checker beside each vrrpd, a reconnecting subscriber, and timestamped
# address events for measuring how long a VIP sat on two routers.
FAULTS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CHECKER=${CHECKER:-$BUILD/checker/halo-checker}
TOOL="python3 $FAULTS_DIR/tool.py"

# with_checker FILE: appends a virtual server whose real server nobody answers
with_checker() {
	cat >>"$1" <<EOT
virtual_servers:
  - address: 192.168.0.100
    port: 80
    real_servers:
      - { address: 192.168.0.9, port: 80, check: { tcp: {}, interval: 300ms, timeout: 200ms, retry: 0 } }
EOT
	chmod 644 "$1"
}

# start_checker NAME CONFIG: halo-checker in the router's namespace, same run dir as its vrrpd
start_checker() {
	local n=$1 conf=$2
	mkdir -p "$WORK/$n"
	ip netns exec "$(ns_name "$n")" "$CHECKER" -d -f "$conf" --run-dir "$WORK/$n/run" >>"$WORK/$n/checker.log" 2>&1 &
	local pid=$!
	PIDS+=("$pid")
	eval "CHECKER_PID_$n=$pid"
	wait_for 10 "checker on $n answers" $TOOL status "$WORK/$n/run/halo-checker.sock"
}
checker_pid() { eval "echo \${CHECKER_PID_$1}"; }

# watch_addrs NAME: timestamped address events of a router into $WORK/NAME/addr.log
watch_addrs() {
	mkdir -p "$WORK/$1"
	ip -ts -n "$(ns_name "$1")" monitor address >>"$WORK/$1/addr.log" 2>&1 &
	PIDS+=($!)
}
now_wall() { date +%s.%N; }

# rt50 FILE...: SCHED_RR 50 as deployed (etc/halo.yaml), so that a loaded test
# machine cannot starve the adverts and fake a master_down
rt50() { sed -i 's/realtime_priority: 0/realtime_priority: 50/' "$@"; }
