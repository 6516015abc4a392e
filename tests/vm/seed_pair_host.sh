#!/usr/bin/env bash
# Host side of the seed_pair guest test: runs it through vm-run.sh, then parses
# what the guest printed between "@@BEGIN name@@" and "@@END name@@" (python3
# is not in the guest): `haloctl status --json` against its expected sections
# and values, `haloctl metrics` as OpenMetrics text. Fails when the guest
# failed or when either check does.
#   seed_pair_host.sh VM-RUN-ARGS...   (the arguments vm-run.sh takes)
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=$(mktemp)
trap 'rm -f "$out"' EXIT
"$here/vm-run.sh" "$@" | tee "$out"
rc=${PIPESTATUS[0]}
python3 - "$out" <<'PY'
import json, re, sys
text = open(sys.argv[1], encoding="utf-8", errors="replace").read()
def block(name):
    # markers may follow a console line the kernel left unterminated
    m = re.search(r"@@BEGIN %s@@\n(.*?)@@END %s@@$" % (name, name), text, re.S | re.M)
    if not m:
        sys.exit("seed_pair_host: no %s block in the guest output" % name)
    return m.group(1)
fails = []
def check(cond, what):
    print(("ok: " if cond else "FAIL: ") + "host: " + what)
    if not cond:
        fails.append(what)

st = json.loads(block("status-json"))
check(st.get("v") == 1, "status --json v == 1")
for sec in ("vrrp", "checker", "ipvs"):
    check(isinstance(st.get(sec), dict), "status --json has a %s section" % sec)
inst = (st.get("vrrp") or {}).get("instances") or [{}]
check(inst[0].get("name") == "VI_1" and inst[0].get("state") == "MASTER"
      and inst[0].get("priority") == 100 and "192.168.0.100" in (inst[0].get("virtual_addresses") or []),
      "vrrp: VI_1 MASTER priority 100 with 192.168.0.100")
rs = (st.get("checker") or {}).get("real_servers") or []
check(sorted((r.get("rs"), r.get("up")) for r in rs) ==
      [("[192.168.0.108]:tcp:80", True), ("[192.168.0.109]:tcp:80", True)], "checker: both real servers up")
vs = (st.get("ipvs") or {}).get("virtual_servers") or [{}]
check(vs[0].get("vs") == "[192.168.0.100]:tcp:80" and vs[0].get("scheduler") == "rr"
      and sorted((d.get("rs"), d.get("weight"), d.get("forwarding")) for d in vs[0].get("real_servers", [])) ==
      [("[192.168.0.108]:tcp:80", 1, "dr"), ("[192.168.0.109]:tcp:80", 1, "dr")],
      "ipvs: [192.168.0.100]:tcp:80 rr, both destinations dr weight 1")
kd = ((st.get("ipvs") or {}).get("sync_daemon") or {}).get("kernel_daemons") or [{}]
check(kd[0].get("state") == "master" and kd[0].get("sync_id") == 51, "ipvs: master sync daemon, syncid 51")

# OpenMetrics text (https://prometheus.io/docs/specs/om/open_metrics_spec/):
# metadata lines, samples of declared families, "# EOF" last.
m = block("metrics").rstrip("\n").split("\n")
check(m and m[-1] == "# EOF", "metrics: ends with # EOF")
families, bad, samples = {}, [], 0
name_re = r"[a-zA-Z_:][a-zA-Z0-9_:]*"
sample_re = re.compile(r"^(%s)(\{(%s=\"(\\.|[^\"\\])*\"(,%s=\"(\\.|[^\"\\])*\")*)?\})? "
                       r"(-?[0-9.]+([eE][-+]?[0-9]+)?|[+-]?Inf|NaN)( -?[0-9.]+)?$" % (name_re, name_re, name_re))
for line in m[:-1]:
    if line.startswith("# "):
        p = line.split(" ", 3)
        if len(p) < 4 or p[1] not in ("TYPE", "HELP", "UNIT"):
            bad.append(line)
        elif p[1] == "TYPE":
            families[p[2]] = p[3]
        continue
    s = sample_re.match(line)
    if not s:
        bad.append(line)
        continue
    samples += 1
    n = s.group(1)
    # a sample belongs to a declared family, with the suffix its type allows
    suffixes = {"counter": ("_total", "_created"), "info": ("_info",), "histogram": ("_bucket", "_count", "_sum", "_created"),
                "summary": ("", "_count", "_sum", "_created")}
    if not any(n == f + sfx for f, ty in families.items() for sfx in suffixes.get(ty, ("",))):
        bad.append(line + "   (no # TYPE, or a suffix its type does not allow)")
check(not bad, "metrics: %d samples in %d families, all well formed%s" %
      (samples, len(families), "" if not bad else "; bad: " + " | ".join(bad[:5])))
check(samples > 10, "metrics: more than 10 samples")
sys.exit(1 if fails else 0)
PY
prc=$?
[ "$rc" = 0 ] && [ "$prc" = 0 ] && exit 0
[ "$rc" = 0 ] && exit 1
exit "$rc"
