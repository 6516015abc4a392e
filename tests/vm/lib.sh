# Helpers for guest test scripts (busybox ash): polling, timing, checks.
# Sourced as `. /test/lib.sh`; the harness copies it into /test.

IP=/usr/bin/ip
RUN=/run/halo
CTL="halo-test-ctl call $RUN/halo-ipvs-sync.sock"
T0=$(cut -d' ' -f1 /proc/uptime)
FAILS=0

now() { cut -d' ' -f1 /proc/uptime; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }'; }
fail() { echo "FAIL: $*"; FAILS=$((FAILS + 1)); }
ok() { echo "ok: $*"; }

# wait_for SECONDS CMD...: polls CMD every 0.1 s until it succeeds or
# SECONDS of guest uptime have passed (emulation makes each try slow).
wait_for() {
	local end
	end=$(awk -v a="$(now)" -v t="$1" 'BEGIN { print a + t }')
	shift
	while :; do
		"$@" >/dev/null 2>&1 && return 0
		awk -v a="$(now)" -v e="$end" 'BEGIN { exit !(a > e) }' && return 1
		usleep 100000
	done
}

# The IPVS table in ipvsadm's save format, sorted (stable to compare).
table() { ipvsadm -Sn | sort; }

# table_is EXPECTED_TEXT: compares, prints a diff on mismatch.
table_matches() { [ "$(table)" = "$(printf '%s\n' "$1" | sort)" ]; }
expect_table() {
	local what=$1 want=$2 secs=${3:-60}
	if wait_for "$secs" table_matches "$want"; then
		ok "$what"
	else
		fail "$what: table differs"
		printf '%s\n' "$want" | sort >/tmp/want
		table >/tmp/have
		diff /tmp/want /tmp/have
	fi
}

# A counter from the daemon's brief status (no kernel dump).
counter() { $CTL '{"cmd":"status","brief":true}' "counters.$1"; }
brief() { $CTL '{"cmd":"status","brief":true}' "$1"; }

in_ns() { local n=$1; shift; $IP netns exec "$n" "$@"; }
phase() { PH_NAME=$1; PH_T=$(now); echo "== $1"; }
phase_end() { echo "   ($PH_NAME: $(elapsed $PH_T)s)"; }

# ---- the seed's LVS-DR lab (lvs_dr, drain, seed_pair) ----
#   client     192.168.0.10  ---+
#   directors  (given)       ---+--- br0 (namespace LAN)
#   web1       192.168.0.108 ---+    VIP 192.168.0.100/32 on lo,
#   web2       192.168.0.109 ---+    arp_ignore=1 arp_announce=2

# start_web NS DIR: busybox httpd serving DIR; its pid in WEB, added to PIDS
# (no $(...): that would wait for the server).
start_web() {
	$IP netns exec $1 busybox httpd -f -p 80 -h "$PWD/$2" </dev/null >/dev/null 2>&1 &
	WEB=$!
	PIDS="$PIDS $WEB"
}

lvs_attach() {   # lvs_attach LAN NS ADDR: eth0 of NS on the bridge
	$IP -n $1 link add p-$2 type veth peer name eth0 netns $2
	$IP -n $1 link set p-$2 master br0 up
	in_ns $2 $IP addr add $3/24 dev eth0
	in_ns $2 $IP link set eth0 up
}

# lvs_lab LAN CLIENT W1 W2 DIRECTOR_NS:ADDR...: builds the lab above; the
# real servers answer "web1" / "web2" (pids in W1, W2, and in PIDS) and are
# serving when it returns (or a failure is counted).
lvs_lab() {
	local lan=$1 c=$2 w1=$3 w2=$4 d n
	shift 4
	for n in $lan $c $w1 $w2; do $IP netns add $n; in_ns $n $IP link set lo up; done
	for d in "$@"; do $IP netns add ${d%%:*}; in_ns ${d%%:*} $IP link set lo up; done
	in_ns $lan $IP link add br0 type bridge
	in_ns $lan $IP link set br0 up
	lvs_attach $lan $c 192.168.0.10
	for d in "$@"; do lvs_attach $lan ${d%%:*} ${d#*:}; done
	lvs_attach $lan $w1 192.168.0.108
	lvs_attach $lan $w2 192.168.0.109
	for n in $w1 $w2; do
		in_ns $n $IP addr add 192.168.0.100/32 dev lo
		in_ns $n sh -c 'for i in all eth0; do echo 1 >/proc/sys/net/ipv4/conf/$i/arp_ignore; echo 2 >/proc/sys/net/ipv4/conf/$i/arp_announce; done'
	done
	mkdir -p www1 www2
	echo web1 >www1/index.html
	echo web2 >www2/index.html
	start_web $w1 www1; W1=$WEB
	start_web $w2 www2; W2=$WEB
	wait_for 120 in_ns $w1 curl -sf --max-time 5 http://192.168.0.108/ || fail "web1 not serving"
	wait_for 120 in_ns $w2 curl -sf --max-time 5 http://192.168.0.109/ || fail "web2 not serving"
}
