#!/usr/bin/env bash
# haloctl monitor --json sees each event of a handover in the order it
# happens: on the backup r2 (vrrpd + checker of a real HTTP server), the
# snapshots, BACKUP->MASTER when r1's vrrpd stops (priority 0), the real
# server down and up again, MASTER->BACKUP when r1 comes back and preempts.
# On r1 the monitor outlives its vrrpd: "disconnected", then a new snapshot
# and MASTER once it is back. Both monitors stop cleanly on SIGTERM.
#
#   r1 halo-vrrpd prio 100 ─┐                 ┌─ srv python http.server
#   192.168.0.1             ├─ br0 ───────────┤  192.168.0.9:8080
#   r2 halo-vrrpd prio 90  ─┘                 │
#   192.168.0.2 halo-checker ── checks ───────┘
#   haloctl monitor --json on r1's and on r2's run dir (root namespace)
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../vrrp/common.sh"
need_root
CHECKER=${CHECKER:-$BUILD/checker/halo-checker}
[ -x "$CHECKER" ] || { echo "no $CHECKER (build first)"; exit 1; }
LAN_NAMES=(r1 r2 srv); make_lan "${LAN_NAMES[@]}"
addr r1 192.168.0.1; addr r2 192.168.0.2; addr srv 192.168.0.9
chmod 755 "$WORK"
mkdir -p "$WORK/srv" "$WORK/www" "$WORK/r2"
chmod 755 "$WORK/www" "$WORK/r2"
echo ok >"$WORK/www/index.html"
HTTP_PID=
start_http() {
	ip netns exec "$(ns_name srv)" python3 -m http.server --bind 192.168.0.9 --directory "$WORK/www" 8080 >>"$WORK/srv/http.out" 2>&1 &
	HTTP_PID=$!
	PIDS+=("$HTTP_PID")
}
not() { ! "$@"; }
gone() { not kill -0 "$1" 2>/dev/null; }

C1=$(conf r1 100)
C2=$(conf r2 90)
cat >>"$C2" <<'YAML'
virtual_servers:
  - address: 192.168.0.100
    port: 80
    protocol: tcp
    real_servers:
      - { address: 192.168.0.9, port: 8080, check: { http: { path: / }, interval: 200ms, timeout: 1s, retry: 0 } }
YAML
chmod 644 "$C2"
RS='[192.168.0.9]:tcp:8080'

start_http
start_vrrpd r1 "$C1"
expect_wait 10 "r1 MASTER" state_is r1 VI_1 MASTER
start_vrrpd r2 "$C2"
behind_r1() { state_is r2 VI_1 BACKUP && [ "$(status_field r2 VI_1 master_address)" = 192.168.0.1 ]; }
expect_wait 10 "r2 BACKUP behind r1" behind_r1
ip netns exec "$(ns_name r2)" "$CHECKER" -d -f "$C2" --run-dir "$WORK/r2/run" >>"$WORK/r2/checker.log" 2>&1 &
PIDS+=($!)
rs_up() {
	"$HALOCTL" --run-dir "$WORK/r2/run" status --json | python3 -c '
import json, sys
rs = json.load(sys.stdin)["checker"]["real_servers"]
sys.exit(0 if [r["up"] for r in rs] == [True] else 1)'
}
expect_wait 20 "r2's checker sees the real server up" rs_up

M1=$WORK/r1/monitor.jsonl M2=$WORK/r2/monitor.jsonl
"$HALOCTL" --run-dir "$WORK/r1/run" monitor --json >"$M1" 2>"$WORK/r1/monitor.err" &
MON1=$!; PIDS+=("$MON1")
"$HALOCTL" --run-dir "$WORK/r2/run" monitor --json >"$M2" 2>"$WORK/r2/monitor.err" &
MON2=$!; PIDS+=("$MON2")
T2=$WORK/r2/monitor.txt   # the same in text
"$HALOCTL" --run-dir "$WORK/r2/run" monitor >"$T2" 2>&1 &
MON3=$!; PIDS+=("$MON3")

# seen FILE MIN DAEMON TYPE [PATH=VALUE...]: at least MIN such events so far
seen() {
	python3 - "$@" <<'PY'
import json, sys
path, want, daemon, typ, conds = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5:]
def get(o, p):
    for k in p.split("."):
        o = o.get(k) if isinstance(o, dict) else None
    return o
n = 0
for line in open(path):
    if not line.strip():
        continue
    e = json.loads(line)
    if e.get("daemon") == daemon and e.get("type") == typ and \
       all(json.dumps(get(e, c.split("=", 1)[0])) == c.split("=", 1)[1] for c in conds):
        n += 1
sys.exit(0 if n >= want else 1)
PY
}
expect_wait 10 "r1's monitor has vrrpd's snapshot" seen "$M1" 1 halo-vrrpd snapshot
expect_wait 10 "r2's monitor has vrrpd's snapshot" seen "$M2" 1 halo-vrrpd snapshot
expect_wait 10 "r2's monitor has the checker's snapshot" seen "$M2" 1 halo-checker snapshot

R1=$(vrrpd_pid r1)
kill -TERM "$R1"
expect_wait 10 "r1's vrrpd exits" gone "$R1"
expect_wait 10 "r2 takes over" seen "$M2" 1 halo-vrrpd instance instance.state='"MASTER"'
expect_wait 15 "r1's monitor reports the lost daemon" seen "$M1" 1 halo-vrrpd disconnected

kill "$HTTP_PID"
expect_wait 10 "http server stops" gone "$HTTP_PID"
expect_wait 20 "r2's monitor: real server down" seen "$M2" 1 halo-checker rs up=false
start_http
expect_wait 20 "r2's monitor: real server up again" seen "$M2" 1 halo-checker rs up=true

start_vrrpd r1 "$C1"
expect_wait 10 "r2 back to BACKUP" seen "$M2" 1 halo-vrrpd instance instance.state='"BACKUP"'
expect_wait 20 "r1's monitor reconnects: a second snapshot" seen "$M1" 2 halo-vrrpd snapshot
expect_wait 10 "r1's monitor: MASTER again" bash -c "tail -n 1 $M1 | grep -q '\"state\":\"MASTER\"'"

kill -TERM "$MON1" "$MON2" "$MON3"
wait "$MON1"; rc1=$?
wait "$MON2"; rc2=$?
wait "$MON3"; rc3=$?
ok "monitors exit 0 on SIGTERM" [ "$rc1-$rc2-$rc3" = 0-0-0 ]
text_order() {   # the text monitor's lines for these events, in the same order, repeats folded
	# a down server's reason may change while down (a reply cut short, then refused)
	grep -E '^(instance VI_1 state=(BACKUP|MASTER)|rs )' "$T2" | sed '/up=false/ s/reason=[a-z_]*$/reason=*/' |
		awk '{ k = $1 " " $2 } last[k] != $0 { print; last[k] = $0 }' >"$WORK/r2/text.got"
	local up="rs $RS vs=[192.168.0.100]:tcp:80 up=true weight=1 reason=ok"
	local backup="instance VI_1 state=BACKUP priority=90 master=192.168.0.1"
	# the two snapshots, in either order, then the changes
	[ "$(head -n 2 "$WORK/r2/text.got" | sort)" = "$(printf '%s\n' "$backup" "$up" | sort)" ] || return 1
	printf '%s\n' "instance VI_1 state=MASTER priority=90 master=self" \
		"rs $RS vs=[192.168.0.100]:tcp:80 up=false weight=1 reason=*" "$up" "$backup" >"$WORK/r2/text.want"
	tail -n +3 "$WORK/r2/text.got" | diff "$WORK/r2/text.want" -
}
ok "the text monitor prints the same events" text_order
quiet() { [ ! -s "$WORK/r1/monitor.err" ] && [ ! -s "$WORK/r2/monitor.err" ]; }
ok "monitors wrote nothing on stderr" quiet

ok "r2's events, in order, with their fields" python3 - "$M2" "$RS" <<'PY'
import json, sys
ev = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
rs_id = sys.argv[2]
assert all(e.get("v") == 1 and e.get("daemon") in ("halo-vrrpd", "halo-checker") for e in ev), ev
assert not [e for e in ev if e["type"] == "disconnected"], "r2's daemons never stopped"
# each daemon's snapshot comes first and once
for d in ("halo-vrrpd", "halo-checker"):
    mine = [e for e in ev if e["daemon"] == d]
    assert mine[0]["type"] == "snapshot" and [e["type"] for e in mine].count("snapshot") == 1, (d, mine)
# one timeline: VI_1's state and the real server's health, repeats folded
line, last = [], {}
for e in ev:
    if e["daemon"] == "halo-vrrpd":
        insts = e["instances"] if e["type"] == "snapshot" else [e["instance"]]
        assert [i["name"] for i in insts] == ["VI_1"], insts
        i = insts[0]
        assert i["priority"] == 90 and i["vrid"] == 51, i
        step = ("VI_1", i["state"], i["master_address"])
    else:
        rs = e["real_servers"] if e["type"] == "snapshot" else [e]
        assert [r["rs"] for r in rs] == [rs_id], rs
        r = rs[0]
        assert r["vs"] == "[192.168.0.100]:tcp:80", r
        assert (r["reason"] == "ok") == r["up"] and (r["weight"] == 1 or not r["up"]), r
        step = ("rs", r["up"])
    if last.get(step[0]) != step:   # a repeat of the subject's last step (split-brain notice) folds
        line.append(step)
        last[step[0]] = step
want = [("VI_1", "BACKUP", "192.168.0.1"), ("rs", True),
        ("VI_1", "MASTER", "self"),
        ("rs", False), ("rs", True),
        ("VI_1", "BACKUP", "192.168.0.1")]
# the two snapshots may come in either order
if line[:2] == [want[1], want[0]]:
    line[:2] = want[:2]
assert line == want, "\n got: %s\nwant: %s" % (line, want)
PY

ok "r1's events, in order" python3 - "$M1" <<'PY'
import json, sys
ev = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
assert all(e["daemon"] == "halo-vrrpd" for e in ev), ev
kinds = [e["type"] for e in ev]
cut = kinds.index("disconnected")
assert kinds.count("disconnected") == 1 and kinds[0] == "snapshot" and kinds[cut + 1] == "snapshot", kinds
def inst(e):
    return e["instances"][0] if e["type"] == "snapshot" else e["instance"]
def fold(states):   # repeats (a split-brain notice while MASTER) fold
    return [s for k, s in enumerate(states) if k == 0 or states[k - 1] != s]
before = fold([inst(e)["state"] for e in ev[:cut]])
after = fold([inst(e)["state"] for e in ev[cut + 1:]])
assert before[0] == "MASTER" and set(before) <= {"MASTER", "INIT"} and before[-1] in ("MASTER", "INIT"), before
assert after[-1] == "MASTER" and "MASTER" not in after[:-1] and set(after) <= {"INIT", "BACKUP", "MASTER"}, after
assert (inst(ev[0])["priority"], inst(ev[-1])["master_address"]) == (100, "self"), (ev[0], ev[-1])
PY
finish
