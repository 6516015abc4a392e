# Guest test: the IPVS table keepalived builds from a keepalived.conf and the
# one halo-checker + halo-ipvs-sync build from the same file converted by
# `haloctl import-keepalived` (done on the host, import_equiv_host.sh) must be
# the same `ipvsadm -Sn`: services, schedulers and flags, persistence,
# forwarding, weights, thresholds (and the IPVS timeouts).
#
# Each configuration gets its own copy of one topology, and keepalived and halo
# run side by side in two director namespaces of it (IPVS tables are per
# network namespace; that keeps the guest run short: all configurations settle
# in parallel instead of one after the other):
#
#   k<i>  keepalived -C  eth0 172.31.0.1/24 --+             +-- lo: every real server
#                                              +-- s<i> ---+    address of the file, /32
#   h<i>  halo-checker   eth0 172.31.1.1/24 --+  (.0.2, .1.2)   busybox httpd :80 and :8080,
#         halo-ipvs-sync  (default via s<i>)                  an SMTP responder on :25,
#                                                              openssl s_server -WWW :8443,
#                                                              halo-test-udp :53 (DNS, UDP)
#
# The real servers answer every check the corpus files use (DNS and the UDP
# payload through halo-test-udp), so both daemons end with a known number of
# services, real servers and zero weights (expect() below). A table has settled
# when it has those counts, two samples in a row are equal, and every check of
# its daemon has run and last passed (halo-checker's status; keepalived's
# SIGUSR1 dump); then the two tables must be equal (a last short wait absorbs
# a weight edit in flight).
# Any difference fails and prints both tables.
#
# /test/cfg/list (from the host): NAME CONF YAML CONFIG-ID|- per line.
. /test/lib.sh
SUF=$$
PIDS=""
NAMES=""
cleanup() {
	local p n
	for p in $PIDS; do kill "$p" 2>/dev/null; done
	for n in $NAMES; do
		for p in k h s; do $IP netns del "$p$n$SUF" 2>/dev/null; done
	done
}
trap cleanup EXIT

# Services, real servers (sorry servers included) and zero weights each
# configuration settles at in this topology.
expect() {
	case $1 in
	seed) echo "1 2 0" ;;              # two HTTP_GET real servers up
	lvs-http) echo "2 3 0" ;;          # alpha+inhibit: both come up, quorum met, sorry server gone; SSL_GET up
	vs-fwmark-group) echo "7 8 0" ;;   # 4 group addresses + 2 group marks + fwmark 42
	checkers) echo "2 6 0" ;;          # TCP, SMTP, MISC, PING, DNS, UDP all up
	vs-group-ranges) echo "19 19 0" ;; # 8 IPv4 + 9 IPv6 group members, 2 IPv6 fwmarks
	includes) echo "1 3 0" ;;          # TCP_CHECK up, two without checks
	vs-tunnel) echo "2 4 0" ;;         # no checks: GUE/GRE/IPIP destinations, SIP engine
	*) echo "?" ;;
	esac
}

# ---------------------------------------------------------------- setup
mkdir -p /etc/keepalived /etc/ssl/certs /usr/bin
# the files lvs-http.conf's SSL block names (a throwaway guest: test-made)
cp cfg/cert.pem /etc/keepalived/client.pem
cp cfg/key.pem /etc/keepalived/client.key
cp cfg/cert.pem /etc/ssl/certs/ca-certificates.crt
chmod 644 /etc/keepalived/client.key
# checkers.conf's MISC_CHECK runs "/usr/bin/nc -z HOST PORT"; busybox nc has
# no -z, but it exits 0 once the peer (the SMTP responder) closes.
cat >/usr/bin/nc <<'EOF'
#!/bin/sh
[ "$1" = -z ] && shift
exec /bin/busybox nc "$1" "$2" </dev/null >/dev/null 2>&1
EOF
chmod 755 /usr/bin/nc
cat >smtp.sh <<'EOF'
#!/bin/sh
printf '220 rs ESMTP\r\n'
while read -r l; do
	case $l in
	[Qq][Uu][Ii][Tt]*) printf '221 bye\r\n'; exit 0 ;;
	*) printf '250 ok\r\n' ;;
	esac
done
EOF
chmod 755 smtp.sh
mkdir -p www www8080 wwwssl
echo ok >www/index.html
printf 'The quick brown fox jumps over the lazy dog' >www8080/health   # md5 9e107d9d...
echo ready >wwwssl/ready

spawn() {   # spawn CMD...: run in the background, remember the pid
	"$@" </dev/null >/dev/null 2>&1 &
	PIDS="$PIDS $!"
}

topology() {   # topology I NAME CONF YAML
	local i=$1 k=k$2$SUF h=h$2$SUF s=s$2$SUF a n
	for n in $k $h $s; do $IP netns add $n; $IP -n $n link set lo up; done
	$IP -n $s link add ek type veth peer name eth0 netns $k
	$IP -n $s link add eh type veth peer name eth0 netns $h
	$IP -n $s addr add 172.31.0.2/24 dev ek
	$IP -n $s addr add 172.31.1.2/24 dev eh
	$IP -n $s link set ek up
	$IP -n $s link set eh up
	$IP -n $k addr add 172.31.0.1/24 dev eth0
	$IP -n $h addr add 172.31.1.1/24 dev eth0
	$IP -n $k link set eth0 up
	$IP -n $h link set eth0 up
	$IP -n $k route add default via 172.31.0.2
	$IP -n $h route add default via 172.31.1.2
	# every IPv4 address the converted file names (real and sorry servers,
	# connect_address; virtual addresses too, harmlessly): all on the server side
	for a in $(sed -n 's/^ *-\{0,1\} *\(address\|connect_address\): \([0-9.]*\)$/\2/p' "$4" | sort -u); do
		$IP -n $s addr add $a/32 dev lo
	done
	spawn $IP netns exec $s busybox httpd -f -p 80 -h $PWD/www
	spawn $IP netns exec $s busybox httpd -f -p 8080 -h $PWD/www8080
	# SIGPIPE ignored (a checker may close first) and restarted if it dies
	spawn $IP netns exec $s sh -c "trap '' PIPE; while :; do busybox nc -ll -p 25 -e $PWD/smtp.sh; sleep 1; done"
	# checkers.conf's DNS_CHECK and UDP_CHECK (payload hello, reply olleh). The
	# DNS answer carries a record: keepalived also passes a NOERROR reply
	# without one, halo does not (docs/migrating.md, "behave differently").
	if $IP -n $s addr show dev lo | grep -q ' 10.0.1.5/32'; then
		spawn $IP netns exec $s halo-test-udp 10.0.1.5 53 dns
		spawn $IP netns exec $s halo-test-udp 10.0.1.6 53 reverse
	fi
	spawn $IP netns exec $s sh -c "trap '' PIPE; cd $PWD/wwwssl && while :; do openssl s_server -quiet -WWW \
		-accept 8443 -cert $PWD/cfg/cert.pem -key $PWD/cfg/key.pem; sleep 1; done"
}

start_keepalived() {   # start_keepalived NAME CONF CONFIG-ID
	local id=""
	[ "$3" != - ] && id="-i $3"
	[ -f cfg/verbose ] && id="$id -d"   # dump the parsed configuration into the log
	$IP netns exec k$1$SUF keepalived -n -l -G -C -D -f $PWD/$2 -p $PWD/ka-$1.pid -c $PWD/ka-$1-chk.pid $id \
		</dev/null >ka-$1.log 2>&1 &
	PIDS="$PIDS $!"
}

start_halo() {   # start_halo NAME YAML
	mkdir -p run-$1
	$IP netns exec h$1$SUF halo-checker -d -f $PWD/$2 --run-dir $PWD/run-$1 </dev/null >halo-$1-checker.log 2>&1 &
	PIDS="$PIDS $!"
	$IP netns exec h$1$SUF halo-ipvs-sync -d -f $PWD/$2 --run-dir $PWD/run-$1 </dev/null >halo-$1-ipvs.log 2>&1 &
	PIDS="$PIDS $!"
}

# The table compared: `ipvsadm -Sn` (services, scheduler and flags,
# persistence and netmask, forwarding, weights), plus what -S leaves out: each
# real server's upper and lower connection thresholds and the IPVS timeouts.
ntable() {
	{
		$IP netns exec $1 ipvsadm -Sn
		$IP netns exec $1 ipvsadm -Ln --thresholds | awk '/^(TCP|UDP|SCTP|FWM) /{ s = $1 " " $2 }
			/^  -> [0-9[]/{ print "thresholds", s, "-r", $2, "-x", $3, "-y", $4 }'
		$IP netns exec $1 ipvsadm -L --timeout
	} | sort
}
counts() {   # counts TABLE-TEXT -> "services dests zero-weights"
	printf '%s\n' "$1" | awk '/^-A /{s++} /^-a /{d++} /^-a .* -w 0( |$)/{z++} END {printf "%d %d %d\n", s, d, z}'
}

# Every check has run and its last result stands (no retry under way), so the
# table cannot still change. halo: the checker's status, per real server.
decided_h() {   # decided_h NAME
	local st
	st=$(halo-test-ctl call $PWD/run-$1/halo-checker.sock status 2>/dev/null) || return 1
	# per real server, in this order: "check", "checks", ..., "missed_slots"
	printf '%s\n' "$st" | awk -F'": *' '
		/"check":/  { c = $2 }
		/"checks":/ { n = $2 + 0 }
		/"consecutive_failures":/  { f = $2 + 0 }
		/"consecutive_successes":/ { s = $2 + 0 }
		/"missed_slots":/ { if (c != "\"none\"," && (n == 0 || s == 0 || f > 0)) bad = 1; c = "" }
		END { exit bad }'
}
same_size() { local a; a=$(wc -c <"$1"); usleep 300000; [ "$a" = "$(wc -c <"$1")" ]; }
# keepalived: its checker's SIGUSR1 dump (one fixed file: one dump at a time).
decided_k() {   # decided_k NAME
	local f=/tmp/keepalived_check.data pid
	pid=$(cat ka-$1-chk.pid 2>/dev/null) || return 1
	rm -f $f
	kill -USR1 $pid || return 1
	wait_for 60 grep -q 'Virtual server' $f || return 1
	wait_for 30 same_size $f || return 1     # until the writer is done
	cp $f ka-$1.data
	# a configuration without checks (vs-tunnel) has nothing to wait for
	! grep -q -E 'Has run = no|Up = no|Retries iterations = [1-9]' ka-$1.data &&
		{ grep -q 'Has run = ' ka-$1.data || [ "$1" = vs-tunnel ]; }
}

phase() { PH_NAME=$1; PH_T=$(now); echo; echo "== $1"; }
phase_end() { echo "   ($PH_NAME: $(elapsed $PH_T)s)"; }

phase "topologies and daemons"
i=0
while read -r name conf yaml cid; do
	[ -n "$name" ] || continue
	i=$((i + 1))
	NAMES="$NAMES $name"
	topology $i $name cfg/$conf cfg/$yaml
	start_keepalived $name cfg/$conf $cid
	start_halo $name cfg/$yaml
	echo "   $name: keepalived in k$name$SUF, halo in h$name$SUF ($conf -> $yaml)"
done <cfg/list
[ -n "$NAMES" ] || { fail "no configurations in cfg/list"; exit 1; }
phase_end

# ---------------------------------------------------------------- settle
phase "wait for every table to settle"
LIMIT=300      # guest seconds: generous, emulation on a loaded machine
end=$(awk -v a="$(now)" -v t=$LIMIT 'BEGIN { print a + t }')
pending="$(for n in $NAMES; do echo k$n h$n; done)"
while [ -n "$pending" ]; do
	left=""
	for p in $pending; do
		n=${p#?}
		t=$(ntable $p$SUF)
		eval prev=\${PREV_$(echo $p | tr -c 'a-z0-9\n' '_')-x}
		eval PREV_$(echo $p | tr -c 'a-z0-9\n' '_')=\$t
		if [ "$(counts "$t")" = "$(expect $n)" ] && [ "$t" = "$prev" ] && decided_${p%$n} $n; then
			echo "   $p settled at $(elapsed $T0)s: $(counts "$t")"
			printf '%s\n' "$t" >table-$p
		else
			left="$left $p"
		fi
	done
	pending=$left
	[ -z "$pending" ] && break
	awk -v a="$(now)" -v e="$end" 'BEGIN { exit !(a > e) }' && break
	sleep 1
done
for p in $pending; do
	n=${p#?}
	decided_${p%$n} $n && d="every check has run and passed" || d="not every check has run and passed"
	fail "$p never settled at $(expect $n) (services dests zero-weights); it has $(counts "$(ntable $p$SUF)"), $d:"
	ntable $p$SUF | sed 's/^/     /'
	ntable $p$SUF >table-$p
done
phase_end

# ---------------------------------------------------------------- compare
phase "compare keepalived's table with halo's"
for n in $NAMES; do
	same() { [ "$(ntable k$n$SUF)" = "$(ntable h$n$SUF)" ]; }
	if wait_for 30 same; then
		ok "$n: identical tables ($(counts "$(ntable k$n$SUF)"))"
		ntable k$n$SUF | sed 's/^/     /'
	else
		fail "$n: keepalived and halo differ"
		echo "   --- keepalived (k$n)"; ntable k$n$SUF | sed 's/^/     /'
		echo "   +++ halo (h$n)"; ntable h$n$SUF | sed 's/^/     /'
		ntable k$n$SUF >/tmp/k; ntable h$n$SUF >/tmp/h
		diff /tmp/k /tmp/h | sed 's/^/     /'
	fi
done
phase_end

L=25; [ -f cfg/verbose ] && L=300
if [ $FAILS -ne 0 ] || [ -f cfg/verbose ]; then
	for n in $NAMES; do
		echo "---- keepalived log ($n), last lines"; tail -n $L ka-$n.log
		echo "---- halo-checker log ($n), last lines"; tail -n $L halo-$n-checker.log
		echo "---- halo-ipvs-sync log ($n), last lines"; tail -n $L halo-$n-ipvs.log
		echo "---- keepalived's checkers at its last dump ($n)"
		grep -E '^ *\[.*->|Has run|Up =|Retries iterations' ka-$n.data 2>/dev/null | sed 's/^.*2026: //'
		echo "---- halo-checker status ($n)"
		halo-test-ctl call $PWD/run-$n/halo-checker.sock status | grep -E '"rs"|"check"|"checks"|consecutive'

	done
fi
if [ $FAILS -ne 0 ] || [ -f cfg/verbose ]; then
	echo "---- guest memory and kernel messages"
	free
	dmesg | tail -n 20
fi
echo "import_equiv: $FAILS failure(s)"
[ $FAILS -eq 0 ]
