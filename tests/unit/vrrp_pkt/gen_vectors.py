#!/usr/bin/env python3
"""Derives the known-answer VRRP vectors of test_vrrp_pkt.c independently of
the C codec (plain RFC 1071 arithmetic); run it to print them again. Not part
of the build: tshark (vrrp_pkt_tshark.sh) is the oracle that checks them."""
import ipaddress
import struct


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def pseudo(src, dst, length):
    s, d = ipaddress.ip_address(src), ipaddress.ip_address(dst)
    if s.version == 4:
        return s.packed + d.packed + struct.pack("!BBH", 0, 112, length)
    return s.packed + d.packed + struct.pack("!IxxxB", length, 112)


def vrrp(ver, vrid, prio, addrs, intv, src=None, dst=None, ps=False, auth=None):
    a = b"".join(ipaddress.ip_address(x).packed for x in addrs)
    if ver == 2:
        hdr = struct.pack("!BBBBBBH", 0x21, vrid, prio, len(addrs), 1 if auth else 0, intv, 0)
        msg = hdr + a + (auth or b"").ljust(8, b"\0")
    else:
        hdr = struct.pack("!BBBBHH", 0x31, vrid, prio, len(addrs), intv, 0)
        msg = hdr + a
    c = csum((pseudo(src, dst, len(msg)) if ps else b"") + msg)
    return msg[:6] + struct.pack("!H", c) + msg[8:]


def show(name, b):
    print("/* %s */" % name)
    for i in range(0, len(b), 8):
        print("\t" + " ".join("0x%02x," % x for x in b[i:i + 8]))


show("v2 pass", vrrp(2, 51, 100, ["192.168.0.100"], 1, auth=b"1111"))
show("v2 none", vrrp(2, 1, 255, ["10.0.0.1", "10.0.0.2"], 3))
show("v3 ipv4 pseudo", vrrp(3, 51, 100, ["192.168.0.100"], 100,
                            "192.168.0.107", "224.0.0.18", ps=True))
show("v3 ipv4 rfc9568", vrrp(3, 52, 150, ["192.168.0.100", "192.168.0.101"], 10))
show("v3 ipv6", vrrp(3, 7, 200, ["fe80::1", "2001:db8::100"], 4095,
                     "fe80::a8bb:ccff:fedd:eeff", "ff02::12", ps=True))


def una(mac, vip, src, router):
    body = struct.pack("!BBHB3x", 136, 0, 0, 0x20 | (0x80 if router else 0))
    body += ipaddress.ip_address(vip).packed + bytes([2, 1]) + mac
    ps = ipaddress.ip_address(src).packed + ipaddress.ip_address("ff02::1").packed
    ps += struct.pack("!IxxxB", len(body), 58)
    return body[:2] + struct.pack("!H", csum(ps + body)) + body[4:]


show("una", una(bytes([0, 0, 0x5e, 0, 2, 7]), "2001:db8::100", "fe80::a8bb:ccff:fedd:eeff", True))
