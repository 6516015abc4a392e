#!/usr/bin/env bash
# IPVS programming benchmark: halo-ipvs-sync vs `ipvsadm -R` vs keepalived
# (checker only, no checks), 1,000 services x 10 real servers from empty, in
# one qemu guest boot (tests/vm/vm-run.sh); plus one weight change and a
# no-change resync with the full table loaded. Prints a table; not pass/fail.
#   bench/ipvs_bench.sh [--build-dir DIR] [N [M [REPS]]]
# The guest boots with clocksource=tsc tsc=reliable (HALO_VM_APPEND, set it
# empty for the emulated HPET of runs A-C): with HPET every clock read, the
# kernel's own included, traps into device emulation.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=$top/build
if [ "${1:-}" = --build-dir ]; then build=$2; shift 2; fi
N=${1:-1000}; M=${2:-10}; REPS=${3:-3}
export HALO_VM_APPEND=${HALO_VM_APPEND-clocksource=tsc tsc=reliable}
[ -x "$build/ipvs-sync/halo-ipvs-sync" ] || { echo "build halo first: cmake --build $build" >&2; exit 2; }
command -v keepalived >/dev/null || { echo "needs keepalived (apt-get install keepalived)" >&2; exit 2; }
env=$(mktemp -d "$build/ipvs-bench.XXXXXX")
trap 'rm -rf "$env"' EXIT
printf 'N=%s\nM=%s\nREPS=%s\n' "$N" "$M" "$REPS" >"$env/bench.env"
exec "$top/tests/vm/vm-run.sh" --build-dir "$build" --timeout 1500 --bin "$(command -v keepalived)" \
	"$top/bench/ipvs_guest.sh" "$top/tests/vm/lib.sh" "$env/bench.env"
