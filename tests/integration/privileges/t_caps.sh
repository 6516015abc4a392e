#!/usr/bin/env bash
# What the running daemons may still do, read from /proc/PID/status: vrrpd
# keeps CAP_NET_RAW + CAP_NET_ADMIN (uid 0), the checker nothing (as nobody),
# both with no_new_privs and a seccomp filter (Seccomp: 2), and none is
# refused a system call while working (lib.sh's finish); their scripts run
# as script_user without capabilities. With global.seccomp: false there is
# no filter. (ipvs-sync needs IPVS: tests/vm/ipvs_sync.sh checks it.)
#
#   r1: eth0 192.168.0.1 ── br0 (namespace sw)
#       halo-vrrpd + halo-checker, script_user nobody, run dir $WORK/r1/run
. "$(dirname "$0")/../lib.sh"
need_root
CHECKER=${CHECKER:-$BUILD/checker/halo-checker}
[ -x "$CHECKER" ] || { echo "no $CHECKER (build first)"; exit 1; }
chmod 755 "$WORK"
mkdir -m 1777 "$WORK/out"     # the scripts (as nobody) write here
LAN_NAMES=(r1); make_lan r1
nsx r1 ip addr add 192.168.0.1/24 dev eth0
# the capability masks: CAP_NET_ADMIN = 12, CAP_NET_RAW = 13
VRRP_CAPS=0000000000003000 NONE=0000000000000000
probe='grep -E "^(Uid|CapInh|CapPrm|CapEff|CapBnd|CapAmb|NoNewPrivs):" /proc/self/status'
C=$WORK/r1.yaml
cat >"$C" <<EOT
global: { router_id: r1, realtime_priority: 0, script_user: nobody, checker_user: nobody }
vrrp:
  scripts:
    chk: { command: [/bin/sh, -c, '$probe >$WORK/out/track.tmp; mv $WORK/out/track.tmp $WORK/out/track'], interval: 200ms }
  instances:
    - name: VI_1
      interface: eth0
      vrid: 51
      priority: 100
      advert_interval: 100ms
      virtual_addresses: [ 192.168.0.100/24 ]
      track_scripts: [ chk ]
      notify: { master: [/bin/sh, -c, '$probe >$WORK/out/notify'] }
virtual_servers:
  - address: 192.168.0.100
    port: 80
    real_servers:
      - { address: 192.168.0.9, port: 80, check: { script: { command: [/bin/sh, -c, '$probe >$WORK/out/check.tmp; mv $WORK/out/check.tmp $WORK/out/check'] }, interval: 200ms } }
EOT
chmod 644 "$C"
start_vrrpd r1 "$C"
mkdir -p "$WORK/r1"
ip netns exec "$(ns_name r1)" "$CHECKER" -d -f "$C" --run-dir "$WORK/r1/run" >>"$WORK/r1/checker.log" 2>&1 &
CPID=$!; PIDS+=("$CPID")
wait_for 10 "checker socket" test -S "$WORK/r1/run/halo-checker.sock"
VPID=$(vrrpd_pid r1)
expect_wait 10 "r1 MASTER" state_is r1 VI_1 MASTER

# field FILE NAME: the value of one /proc status line
field() { awk -v k="$2:" '$1 == k { print $2 }' "$1"; }
snap() { cat "/proc/$1/status" >"$WORK/out/$2.status"; }
snap "$VPID" vrrpd; snap "$CPID" checker
NOBODY=$(id -u nobody)
for f in CapPrm CapEff CapBnd; do
	ok "vrrpd $f is NET_RAW+NET_ADMIN" test "$(field "$WORK/out/vrrpd.status" $f)" = $VRRP_CAPS
	ok "checker $f is empty" test "$(field "$WORK/out/checker.status" $f)" = $NONE
done
for d in vrrpd checker; do
	ok "$d CapInh and CapAmb are empty" test "$(field "$WORK/out/$d.status" CapInh)$(field "$WORK/out/$d.status" CapAmb)" = $NONE$NONE
	ok "$d has no_new_privs" test "$(field "$WORK/out/$d.status" NoNewPrivs)" = 1
	ok "$d runs under a seccomp filter" test "$(field "$WORK/out/$d.status" Seccomp)" = 2
done
ok "vrrpd keeps uid 0" test "$(field "$WORK/out/vrrpd.status" Uid)" = 0
ok "the checker runs as nobody" test "$(field "$WORK/out/checker.status" Uid)" = "$NOBODY"
for s in track notify check; do
	expect_wait 10 "the $s script ran" test -s "$WORK/out/$s"
	ok "the $s script ran as nobody" test "$(field "$WORK/out/$s" Uid)" = "$NOBODY"
	ok "the $s script has no capabilities" test "$(field "$WORK/out/$s" CapEff)$(field "$WORK/out/$s" CapPrm)" = $NONE$NONE
done
ok "vrrpd has no other children than its script runner" test "$(pgrep -c -P "$VPID")" -le 1
# the checker's children: the script runner (nobody) and the socket keeper
# (uid 0 without any capability, lib/io_ctl_keeper.c)
keeper=""
for k in $(pgrep -P "$CPID"); do
	snap "$k" "child-$k"
	[ "$(field "$WORK/out/child-$k.status" Uid)" = 0 ] && keeper=$k
done
ok "the checker has a socket keeper" test -n "$keeper"
for f in CapPrm CapEff CapBnd CapInh CapAmb; do
	ok "the keeper's $f is empty" test "$(field "$WORK/out/child-$keeper.status" $f)" = $NONE
done
ok "the keeper has no_new_privs" test "$(field "$WORK/out/child-$keeper.status" NoNewPrivs)" = 1
ok "the keeper runs under a seccomp filter" test "$(field "$WORK/out/child-$keeper.status" Seccomp)" = 2

# global.seccomp: false leaves the filter out (the capabilities stay dropped)
kill -TERM "$VPID"
expect_wait 10 "vrrpd stopped" bash -c "! kill -0 $VPID 2>/dev/null"
sed -i 's/^global: {/global: { seccomp: false,/' "$C"
start_vrrpd r1 "$C"
VPID=$(vrrpd_pid r1)
expect_wait 10 "r1 MASTER again" state_is r1 VI_1 MASTER
snap "$VPID" vrrpd-nofilter
ok "with seccomp: false vrrpd has no filter" test "$(field "$WORK/out/vrrpd-nofilter.status" Seccomp)" = 0
ok "with seccomp: false vrrpd still has only its two capabilities" \
	test "$(field "$WORK/out/vrrpd-nofilter.status" CapBnd)" = $VRRP_CAPS
finish
