#!/usr/bin/env bash
# track_virtual_servers: each router's halo-vrrpd follows its own
# halo-checker. r1's virtual server "web" has one real server, w1, that
# only r1 tracks; when w1's HTTP server stops, web loses quorum, r1 drops
# to 100 - 50 = 50 and r2 (90) preempts; when w1 serves again r1 is back at
# 100 and preempts. Before its checker's first snapshot r1 counts web as
# up; while its checker is away r1 keeps the last known state.
#
#   r1 (prio 100) eth0 192.168.0.1  ─┐  halo-vrrpd + halo-checker (checks w1)
#   r2 (prio 90)  eth0 192.168.0.2  ─┤  halo-vrrpd + halo-checker (checks w2)
#   w1            eth0 192.168.0.11 ─┼─ br0 (namespace sw)   python3 http.server :8080
#   w2            eth0 192.168.0.12 ─┘                        python3 http.server :8080
#   VIP 192.168.0.100/24, adverts every 100 ms
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/common.sh"
need_root
CHECKER=${CHECKER:-$BUILD/checker/halo-checker}
[ -x "$CHECKER" ] || { echo "no $CHECKER (build first)"; exit 1; }
LAN_NAMES=(r1 r2 w1 w2); make_lan "${LAN_NAMES[@]}"
addr r1 192.168.0.1; addr r2 192.168.0.2; addr w1 192.168.0.11; addr w2 192.168.0.12
VIP=192.168.0.100
chmod 755 "$WORK"           # the checker drops to nobody
mkdir -p "$WORK/www" "$WORK/w1" "$WORK/w2"
chmod 755 "$WORK/www"
echo ok >"$WORK/www/index.html"

# start_http NAME ADDR: the pid in HTTP_PID_<name>
start_http() {
	ip netns exec "$(ns_name "$1")" python3 -m http.server --bind "$2" --directory "$WORK/www" 8080 \
		>>"$WORK/$1/http.log" 2>&1 &
	PIDS+=($!)
	eval "HTTP_PID_$1=$!"
}
stop_http() { local p; eval "p=\$HTTP_PID_$1"; kill "$p"; wait "$p" 2>/dev/null; }

# vs_conf FILE RS_ADDR: the tracked virtual server with one checked real server
vs_conf() {
	cat >>"$1" <<EOT
virtual_servers:
  - name: web
    address: $VIP
    port: 80
    real_servers:
      - { address: $2, port: 8080, check: { http: { path: /, status: [200] }, interval: 300ms, timeout: 1s, retry: 0 } }
EOT
	chmod 644 "$1"
}
TRACK="      track_virtual_servers: [ { virtual_server: web, weight: -50 } ]"
c1=$(conf r1 100 extra="$TRACK"); vs_conf "$c1" 192.168.0.11
c2=$(conf r2 90 extra="$TRACK"); vs_conf "$c2" 192.168.0.12

start_checker() {
	ip netns exec "$(ns_name "$1")" "$CHECKER" -d -f "$2" --run-dir "$WORK/$1/run" >>"$WORK/$1/checker.log" 2>&1 &
	PIDS+=($!)
	eval "CHECKER_PID_$1=$!"
}
checker_pid() { eval "echo \${CHECKER_PID_$1}"; }
prio_is() { [ "$(status_field "$1" VI_1 priority)" = "$2" ]; }
checker_field() {
	"$HALOCTL" --run-dir "$WORK/$1/run" status --json 2>/dev/null |
		python3 -c 'import json,sys; print(json.load(sys.stdin)["vrrp"]["checker"][sys.argv[1]])' "$2"
}
checker_is() { [ "$(checker_field "$1" "$2")" = "$3" ]; }
tracked_up() {
	"$HALOCTL" --run-dir "$WORK/$1/run" status --json 2>/dev/null | python3 -c '
import json, sys
i = json.load(sys.stdin)["vrrp"]["instances"][0]
t = [t for t in i["tracking"] if t["kind"] == "virtual_server" and t["name"] == "web"]
print(t[0]["up"] if t else "missing")'
}
tracked_is() { [ "$(tracked_up "$1")" = "$2" ]; }

# --- the checkers are not running yet: web counts as up, nobody is demoted
start_http w1 192.168.0.11; start_http w2 192.168.0.12
start_vrrpd r1 "$c1"; start_vrrpd r2 "$c2"
expect_wait 10 "r1 MASTER" state_is r1 VI_1 MASTER
expect_wait 10 "r2 BACKUP" state_is r2 VI_1 BACKUP
ok "no checker yet: r1 keeps priority 100" prio_is r1 100
ok "status lists the tracked virtual server, up" tracked_is r1 True
ok "status: subscribed, no snapshot yet" checker_is r1 snapshot_seen False
start_checker r1 "$c1"; start_checker r2 "$c2"
expect_wait 20 "r1 got its checker's snapshot" checker_is r1 snapshot_seen True
expect_wait 20 "r2 got its checker's snapshot" checker_is r2 snapshot_seen True
ok "w1 serving: r1 still at priority 100" prio_is r1 100
ok "VIP only on r1" exactly_one_vip $VIP r1 r2

# --- w1 stops: web loses quorum on r1 -> 50, r2 (90) preempts
stop_http w1
expect_wait 20 "r1's tracked web goes down" tracked_is r1 False
expect_wait 10 "r1 drops to priority 50" prio_is r1 50
expect_wait 10 "r2 takes over" state_is r2 VI_1 MASTER
expect_wait 10 "r1 BACKUP" state_is r1 VI_1 BACKUP
expect_wait 10 "the VIP moved to r2" exactly_one_vip $VIP r1 r2
ok "it is r2" has_vip r2 $VIP
ok "log: quorum lost" grep -q "(VI_1) tracked virtual server web: quorum lost instance=VI_1 vs=web up=false weight=-50" "$WORK/r1/vrrpd.log"
ok "r2's own web is unaffected" tracked_is r2 True

# --- r1's checker dies while web is down: the last known state holds
kill -9 "$(checker_pid r1)"; wait "$(checker_pid r1)" 2>/dev/null
expect_wait 20 "r1 noticed the checker is gone" checker_is r1 connected False
ok "checker gone: r1 stays at priority 50" prio_is r1 50
ok "checker gone: web still down" tracked_is r1 False
ok "checker gone: r2 still MASTER" state_is r2 VI_1 MASTER
start_checker r1 "$c1"
expect_wait 20 "r1 reconnected to the restarted checker" checker_is r1 connected True
ok "restarted checker: r1 still at 50" prio_is r1 50

# --- w1 serves again: quorum back, r1 at 100 preempts
start_http w1 192.168.0.11
expect_wait 20 "r1's tracked web comes back" tracked_is r1 True
expect_wait 10 "r1 back at priority 100" prio_is r1 100
expect_wait 10 "r1 preempts back to MASTER" state_is r1 VI_1 MASTER
expect_wait 10 "r2 BACKUP again" state_is r2 VI_1 BACKUP
expect_wait 10 "the VIP is back on r1 only" exactly_one_vip $VIP r1 r2
ok "it is r1" has_vip r1 $VIP
ok "log: quorum regained" grep -q "(VI_1) tracked virtual server web: quorum regained" "$WORK/r1/vrrpd.log"
ok "no malformed checker message" checker_is r1 malformed 0
finish
