#!/usr/bin/env python3
"""VRRP packet crafter for the bad-input suite: builds each case byte by byte
(Ethernet, IPv4/IPv6 header, VRRP message, every checksum computed here, not
by halo) and sends the frames on an AF_PACKET socket, so the IP header can lie.
Standard library only.

  craft.py IFACE CASE [COUNT]     send CASE's frames COUNT times (default 1)
  craft.py --check IFACE HALOCTL RUNDIR CASE [KEY=DELTA ...]
                                  snapshot r1's counters, send CASE once, then
                                  require exactly these changes (status.py);
                                  one process per case keeps the suite quick
  craft.py --list                 the case names
  craft.py --selftest             the checksums against the known-answer
                                  vectors of tests/unit/vrrp_pkt/vectors.c
"""
import os
import socket
import struct
import sys

R1_MAC = bytes.fromhex("020000000001")        # make_lan gives r1 02:00:00:00:00:01
R1 = "192.168.0.1"                             # r1's primary address
PEER = "192.168.0.2"                           # x's own address: VI_U's unicast peer
FORGED = "192.168.0.9"                         # nobody's: a stranger on the LAN
SRC6 = "fe80::9"
MCAST4, MCAST6 = "224.0.0.18", "ff02::12"
VIP3 = "192.168.0.100"                         # VI_3's address (vrid 51)


def csum(data):
    """RFC 1071 Internet checksum."""
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def a4(s):
    return socket.inet_pton(socket.AF_INET, s)


def a6(s):
    return socket.inet_pton(socket.AF_INET6, s)


def vrrp(version=3, vtype=1, vrid=51, prio=50, addrs=(VIP3,), naddr=None, interval=10,
         reserved=0, auth_type=None, auth=b"", family=4, src=FORGED, dst=MCAST4,
         style="pseudo", flip=0):
    """A VRRP message. interval: centiseconds for v3 (VI_3's 10 by default), seconds for v2.
    style: 'pseudo' (RFC 5798, IPv4 pseudo-header) or 'plain' (RFC 9568 / v2).
    flip: XOR applied to the correct checksum (one bit = off by one bit)."""
    pack = a4 if family == 4 else a6
    body = b"".join(pack(a) for a in addrs)
    count = len(addrs) if naddr is None else naddr
    if version == 2:
        at = (1 if auth else 0) if auth_type is None else auth_type
        hdr = struct.pack("!BBBBBBH", version << 4 | vtype, vrid, prio, count, at, interval, 0)
        body += auth.ljust(8, b"\0")[:8]
    else:
        hdr = struct.pack("!BBBBHH", (version & 15) << 4 | vtype, vrid, prio, count,
                          (reserved & 15) << 12 | (interval & 0xfff), 0)
    msg = hdr + body
    if family == 6:
        pseudo = a6(src) + a6(dst) + struct.pack("!I3xB", len(msg), 112)
    elif style == "pseudo" and version != 2:
        pseudo = a4(src) + a4(dst) + struct.pack("!xBH", 112, len(msg))
    else:
        pseudo = b""
    ck = csum(pseudo + msg) ^ flip
    return msg[:6] + struct.pack("!H", ck) + msg[8:]


def ipv4(payload, src=FORGED, dst=MCAST4, ttl=255, options=b"", tot_len=None, hdr_flip=0, proto=112):
    ihl = 5 + len(options) // 4
    tot = 4 * ihl + len(payload) if tot_len is None else tot_len
    h = struct.pack("!BBHHHBBH4s4s", 4 << 4 | ihl, 0xc0, tot, 0, 0, ttl, proto, 0, a4(src), a4(dst)) + options
    h = h[:10] + struct.pack("!H", csum(h) ^ hdr_flip) + h[12:]
    return h + payload


def ipv6(payload, src=SRC6, dst=MCAST6, hops=255):
    return struct.pack("!IHBB", 6 << 28, len(payload), 112, hops) + a6(src) + a6(dst) + payload


def eth(packet, dst=None, family=4, pad=b""):
    if dst is None:
        dst = bytes.fromhex("01005e000012") if family == 4 else bytes.fromhex("333300000012")
    src = ETH_SRC
    return dst + src + struct.pack("!H", 0x0800 if family == 4 else 0x86dd) + packet + pad


def v4(src=FORGED, dst=MCAST4, ttl=255, eth_dst=None, pad=b"", options=b"", tot_len=None,
       hdr_flip=0, **kw):
    msg = vrrp(src=src, dst=dst, **kw)
    return eth(ipv4(msg, src=src, dst=dst, ttl=ttl, options=options, tot_len=tot_len,
                    hdr_flip=hdr_flip), dst=eth_dst, pad=pad)


def v6(src=SRC6, dst=MCAST6, hops=255, **kw):
    kw.setdefault("vrid", 54)
    kw.setdefault("addrs", ("fe80::54", "2001:db8::54"))
    msg = vrrp(family=6, src=src, dst=dst, **kw)
    return eth(ipv6(msg, src=src, dst=dst, hops=hops), family=6)


def v2(**kw):
    kw.setdefault("vrid", 52)
    kw.setdefault("addrs", ("192.168.0.101",))
    kw.setdefault("interval", 1)
    kw.setdefault("auth", b"secret1")
    return v4(version=2, style="plain", **kw)


def raw_v4(vrrp_bytes, **kw):
    """An IPv4 frame around arbitrary VRRP bytes (for truncations)."""
    return eth(ipv4(vrrp_bytes, **kw))


HIGH = 254          # above r1's priority 100: accepting it would be a transition
ADDRS_255 = ["192.168.0.%d" % i for i in range(1, 256)]

CASES = {
    # positive controls: the crafter's bytes are right
    "ok_v3": lambda: v4(),
    "ok_v2": lambda: v2(prio=50),
    "ok_v6": lambda: v6(prio=50),
    "ok_unicast": lambda: v4(vrid=53, src=PEER, dst=R1, eth_dst=R1_MAC, addrs=("192.168.0.102",)),
    # short, truncated, IP header lies
    "short_vrrp": lambda: raw_v4(vrrp()[:6]),
    "truncated_addrs": lambda: raw_v4(vrrp(naddr=2)),
    "totlen_cuts_vrrp": lambda: v4(prio=HIGH, tot_len=20 + 8),
    "totlen_beyond_frame": lambda: v4(prio=HIGH, tot_len=20 + 200),
    "totlen_below_ihl": lambda: v4(prio=HIGH, tot_len=12),
    "ip_header_checksum": lambda: v4(prio=HIGH, hdr_flip=1),
    "ip_options": lambda: v4(options=b"\x01\x01\x01\x00"),
    "eth_padding": lambda: v4(pad=bytes(range(40))),
    # TTL / hop limit (RFC 5798 7.1: must be 255)
    "ttl_254": lambda: v4(prio=HIGH, ttl=254),
    "ttl_1": lambda: v4(prio=HIGH, ttl=1),
    "ttl_0": lambda: v4(prio=HIGH, ttl=0),
    "hop_254": lambda: v6(prio=HIGH, hops=254),
    "hop_1": lambda: v6(prio=HIGH, hops=1),
    "hop_0": lambda: v6(prio=HIGH, hops=0),
    # versions
    "version_0": lambda: v4(prio=HIGH, version=0),
    "version_1": lambda: v4(prio=HIGH, version=1),
    "version_4": lambda: v4(prio=HIGH, version=4),
    "version_15": lambda: v4(prio=HIGH, version=15),
    "v2_to_v3": lambda: v2(prio=HIGH, vrid=51, addrs=(VIP3,), auth=b"", auth_type=0),
    "v3_to_v2": lambda: v4(prio=HIGH, vrid=52, addrs=("192.168.0.101",)),
    "v2_over_ipv6": lambda: v6(prio=HIGH, version=2),
    # types
    "type_0": lambda: v4(prio=HIGH, vtype=0),
    "type_2": lambda: v4(prio=HIGH, vtype=2),
    "type_15": lambda: v4(prio=HIGH, vtype=15),
    # VRIDs
    "vrid_0": lambda: v4(prio=HIGH, vrid=0),
    "vrid_unconfigured": lambda: v4(prio=HIGH, vrid=200),
    # priorities from a peer
    "prio_0": lambda: v4(prio=0, vrid=55, addrs=("192.168.0.105",), interval=100),
    "prio_255": lambda: v4(prio=255),
    # intervals
    "v3_interval_0": lambda: v4(prio=HIGH, interval=0),
    "v3_interval_other": lambda: v4(interval=25),
    "v2_interval_0": lambda: v2(prio=HIGH, interval=0),
    "v2_interval_other": lambda: v2(prio=HIGH, interval=2),
    # checksums
    "cksum_bit_v3": lambda: v4(prio=HIGH, flip=0x0100),
    "cksum_bit_v2": lambda: v2(prio=HIGH, flip=0x0001),
    "cksum_bit_v6": lambda: v6(prio=HIGH, flip=0x8000),
    "cksum_rfc9568_to_rfc5798": lambda: v4(prio=HIGH, style="plain"),
    "cksum_rfc9568_to_auto": lambda: v4(vrid=55, addrs=("192.168.0.105",), interval=100, style="plain"),
    "cksum_rfc5798_to_auto": lambda: v4(vrid=55, addrs=("192.168.0.105",), interval=100),
    # v2 authentication
    "auth_wrong_password": lambda: v2(prio=HIGH, auth=b"secret2"),
    "auth_type_none": lambda: v2(prio=HIGH, auth=b"", auth_type=0),
    "auth_type_ah": lambda: v2(prio=HIGH, auth_type=2),
    # reserved bits (RFC 5798 5.2.5: ignored on reception)
    "reserved_bits": lambda: v4(reserved=15),
    # address counts
    "count_0": lambda: v4(prio=HIGH, addrs=()),
    "count_255_full": lambda: v4(addrs=ADDRS_255),
    "count_255_one_addr": lambda: v4(prio=HIGH, naddr=255),
    "count_1_two_addrs": lambda: raw_v4(vrrp(prio=HIGH, addrs=(VIP3, "192.168.0.99"), naddr=1)),
    "duplicate_addrs": lambda: v4(addrs=(VIP3, VIP3)),
    # unicast / multicast
    "mcast_to_unicast_stranger": lambda: v4(prio=HIGH, vrid=53, addrs=("192.168.0.102",)),
    "mcast_to_unicast_peer": lambda: v4(vrid=53, src=PEER, addrs=("192.168.0.102",)),
    "unicast_to_mcast": lambda: v4(dst=R1, eth_dst=R1_MAC),
    "unicast_not_peer": lambda: v4(prio=HIGH, vrid=53, dst=R1, eth_dst=R1_MAC, addrs=("192.168.0.102",)),
    "own_advert": lambda: v4(prio=HIGH, src=R1),
    # floods (sent COUNT times)
    "flood_valid": lambda: v4(),
    "flood_invalid_ttl": lambda: v4(prio=HIGH, ttl=1),
    "flood_invalid_cksum": lambda: v4(prio=HIGH, flip=4),
}


def send(iface, case, count=1):
    global ETH_SRC
    with open("/sys/class/net/%s/address" % iface) as f:
        ETH_SRC = bytes.fromhex(f.read().strip().replace(":", ""))
    frame = CASES[case]()
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((iface, 0))
    s.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4 << 20)
    for _ in range(count):
        s.send(frame)
    s.close()


def selftest():
    """The crafter's checksums must match vectors checked by tshark, so a
    wrong expectation here cannot hide a wrong checksum in halo."""
    src = "192.168.0.107"
    got = [
        vrrp(vrid=0x33, prio=100, interval=100, src=src),
        vrrp(vrid=0x34, prio=150, interval=10, addrs=(VIP3, "192.168.0.101"), src=src, style="plain"),
        vrrp(version=2, vrid=0x33, prio=100, interval=1, auth=b"1111", src=src, style="plain"),
    ]
    want = ["31336401006407b8c0a80064", "31349602000ab6a4c0a80064c0a80065",
            "21336401010156 5bc0a800643131313100000000".replace(" ", "")]
    bad = [(g.hex(), w) for g, w in zip(got, want) if g.hex() != w]
    for g, w in bad:
        print("craft.py selftest: got %s want %s" % (g, w))
    return 1 if bad else 0


def main():
    if sys.argv[1:] == ["--selftest"]:
        return selftest()
    if sys.argv[1:] == ["--list"]:
        print("\n".join(CASES))
        return 0
    if sys.argv[1] == "--check":
        sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
        import status
        iface, haloctl, rundir, case = sys.argv[2:6]
        before = status.flat(haloctl, rundir)
        send(iface, case)
        return status.expect(haloctl, rundir, before, status.want_of(sys.argv[6:]))
    send(sys.argv[1], sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 1)
    return 0


ETH_SRC = b"\0" * 6
if __name__ == "__main__":
    sys.exit(main())
