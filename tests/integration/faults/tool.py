#!/usr/bin/env python3
"""Small client for the fault tests (halo control sockets, signals, address events).

  tool.py status SOCK              print the status reply; fails if no JSON answer
  tool.py field SOCK PATH          one field of the status reply (dotted path)
  tool.py sub SOCK OUT             subscriber that reconnects with backoff (50 ms .. 1 s);
                                   writes every line plus "#connected N" / "#lost N" to OUT
  tool.py count OUT PREFIX         number of lines in OUT that start with PREFIX
  tool.py vipgone LOG VIP T0       ms from wall time T0 to the first deletion of VIP
                                   in an `ip -ts monitor address` log (-1: none)
  tool.py vipheld LOG VIP T        1 if the log says VIP was on the router at wall time T
  tool.py soak SOCK PID N          N SIGHUPs to PID, every 10th a burst of two within 1 ms,
                                   each time waiting until status.reloads moves; prints
                                   "sent R reloads D seconds S bursts B"
"""
import datetime
import json
import os
import signal
import socket
import sys
import time


def request(path, cmd="status", timeout=2.0):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(timeout)
    s.connect(path)
    s.sendall(json.dumps({"cmd": cmd}).encode() + b"\n")
    buf = b""
    while b"\n" not in buf:
        chunk = s.recv(65536)
        if not chunk:
            break
        buf += chunk
    s.close()
    return json.loads(buf.split(b"\n", 1)[0].decode())


def field(path, dotted):
    v = request(path)
    for k in dotted.split("."):
        v = v[k]
    return v


def sub(path, out):
    n = 0
    delay = 0.05
    with open(out, "a") as f:
        while True:
            try:
                s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                s.connect(path)
                s.sendall(b'{"cmd":"subscribe"}\n')
            except OSError:
                time.sleep(delay)
                delay = min(delay * 2, 1.0)
                continue
            n += 1
            delay = 0.05
            f.write("#connected %d\n" % n)
            f.flush()
            buf = b""
            while True:
                try:
                    chunk = s.recv(65536)
                except OSError:
                    chunk = b""
                if not chunk:
                    break
                buf += chunk
                while b"\n" in buf:
                    line, buf = buf.split(b"\n", 1)
                    f.write(line.decode(errors="replace") + "\n")
                    f.flush()
            s.close()
            f.write("#lost %d\n" % n)
            f.flush()


def events(log, vip):
    """(wall time, present) for each add/delete of vip in an ip -ts monitor log."""
    ev = []
    for line in open(log, errors="replace"):
        if not line.startswith("[") or (" inet " not in line and " inet6 " not in line):
            continue
        stamp, rest = line[1:].split("]", 1)
        words = rest.split()
        if vip not in [w.split("/")[0] for w in words]:
            continue
        t = datetime.datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%S.%f").timestamp()
        ev.append((t, not rest.strip().startswith("Deleted")))
    return ev


def vipgone(log, vip, t0):
    for t, present in events(log, vip):
        if t >= t0 and not present:
            return int(round((t - t0) * 1000))
    return -1


def vipheld(log, vip, t):
    held = False
    for te, present in events(log, vip):
        if te <= t:
            held = present
    return 1 if held else 0


def soak(path, pid, n):
    sent = bursts = 0
    start = field(path, "reloads")
    t0 = time.monotonic()
    while sent < n:
        before = field(path, "reloads")
        os.kill(pid, signal.SIGHUP)
        sent += 1
        if sent % 10 == 0 and sent < n:
            os.kill(pid, signal.SIGHUP)   # a second one well within 1 ms
            sent += 1
            bursts += 1
        end = time.monotonic() + 5
        while field(path, "reloads") == before:
            if time.monotonic() > end:
                print("reload counter stuck at %d after %d signals" % (before, sent), file=sys.stderr)
                return 1
    # let a signal of the last burst land before counting
    time.sleep(0.2)
    done = field(path, "reloads") - start
    print("sent %d reloads %d seconds %.1f bursts %d" % (sent, done, time.monotonic() - t0, bursts))
    return 0


def main(a):
    if a[1] == "status":
        print(json.dumps(request(a[2])))
        return 0
    if a[1] == "field":
        print(field(a[2], a[3]))
        return 0
    if a[1] == "sub":
        return sub(a[2], a[3])
    if a[1] == "count":
        try:
            print(sum(1 for l in open(a[2], errors="replace") if l.startswith(a[3])))
        except OSError:
            print(0)
        return 0
    if a[1] == "vipgone":
        print(vipgone(a[2], a[3], float(a[4])))
        return 0
    if a[1] == "vipheld":
        print(vipheld(a[2], a[3], float(a[4])))
        return 0
    if a[1] == "soak":
        return soak(a[2], int(a[3]), int(a[4]))
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
