# Helpers for guest test scripts (busybox ash): polling, timing, checks.
# Sourced as `. /test/lib.sh`; the harness copies it into /test.

IP=/usr/bin/ip
RUN=/run/halo
CTL="halo-test-ctl call $RUN/halo-ipvs-sync.sock"
T0=$(cut -d' ' -f1 /proc/uptime)
FAILS=0

now() { cut -d' ' -f1 /proc/uptime; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }'; }
fail() { echo "FAIL: $*"; FAILS=$((FAILS + 1)); }
ok() { echo "ok: $*"; }

# wait_for SECONDS CMD...: polls CMD every 0.1 s until it succeeds or
# SECONDS of guest uptime have passed (emulation makes each try slow).
wait_for() {
	local end
	end=$(awk -v a="$(now)" -v t="$1" 'BEGIN { print a + t }')
	shift
	while :; do
		"$@" >/dev/null 2>&1 && return 0
		awk -v a="$(now)" -v e="$end" 'BEGIN { exit !(a > e) }' && return 1
		usleep 100000
	done
}

# The IPVS table in ipvsadm's save format, sorted (stable to compare).
table() { ipvsadm -Sn | sort; }

# table_is EXPECTED_TEXT: compares, prints a diff on mismatch.
table_matches() { [ "$(table)" = "$(printf '%s\n' "$1" | sort)" ]; }
expect_table() {
	local what=$1 want=$2 secs=${3:-60}
	if wait_for "$secs" table_matches "$want"; then
		ok "$what"
	else
		fail "$what: table differs"
		printf '%s\n' "$want" | sort >/tmp/want
		table >/tmp/have
		diff /tmp/want /tmp/have
	fi
}

# A counter from the daemon's brief status (no kernel dump).
counter() { $CTL '{"cmd":"status","brief":true}' "counters.$1"; }
brief() { $CTL '{"cmd":"status","brief":true}' "$1"; }
