# Guest test: haloctl drain / undrain against halo-ipvs-sync, with
# halo-checker on one LVS-DR director and real traffic.
#
#   client c   192.168.0.10  ---+
#   director d 192.168.0.107 ---+--- br0 (namespace lan)
#     VIP 192.168.0.100/24      |
#   web1 w1    192.168.0.108 ---+    VIP on lo, arp_ignore=1 arp_announce=2
#   web2 w2    192.168.0.109 ---+
#
# Checks: drain ADDR -> weight 0 in the kernel, status lists it, new requests
# go to web2 only; kept across a reload and across the server going down and
# up; a target matching nothing and undrain of what is not drained are
# refused (exit 1); kept across a SIGKILL and restart of halo-ipvs-sync (the
# run dir's state file) with 0 writes; undrain ADDR -> weight back, both
# answer, state file gone; haloctl's
# message and exit status when halo-ipvs-sync is not running.
. /test/lib.sh
SUF=$$
NS_LAN=lan$SUF; NS_C=c$SUF; NS_D=d$SUF; NS_W1=w1$SUF; NS_W2=w2$SUF
RUN=$PWD/run; mkdir -p $RUN
CTL="halo-test-ctl call $RUN/halo-ipvs-sync.sock"
PIDS=""
cleanup() {
	for p in $PIDS; do kill "$p" 2>/dev/null; done
	for n in $NS_C $NS_D $NS_W1 $NS_W2 $NS_LAN; do $IP netns del "$n" 2>/dev/null; done
}
trap cleanup EXIT

phase "topology"
lvs_lab $NS_LAN $NS_C $NS_W1 $NS_W2 $NS_D:192.168.0.107
in_ns $NS_D $IP addr add 192.168.0.100/24 dev eth0
cat >halo.yaml <<'YAML'
virtual_servers:
  - address: 192.168.0.100
    port: 80
    protocol: tcp
    scheduler: rr
    forwarding: dr
    real_servers:
      - address: 192.168.0.108
        port: 80
        weight: 1
        check: { http: { path: /, status: [200] }, interval: 1s, timeout: 5s, retry: 1, retry_delay: 200ms }
      - address: 192.168.0.109
        port: 80
        weight: 1
        check: { http: { path: /, status: [200] }, interval: 1s, timeout: 5s, retry: 1, retry_delay: 200ms }
YAML
phase_end

phase "haloctl drain without halo-ipvs-sync"
out=$(haloctl --run-dir $RUN drain 192.168.0.108 2>&1); rc=$?
echo "   $out"
[ $rc = 1 ] && echo "$out" | grep -q 'is it running' && ok "exit 1, 'is it running?'" || fail "rc=$rc: $out"
haloctl drain >/dev/null 2>&1; [ $? = 2 ] && ok "no target: usage, exit 2" || fail "no target: not exit 2"
phase_end

phase "director up"
$IP netns exec $NS_D halo-checker -d -f halo.yaml --run-dir $RUN 2>checker.log &
PIDS="$PIDS $!"
$IP netns exec $NS_D halo-ipvs-sync -d -f halo.yaml --run-dir $RUN 2>ipvsd.log &
SY=$!; PIDS="$PIDS $SY"
EXP='-A -t 192.168.0.100:80 -s rr
-a -t 192.168.0.100:80 -r 192.168.0.108:80 -g -w 1
-a -t 192.168.0.100:80 -r 192.168.0.109:80 -g -w 1'
EXP0='-A -t 192.168.0.100:80 -s rr
-a -t 192.168.0.100:80 -r 192.168.0.108:80 -g -w 0
-a -t 192.168.0.100:80 -r 192.168.0.109:80 -g -w 1'
EXPD='-A -t 192.168.0.100:80 -s rr
-a -t 192.168.0.100:80 -r 192.168.0.109:80 -g -w 1'
dtable() { in_ns $NS_D ipvsadm -Sn | sort; }
dtable_is() { [ "$(dtable)" = "$(printf '%s\n' "$1" | sort)" ]; }
wait_for 60 dtable_is "$EXP" && ok "table programmed" || { fail "table"; dtable; }
wait_for 60 sh -c "[ \$($CTL status checker_connected) = true ]" || fail "checker not connected"
get() { in_ns $NS_C curl -s --max-time 10 http://192.168.0.100/; }
answers() { R=""; for i in $(seq 1 $1); do R="$R $(get || echo none)"; done; }
answers 4; echo "   answers:$R"
phase_end

phase "drain 192.168.0.108"
ops0=$(counter ops_sent)
out=$(haloctl --run-dir $RUN drain 192.168.0.108); rc=$?
echo "$out" | sed 's/^/   | /'
[ $rc = 0 ] && echo "$out" | grep -q '^192.168.0.108: drained$' && ok "haloctl drain: exit 0" || fail "drain rc=$rc"
wait_for 30 dtable_is "$EXP0" && ok "web1 at weight 0 in the kernel" || { fail "table after drain"; dtable; }
[ $(counter ops_sent) = $((ops0 + 1)) ] && ok "one write (edit-dest)" || fail "ops_sent $ops0 -> $(counter ops_sent)"
[ "$($CTL status drained.0)" = 192.168.0.108 ] && ok "status: drained [192.168.0.108]" || fail "status drained: $($CTL status drained)"
answers 4; echo "   answers:$R"
[ "$R" = " web2 web2 web2 web2" ] && ok "new requests only to web2" || fail "traffic:$R"
out=$(haloctl --run-dir $RUN drain 192.168.0.108); echo "$out" | grep -q '(already)' && ok "drain twice: (already)" || fail "twice: $out"
grep -q 'Draining 192.168.0.108 (1 destinations)' ipvsd.log && ok "log: Draining" || fail "no Draining log line"
phase_end

phase "refusals"
out=$(haloctl --run-dir $RUN drain 10.9.9.9 2>&1); rc=$?
[ $rc = 1 ] && echo "$out" | grep -q 'no configured real server' && ok "unknown target refused: $out" || fail "rc=$rc $out"
out=$(haloctl --run-dir $RUN drain 192.168.0.108:99999 2>&1); rc=$?
[ $rc = 1 ] && echo "$out" | grep -q 'port out of range' && ok "bad port refused: $out" || fail "rc=$rc $out"
out=$(haloctl --run-dir $RUN undrain 192.168.0.109 2>&1); rc=$?
[ $rc = 1 ] && echo "$out" | grep -q 'not drained' && ok "undrain of what is not drained refused: $out" || fail "rc=$rc $out"
[ "$($CTL '{"cmd":"drain"}' ok 2>/dev/null)" = true ] && fail "drain without target accepted" || ok "drain without a target refused"
phase_end

phase "kept across a reload and a down/up of the server"
haloctl --run-dir $RUN -f halo.yaml reload | sed 's/^/   | /'
wait_for 30 sh -c "[ \$($CTL '{\"cmd\":\"status\",\"brief\":true}' counters.reloads) = 1 ]" || fail "no reload"
usleep 1500000
dtable_is "$EXP0" && ok "after reload: still weight 0" || { fail "reload undrained"; dtable; }
[ "$($CTL status drained.0)" = 192.168.0.108 ] && ok "after reload: still in status" || fail "after reload: $($CTL status drained)"
kill $W1; wait $W1 2>/dev/null
wait_for 30 dtable_is "$EXPD" && ok "web1 down: removed" || { fail "web1 not removed"; dtable; }
start_web $NS_W1 www1; W1=$WEB
wait_for 30 dtable_is "$EXP0" && ok "web1 up again: back at weight 0 (still drained)" || { fail "web1 back"; dtable; }
phase_end

phase "kept across a crash and restart of halo-ipvs-sync"
[ "$(cat $RUN/halo-ipvs-sync.drained 2>/dev/null)" = 192.168.0.108 ] && ok "run dir keeps the drained set" ||
	fail "state file: $(cat $RUN/halo-ipvs-sync.drained 2>&1)"
kill -9 $SY; wait $SY 2>/dev/null
$IP netns exec $NS_D halo-ipvs-sync -d -f halo.yaml --run-dir $RUN 2>>ipvsd.log &
SY=$!; PIDS="$PIDS $SY"
wait_for 60 sh -c "[ \$($CTL '{\"cmd\":\"status\",\"brief\":true}' counters.reconciles 2>/dev/null || echo 0) -ge 1 ]" ||
	fail "restarted halo-ipvs-sync: no pass"
wait_for 60 sh -c "[ \$($CTL status checker_connected) = true ]" || fail "restarted: checker not connected"
usleep 1500000   # a few check rounds and passes after the restart
dtable_is "$EXP0" && ok "after the restart: still weight 0" || { fail "restart undrained"; dtable; }
[ "$(counter ops_sent)" = 0 ] && ok "after the restart: 0 writes" || fail "restart: ops_sent $(counter ops_sent)"
[ "$($CTL status drained.0)" = 192.168.0.108 ] && ok "after the restart: still in status" || fail "after restart: $($CTL status drained)"
grep -q 'Draining 192.168.0.108 (kept from before the restart)' ipvsd.log && ok "log: kept from before the restart" ||
	fail "no 'kept from before the restart' log line"
phase_end

phase "undrain 192.168.0.108"
out=$(haloctl --run-dir $RUN undrain 192.168.0.108); rc=$?
echo "$out" | sed 's/^/   | /'
[ $rc = 0 ] && echo "$out" | grep -q '^drained: none$' && ok "haloctl undrain: exit 0, set empty" || fail "undrain rc=$rc"
wait_for 30 dtable_is "$EXP" && ok "web1 back at weight 1" || { fail "table after undrain"; dtable; }
answers 4; echo "   answers:$R"
echo "$R" | grep -q web1 && echo "$R" | grep -q web2 && ok "both answer again" || fail "traffic:$R"
grep -q 'Undraining 192.168.0.108' ipvsd.log && ok "log: Undraining" || fail "no Undraining log line"
[ ! -e $RUN/halo-ipvs-sync.drained ] && ok "empty set: state file removed" || fail "state file left: $(cat $RUN/halo-ipvs-sync.drained)"
phase_end

phase "port-scoped drain"
haloctl --run-dir $RUN drain 192.168.0.109:80 >/dev/null && ok "drain 192.168.0.109:80" || fail "drain with port"
wait_for 30 dtable_is '-A -t 192.168.0.100:80 -s rr
-a -t 192.168.0.100:80 -r 192.168.0.108:80 -g -w 1
-a -t 192.168.0.100:80 -r 192.168.0.109:80 -g -w 0' && ok "web2 at weight 0" || { fail "port drain"; dtable; }
haloctl --run-dir $RUN undrain 192.168.0.109:80 >/dev/null && wait_for 30 dtable_is "$EXP" &&
	ok "undrain 192.168.0.109:80" || { fail "port undrain"; dtable; }
phase_end

echo "== halo-ipvs-sync log"; cat ipvsd.log
echo "total: $(elapsed $T0)s, failures: $FAILS"
exit $FAILS
