#!/usr/bin/env bash
# authentication type hmac (a halo extension: keepalived 2.2.7 in Debian 12
# has no auth_hmac, so this is halo-to-halo): adverts carry an HMAC-SHA256
# trailer; a router with another secret is ignored and counted even with a
# higher priority; a captured advert replayed later is refused; key rotation
# (two keys accepted, the new one sent) keeps the pair together.
#
#   r1 (100) eth0 192.168.0.1 ─┐
#   r2 (90)  eth0 192.168.0.2 ─┼─ br0      VIP 192.168.0.100, VRRPv3
#   r3 (200) eth0 192.168.0.3 ─┘  (wrong secret, then replays r1's advert)
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/common.sh"
need_root
LAN_NAMES=(r1 r2 r3); make_lan "${LAN_NAMES[@]}"
addr r1 192.168.0.1; addr r2 192.168.0.2; addr r3 192.168.0.3
auth() {  # KEYS SEND
	echo "      authentication: { type: hmac, keys: [ $1 ], send_key: $2 }"
}
K1='{ id: 1, secret: "correct horse battery" }'
K2='{ id: 2, secret: "staple of the new key" }'
drops_auth() { status_field "$1" VI_1 drops.auth; }

start_vrrpd r1 "$(conf r1 100 extra="$(auth "$K1" 1)")"
start_vrrpd r2 "$(conf r2 90 extra="$(auth "$K1" 1)")"
expect_wait 5 "r1 MASTER" state_is r1 VI_1 MASTER
expect_wait 5 "r2 BACKUP" state_is r2 VI_1 BACKUP
sleep 0.5
ok "r2 accepts r1's signed adverts" test "$(status_field r2 VI_1 adverts_received)" -gt 3
ok "r2 dropped none for auth" test "$(drops_auth r2)" -eq 0
nsx r2 timeout 2 tcpdump -c 1 -w "$WORK/adv.pcap" -i eth0 'ip proto 112 and src 192.168.0.1' 2>/dev/null
ok "an advert is 12 + 28 bytes of VRRP payload (message and trailer)" bash -c "tcpdump -r $WORK/adv.pcap -n -v 2>/dev/null | grep -q 'length 60'"

# r3 with another secret and priority 200: ignored
start_vrrpd r3 "$(conf r3 200 extra="$(auth '{ id: 1, secret: "not the right secret" }' 1)")"
gt() { [ "$(drops_auth "$1")" -gt "$2" ]; }
expect_wait 5 "r2 counts r3's adverts as auth drops" gt r2 3
ok "r2 stays BACKUP under r1" state_is r2 VI_1 BACKUP
ok "r1 stays MASTER" state_is r1 VI_1 MASTER
ok "the drop is logged with its reason" grep -q "reason=auth" "$WORK/r2/vrrpd.log"
kill -TERM "$(vrrpd_pid r3)"; wait_for 3 "r3 stopped" bash -c "! kill -0 $(vrrpd_pid r3)"

# replay: r3 sends r1's captured advert again, 7 s (70 adverts) later
sleep 6
before=$(drops_auth r2)
nsx r3 python3 - "$WORK/adv.pcap" <<'PY'
import socket, struct, sys
data = open(sys.argv[1], "rb").read()
hdr = 24 + 16                         # pcap global header + record header
frame = data[hdr:]
ip = frame[14:]                       # Ethernet -> IPv4 datagram
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind(("eth0", 0))
for _ in range(3):
    s.send(frame[:14 + struct.unpack("!H", ip[2:4])[0]])
PY
after_is() { [ "$(drops_auth r2)" -ge $((before + 3)) ]; }
# byte-identical copies of an advert r2 accepted: only the sequence check
# can refuse them (the drop log line itself is rate limited after r3's)
expect_wait 3 "three replays of an old advert are refused" after_is
ok "r2 still BACKUP" state_is r2 VI_1 BACKUP

# key rotation: both accept keys 1 and 2; r1 sends with 2, then r2 too
c1=$(conf r1 100 extra="$(auth "$K1, $K2" 2)")
kill -HUP "$(vrrpd_pid r1)"
sleep 0.5
c2=$(conf r2 90 extra="$(auth "$K1, $K2" 2)")
kill -HUP "$(vrrpd_pid r2)"
before=$(drops_auth r2)
sleep 1
ok "rotation: no auth drops while keys change" test "$(drops_auth r2)" -eq "$before"
ok "rotation: r1 still MASTER" state_is r1 VI_1 MASTER
ok "rotation: r2 still BACKUP" state_is r2 VI_1 BACKUP
finish
