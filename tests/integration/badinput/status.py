#!/usr/bin/env python3
"""Counter snapshots of halo-vrrpd for the bad-input suite, from
`haloctl --run-dir DIR status --json`.

  status.py HALOCTL RUNDIR snap FILE
  status.py HALOCTL RUNDIR expect FILE [KEY=DELTA ...]
      polls (3 s) until the counters differ from FILE by exactly the given
      deltas and nothing else, then checks that this still holds 0.3 s later;
      prints the difference when it does not. Keys: INSTANCE.adverts_received,
      INSTANCE.transitions, INSTANCE.drops.REASON, eth0/ipv4.drops.REASON, ...
  status.py HALOCTL RUNDIR get KEY
craft.py imports expect() for its one-process `check` mode.
"""
import json
import subprocess
import sys
import time

# what the test steers; adverts_sent and the priorities move on their own
KEPT = ("adverts_received", "transitions", "became_master", "address_mismatches", "state")


def flat(haloctl, rundir):
    out = subprocess.run([haloctl, "--run-dir", rundir, "status", "--json"],
                         capture_output=True, text=True, timeout=5).stdout
    d = json.loads(out)
    d = d.get("vrrp", d)
    f = {}
    for i in d["instances"]:
        for k in KEPT:
            f["%s.%s" % (i["name"], k)] = i[k]
        for r, v in i["drops"].items():
            f["%s.drops.%s" % (i["name"], r)] = v
    for i in d["interfaces"]:
        for r, v in i["drops"].items():
            f["%s/%s.drops.%s" % (i["name"], i["family"], r)] = v
    return f


def diff(a, b):
    out = {}
    for k in sorted(set(a) | set(b)):
        x, y = a.get(k), b.get(k)
        if x == y:
            continue
        if isinstance(x, int) and isinstance(y, int):
            out[k] = y - x
        else:
            out[k] = "%s->%s" % (x, y)
    return out


def want_of(args):
    w = {}
    for a in args:
        k, v = a.split("=", 1)
        w[k] = int(v) if v.lstrip("-").isdigit() else v
    return w


def expect(haloctl, rundir, before, want, secs=5.0, settle=0.3):
    """0 once the counters moved by exactly `want` since `before` and still
    do `settle` seconds later; 1 (with both printed) after `secs`."""
    end = time.time() + secs
    got = None
    while time.time() < end:
        got = diff(before, flat(haloctl, rundir))
        if got == want:
            time.sleep(settle)
            got = diff(before, flat(haloctl, rundir))
            if got == want:
                return 0
        time.sleep(0.05)
    print("#   expected %s" % (want or "no change"))
    print("#   got      %s" % (got or "no change"))
    return 1


def main():
    haloctl, rundir, cmd = sys.argv[1:4]
    if cmd == "snap":
        with open(sys.argv[4], "w") as fh:
            json.dump(flat(haloctl, rundir), fh)
        return 0
    if cmd == "get":
        print(flat(haloctl, rundir)[sys.argv[4]])
        return 0
    with open(sys.argv[4]) as fh:
        before = json.load(fh)
    return expect(haloctl, rundir, before, want_of(sys.argv[5:]))


if __name__ == "__main__":
    sys.exit(main())
