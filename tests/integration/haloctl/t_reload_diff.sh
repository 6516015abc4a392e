#!/usr/bin/env bash
# haloctl reload prints what changed: one instance's priority raised, a VIP
# added to another, a real server's weight changed; unchanged instances and
# real servers are not named; a second reload says "no change"; --json lists
# the same changes; a bad file is refused and nothing is reloaded.
#
#   r1: halo-vrrpd (VI_1, VI_2, VI_3, alone -> MASTER)   srv: python http.server
#       halo-checker (nobody)                                 192.168.0.9:8080, :8081
#       192.168.0.1 ─────────────── br0 ─────────────────── 192.168.0.9
. "$(dirname "$0")/../lib.sh"
need_root
CHECKER=${CHECKER:-$BUILD/checker/halo-checker}
[ -x "$CHECKER" ] || { echo "no $CHECKER (build first)"; exit 1; }
LAN_NAMES=(r1 srv); make_lan "${LAN_NAMES[@]}"
nsx r1 ip addr add 192.168.0.1/24 dev eth0
nsx srv ip addr add 192.168.0.9/24 dev eth0
chmod 755 "$WORK"
mkdir -p "$WORK/r1" "$WORK/www" "$WORK/srv"
chmod 755 "$WORK/r1" "$WORK/www"
echo ok >"$WORK/www/index.html"
for port in 8080 8081; do
	ip netns exec "$(ns_name srv)" python3 -m http.server --bind 192.168.0.9 --directory "$WORK/www" $port >>"$WORK/srv/http.out" 2>&1 &
	PIDS+=($!)
done

CONF=$WORK/r1/halo.yaml
# write_conf PRIO1 VIPS2 WEIGHT1: the file with the three edited values
write_conf() {
	cat >"$CONF" <<YAML
global: { router_id: r1, realtime_priority: 0, script_user: root, checker_user: nobody }
vrrp:
  instances:
    - { name: VI_1, interface: eth0, vrid: 51, priority: $1, advert_interval: 100ms, virtual_addresses: [ 192.168.0.100/24 ] }
    - { name: VI_2, interface: eth0, vrid: 52, priority: 100, advert_interval: 100ms, virtual_addresses: [ $2 ] }
    - { name: VI_3, interface: eth0, vrid: 53, priority: 100, advert_interval: 100ms, virtual_addresses: [ 192.168.0.120/24 ] }
virtual_servers:
  - address: 192.168.0.100
    port: 80
    protocol: tcp
    real_servers:
      - { address: 192.168.0.9, port: 8080, weight: $3, check: { http: { path: / }, interval: 300ms, timeout: 1s, retry: 0 } }
      - { address: 192.168.0.9, port: 8081, weight: 1, check: { http: { path: / }, interval: 300ms, timeout: 1s, retry: 0 } }
YAML
	chmod 644 "$CONF"
}
write_conf 100 192.168.0.110/24 1
RUN=$WORK/r1/run
start_vrrpd r1 "$CONF"
ip netns exec "$(ns_name r1)" "$CHECKER" -d -f "$CONF" --run-dir "$RUN" >>"$WORK/r1/checker.log" 2>&1 &
PIDS+=($!)
wait_for 10 "checker socket" test -S "$RUN/halo-checker.sock"
ctl() { "$HALOCTL" -f "$CONF" --run-dir "$RUN" "$@"; }
reload_to() { ctl reload "$@" >"$WORK/out" 2>"$WORK/err"; }   # output in $WORK/out, $WORK/err
not() { ! "$@"; }

all_master() { for i in VI_1 VI_2 VI_3; do state_is r1 $i MASTER || return 1; done; }
expect_wait 10 "all three instances MASTER" all_master
rs_up() {   # both real servers up, as the checker sees them
	ctl status --json | python3 -c '
import json, sys
rs = json.load(sys.stdin)["checker"]["real_servers"]
sys.exit(0 if len(rs) == 2 and all(r["up"] for r in rs) else 1)'
}
expect_wait 20 "both real servers up" rs_up

# reload_lines DAEMON: the indented change lines under "DAEMON: reloaded"
reload_lines() { awk -v d="$1:" '$1 == d { on = 1; next } /^[^ ]/ { on = 0 } on' "$WORK/out"; }

write_conf 150 "192.168.0.110/24, 192.168.0.111/24" 3
ok "reload after the edit succeeds" reload_to
cat "$WORK/out"
ok "vrrpd reloaded with changes" grep -qx "halo-vrrpd: reloaded" "$WORK/out"
ok "vrrpd names exactly VI_1's priority and VI_2's VIP" [ "$(reload_lines halo-vrrpd)" = "$(printf '%s\n' \
	"  instance VI_1: priority 100 -> 150" \
	"  instance VI_2: virtual_addresses +192.168.0.111")" ]
ok "checker names exactly the weight of :8080" [ "$(reload_lines halo-checker)" = \
	"  real server [192.168.0.9]:tcp:8080 of [192.168.0.100]:tcp:80: weight 1 -> 3" ]
ok "the VIP was added" has_vip r1 192.168.0.111
ok "VI_1 runs with priority 150" [ "$(status_field r1 VI_1 priority)" = 150 ]

ok "reload without an edit succeeds" reload_to
cat "$WORK/out"
ok "no change, said by both daemons and nothing else" [ "$(cat "$WORK/out")" = "$(printf '%s\n' \
	"halo-vrrpd: reloaded, no change" "halo-checker: reloaded, no change")" ]

write_conf 150 192.168.0.110/24 3
ok "reload --json after removing the VIP" reload_to --json
ok "--json lists exactly that change" python3 - "$WORK/out" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["v"] == 1 and d["ok"] is True, d
by = {e["daemon"]: e for e in d["daemons"]}
assert set(by) == {"halo-vrrpd", "halo-checker"}, by.keys()
assert all(e["reloaded"] for e in by.values())
assert by["halo-checker"]["changes"] == [], by["halo-checker"]
c = by["halo-vrrpd"]["changes"]
assert len(c) == 1, c
c = c[0]
assert (c["object"], c["name"], c["change"]) == ("instance", "VI_2", "changed"), c
assert c["fields"] == [{"field": "virtual_addresses", "old": ["192.168.0.110", "192.168.0.111"],
                        "new": ["192.168.0.110"]}], c["fields"]
PY
expect_wait 5 "the VIP was removed" not has_vip r1 192.168.0.111

reloads_before=$(ctl status --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["vrrp"]["reloads"])')
echo "vrrp: { instances: [ { name: VI_1, priority: 999 } ] }" >"$CONF"
ok "a bad file is refused" not reload_to
ok "it says nothing was reloaded" grep -q "is not valid; nothing reloaded" "$WORK/err"
ok "and prints nothing on stdout" [ ! -s "$WORK/out" ]
ok "vrrpd was not asked to reload" [ "$(ctl status --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["vrrp"]["reloads"])')" = "$reloads_before" ]
ok "VI_1 keeps priority 150" [ "$(status_field r1 VI_1 priority)" = 150 ]
finish
