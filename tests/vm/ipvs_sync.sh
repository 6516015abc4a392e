# Guest test of halo-ipvs-sync against the kernel's IPVS:
#  1 program a config (tcp/udp, IPv4/IPv6, fwmark, dr/nat/tun, persistence,
#    thresholds, timeouts) and compare `ipvsadm -Sn` with the expected table;
#  2 a no-change pass writes nothing;
#  3 reload with a change: only the difference is sent (operations counted),
#    including a tunnel type/port/checksum and a persistence engine;
#  4 a manual ipvsadm edit is healed by the periodic pass;
#  5 a bad reload keeps the running table;
#  6 health from a fake halo-checker: down -> removed, inhibit -> weight 0,
#    quorum lost -> sorry server, back up -> restored, checker gone -> kept;
#  7 the kernel sync daemon follows a fake halo-vrrpd (BACKUP -> MASTER), with
#    its multicast settings; a changed port restarts it; mode both runs the
#    master and backup threads at once, mode backup only the backup one;
#  8 SIGTERM leaves the table; with flush_on_stop it is emptied;
#  9 operations the kernel refuses inside one batch (a scheduler it has not
#    got) fail one by one, the middle and the last one, the rest apply;
#  and its privileges: only CAP_NET_ADMIN, no_new_privs, a seccomp filter
#  that refuses nothing it does, its socket re-created after `rm -rf RUN`.
. /test/lib.sh
mkdir -p $RUN

phase() { PH_NAME=$1; PH_T=$(now); echo "== $1"; }
phase_end() { echo "   ($PH_NAME: $(elapsed $PH_T)s)"; }
delta() { echo $(($(counter "$1") - $2)); }

VS100='  - address: 192.168.0.100
    port: 80
    protocol: tcp
    scheduler: rr
    forwarding: dr
    persistence: { timeout: 50s }
    real_servers:
      - { address: 10.0.0.2, port: 80, weight: 1 }
      - { address: 10.0.0.3, port: 80, weight: 2 }'
cat >c1.yaml <<YAML
ipvs:
  timeouts: { tcp: 900s, tcpfin: 120s, udp: 300s }
virtual_servers:
$VS100
  - address: 192.168.0.101
    port: 443
    scheduler: wlc
    forwarding: nat
    real_servers:
      - { address: 10.0.0.4, port: 8443, weight: 3, u_threshold: 100, l_threshold: 10 }
  - fwmark: 7
    scheduler: sh
    sched_flags: [sh-port]
    forwarding: tun
    real_servers:
      - { address: 10.0.0.5, weight: 1 }
  - address: 2001:db8::100
    port: 53
    protocol: udp
    scheduler: wrr
    persistence: { timeout: 10s, netmask: 64 }
    real_servers:
      - { address: "2001:db8::5", port: 53, weight: 4 }
YAML
EXP1='-A -t 192.168.0.100:80 -s rr -p 50
-a -t 192.168.0.100:80 -r 10.0.0.2:80 -g -w 1
-a -t 192.168.0.100:80 -r 10.0.0.3:80 -g -w 2
-A -t 192.168.0.101:443 -s wlc
-a -t 192.168.0.101:443 -r 10.0.0.4:8443 -m -w 3
-A -f 7 -s sh -b sh-port
-a -f 7 -r 10.0.0.5:0 -i -w 1 --tun-type ipip
-A -u [2001:db8::100]:53 -s wrr -p 10 -M 64
-a -u [2001:db8::100]:53 -r [2001:db8::5]:53 -g -w 4'

# ---- 1 ----
phase "program a config"
cp c1.yaml halo.yaml
halo-ipvs-sync -d -f halo.yaml --run-dir $RUN 2>ipvsd.log &
PID=$!
wait_for 120 $CTL status || { fail "daemon did not answer"; cat ipvsd.log; exit 1; }
expect_table "initial table" "$EXP1"
ipvsadm -Ln --thresholds | grep -q '10.0.0.4:8443 *100 *10 ' && ok "thresholds" || fail "thresholds"
[ "$(ipvsadm -L --timeout)" = "Timeout (tcp tcpfin udp): 900 120 300" ] && ok "timeouts" || fail "timeouts"
[ "$(counter ops_sent)" = 9 ] && ok "9 operations for 9 objects" || fail "ops_sent $(counter ops_sent) != 9"
echo "   write sendmsg calls: $(counter write_sendmsgs)"
phase_end

phase "privileges"
st() { awk -v k="$1:" '$1 == k { print $2 }' /proc/$PID/status; }
for f in CapPrm CapEff CapBnd; do
	[ "$(st $f)" = 0000000000001000 ] && ok "$f is CAP_NET_ADMIN only" || fail "$f is $(st $f)"
done
[ "$(st CapInh)$(st CapAmb)" = 00000000000000000000000000000000 ] && ok "CapInh, CapAmb empty" || fail "CapInh $(st CapInh) CapAmb $(st CapAmb)"
[ "$(st NoNewPrivs)" = 1 ] && ok "no_new_privs" || fail "NoNewPrivs $(st NoNewPrivs)"
[ "$(st Seccomp)" = 2 ] && ok "seccomp filter" || fail "Seccomp $(st Seccomp)"
rm -rf $RUN
wait_for 120 $CTL status && ok "socket re-created after the run dir was removed" || fail "no socket after rm -rf $RUN"
[ "$(stat -c %a $RUN/halo-ipvs-sync.sock)" = 600 ] && ok "re-created socket is 0600" || fail "mode $(stat -c %a $RUN/halo-ipvs-sync.sock)"
phase_end

# ---- 2 ----
phase "no-change pass"
S0=$(counter ops_sent); W0=$(counter write_sendmsgs); R0=$(counter reconciles)
$CTL resync >/dev/null && $CTL resync >/dev/null
[ "$(delta reconciles $R0)" -ge 2 ] && ok "two passes ran" || fail "no pass ran"
[ "$(delta ops_sent $S0)" = 0 ] && ok "no operation" || fail "ops sent: $(delta ops_sent $S0)"
[ "$(delta write_sendmsgs $W0)" = 0 ] && ok "no write" || fail "writes: $(delta write_sendmsgs $W0)"
phase_end

# ---- 3 ----
phase "reload with a change"
cat >halo.yaml <<YAML
ipvs:
  timeouts: { tcp: 900s, tcpfin: 120s, udp: 300s }
virtual_servers:
  - address: 192.168.0.100
    port: 80
    protocol: tcp
    scheduler: rr
    forwarding: dr
    persistence: { timeout: 50s }
    real_servers:
      - { address: 10.0.0.2, port: 80, weight: 1 }
      - { address: 10.0.0.3, port: 80, weight: 5 }
      - { address: 10.0.0.6, port: 80, weight: 1 }
  - fwmark: 7
    scheduler: sh
    sched_flags: [sh-port]
    forwarding: tun
    tunnel: { type: gue, port: 6080, checksum: csum }
    real_servers:
      - { address: 10.0.0.5, weight: 1 }
  - address: 2001:db8::100
    port: 53
    protocol: udp
    scheduler: rr
    persistence: { timeout: 10s, netmask: 64, engine: sip }
    real_servers:
      - { address: "2001:db8::5", port: 53, weight: 4 }
YAML
S0=$(counter ops_sent)
kill -HUP $PID
EXP3='-A -t 192.168.0.100:80 -s rr -p 50
-a -t 192.168.0.100:80 -r 10.0.0.2:80 -g -w 1
-a -t 192.168.0.100:80 -r 10.0.0.3:80 -g -w 5
-a -t 192.168.0.100:80 -r 10.0.0.6:80 -g -w 1
-A -f 7 -s sh -b sh-port
-a -f 7 -r 10.0.0.5:0 -i -w 1 --tun-type gue --tun-port 6080 --tun-csum
-A -u [2001:db8::100]:53 -s rr -p 10 -M 64 --pe sip
-a -u [2001:db8::100]:53 -r [2001:db8::5]:53 -g -w 4'
expect_table "reloaded table (tunnel gue with checksum, persistence engine sip)" "$EXP3"
# edit-dest 10.0.0.3, add-dest 10.0.0.6, edit-service (wrr -> rr, pe sip),
# del-service .101, edit-dest 10.0.0.5 (ipip -> gue)
[ "$(delta ops_sent $S0)" = 5 ] && ok "reload sent 5 operations" || fail "reload sent $(delta ops_sent $S0), not 5"
[ "$(counter reloads)" = 1 ] && ok "one reload" || fail "reloads $(counter reloads)"
phase_end

# ---- 4 ----
phase "heal manual edits"
S0=$(counter ops_sent)
ipvsadm -d -t 192.168.0.100:80 -r 10.0.0.2:80
ipvsadm -e -t 192.168.0.100:80 -r 10.0.0.3:80 -g -w 9
ipvsadm -E -f 7 -s rr
ipvsadm -a -t 192.168.0.100:80 -r 10.0.0.99:80 -g -w 1
expect_table "healed by the periodic pass" "$EXP3" 60
[ "$(delta ops_sent $S0)" = 4 ] && ok "healing sent 4 operations" || fail "healing sent $(delta ops_sent $S0)"
grep -q 'Adding service \[10.0.0.2\]:tcp:80 to VS \[192.168.0.100\]:tcp:80' ipvsd.log && ok "log: Adding service" || fail "no Adding log line"
grep -q 'Removing service \[10.0.0.99\]:tcp:80 from VS \[192.168.0.100\]:tcp:80' ipvsd.log && ok "log: Removing service" || fail "no Removing log line"
phase_end

# ---- 5 ----
phase "bad reload"
cp halo.yaml good.yaml
printf 'virtual_servers:\n  - address: 192.168.0.100\n    port: 99999\n' >halo.yaml
kill -HUP $PID
wait_for 60 sh -c "[ \$($CTL status counters.reload_failures) = 1 ]" && ok "reload refused" || fail "bad reload not refused"
$CTL resync >/dev/null
expect_table "table kept after a bad reload" "$EXP3" 2
kill -0 $PID && ok "daemon alive" || fail "daemon died on a bad reload"
phase_end

# ---- 6 ----
phase "health from a fake checker"
cat >halo.yaml <<YAML
virtual_servers:
$VS100
  - address: 192.168.0.102
    port: 80
    scheduler: rr
    inhibit_on_failure: true
    real_servers:
      - { address: 10.0.1.2, port: 80, weight: 1 }
      - { address: 10.0.1.3, port: 80, weight: 1 }
  - address: 192.168.0.103
    port: 80
    scheduler: rr
    quorum: 2
    sorry_server: { address: 10.0.2.200, port: 8080 }
    real_servers:
      - { address: 10.0.2.2, port: 80, weight: 1 }
      - { address: 10.0.2.3, port: 80, weight: 1 }
YAML
kill -HUP $PID
EXP6='-A -t 192.168.0.100:80 -s rr -p 50
-a -t 192.168.0.100:80 -r 10.0.0.2:80 -g -w 1
-a -t 192.168.0.100:80 -r 10.0.0.3:80 -g -w 2
-A -t 192.168.0.102:80 -s rr
-a -t 192.168.0.102:80 -r 10.0.1.2:80 -g -w 1
-a -t 192.168.0.102:80 -r 10.0.1.3:80 -g -w 1
-A -t 192.168.0.103:80 -s rr
-a -t 192.168.0.103:80 -r 10.0.2.2:80 -g -w 1
-a -t 192.168.0.103:80 -r 10.0.2.3:80 -g -w 1'
expect_table "health config loaded" "$EXP6"
rs() { echo "{\"vs\":\"[$1]:tcp:80\",\"rs\":\"[$2]:tcp:80\",\"up\":$3,\"weight\":1}"; }
mkfifo checker.fifo
halo-test-ctl serve $RUN halo-checker <checker.fifo 2>checker.err &
FAKE=$!
exec 3>checker.fifo
echo "{\"v\":1,\"type\":\"snapshot\",\"real_servers\":[$(rs 192.168.0.100 10.0.0.2 false),$(rs 192.168.0.102 10.0.1.2 false),$(rs 192.168.0.103 10.0.2.2 false),$(rs 192.168.0.103 10.0.2.3 true)]}" >&3
EXP6D='-A -t 192.168.0.100:80 -s rr -p 50
-a -t 192.168.0.100:80 -r 10.0.0.3:80 -g -w 2
-A -t 192.168.0.102:80 -s rr
-a -t 192.168.0.102:80 -r 10.0.1.2:80 -g -w 0
-a -t 192.168.0.102:80 -r 10.0.1.3:80 -g -w 1
-A -t 192.168.0.103:80 -s rr
-a -t 192.168.0.103:80 -r 10.0.2.200:8080 -g -w 1'
expect_table "down: removed, inhibited to 0, sorry server without quorum" "$EXP6D" 60
grep -q 'Removing service \[10.0.0.2\]:tcp:80 from VS \[192.168.0.100\]:tcp:80' ipvsd.log && ok "log: Removing 10.0.0.2" || fail "no Removing log line for 10.0.0.2"
[ "$($CTL status checker_connected)" = true ] && ok "checker connected" || fail "checker not connected"
echo "{\"v\":1,\"type\":\"rs\",$(rs 192.168.0.100 10.0.0.2 true | cut -c2-)" >&3
echo "{\"v\":1,\"type\":\"rs\",$(rs 192.168.0.102 10.0.1.2 true | cut -c2-)" >&3
echo "{\"v\":1,\"type\":\"rs\",$(rs 192.168.0.103 10.0.2.2 true | cut -c2-)" >&3
expect_table "up again: restored, quorum regained, sorry server gone" "$EXP6" 60
exec 3>&-
kill $FAKE; wait $FAKE 2>/dev/null
wait_for 60 sh -c "[ \$($CTL status checker_connected) = false ]" && ok "checker gone" || fail "checker still connected"
$CTL resync >/dev/null
expect_table "checker gone: last known weights kept" "$EXP6" 2
phase_end

# ---- 7 ----
phase "sync daemon follows a fake vrrpd"
$IP link add sd0 type veth peer name sd1
$IP addr add 10.9.0.1/24 dev sd0
$IP link set sd0 up; $IP link set sd1 up
cat >halo.yaml <<YAML
vrrp:
  instances:
    - { name: VI_1, interface: sd0, vrid: 51, virtual_addresses: [10.9.0.100/24] }
ipvs:
  sync_daemon: { interface: sd0, follow_instance: VI_1, sync_id: 51, maxlen: 1400, port: 8849, ttl: 2, group: 239.1.2.3 }
virtual_servers:
$VS100
YAML
mkfifo vrrp.fifo
halo-test-ctl serve $RUN halo-vrrpd <vrrp.fifo 2>vrrp.err &
FAKEV=$!
exec 4>vrrp.fifo
echo '{"v":1,"type":"snapshot","instances":[{"name":"VI_1","state":"BACKUP","priority":100,"vrid":51}]}' >&4
kill -HUP $PID
daemon_is() { ipvsadm -L --daemon | grep -q "^$1 sync daemon (mcast=sd0, syncid=51,"; }
# the fake only replays its last snapshot: wait until the daemon has it
wait_for 60 sh -c "[ \$($CTL status sync_daemon.instance_state) = BACKUP ]" &&
	ok "vrrpd state learned" || fail "vrrpd state not learned"
wait_for 60 daemon_is backup && ok "backup sync daemon" || { fail "no backup sync daemon"; ipvsadm -L --daemon; }
echo '{"v":1,"type":"instance","instance":{"name":"VI_1","state":"MASTER","priority":100,"vrid":51}}' >&4
wait_for 60 daemon_is master && ok "master sync daemon" || { fail "no master sync daemon"; ipvsadm -L --daemon; }
daemon_is backup && fail "backup daemon still running" || ok "backup daemon stopped"
ipvsadm -L --daemon
ipvsadm -L --daemon | grep -q "^master sync daemon (mcast=sd0, syncid=51, maxlen=1400, group=239.1.2.3, port=8849, ttl=2)" &&
	ok "multicast settings in the kernel (maxlen, group, port, ttl)" || fail "multicast settings not as configured"
# a changed setting restarts the daemon with it; unchanged, nothing is touched
C0=$(counter sync_daemon_changes)
sed -i 's/port: 8849/port: 8850/' halo.yaml
kill -HUP $PID
daemon_port() { ipvsadm -L --daemon | grep -q "^master sync daemon (mcast=sd0, syncid=51, .*port=8850, ttl=2)"; }
wait_for 60 daemon_port && ok "port change applied on reload" || { fail "port change not applied"; ipvsadm -L --daemon; }
C1=$(counter sync_daemon_changes); $CTL resync >/dev/null; $CTL resync >/dev/null
[ "$(counter sync_daemon_changes)" = "$C1" ] && [ "$C1" -gt "$C0" ] &&
	ok "the change restarted the daemon once, resyncs leave it ($C0 -> $C1)" ||
	fail "sync_daemon_changes $C0 -> $C1 -> $(counter sync_daemon_changes)"
# mode both: the kernel's master and backup threads at once; mode backup: one
sed -i 's/follow_instance: VI_1, /mode: both, /' halo.yaml
kill -HUP $PID
wait_for 60 daemon_is backup && daemon_is master && ok "mode both: master and backup daemons" ||
	{ fail "mode both: not both daemons"; ipvsadm -L --daemon; }
sed -i 's/mode: both, /mode: backup, /' halo.yaml
kill -HUP $PID
wait_for 60 sh -c "! ipvsadm -L --daemon | grep -q '^master sync'" && daemon_is backup &&
	ok "mode backup: the master daemon stopped, the backup kept" || { fail "mode backup"; ipvsadm -L --daemon; }
exec 4>&-
kill $FAKEV; wait $FAKEV 2>/dev/null
phase_end

# ---- 8 ----
phase "SIGTERM keeps the table; flush_on_stop empties it"
kill -TERM $PID
wait $PID
RC=$?
[ $RC = 0 ] && ok "clean exit on SIGTERM" || { fail "exit status $RC on SIGTERM"; tail -n 30 ipvsd.log; }
[ -n "$(ipvsadm -Sn)" ] && ok "table left after SIGTERM" || fail "table flushed on SIGTERM"
printf 'ipvs:\n  flush_on_stop: true\nvirtual_servers:\n%s\n' "$VS100" >halo.yaml
halo-ipvs-sync -d -f halo.yaml --run-dir $RUN 2>>ipvsd.log &
PID=$!
wait_for 120 $CTL status || fail "restart did not answer"
kill -TERM $PID
wait $PID
RC=$?
[ $RC = 0 ] && ok "clean exit with flush_on_stop" || { fail "exit status $RC with flush_on_stop"; tail -n 30 ipvsd.log; }
[ -z "$(ipvsadm -Sn)" ] && ok "flush_on_stop emptied the table" || fail "table not flushed"
phase_end

# ---- 9 ----
# Only a batch's last message asks for an ACK: a refusal in the middle and
# one at the very end must both be mapped to their own operation.
phase "refused operations inside one batch"
vs() { printf '  - { address: %s, port: 80, scheduler: %s, real_servers: [{ address: 10.0.0.%s, port: 80 }] }\n' "$@"; }
{ echo "virtual_servers:"; vs 192.168.0.110 rr 20; vs 192.168.0.111 nosuch 21; vs 192.168.0.112 rr 22
  vs 192.168.0.113 nosuch 23; } >halo.yaml
halo-ipvs-sync -d -f halo.yaml --run-dir $RUN 2>>ipvsd.log &
PID=$!
wait_for 120 $CTL status || fail "daemon did not answer"
expect_table "the accepted half applied" '-A -t 192.168.0.110:80 -s rr
-a -t 192.168.0.110:80 -r 10.0.0.20:80 -g -w 1
-A -t 192.168.0.112:80 -s rr
-a -t 192.168.0.112:80 -r 10.0.0.22:80 -g -w 1'
failed_ge4() { [ "$(counter ops_failed)" -ge 4 ]; }
wait_for 60 failed_ge4 || fail "no failed operation counted"
for i in 1 2 3; do        # the same pass for both counters (a pass retries every >= 5 s)
	F=$(counter ops_failed); S=$(counter ops_sent); W=$(counter write_sendmsgs)
	[ "$(counter ops_failed)" = "$F" ] && break
done
echo "   ops_sent $S, ops_failed $F, write sendmsgs $W"
# every pass retries the 4 refused operations (2 services, 2 destinations)
[ $((F % 4)) = 0 ] && [ $((S - F)) = 4 ] && ok "4 operations applied, exactly the 4 refused ones failed (per pass)" ||
	fail "ops_sent $S ops_failed $F: not 4 applied + 4 refused per pass"
[ "$(grep -c 'VS \[192.168.0.11[13]\]:tcp:80 failed' ipvsd.log)" -ge 4 ] &&
	ok "log: each refused operation named" || { fail "refused operations not logged"; grep failed ipvsd.log; }
grep -q 'VS \[192.168.0.11[02]\]:tcp:80 failed' ipvsd.log && fail "an accepted operation logged as failed" ||
	ok "no accepted operation logged as failed"
# a lasting refusal is retried with backoff (1, 2, 4 s, then the 5 s heal
# pace), not every second: over 8 more seconds, at most 4 more passes
F0=$(counter ops_failed); sleep 8; F1=$(counter ops_failed)
[ $(((F1 - F0) / 4)) -le 4 ] && ok "refusals retried with backoff ($(((F1 - F0) / 4)) passes in 8 s)" ||
	fail "$(((F1 - F0) / 4)) retry passes in 8 s"
kill -0 $PID && ok "daemon alive" || fail "daemon died"
kill -TERM $PID; wait $PID
phase_end

grep -q 'seccomp: denied' ipvsd.log && fail "a system call was refused by seccomp" || ok "no system call refused by seccomp"
echo "== daemon log"
cat ipvsd.log
echo "total: $(elapsed $T0)s, failures: $FAILS"
exit $FAILS
