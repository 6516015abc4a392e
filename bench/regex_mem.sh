#!/usr/bin/env bash
# Peak memory of glibc's regcomp() on the regular-expression shapes behind
# lib/config_regex.c's limits (docs/robustness.md): each pattern is compiled
# in its own child process (python3 + ctypes, REG_EXTENDED|REG_NOSUB) and its
# maximum RSS printed, and how much of it regcomp added over the interpreter
# (the guard's unit test pins halo's verdicts; this shows why the limits are
# where they are).
# Not pass/fail. The first pattern needs about 0.8 GB.
#   bench/regex_mem.sh [PATTERN...]
set -euo pipefail
[ $# -gt 0 ] || set -- 'a{1,10000}' 'a{1,2000}' '(a{0,255}){0,16}' '([abc]{0,60}){0,60}' 'a{0,255}' '^status: OK$'
printf '%-24s %14s %14s\n' pattern 'max RSS (MB)' 'regcomp (MB)'
for p in "$@"; do
	python3 - "$p" <<'PY'
import ctypes, resource, sys
libc = ctypes.CDLL("libc.so.6")
buf = ctypes.create_string_buffer(256)          # > sizeof(regex_t)
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
rc = libc.regcomp(buf, sys.argv[1].encode(), 1 | 8)   # REG_EXTENDED | REG_NOSUB
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print("%-24s %14.1f %14.1f%s" % (sys.argv[1], peak / 1024, (peak - base) / 1024,
                                "" if rc == 0 else "  (regcomp error %d)" % rc))
PY
done
