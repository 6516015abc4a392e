#!/usr/bin/env bash
# global.script_security: a script in a directory others can write is
# refused with a message naming that directory, by `-n`, at start (vrrpd and
# the checker exit 1) and at reload (the running configuration stays);
# `script_security: false` lets it run.
#
#   r1: eth0 192.168.0.1 ── br0 (namespace sw); halo-vrrpd, halo-checker
. "$(dirname "$0")/../lib.sh"
need_root
CHECKER=${CHECKER:-$BUILD/checker/halo-checker}
[ -x "$CHECKER" ] || { echo "no $CHECKER (build first)"; exit 1; }
chmod 755 "$WORK"
mkdir -m 755 "$WORK/safe"; mkdir -m 777 "$WORK/pub"
for d in safe pub; do
	printf '#!/bin/sh\nexit 0\n' >"$WORK/$d/ok.sh"; chmod 755 "$WORK/$d/ok.sh"
done
LAN_NAMES=(r1); make_lan r1
nsx r1 ip addr add 192.168.0.1/24 dev eth0

# vconf FILE SCRIPT_DIR [SECURITY]: vrrpd config whose track script lives in SCRIPT_DIR
vconf() {
	cat >"$1" <<EOT
global: { router_id: r1, realtime_priority: 0, script_user: nobody, script_security: ${3:-true} }
vrrp:
  scripts:
    chk: { command: [$2/ok.sh], interval: 200ms }
  instances:
    - { name: VI_1, interface: eth0, vrid: 51, priority: 100, advert_interval: 100ms,
        virtual_addresses: [ 192.168.0.100/24 ], track_scripts: [ chk ] }
EOT
}
# cconf FILE SCRIPT_DIR: checker config with a script check in SCRIPT_DIR
cconf() {
	cat >"$1" <<EOT
global: { router_id: r1, script_user: nobody, checker_user: nobody }
virtual_servers:
  - address: 192.168.0.100
    port: 80
    real_servers:
      - { address: 192.168.0.9, port: 80, check: { script: { command: [$2/ok.sh] }, interval: 200ms } }
EOT
}
WANT="$WORK/pub is writable by others (mode 0777)"
vconf "$WORK/bad.yaml" "$WORK/pub"; cconf "$WORK/cbad.yaml" "$WORK/pub"
ok "vrrpd -n refuses the script, naming the directory" \
	bash -c "! '$VRRPD' -n -f '$WORK/bad.yaml' 2>'$WORK/n.err' && grep -qF '$WORK/pub/ok.sh refused: $WANT' '$WORK/n.err'"
ok "halo-checker -n refuses the script check" \
	bash -c "! '$CHECKER' -n -f '$WORK/cbad.yaml' 2>'$WORK/cn.err' && grep -qF 'check.script: script $WORK/pub/ok.sh refused: $WANT' '$WORK/cn.err'"
mkdir -p "$WORK/r1"
ok "vrrpd does not start with it (exit 1)" \
	bash -c "nsx() { ip netns exec '$(ns_name r1)' \"\$@\"; }; ! nsx '$VRRPD' -d -f '$WORK/bad.yaml' --run-dir '$WORK/r1/run0' 2>'$WORK/start.err'"
ok "the start error names the directory" grep -qF "$WANT" "$WORK/start.err"
ok "the checker does not start with it (exit 1)" \
	bash -c "! ip netns exec '$(ns_name r1)' '$CHECKER' -d -f '$WORK/cbad.yaml' --run-dir '$WORK/r1/run0' 2>'$WORK/cstart.err'"
ok "the checker's start error names the directory" grep -qF "$WANT" "$WORK/cstart.err"
chmod 775 "$WORK/safe/ok.sh"; vconf "$WORK/gw.yaml" "$WORK/safe"
ok "a group-writable script is refused too" \
	bash -c "! '$VRRPD' -n -f '$WORK/gw.yaml' 2>'$WORK/gw.err' && grep -qF '$WORK/safe/ok.sh is writable by its group (mode 0775)' '$WORK/gw.err'"
chmod 755 "$WORK/safe/ok.sh"
ok "once fixed, vrrpd -n accepts it" "$VRRPD" -n -f "$WORK/gw.yaml"

# a running vrrpd: a reload that brings an unsafe script is rejected
C=$WORK/r1.yaml
vconf "$C" "$WORK/safe"
start_vrrpd r1 "$C"
expect_wait 10 "r1 MASTER with a safe script" state_is r1 VI_1 MASTER
vconf "$C" "$WORK/pub"
kill -HUP "$(vrrpd_pid r1)"
expect_wait 10 "the reload is rejected, naming the directory" grep -qF "$WANT" "$WORK/r1/vrrpd.log"
ok "the reload is logged as rejected" grep -q "reload: .* rejected" "$WORK/r1/vrrpd.log"
ok "r1 still MASTER" state_is r1 VI_1 MASTER
ok "vrrpd still runs the safe script" \
	bash -c "'$HALOCTL' --run-dir '$WORK/r1/run' status --json | grep -q '$WORK/safe/ok.sh' || grep -q 'track script chk is up' '$WORK/r1/vrrpd.log'"
# script_security: false: the operator's choice
vconf "$C" "$WORK/pub" false
ok "vrrpd -n accepts it with script_security: false" "$VRRPD" -n -f "$C"
kill -HUP "$(vrrpd_pid r1)"
expect_wait 10 "the reload with script_security: false is applied" \
	bash -c "[ \$(grep -c 'reload: .* applied' '$WORK/r1/vrrpd.log') -ge 1 ]"
ok "r1 still MASTER" state_is r1 VI_1 MASTER
finish
