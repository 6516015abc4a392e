#!/usr/bin/env python3
"""Writes the checked-in seed corpora under fuzz/corpus/<target>/ (run it
again after changing a seed; the files are small and deterministic).
VRRP seeds are the known-answer adverts of tests/unit/vrrp_pkt/vectors.c,
config seeds the golden good files and the example configs."""
import os
import shutil
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
OUT = os.path.join(HERE, "corpus")


def write(target, name, data):
    d = os.path.join(OUT, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())


def ip4(s):
    return bytes(int(x) for x in s.split("."))


def ipv4_header(src, dst, payload_len, ttl=255):
    h = bytearray(struct.pack("!BBHHHBBH4s4s", 0x45, 0xc0, 20 + payload_len, 0, 0, ttl, 112, 0,
                              ip4(src), ip4(dst)))
    s = sum(struct.unpack("!10H", bytes(h)))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    h[10:12] = struct.pack("!H", ~s & 0xffff)
    return bytes(h)


# the vectors of tests/unit/vrrp_pkt/vectors.c (checked there by tshark)
V2_PASS = bytes([0x21, 0x33, 0x64, 0x01, 0x01, 0x01, 0x56, 0x5b, 0xc0, 0xa8, 0x00, 0x64,
                 0x31, 0x31, 0x31, 0x31, 0, 0, 0, 0])
V2_NONE = bytes([0x21, 0x01, 0xff, 0x02, 0x00, 0x03, 0xcb, 0xf5, 0x0a, 0, 0, 1, 0x0a, 0, 0, 2,
                 0, 0, 0, 0, 0, 0, 0, 0])
V3_PSEUDO = bytes([0x31, 0x33, 0x64, 0x01, 0x00, 0x64, 0x07, 0xb8, 0xc0, 0xa8, 0x00, 0x64])
V3_9568 = bytes([0x31, 0x34, 0x96, 0x02, 0x00, 0x0a, 0xb6, 0xa4, 0xc0, 0xa8, 0x00, 0x64,
                 0xc0, 0xa8, 0x00, 0x65])
V3_V6 = bytes([0x31, 0x07, 0xc8, 0x02, 0x0f, 0xff, 0x67, 0xf4] +
              [0xfe, 0x80] + [0] * 13 + [1] + [0x20, 0x01, 0x0d, 0xb8] + [0] * 10 + [1, 0])
V6_SRC = bytes([0xfe, 0x80] + [0] * 6 + [0xa8, 0xbb, 0xcc, 0xff, 0xfe, 0xdd, 0xee, 0xff])
V6_DST = bytes([0xff, 0x02] + [0] * 13 + [0x12])


def vrrp_seeds():
    # flags: bit0 v6, bit1 v3, bits2-3 checksum style, bit4 pass, bit5 ttl, bit6 peers, bit7 own
    v4 = [("v2-pass", 0x30, 1, "192.168.0.107", V2_PASS),
          ("v2-none", 0x20, 3, "10.0.0.3", V2_NONE),
          ("v3-pseudo", 0x22, 100, "192.168.0.107", V3_PSEUDO),
          ("v3-rfc9568", 0x2a, 10, "192.168.0.107", V3_9568),
          ("v3-pseudo-peers", 0xe6, 100, "192.168.0.107", V3_PSEUDO)]
    for name, flags, ival, src, msg in v4:
        write("fuzz_vrrp_pkt", name, bytes([flags, ival]) + ipv4_header(src, "224.0.0.18", len(msg)) + msg)
    # Ethernet padding past the IP total length, and IPv4 options (IHL 6)
    write("fuzz_vrrp_pkt", "v3-padded", bytes([0x22, 100]) +
          ipv4_header("192.168.0.107", "224.0.0.18", len(V3_PSEUDO)) + V3_PSEUDO + bytes(18))
    h = bytearray(ipv4_header("192.168.0.107", "224.0.0.18", len(V3_PSEUDO) + 4))
    h[0] = 0x46
    write("fuzz_vrrp_pkt", "v3-ipopt", bytes([0x22, 100]) + bytes(h) + b"\x01\x01\x01\x00" + V3_PSEUDO)
    write("fuzz_vrrp_pkt", "v3-v6", bytes([0x23, 0xff]) + V6_SRC + V6_DST + bytes([255]) + V3_V6)


def config_seeds():
    for tag in ("tests/config/good", "tests/config/bad", "etc"):
        d = os.path.join(ROOT, tag)
        for f in sorted(os.listdir(d)):
            if not f.endswith(".yaml"):
                continue
            with open(os.path.join(d, f), "rb") as fh:
                text = fh.read()
            name = os.path.basename(tag) + "-" + f
            write("fuzz_config", name, text)
            if not tag.endswith("bad"):
                write("fuzz_config_print", name, text)


def http_seeds():
    cases = {
        "200-length": (0x00, b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"),
        "200-chunked": (0x04, b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                              b"2\r\nok\r\n0\r\nX-T: 1\r\n\r\n"),
        "100-then-200": (0x10, b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n"),
        "404-close": (0x10, b"HTTP/1.0 404 Not Found\r\nServer: x\r\n\r\nnot here"),
        "md5-body": (0x01, b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"),
        "sha-small-cap": (0x22, b"HTTP/1.1 200 OK\r\nContent-Length: 40\r\n\r\n" + b"x" * 40),
        "head": (0x08, b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n"),
        "garbage": (0x00, b"SSH-2.0-OpenSSH_9.2\r\n"),
    }
    for name, (flags, resp) in cases.items():
        write("fuzz_http", name, bytes([flags, 3]) + resp)


def probe_seeds():
    q = struct.pack("!HHHHHH", 0x1234, 0x8180, 1, 1, 0, 0)
    q += b"\x07example\x03com\x00" + struct.pack("!HH", 1, 1)
    q += b"\xc0\x0c" + struct.pack("!HHIH", 1, 1, 60, 4) + bytes([192, 0, 2, 1])
    write("fuzz_probe", "dns-answer", b"\x12\x34" + q)
    write("fuzz_probe", "smtp-multiline", b"\x00\x00" + b"220-mx.example ESMTP\r\n220 ready\r\n")
    icmp = bytearray(struct.pack("!BBHHH", 0, 0, 0, 0x4242, 7) + b"halo")
    write("fuzz_probe", "icmp-echo-reply", b"\x00\x00" + bytes(icmp))
    ip = bytearray(ipv4_header("10.0.0.2", "10.0.0.1", len(icmp)))
    ip[9] = 1
    write("fuzz_probe", "icmp-with-ip", b"\x00\x00" + bytes(ip) + bytes(icmp))


def nla(t, payload):
    n = 4 + len(payload)
    return struct.pack("=HH", n, t) + payload + bytes((4 - n % 4) % 4)


def nlmsg(cmd, attrs, mtype=0x20):
    body = struct.pack("=BBH", cmd, 1, 0) + b"".join(attrs)
    return struct.pack("=IHHII", 16 + len(body), mtype, 2, 1, 0) + body


def ipvs_seeds():
    nested = 1 << 15
    svc = [nla(1, struct.pack("=H", 2)), nla(2, struct.pack("=H", 6)),
           nla(3, ip4("192.168.0.100") + bytes(12)), nla(4, struct.pack("!H", 80)),
           nla(6, b"rr\0"), nla(7, struct.pack("=II", 1, 0xffffffff)),
           nla(8, struct.pack("=I", 50)), nla(9, struct.pack("=I", 0xffffffff)),
           nla(12 | nested, nla(1, struct.pack("=Q", 5)) + nla(4, struct.pack("=Q", 1000)))]
    dst = [nla(1, ip4("10.0.0.2") + bytes(12)), nla(2, struct.pack("!H", 80)),
           nla(3, struct.pack("=I", 3)), nla(4, struct.pack("=I", 1)),
           nla(7, struct.pack("=I", 2)), nla(8, struct.pack("=I", 1)), nla(11, struct.pack("=H", 2))]
    svc_msg = nlmsg(4, [nla(1 | nested, b"".join(svc))])
    write("fuzz_ipvs_msg", "service", svc_msg)
    write("fuzz_ipvs_msg", "dest", nlmsg(8, [nla(1 | nested, b"".join(svc[:4])), nla(2 | nested, b"".join(dst))]))
    fw = [nla(1, struct.pack("=H", 2)), nla(5, struct.pack("=I", 7)), nla(6, b"wrr\0")]
    write("fuzz_ipvs_msg", "fwmark-dump", svc_msg + nlmsg(4, [nla(1 | nested, b"".join(fw))]))
    dmn = [nla(1, struct.pack("=I", 1)), nla(2, b"eth0\0"), nla(3, struct.pack("=I", 51))]
    write("fuzz_ipvs_msg", "daemon", nlmsg(11, [nla(3 | nested, b"".join(dmn))]))
    write("fuzz_ipvs_msg", "timeouts", nlmsg(13, [nla(4, struct.pack("=I", 900)),
                                                  nla(5, struct.pack("=I", 120)), nla(6, struct.pack("=I", 300))]))
    write("fuzz_ipvs_msg", "ctrl-family", nlmsg(1, [nla(2, b"IPVS\0"), nla(1, struct.pack("=H", 0x1d))], 0x10))


def ipc_seeds():
    write("fuzz_ipc", "checker", '{"type":"snapshot","real_servers":[{"vs":"[192.168.0.100]:tcp:80",'
          '"rs":"[10.0.0.2]:tcp:80","up":true,"weight":1},{"vs":"fwmark:7","rs":"[10.0.0.4]:tcp:80",'
          '"up":false}]}\n{"type":"rs","vs":"[192.168.0.100]:tcp:80","rs":"[10.0.0.3]:tcp:80",'
          '"up":false,"weight":-1}\n')
    write("fuzz_ipc", "vrrpd", '{"type":"snapshot","instances":[{"name":"VI_1","state":"BACKUP"}]}\n'
          '{"type":"instance","instance":{"name":"VI_1","state":"MASTER","priority":100}}\n')
    write("fuzz_ipc", "malformed", '{"type":"rs","vs":"x"}\n[1,2]\n{"type":"snapshot"}\nnot json\n')


def import_seeds():
    base = os.path.join(ROOT, "tests/import")
    if not os.path.isdir(base):
        return
    for tag in ("corpus", "bad"):
        d = os.path.join(base, tag)
        for f in sorted(os.listdir(d)):
            if f.endswith(".conf"):
                with open(os.path.join(d, f), "rb") as fh:
                    write("fuzz_import", tag + "-" + f, fh.read())
    with open(os.path.join(base, "seed.conf"), "rb") as fh:
        write("fuzz_import", "seed.conf", fh.read())


def main():
    if os.path.isdir(OUT) and "--keep" not in sys.argv:
        for t in os.listdir(OUT):
            shutil.rmtree(os.path.join(OUT, t))
    vrrp_seeds()
    config_seeds()
    http_seeds()
    probe_seeds()
    ipvs_seeds()
    ipc_seeds()
    import_seeds()


if __name__ == "__main__":
    main()
