#!/usr/bin/env bash
# tshark, an independent dissector, reads halo's adverts of every kind (v2
# with auth, v3 IPv4 with either checksum style, v3 IPv6), its gratuitous
# ARPs and unsolicited NAs: no malformed packet, every checksum correct.
#
#   r1 (halo, MASTER alone) ─┐
#                             ├─ br0
#   obs (tcpdump -w)        ─┘
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/common.sh"
need_root
command -v tshark >/dev/null || { echo "tshark is not installed (tests/run.sh installs it)"; exit 1; }
LAN_NAMES=(r1 obs); make_lan "${LAN_NAMES[@]}"
addr r1 192.168.0.1 2001:db8::1; addr obs 192.168.0.9 2001:db8::9

adverts_sent_ge() { local n; n=$(status_field "$1" VI_1 adverts_sent); [ "${n:-0}" -ge "$2" ]; }

# capture LABEL CONFIG: runs r1 alone for a moment and captures what it sends
capture() {
	local label=$1 c=$2 pcap="$WORK/$1.pcap"
	PCAP=$pcap
	nsx obs tcpdump -U -n -i eth0 -w "$pcap" 'ip proto 112 or ip6 proto 112 or arp or icmp6' 2>/dev/null &
	local tp=$!; PIDS+=("$tp")
	wait_for 3 "tcpdump ready" test -s "$pcap"
	start_vrrpd r1 "$c"
	wait_for 5 "r1 MASTER" state_is r1 VI_1 MASTER
	# two adverts on the wire before the stop (with 1 s adverts a fixed
	# 0.5 s left one, and the ASan build once captured only that one)
	wait_for 5 "r1 sent 2 adverts" adverts_sent_ge r1 2
	sleep 0.2
	kill -TERM "$(vrrpd_pid r1)"; wait_for 3 "r1 stopped" bash -c "! kill -0 $(vrrpd_pid r1)"
	rm -rf "$WORK/r1/run"
	sleep 0.2; kill "$tp"; wait "$tp" 2>/dev/null
}

check_pcap() {
	local label=$1 pcap=$2 filter=$3 want=$4; shift 4
	local out="$WORK/$label.txt"
	tshark -r "$pcap" -V "$@" -Y "$filter" >"$out" 2>&1
	local n; n=$(grep -c "^Frame " "$out")
	ok "$label: tshark sees packets ($n frames)" test "$n" -ge 2
	ok "$label: no malformed packet" bash -c "! grep -qi malformed $out"
	ok "$label: no incorrect checksum" bash -c "! grep -qiE 'incorrect|\\[bad\\]' $out"
	ok "$label: $want" grep -q "$want" "$out"
}

capture v2 "$(conf r1 100 version=2 interval=1s auth=pw123)"; p=$PCAP
check_pcap v2 "$p" vrrp "Authentication String: pw123" -o vrrp.v3_checksum_as_in_v2:FALSE
ok "v2: checksum marked correct" grep -q "Checksum: 0x[0-9a-f]* \[correct\]" "$WORK/v2.txt"
capture v3-pseudo "$(conf r1 100 checksum=rfc5798)"; p=$PCAP
check_pcap v3-pseudo "$p" vrrp "Checksum: 0x[0-9a-f]* \[correct\]"
capture v3-9568 "$(conf r1 100 checksum=rfc9568)"; p=$PCAP
check_pcap v3-9568 "$p" vrrp "Checksum: 0x[0-9a-f]* \[correct\]" -o vrrp.v3_checksum_as_in_v2:TRUE
ok "v3-9568: wrong under the pseudo-header rule (the styles really differ)" bash -c "tshark -r $p -V -Y vrrp 2>&1 | grep -q 'incorrect'"
ok "gratuitous ARP for the VIP" bash -c "tshark -r $WORK/v3-pseudo.pcap -Y 'arp.isgratuitous == 1 && arp.src.proto_ipv4 == 192.168.0.100' 2>/dev/null | grep -q ."
capture v3-ipv6 "$(conf r1 100 vip=2001:db8::100/64)"; p=$PCAP
check_pcap v3-ipv6 "$p" vrrp "Checksum: 0x[0-9a-f]* \[correct\]"
ok "v3-ipv6: adverts come from the link-local address" bash -c "tshark -r $p -Y vrrp -T fields -e ipv6.src 2>/dev/null | grep -q '^fe80::'"
ok "v3-ipv6: hop limit 255" bash -c "tshark -r $p -Y vrrp -T fields -e ipv6.hlim 2>/dev/null | sort -u | grep -qx 255"
check_pcap una "$p" "icmpv6.type == 136" "Target Address: 2001:db8::100"
ok "una: Override flag set" bash -c "tshark -r $p -V -Y 'icmpv6.type == 136' 2>/dev/null | grep -q 'Override: Set'"
finish
