#!/bin/sh
# tshark as an independent oracle for the VRRP codec: the known-answer vectors,
# as vrrp_pkt_build and the GARP/NA builders produce them, must decode with
# correct checksums, no Malformed/incorrect marks, and the expected fields.
# Usage: vrrp_pkt_tshark.sh PCAP_GENERATOR OUTDIR   (exit 77 = skipped)
set -u

gen=$1
out=$2

if ! command -v tshark >/dev/null 2>&1; then
	echo "SKIP: tshark is not installed (apt-get install tshark); VRRP vectors not cross-checked"
	exit 77
fi
mkdir -p "$out" || exit 1
main=$out/main.pcap
v9568=$out/rfc9568.pcap
rm -f "$main" "$v9568"
"$gen" "$main" "$v9568" || { echo "FAIL: $gen could not write the vectors"; exit 1; }

fail=0
# tshark writes "Running as user root" notes to stderr; keep them out of the way
ts() { tshark -n -o ip.check_checksum:TRUE "$@" 2>"$out/tshark.err"; }

# check_frames NAME FILE EXPECT [tshark options]: EXPECT is "N=tag+tag ..."
# per frame; every listed tag must be seen in that frame, no frame may carry
# a Malformed / incorrect / bad-checksum mark, and the frame count must match.
check_frames() {
	name=$1 file=$2 expect=$3
	shift 3
	ts -r "$file" -V "$@" >"$out/$name.txt" || { echo "FAIL: tshark on $file"; cat "$out/tshark.err"; fail=1; return; }
	awk -v expect="$expect" -v name="$name" '
	/^Frame [0-9]+:/ { n = $2; sub(":", "", n); frames = n; layer = ""; next }
	/^[A-Za-z]/ { layer = $0 }
	/Malformed|incorrect|[Bb]ad [Cc]hecksum|Expert Info \((Warning|Error)/ { bad[n] = bad[n] "\n    " $0 }
	layer ~ /^Internet Protocol Version 4/ && /Header Checksum: 0x[0-9a-f]+ \[correct\]/ { tag[n] = tag[n] " ip4ck" }
	layer ~ /^Virtual Router Redundancy Protocol/ {
		if ($0 ~ /^    Checksum: 0x[0-9a-f]+ \[correct\]/) tag[n] = tag[n] " vrrpck"
	}
	layer ~ /^Address Resolution Protocol/ {
		if ($0 ~ /Opcode: request \(1\)/) tag[n] = tag[n] " arpreq"
		if ($0 ~ /Target MAC address: .*00:00:00:00:00:00/) tag[n] = tag[n] " tha0"
	}
	layer ~ /^Internet Control Message Protocol v6/ {
		if ($0 ~ /^    Checksum: 0x[0-9a-f]+ \[correct\]/) tag[n] = tag[n] " icmp6ck"
		if ($0 ~ /Type: Neighbor Advertisement \(136\)/) tag[n] = tag[n] " na"
		if ($0 ~ /Override: Set/) tag[n] = tag[n] " override"
		if ($0 ~ /Type: Target link-layer address \(2\)/) tag[n] = tag[n] " tlla"
	}
	END {
		ok = 1
		cnt = split(expect, want, " ")
		if (frames != cnt) { printf "FAIL %s: %d frames, expected %d\n", name, frames, cnt; ok = 0 }
		for (i = 1; i <= cnt; i++) {
			split(want[i], kv, "=")
			f = kv[1]
			good = 1
			nt = split(kv[2], tags, "+")
			for (j = 1; j <= nt; j++)
				if (index(tag[f] " ", " " tags[j] " ") == 0) {
					printf "FAIL %s frame %s: no %s (saw:%s)\n", name, f, tags[j], tag[f]; good = 0
				}
			if (bad[f] != "") { printf "FAIL %s frame %s: marked%s\n", name, f, bad[f]; good = 0 }
			if (good) printf "ok   %s frame %s:%s\n", name, f, tag[f]
			else ok = 0
		}
		exit ok ? 0 : 1
	}' "$out/$name.txt" || fail=1
}

# check_fields NAME FILE EXPECTED_FILE FIELDS...: tshark's decoded values
check_fields() {
	name=$1 file=$2 expected=$3
	shift 3
	args=""
	for f in "$@"; do args="$args -e $f"; done
	# shellcheck disable=SC2086
	ts -r "$file" -T fields -E separator='|' -E occurrence=a -E aggregator=';' $args >"$out/$name.fields"
	if diff -u "$expected" "$out/$name.fields"; then
		echo "ok   $name fields"
	else
		echo "FAIL $name: decoded fields differ (expected first)"
		fail=1
	fi
}

V=vrrp
check_frames main "$main" \
	"1=ip4ck+vrrpck 2=ip4ck+vrrpck 3=ip4ck+vrrpck 4=vrrpck 5=arpreq+tha0 6=icmp6ck+na+override+tlla"
check_frames rfc9568 "$v9568" "1=ip4ck+vrrpck" -o vrrp.v3_checksum_as_in_v2:TRUE

# The oracle must be able to say no: the RFC 9568 vector read with tshark's
# default (pseudo-header) expectation has to be flagged.
ts -r "$v9568" -V >"$out/rfc9568-default.txt"
if grep -q 'Checksum: 0x[0-9a-f]* incorrect' "$out/rfc9568-default.txt"; then
	echo "ok   rfc9568 vector flagged incorrect under tshark's default (pseudo-header) rule"
else
	echo "FAIL: tshark did not flag the RFC 9568 checksum under its default rule"
	fail=1
fi

cat >"$out/vrrp.expected" <<'EOF'
2|51|100|1|1|1||192.168.0.100||1111
2|1|255|2|0|3||10.0.0.1;10.0.0.2||
3|51|100|1|||100|192.168.0.100||
3|7|200|2|||4095||fe80::1;2001:db8::100|
|||||||||
|||||||||
EOF
check_fields vrrp "$main" "$out/vrrp.expected" $V.version $V.virt_rtr_id $V.prio \
	$V.addr_count $V.auth_type $V.adver_int $V.short_adver_int $V.ip_addr $V.ipv6_addr $V.auth_string

cat >"$out/nd.expected" <<'EOF'
||||||||||
||||||||||
||||||||||
||||||||||
1|00:00:5e:00:01:33|192.168.0.100|00:00:00:00:00:00|192.168.0.100||||||
|||||136|0|1|0|1|2001:db8::100
EOF
check_fields nd "$main" "$out/nd.expected" arp.opcode arp.src.hw_mac arp.src.proto_ipv4 \
	arp.dst.hw_mac arp.dst.proto_ipv4 icmpv6.type icmpv6.code icmpv6.nd.na.flag.r \
	icmpv6.nd.na.flag.s icmpv6.nd.na.flag.o icmpv6.nd.na.target_address

cat >"$out/v9568.expected" <<'EOF'
3|52|150|2|10|192.168.0.100;192.168.0.101
EOF
check_fields v9568 "$v9568" "$out/v9568.expected" $V.version $V.virt_rtr_id $V.prio \
	$V.addr_count $V.short_adver_int $V.ip_addr

[ "$fail" = 0 ] && echo "PASS: tshark agrees with every VRRP/GARP/NA vector"
exit "$fail"
