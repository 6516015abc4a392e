#!/usr/bin/env python3
"""Small client of halo-checker's control socket for the namespace tests.

  ctl.py sub SOCK OUT            subscribe; append every line to OUT (runs until killed)
  ctl.py wait OUT [VS|]RS UP REASON SECS
                                 poll OUT until the latest state of RS (from the
                                 snapshot or a change) has up=UP and reason=REASON
  ctl.py snapshot SOCK           subscribe once and print the snapshot line
  ctl.py status SOCK             print the status reply
"""
import json
import socket
import sys
import time


def connect(path):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(path)
    return s


def request(path, cmd):
    s = connect(path)
    s.sendall(json.dumps({"cmd": cmd}).encode() + b"\n")
    buf = b""
    while b"\n" not in buf:
        chunk = s.recv(65536)
        if not chunk:
            break
        buf += chunk
    s.close()
    return buf.split(b"\n", 1)[0].decode()


def sub(path, out):
    s = connect(path)
    s.sendall(b'{"cmd":"subscribe"}\n')
    with open(out, "a") as f:
        buf = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                return 1
            buf += chunk
            while b"\n" in buf:
                line, buf = buf.split(b"\n", 1)
                f.write(line.decode() + "\n")
                f.flush()


def matches(r, rs):
    if "|" in rs:
        vs, rs = rs.split("|", 1)
        if r.get("vs") != vs:
            return False
    return r.get("rs") == rs


def latest(out, rs):
    state = None
    try:
        lines = open(out).read().splitlines()
    except OSError:
        return None
    for line in lines:
        try:
            m = json.loads(line)
        except ValueError:
            continue
        if m.get("type") == "snapshot":
            for r in m.get("real_servers", []):
                if matches(r, rs):
                    state = r
        elif m.get("type") == "rs" and matches(m, rs):
            state = m
    return state


def wait(out, rs, up, reason, secs):
    want_up = up == "true"
    end = time.monotonic() + float(secs)
    st = None
    while time.monotonic() < end:
        st = latest(out, rs)
        if st and st.get("up") == want_up and (reason == "*" or st.get("reason") == reason):
            return 0
        time.sleep(0.05)
    print("last state of %s: %s" % (rs, json.dumps(st)), file=sys.stderr)
    return 1


def main(argv):
    if argv[1] == "sub":
        return sub(argv[2], argv[3])
    if argv[1] == "wait":
        return wait(*argv[2:7])
    if argv[1] == "snapshot":
        print(request(argv[2], "subscribe"))
        return 0
    if argv[1] == "status":
        print(request(argv[2], "status"))
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
