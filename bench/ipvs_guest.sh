# Guest half of bench/ipvs_bench.sh (runs inside tests/vm/vm-run.sh's guest):
# programs N virtual services x M real servers from an empty table with
# `ipvsadm -R`, halo-ipvs-sync and keepalived (checker only, no checks), REPS
# times each, in this one boot; then, with halo's table loaded, one weight
# change and a no-change resync. Prints a table; not pass/fail.
. /test/lib.sh
N=${N:-1000}; M=${M:-10}; REPS=${REPS:-3}
[ -f /test/bench.env ] && . /test/bench.env
mkdir -p $RUN
LINES=$((3 + N + N * M))          # /proc/net/ip_vs: 3 header lines + services + dests

vip() { echo "172.16.$(($1 / 250)).$(($1 % 250 + 1))"; }
# Real server j of service i: 10.(100 + i/250).(i%250).(j+1)
awk -v n=$N -v m=$M '
function vip(i) { return sprintf("172.16.%d.%d", int(i / 250), i % 250 + 1) }
function rip(i, j) { return sprintf("10.%d.%d.%d", 100 + int(i / 250), i % 250, j + 1) }
BEGIN {
	print "virtual_servers:" > "halo.yaml"
	for (i = 0; i < n; i++) {
		printf "  - { address: %s, port: 80, scheduler: rr, forwarding: dr, real_servers: [", vip(i) > "halo.yaml"
		for (j = 0; j < m; j++)
			printf "%s{ address: %s, port: 80, weight: 1 }", (j ? ", " : ""), rip(i, j) > "halo.yaml"
		print "] }" > "halo.yaml"
		printf "-A -t %s:80 -s rr\n", vip(i) > "rules"
		for (j = 0; j < m; j++)
			printf "-a -t %s:80 -r %s:80 -g -w 1\n", vip(i), rip(i, j) > "rules"
		printf "virtual_server %s 80 {\n  lb_algo rr\n  lb_kind DR\n  protocol TCP\n", vip(i) > "keepalived.conf"
		for (j = 0; j < m; j++)
			printf "  real_server %s 80 {\n    weight 1\n  }\n", rip(i, j) > "keepalived.conf"
		print "}" > "keepalived.conf"
	}
}'

count() { wc -l </proc/net/ip_vs; }
# Every tool adds in order and the last service's last real server comes last
# (halo adds all services, then all destinations, in address order), so the
# cheap probe is that service alone; the whole table is counted afterwards.
LASTVS=$(vip $((N - 1))):80
last_done() { [ "$(ipvsadm -Ln -t $LASTVS 2>/dev/null | grep -c Route)" -eq $M ]; }
wait_full() {
	while ! last_done; do usleep 100000; done
	[ "$(count)" -eq $LINES ] || echo "WARNING: table has $(count) lines, not $LINES" >&2
}
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

t=$(now); halo-ipvs-sync -n -f halo.yaml 2>/dev/null; echo "config check (halo-ipvs-sync -n) of the $N x $M file: $(elapsed $t)s" >cfgtime
ipvsadm -C
for r in $(seq $REPS); do
	t=$(now); ipvsadm -R <rules; wait_full; echo "$(elapsed $t)" >>t.ipvsadm
	ipvsadm -C
done

for r in $(seq $REPS); do
	t=$(now)
	halo-ipvs-sync -d -f halo.yaml --run-dir $RUN 2>>halo.log &
	PID=$!
	wait_full; echo "$(elapsed $t)" >>t.halo
	wait_for 60 $CTL status
	counter last_write_pass.pass_ms >>p.halo
	echo "   halo run $r: first pass $(counter last_write_pass.pass_ms) ms = build $(counter last_write_pass.build_ms) + dump $(counter last_write_pass.dump_ms) + diff $(counter last_write_pass.diff_ms) + apply $(counter last_write_pass.apply_ms) ($(counter last_write_pass.ops) ops)"
	counter ops_sent >>o.halo
	counter write_sendmsgs >>w.halo
	if [ $r -lt $REPS ]; then kill $PID; wait $PID; ipvsadm -C; fi
done

# One weight change with the full table loaded.
S0=$(counter ops_sent); W0=$(counter write_sendmsgs)
sed 's/{ address: 10.100.0.1, port: 80, weight: 1 }/{ address: 10.100.0.1, port: 80, weight: 7 }/' halo.yaml >h2.yaml
cp h2.yaml halo.yaml
t=$(now)
kill -HUP $PID
wait_for 120 sh -c "ipvsadm -Ln -t $(vip 0):80 | grep -q '10.100.0.1:80 *Route *7'"
WT=$(elapsed $t)
wait_for 60 sh -c "[ \$(counter reloads) -ge 1 ]"
WOPS=$(($(counter ops_sent) - S0)); WW=$(($(counter write_sendmsgs) - W0)); WP=$(counter last_write_pass.pass_ms)
# A no-change resync.
S0=$(counter ops_sent); W0=$(counter write_sendmsgs)
t=$(now); $CTL resync >/dev/null; RT=$(elapsed $t)
ROPS=$(($(counter ops_sent) - S0)); RW=$(($(counter write_sendmsgs) - W0)); RP=$(counter last_pass_ms)
echo "   no-change pass: build $(counter last_build_ms) + dump $(counter last_dump_ms) + diff $(counter last_diff_ms) ms"
kill $PID; wait $PID
ipvsadm -C

for r in $(seq $REPS); do
	t=$(now)
	keepalived -n -C -f /test/keepalived.conf -p /run/k.pid -c /run/kc.pid >>keepalived.log 2>&1 &
	KP=$!
	wait_full; echo "$(elapsed $t)" >>t.keepalived
	kill $KP; wait $KP
	ipvsadm -C
done

H=$(median <t.halo); I=$(median <t.ipvsadm); K=$(median <t.keepalived)
echo
echo "== IPVS programming benchmark: $N services x $M real servers, $REPS runs each, one guest boot"
echo "   (seconds from start to the whole table in /proc/net/ip_vs; median; runs in brackets)"
printf '%-28s %8s   %s\n' "tool" "median" "runs"
printf '%-28s %8s   [%s]\n' "halo-ipvs-sync" "$H" "$(tr '\n' ' ' <t.halo)"
printf '%-28s %8s   [%s]\n' "ipvsadm -R" "$I" "$(tr '\n' ' ' <t.ipvsadm)"
printf '%-28s %8s   [%s]\n' "keepalived -C (no checks)" "$K" "$(tr '\n' ' ' <t.keepalived)"
awk -v h=$H -v i=$I -v k=$K 'BEGIN { printf "ratio keepalived/halo %.1fx, ipvsadm/halo %.1fx\n", k / h, i / h }'
echo "halo: first pass (desired table -> dump -> diff -> batched writes) $(median <p.halo) ms;" \
	"operations $(tail -n1 o.halo); write sendmsg calls $(tail -n1 w.halo)"
echo "weight change (SIGHUP, full table loaded): ${WT}s to visible (config reload included), $WOPS operation(s), $WW write sendmsg(s), pass ${WP} ms (no dump: diffed against the table the last pass left)"
cat cfgtime
echo "no-change resync: ${RT}s round trip, $ROPS operation(s), $RW write sendmsg(s), pass ${RP} ms"
grep -i -E 'error|fail' halo.log | head -5
exit 0
