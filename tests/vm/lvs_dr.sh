# Guest test: the seed's LVS-DR scenario with real traffic, halo-checker
# (HTTP checks) feeding halo-ipvs-sync in the director's namespace.
#
#   client c  192.168.0.10 ---+
#   director d 192.168.0.107  +--- br0 (namespace lan)
#     VIP 192.168.0.100/24    |
#   web1 w1   192.168.0.108 --+    VIP 192.168.0.100/32 on lo,
#   web2 w2   192.168.0.109 --+    arp_ignore=1 arp_announce=2
#
# Checks: both real servers answer through the VIP in round robin; web1's
# server stopped -> the checker marks it down -> it leaves the table and all
# traffic goes to web2; web1 back -> back in the table; the kernel's master
# sync daemon runs (ipvs.sync_daemon without follow_instance).
. /test/lib.sh
mkdir -p $RUN
SUF=$$
NS_LAN=lan$SUF; NS_C=c$SUF; NS_D=d$SUF; NS_W1=w1$SUF; NS_W2=w2$SUF
PIDS=""
cleanup() {
	for p in $PIDS; do kill "$p" 2>/dev/null; done
	for n in $NS_C $NS_D $NS_W1 $NS_W2 $NS_LAN; do $IP netns del "$n" 2>/dev/null; done
}
trap cleanup EXIT

phase "topology"
lvs_lab $NS_LAN $NS_C $NS_W1 $NS_W2 $NS_D:192.168.0.107
[ -n "${USE_VRRPD:-}" ] || in_ns $NS_D $IP addr add 192.168.0.100/24 dev eth0
phase_end

if [ -n "${USE_VRRPD:-}" ]; then
	# halo-vrrpd owns the VIP; the sync daemon follows its instance
	cat >halo.yaml <<'YAML'
global: { realtime_priority: 0 }
vrrp:
  instances:
    - { name: VI_1, interface: eth0, vrid: 51, priority: 100, advert_interval: 100ms, virtual_addresses: [192.168.0.100/24] }
ipvs:
  sync_daemon: { interface: eth0, follow_instance: VI_1, sync_id: 51 }
YAML
else
	printf 'ipvs:\n  sync_daemon: { interface: eth0, sync_id: 51 }\n' >halo.yaml
fi
cat >>halo.yaml <<'YAML'
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
        check: { http: { path: /, status: [200] }, interval: 1s, timeout: 3s, retry: 1, retry_delay: 200ms }
      - address: 192.168.0.109
        port: 80
        weight: 1
        check: { http: { path: /, status: [200] }, interval: 1s, timeout: 3s, retry: 1, retry_delay: 200ms }
YAML

phase "director up"
if [ -n "${USE_VRRPD:-}" ]; then
	in_ns $NS_D halo-vrrpd -d -f halo.yaml --run-dir $RUN 2>vrrpd.log &
	PIDS="$PIDS $!"
	wait_for 60 sh -c "$IP -n $NS_D addr show dev eth0 | grep -q 192.168.0.100/24" &&
		ok "halo-vrrpd is MASTER and holds the VIP" || { fail "no VIP from halo-vrrpd"; cat vrrpd.log; }
fi
in_ns $NS_D halo-checker -d -f halo.yaml --run-dir $RUN 2>checker.log &
CK=$!
in_ns $NS_D halo-ipvs-sync -d -f halo.yaml --run-dir $RUN 2>ipvsd.log &
SY=$!
PIDS="$PIDS $CK $SY"
EXP='-A -t 192.168.0.100:80 -s rr
-a -t 192.168.0.100:80 -r 192.168.0.108:80 -g -w 1
-a -t 192.168.0.100:80 -r 192.168.0.109:80 -g -w 1'
dtable() { in_ns $NS_D ipvsadm -Sn | sort; }
dtable_is() { [ "$(dtable)" = "$(printf '%s\n' "$1" | sort)" ]; }
wait_for 60 dtable_is "$EXP" && ok "table programmed" || { fail "table"; dtable; }
wait_for 60 sh -c "[ \$($CTL status checker_connected) = true ]" && ok "checker connected" || fail "checker not connected"
master_sync() { in_ns $NS_D ipvsadm -L --daemon | grep -q '^master sync daemon (mcast=eth0, syncid=51'; }
wait_for 60 master_sync && ok "master sync daemon in the kernel" || { fail "no master sync daemon"; in_ns $NS_D ipvsadm -L --daemon; }
phase_end

phase "round robin through the VIP"
get() { in_ns $NS_C curl -s --max-time 10 http://192.168.0.100/; }
R=""
for i in 1 2 3 4 5 6; do R="$R $(get)"; done
echo "   answers:$R"
# strict alternation unless a slow check (emulation on a busy host) flapped a server
N1=$(echo "$R" | tr ' ' '\n' | grep -c web1); N2=$(echo "$R" | tr ' ' '\n' | grep -c web2)
[ "$R" = " web1 web2 web1 web2 web1 web2" ] || [ "$R" = " web2 web1 web2 web1 web2 web1" ] ||
	echo "   (not strictly alternating; flaps: $(grep -c Removing checker.log))"
[ $N1 -ge 2 ] && [ $N2 -ge 2 ] && [ $((N1 + N2)) = 6 ] &&
	ok "round robin over both real servers ($N1 + $N2)" || fail "not round robin:$R"
in_ns $NS_D ipvsadm -Ln --stats
phase_end

phase "web1 down"
kill $W1; wait $W1 2>/dev/null
EXPD='-A -t 192.168.0.100:80 -s rr
-a -t 192.168.0.100:80 -r 192.168.0.109:80 -g -w 1'
wait_for 60 dtable_is "$EXPD" && ok "web1 removed from the table" || { fail "web1 still in the table"; dtable; }
echo "   (down detected and removed after $(elapsed $PH_T)s)"
R=""
for i in 1 2 3 4; do R="$R $(get)"; done
[ "$R" = " web2 web2 web2 web2" ] && ok "all traffic to web2" || fail "traffic:$R"
grep -q 'Removing service \[192.168.0.108\]:tcp:80 from VS \[192.168.0.100\]:tcp:80' ipvsd.log &&
	ok "log: Removing service" || fail "no Removing log line"
phase_end

phase "web1 back"
start_web $NS_W1 www1; W1=$WEB
wait_for 60 dtable_is "$EXP" && ok "web1 back in the table" || { fail "web1 not back"; dtable; }
R=""
for i in 1 2 3 4; do R="$R $(get)"; done
echo "$R" | grep -q web1 && echo "$R" | grep -q web2 && ok "both serve again" || fail "traffic:$R"
grep -q 'Adding service \[192.168.0.108\]:tcp:80 to VS \[192.168.0.100\]:tcp:80' ipvsd.log &&
	ok "log: Adding service" || fail "no Adding log line"
phase_end

echo "== halo-ipvs-sync log"; cat ipvsd.log
echo "== halo-checker log"; tail -n 20 checker.log
[ -n "${USE_VRRPD:-}" ] && { echo "== halo-vrrpd log"; tail -n 20 vrrpd.log; }
echo "total: $(elapsed $T0)s, failures: $FAILS"
exit $FAILS
