#!/usr/bin/env bash
# halo-checker's datagram kinds in network namespaces: dns against dnsmasq,
# udp with and without an expected reply against small python servers, and
# ping over IPv4 and IPv6 (raw ICMP sockets opened before dropping to nobody).
# Each goes down, answers wrong where that exists, and comes back, seen on
# the subscriber socket.
#
#   +---------------------------+            +-----------------------------------+
#   | chk-SFX                   |    veth    | srv-SFX                           |
#   |  halo-checker (nobody)    |  eth0      |  eth0 10.77.0.3 dnsmasq :53       |
#   |  ctl.py subscriber        |------------|               udp :9000 (PING/PONG)|
#   |  eth0 10.77.0.1/24        |            |               udp :9001 (silent)  |
#   |       fd00:77::1/64       |            |       10.77.0.5, fd00:77::5 (ping)|
#   +---------------------------+            +-----------------------------------+
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../lib.sh"
need_root
CHECKER=${CHECKER:-$BUILD/checker/halo-checker}
[ -x "$CHECKER" ] || { echo "no $CHECKER (build first)"; exit 1; }
command -v dnsmasq >/dev/null || { echo "SKIP: dnsmasq not installed"; exit $KSFT_SKIP; }
chmod 755 "$WORK"
CTL="python3 $here/ctl.py"
SRVPY="python3 $here/servers.py"
F=$WORK/flags
mkdir -p "$F" "$WORK/chk"
chmod 755 "$F" "$WORK/chk"

CHK=$(ns_name chk)
SRV=$(ns_name srv)
ip netns add "$CHK"; NSES+=("$CHK")
ip netns add "$SRV"; NSES+=("$SRV")
ip link add "c-$SUFFIX" netns "$CHK" type veth peer name "s-$SUFFIX" netns "$SRV"
ip -n "$CHK" link set "c-$SUFFIX" name eth0
ip -n "$SRV" link set "s-$SUFFIX" name eth0
for ns in "$CHK" "$SRV"; do ip -n "$ns" link set lo up; ip -n "$ns" link set eth0 up; done
ip -n "$CHK" addr add 10.77.0.1/24 dev eth0
ip -n "$CHK" addr add fd00:77::1/64 dev eth0 nodad
ip -n "$SRV" addr add 10.77.0.3/24 dev eth0
ip -n "$SRV" addr add 10.77.0.5/24 dev eth0
ip -n "$SRV" addr add fd00:77::5/64 dev eth0 nodad

echo "10.77.0.2 rs.test" >"$WORK/hosts"
DNS_PID=
start_dns() {
	ip netns exec "$SRV" dnsmasq --no-daemon --no-resolv --no-hosts --bind-interfaces \
		--listen-address=10.77.0.3 --port=53 --local=/test/ --addn-hosts="$WORK/hosts" \
		--user=root --group=root --pid-file="$WORK/dnsmasq.pid" >>"$WORK/dnsmasq.log" 2>&1 &
	DNS_PID=$!
	PIDS+=("$DNS_PID")
	wait_for 10 "dnsmasq listens" ip netns exec "$SRV" ss -uln sport = :53 -H | grep -q 10.77.0.3
}
UDP_PID=
start_udp() {
	ip netns exec "$SRV" $SRVPY udp 10.77.0.3 9000 "$F" >>"$WORK/udp.log" 2>&1 &
	UDP_PID=$!
	PIDS+=("$UDP_PID")
	wait_for 10 "udp server" bash -c "ip netns exec $SRV ss -uln -H | grep -q 10.77.0.3:9000"
}
stop_pid() {
	kill "$1" 2>/dev/null
	wait_for 10 "pid $1 exits" bash -c "! kill -0 $1 2>/dev/null"
}
start_dns
start_udp
ip netns exec "$SRV" $SRVPY udpsilent 10.77.0.3 9001 "$F" >>"$WORK/udp.log" 2>&1 &
SILENT_PID=$!
PIDS+=("$SILENT_PID")

CONF=$WORK/chk/halo.yaml
cat >"$CONF" <<YAML
global: { router_id: chk, checker_user: nobody }
virtual_servers:
  - address: 192.168.0.100
    port: 53
    protocol: udp
    real_servers:
      - { address: 10.77.0.3, port: 53, check: { dns: { name: rs.test, type: A }, interval: 300ms, timeout: 500ms, retry: 0 } }
      - { address: 10.77.0.3, port: 9000, check: { udp: { payload: PING, expect: PONG }, interval: 300ms, timeout: 500ms, retry: 0 } }
      - { address: 10.77.0.3, port: 9001, check: { udp: { payload: PING }, interval: 300ms, timeout: 300ms, retry: 0 } }
      - { address: 10.77.0.5, port: 53, check: { ping: {}, interval: 300ms, timeout: 500ms, retry: 0 } }
  - address: "fd00:ff::100"
    port: 53
    protocol: udp
    real_servers:
      - { address: "fd00:77::5", port: 53, check: { ping: {}, interval: 300ms, timeout: 500ms, retry: 0 } }
YAML
chmod 644 "$CONF"
ok "-n accepts the configuration" "$CHECKER" -n -f "$CONF"
RUN=$WORK/run
LOG=$WORK/chk/checker.log
ip netns exec "$CHK" "$CHECKER" -d -f "$CONF" --run-dir "$RUN" >>"$LOG" 2>&1 &
CHECKER_PID=$!
PIDS+=("$CHECKER_PID")
wait_for 10 "checker socket" test -S "$RUN/halo-checker.sock" || { cat "$LOG"; exit 1; }
SUBOUT=$WORK/chk/sub.jsonl
$CTL sub "$RUN/halo-checker.sock" "$SUBOUT" &
PIDS+=($!)

D='[10.77.0.3]:udp:53'; U='[10.77.0.3]:udp:9000'; Q='[10.77.0.3]:udp:9001'
P4='[10.77.0.5]:udp:53'; P6='[fd00:77::5]:udp:53'
waitrs() { $CTL wait "$SUBOUT" "$1" "$2" "$3" "${4:-15}"; }
expect_rs() { expect_wait 1 "$1: $2 up=$3 reason=$4" waitrs "$2" "$3" "$4" "${5:-15}"; }

for rs in "$D" "$U" "$Q" "$P4" "$P6"; do expect_rs "start" "$rs" true ok; done
capline() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status"; }
ok "checker runs as nobody with no capabilities" \
	[ "$(awk '$1 == "Uid:" { print $2 }' "/proc/$CHECKER_PID/status")-$(capline "$CHECKER_PID" CapEff)-$(capline "$CHECKER_PID" CapPrm)" = "$(id -u nobody)-0000000000000000-0000000000000000" ]

# dns: name removed (NXDOMAIN), server down (port unreachable), back
: >"$WORK/hosts"
kill -HUP "$DNS_PID"
expect_rs "dns NXDOMAIN" "$D" false status
echo "10.77.0.2 rs.test" >"$WORK/hosts"
kill -HUP "$DNS_PID"
expect_rs "dns back" "$D" true ok
stop_pid "$DNS_PID"
expect_rs "dns server down" "$D" false refused
start_dns
expect_rs "dns server back" "$D" true ok

# udp with an expected reply: wrong reply, down, back
touch "$F/udp-wrong"
expect_rs "udp wrong reply" "$U" false expect_mismatch
rm "$F/udp-wrong"
expect_rs "udp back" "$U" true ok
stop_pid "$UDP_PID"
expect_rs "udp server down" "$U" false refused
start_udp
expect_rs "udp server back" "$U" true ok

# udp without a reply: silence is fine, a closed port is not
stop_pid "$SILENT_PID"
expect_rs "silent udp server gone" "$Q" false refused
ip netns exec "$SRV" $SRVPY udpsilent 10.77.0.3 9001 "$F" >>"$WORK/udp.log" 2>&1 &
PIDS+=($!)
expect_rs "silent udp server back" "$Q" true ok

# ping v4 and v6: address removed, back
ip -n "$SRV" addr del 10.77.0.5/24 dev eth0
expect_rs "ping v4 target gone" "$P4" false '*'
ip -n "$SRV" addr add 10.77.0.5/24 dev eth0
expect_rs "ping v4 back" "$P4" true ok
ip -n "$SRV" addr del fd00:77::5/64 dev eth0
expect_rs "ping v6 target gone" "$P6" false '*'
ip -n "$SRV" addr add fd00:77::5/64 dev eth0 nodad
expect_rs "ping v6 back" "$P6" true ok
ok "log names the ping removal" grep -qF "Removing service $P4 from VS [192.168.0.100]:udp:53 reason=" "$LOG"
finish
