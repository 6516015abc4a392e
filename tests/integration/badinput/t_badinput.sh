#!/usr/bin/env bash
# Bad input for halo-vrrpd: every malformed, misdirected or hostile advert the
# robustness issue lists, crafted byte by byte by craft.py (AF_PACKET, so the
# IP header can lie; every checksum computed by the test). For each case:
# dropped or handled as the RFC says, counted under the right reason, no state
# change where none is due (transitions), no crash; during the floods every
# instance keeps its advert schedule (gaps measured by tcpdump in obs).
#
#   r1  eth0 192.168.0.1 + link-local ─┐   halo-vrrpd, MASTER of:
#                                       │     VI_3 vrid 51 v3 100ms rfc5798  VIP .100
#   x   eth0 192.168.0.2 ──────────────┼─ br0 (namespace sw)
#        (craft.py: also forges .9,     │     VI_2 vrid 52 v2 1s pass        VIP .101
#         .1, fe80::9)                  │     VI_U vrid 53 v3 unicast → .2   VIP .102
#   obs eth0 (tcpdump) ────────────────┘     VI_6 vrid 54 v3 IPv6 100ms     fe80::54
#                                             VI_A vrid 55 v3 1s auto        VIP .105
#                                             VI_B vrid 56 v3 100ms          VIP .106
# Crafted adverts that must be dropped carry priority 254 (r1 has 100): had one
# been accepted, r1 would have gone BACKUP and counted a transition.
. "$(dirname "$0")/../lib.sh"
HERE=$(cd "$(dirname "$0")" && pwd)
need_root
LAN_NAMES=(r1 x obs); make_lan "${LAN_NAMES[@]}"
# a plain L2 switch: with br_netfilter loaded the bridge would itself check
# (and drop) broken IPv4 headers before they reach r1's kernel
nsx sw sysctl -qw net.bridge.bridge-nf-call-iptables=0 net.bridge.bridge-nf-call-ip6tables=0 2>/dev/null || true
nsx r1 ip addr add 192.168.0.1/24 dev eth0
nsx x ip addr add 192.168.0.2/24 dev eth0

# realtime_priority as shipped (SCHED_RR 50): the schedule checks measure
# halo under a flood, not the other jobs of a shared test machine
conf="$WORK/r1.yaml"
cat >"$conf" <<'EOF'
global: { router_id: r1, realtime_priority: 50, script_user: root }
vrrp:
  instances:
    - { name: VI_3, interface: eth0, vrid: 51, priority: 100, version: 3, advert_interval: 100ms,
        v3_checksum: rfc5798, virtual_addresses: [192.168.0.100/24] }
    - { name: VI_2, interface: eth0, vrid: 52, priority: 100, version: 2, advert_interval: 1s,
        authentication: { type: pass, password: secret1 }, virtual_addresses: [192.168.0.101/24] }
    - { name: VI_U, interface: eth0, vrid: 53, priority: 100, advert_interval: 100ms,
        unicast_source: 192.168.0.1, unicast_peers: [192.168.0.2], virtual_addresses: [192.168.0.102/24] }
    - { name: VI_6, interface: eth0, vrid: 54, priority: 100, advert_interval: 100ms,
        virtual_addresses: [fe80::54/64, 2001:db8::54/64] }
    - { name: VI_A, interface: eth0, vrid: 55, priority: 100, advert_interval: 1s, v3_checksum: auto,
        virtual_addresses: [192.168.0.105/24] }
    - { name: VI_B, interface: eth0, vrid: 56, priority: 100, advert_interval: 100ms,
        virtual_addresses: [192.168.0.106/24] }
EOF

# capture everything VRRP on the LAN from the start (timestamps for the gaps)
ip netns exec "$(ns_name obs)" tcpdump -i eth0 -n -U -B 16384 -w "$WORK/cap.pcap" \
	'ip proto 112 or ip6 proto 112' >"$WORK/tcpdump.log" 2>&1 &
PIDS+=("$!")
wait_for 5 "tcpdump listening" grep -q "listening on" "$WORK/tcpdump.log"

start_vrrpd r1 "$conf"
for i in VI_3 VI_2 VI_U VI_6 VI_A VI_B; do
	expect_wait 6 "$i becomes MASTER (alone on the LAN)" state_is r1 $i MASTER
done

st() { python3 "$HERE/status.py" "$HALOCTL" "$WORK/r1/run" "$@"; }
craft() { nsx x python3 "$HERE/craft.py" eth0 "$@"; }
alive() { kill -0 "$(vrrpd_pid r1)"; }

# kstat NAME: a counter of r1's kernel IP stack (/proc/PID/net/{snmp,netstat}
# of the daemon show its namespace's)
kstat() {
	local p; p=$(vrrpd_pid r1)
	cat "/proc/$p/net/snmp" "/proc/$p/net/netstat" | awk -v k="$1" '
		$1 == prev { for (i = 2; i <= NF; i++) if (h[i] == k) print $i; prev = ""; next }
		{ p = substr($1, 1, length($1) - 1); for (i = 2; i <= NF; i++) h[i] = p $i; prev = $1 }'
}

# check CASE WHAT [KEY=DELTA ...]: sends CASE once; the counters must change by
# exactly these deltas (nothing else: no transition, no other reason)
check() {
	local c=$1 what=$2; shift 2
	ok "$c: $what" nsx x python3 "$HERE/craft.py" --check eth0 "$HALOCTL" "$WORK/r1/run" "$c" "$@"
}

# kernel_drop CASE WHAT KSTAT: the kernel drops it before halo sees it
kernel_drop() {
	local c=$1 what=$2 k=$3 before
	before=$(kstat "$k")
	check "$c" "$what; halo sees nothing"
	ok "$c: kernel counted it ($k)" test "$(kstat "$k")" -gt "$before"
}

ok "craft.py reproduces the tshark-checked known-answer adverts" python3 "$HERE/craft.py" --selftest
echo "# positive controls: the crafter's bytes are accepted"
check ok_v3 "valid v3 advert, lower priority: received, Master keeps its state" VI_3.adverts_received=1
check ok_v2 "valid v2 advert with the password: received" VI_2.adverts_received=1
check ok_v6 "valid v3 IPv6 advert: received" VI_6.adverts_received=1
check ok_unicast "valid unicast advert from the peer: received" VI_U.adverts_received=1

echo "# short, truncated, lying IP headers"
check short_vrrp "6-byte VRRP message: too_short before any instance" eth0/ipv4.drops.too_short=1
check truncated_addrs "count 2 but one address: length" eth0/ipv4.drops.length=1
check totlen_cuts_vrrp "IPv4 total length cuts the message (kernel trims): length" eth0/ipv4.drops.length=1
kernel_drop totlen_beyond_frame "IPv4 total length beyond the frame" IpExtInTruncatedPkts
kernel_drop totlen_below_ihl "IPv4 total length below the header length" IpInHdrErrors
kernel_drop ip_header_checksum "IPv4 header checksum off by one bit" IpInHdrErrors
check ip_options "IPv4 options (IHL 6): header skipped, advert received" VI_3.adverts_received=1
check eth_padding "40 bytes of Ethernet padding past the IP total length: ignored, received" VI_3.adverts_received=1

echo "# TTL / hop limit (RFC 3768/5798 7.1: must be 255)"
for t in ttl_254 ttl_1 ttl_0; do check $t "IPv4 TTL ${t#ttl_}: ttl" VI_3.drops.ttl=1; done
for t in hop_254 hop_1 hop_0; do check $t "IPv6 hop limit ${t#hop_}: ttl" VI_6.drops.ttl=1; done

echo "# versions and types"
for v in 0 1 4 15; do check version_$v "version $v: version, before any instance" eth0/ipv4.drops.version=1; done
check v2_to_v3 "VRRPv2 advert to the v3 instance: version" VI_3.drops.version=1
check v3_to_v2 "VRRPv3 advert to the v2 instance: version" VI_2.drops.version=1
check v2_over_ipv6 "VRRPv2 over IPv6 (RFC 5798 5.2.1): version" eth0/ipv6.drops.version=1
for t in 0 2 15; do check type_$t "type $t: type" eth0/ipv4.drops.type=1; done

echo "# VRIDs"
check vrid_0 "VRID 0: vrid" eth0/ipv4.drops.vrid=1
check vrid_unconfigured "VRID 200 (not ours): vrid" eth0/ipv4.drops.vrid=1

echo "# priorities from a peer"
check prio_0 "priority 0 to a Master (RFC 5798 6.4.3): received, no state change" VI_A.adverts_received=1
check prio_255 "priority 255 to a Master: Backup, then Master again after Master_Down_Interval" \
	VI_3.adverts_received=1 VI_3.transitions=2 VI_3.became_master=1

echo "# intervals"
check v3_interval_0 "v3 Max Adver Int 0, higher priority: Backup with our own interval, Master again (no flapping)" \
	VI_3.adverts_received=1 VI_3.transitions=2 VI_3.became_master=1
check v3_interval_other "v3 other interval (RFC 5798: learnt, not checked): received" VI_3.adverts_received=1
check v2_interval_0 "v2 Adver Int 0 (RFC 3768 7.1: must match): interval" VI_2.drops.interval=1
check v2_interval_other "v2 Adver Int 2 s against our 1 s: interval" VI_2.drops.interval=1

echo "# checksums"
check cksum_bit_v3 "v3 checksum off by one bit: checksum" eth0/ipv4.drops.checksum=1
check cksum_bit_v2 "v2 checksum off by one bit: checksum" eth0/ipv4.drops.checksum=1
check cksum_bit_v6 "IPv6 checksum off by one bit: checksum" eth0/ipv6.drops.checksum=1
check cksum_rfc9568_to_rfc5798 "RFC 9568 style to a v3_checksum: rfc5798 instance: checksum" VI_3.drops.checksum=1
check cksum_rfc9568_to_auto "RFC 9568 style to a v3_checksum: auto instance: received" VI_A.adverts_received=1
check cksum_rfc5798_to_auto "RFC 5798 style to the auto instance: received" VI_A.adverts_received=1

echo "# v2 authentication (RFC 3768 7.1 / RFC 2338 5.3.6.1)"
check auth_wrong_password "wrong password: auth" VI_2.drops.auth=1
check auth_type_none "auth type 0 to a password instance: auth" VI_2.drops.auth=1
check auth_type_ah "auth type 2 (AH): auth" VI_2.drops.auth=1

echo "# reserved bits, address counts, duplicates"
check reserved_bits "v3 reserved bits set (RFC 5798 5.2.5: ignored): received" VI_3.adverts_received=1
check count_0 "address count 0: addr_count" eth0/ipv4.drops.addr_count=1
check count_255_full "address count 255 with 255 addresses: received, address mismatch counted" \
	VI_3.adverts_received=1 VI_3.address_mismatches=1
check count_255_one_addr "address count 255 with one address: length" eth0/ipv4.drops.length=1
check count_1_two_addrs "address count 1 with two addresses: length" eth0/ipv4.drops.length=1
check duplicate_addrs "our VIP listed twice: received, same set (no mismatch)" VI_3.adverts_received=1

echo "# unicast and multicast"
check mcast_to_unicast_stranger "multicast advert from a non-peer to the unicast instance: not_peer" VI_U.drops.not_peer=1
check mcast_to_unicast_peer "multicast advert from the unicast peer: received (the peer list is about sources)" \
	VI_U.adverts_received=1
check unicast_to_mcast "unicast advert to the multicast instance (RFC 5798 7.1 checks no destination): received" \
	VI_3.adverts_received=1
check unicast_not_peer "unicast advert from a non-peer: not_peer" VI_U.drops.not_peer=1
check own_advert "our own source address, kernel defaults: dropped by the kernel (martian source)"
nsx r1 sysctl -qw net.ipv4.conf.eth0.accept_local=1 net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.eth0.rp_filter=0
check own_advert "our own advert looped back (accept_local=1): own" VI_3.drops.own=1
nsx r1 sysctl -qw net.ipv4.conf.eth0.accept_local=0

# gap_ok SRC VRID FROM TO LIMIT_S: max gap between SRC's adverts for VRID in the
# capture window [FROM, TO] stays below LIMIT_S; prints the gap
gap() {
	tcpdump -r "$WORK/cap.pcap" -n -tt 2>/dev/null | python3 -c '
import sys
src, vrid, t0, t1 = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4])
ts = []
for l in sys.stdin:
    f = l.split()
    if len(f) > 8 and f[2] == src and ("vrid " + vrid + ",") in l and "prio 0," not in l:
        ts.append(float(f[0]))
# the adverts just before and just after the window bound its first and
# last gap, so a 1 s instance in a short window is still measured
before = [t for t in ts if t < t0][-1:]
after = [t for t in ts if t > t1][:1]
w = before + [t for t in ts if t0 <= t <= t1] + after
print("%.3f" % max((b - a for a, b in zip(w, w[1:])), default=99), len(w))
' "$1" "$2" "$3" "$4"
}
schedule_kept() {
	local t0=$1 t1=$2 name g
	sleep 1.2   # the 1 s instances' next advert after the window lands in the capture
	for spec in VI_3:51:0.15 VI_B:56:0.15 VI_A:55:1.5 VI_2:52:1.5; do
		IFS=: read -r name vrid lim <<<"$spec"
		read -r g n <<<"$(gap 192.168.0.1 "$vrid" "$t0" "$t1")"
		echo "#   $name: max gap ${g}s over $n adverts (limit ${lim}s)"
		ok "$name keeps its advert schedule (max gap ${g}s < ${lim}s)" python3 -c "import sys; sys.exit(not $g < $lim)"
	done
}

echo "# a flood of 10,000 valid adverts for VRID 51 in one burst"
# instance field from status --json (adverts_sent moves on its own: not in st)
inst_field() {
	"$HALOCTL" --run-dir "$WORK/r1/run" status --json | python3 -c "import json, sys
d = json.load(sys.stdin); d = d.get('vrrp', d)
print([i for i in d['instances'] if i['name'] == '$1'][0]['$2'])"
}
s0=$(inst_field VI_3 adverts_sent); q0=$(inst_field VI_3 immediate_adverts_suppressed)
a0=$(inst_field VI_3 immediate_adverts_sent); ts0=$(date +%s.%N)
st snap "$WORK/before.json"
t0=$(date +%s.%N); craft flood_valid 10000; t1=$(date +%s.%N)
echo "#   burst sent in $(python3 -c "print('%.0f ms' % ((float('$t1') - float('$t0')) * 1000))")"
sleep 1.5
rcvd=$(( $(st get VI_3.adverts_received) - $(python3 -c "import json; print(json.load(open('$WORK/before.json'))['VI_3.adverts_received'])") ))
echo "#   VI_3 received $rcvd of 10000 (the rest overflowed the socket buffer in the kernel)"
ok "flood: received and handled (> 0, <= 10000)" test "$rcvd" -gt 0 -a "$rcvd" -le 10000
ok "flood: no state change in any instance" python3 "$HERE/status.py" "$HALOCTL" "$WORK/r1/run" expect "$WORK/before.json" \
	VI_3.adverts_received=$rcvd
ok "flood: halo-vrrpd still running" alive
# the flood is of lower priority (50 < 100): RFC 9568 answers each with an
# immediate advert; halo answers at most one per Advertisement_Interval
s1=$(inst_field VI_3 adverts_sent); q1=$(inst_field VI_3 immediate_adverts_suppressed)
a1=$(inst_field VI_3 immediate_adverts_sent); ts1=$(date +%s.%N)
lim=$(python3 -c "print(int(2 * (float('$ts1') - float('$ts0')) / 0.1) + 3)")
echo "#   VI_3 sent $((s1 - s0)) adverts meanwhile (periodic + at most one answer per 100 ms: <= $lim), $((q1 - q0)) answers suppressed"
ok "flood: answers capped, not one per advert ($((s1 - s0)) sent <= $lim)" test $((s1 - s0)) -le "$lim"
# every flood advert VI_3 took in was either answered or counted as not
ok "flood: each received advert answered or counted ($((a1 - a0)) answered + $((q1 - q0)) suppressed = $rcvd)" \
	test $((a1 - a0 + q1 - q0)) -eq "$rcvd"
ok "flood: answers at most one per interval ($((a1 - a0)) <= $lim / 2)" test $((a1 - a0)) -le $((lim / 2))
sleep 0.5    # let tcpdump write the window out
schedule_kept "$(python3 -c "print(float('$t0') - 0.3)")" "$(python3 -c "print(float('$t1') + 1.0)")"

echo "# floods of 10,000 invalid packets: counted, log rate-limited"
for c in flood_invalid_ttl:VI_3.drops.ttl flood_invalid_cksum:eth0/ipv4.drops.checksum; do
	IFS=: read -r case key <<<"$c"
	lines0=$(grep -c "dropped" "$WORK/r1/vrrpd.log")
	st snap "$WORK/before.json"
	n0=$(st get "$key")
	t0=$(date +%s.%N); craft "$case" 10000; t1=$(date +%s.%N)
	sleep 1.5
	n=$(( $(st get "$key") - n0 ))
	lines=$(( $(grep -c "dropped" "$WORK/r1/vrrpd.log") - lines0 ))
	echo "#   $case: $n drops counted under $key, $lines log lines"
	ok "$case: drops counted ($n > 0)" test "$n" -gt 0
	ok "$case: log rate-limited ($lines lines <= 6 for $n drops)" test "$lines" -le 6
	ok "$case: nothing else changed (no transition, no other reason)" st expect "$WORK/before.json" "$key=$n"
	sleep 0.5
	schedule_kept "$(python3 -c "print(float('$t0') - 0.3)")" "$(python3 -c "print(float('$t1') + 1.0)")"
done

# RFC 5798 6.4.3: a Master answering a priority 0 advert sends one at once
pz=$(tcpdump -r "$WORK/cap.pcap" -n -tt 2>/dev/null | python3 -c '
import sys
t0 = None
for l in sys.stdin:
    f = l.split()
    if len(f) < 3: continue
    if f[2] == "192.168.0.9" and "vrid 55," in l and "prio 0," in l and t0 is None:
        t0 = float(f[0])
    elif t0 is not None and f[2] == "192.168.0.1" and "vrid 55," in l:
        print("%.0f" % ((float(f[0]) - t0) * 1000)); break
')
echo "#   r1's next VI_A advert came ${pz:-?} ms after the priority 0 advert (interval 1000 ms)"
ok "priority 0 to a Master: it advertises at once (${pz:-?} ms < 100 ms)" test "${pz:-9999}" -lt 100

ok "halo-vrrpd survived every case" alive
for i in VI_3 VI_2 VI_U VI_6 VI_A VI_B; do ok "$i is MASTER at the end" state_is r1 $i MASTER; done
finish
