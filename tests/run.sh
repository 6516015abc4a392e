#!/usr/bin/env bash
# The one test entry point: installs what the tests need (Debian 12, idempotent),
# builds halo twice (plain with -Werror, and with ASan+UBSan), runs every CTest
# suite in both, replays and briefly runs the fuzz targets, prints CTest's
# summary and exits non-zero on any failure.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

PKGS=(cmake gcc pkg-config libnl-3-dev libnl-route-3-dev libnl-genl-3-dev libmnl-dev libseccomp-dev
      libcurl4-openssl-dev libyaml-dev libmicrohttpd-dev check libsubunit-dev libjson-c-dev clang
      keepalived ipvsadm tcpdump tshark iproute2 iputils-ping iputils-arping
      nginx-light openssl qemu-system-x86 busybox-static cpio mandoc procps
      python3-prometheus-client stress-ng curl libssl-dev dnsmasq-base libclang-rt-14-dev
      systemd)

install_missing() {
	local missing=()
	for p in "${PKGS[@]}"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	if [ "$(id -u)" -ne 0 ]; then
		echo "run.sh: missing packages (${missing[*]}); run as root to install them" >&2
		exit 1
	fi
	echo "run.sh: installing ${missing[*]}"
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

install_missing
[ "${1:-}" = "--deps-only" ] && exit 0
# keepalived's package starts a service; the tests run their own instances.
systemctl disable --now keepalived >/dev/null 2>&1 || true

jobs=$(nproc)
status=0
run_build() {
	local dir=$1; shift
	cmake -S . -B "$dir" -DHALO_WERROR=ON "$@" >/dev/null
	cmake --build "$dir" -j "$jobs" >"$dir.buildlog" 2>&1 || { cat "$dir.buildlog"; return 1; }
	(cd "$dir" && ctest --output-on-failure -j 1 ${CTEST_ARGS:-}) || return 1
}

echo "== plain build (-Wall -Wextra -Werror)"
run_build build-ci -DCMAKE_BUILD_TYPE=RelWithDebInfo || status=1
echo "== sanitizer build (ASan + UBSan)"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	run_build build-asan -DCMAKE_BUILD_TYPE=Debug -DHALO_SANITIZE=ON || status=1

echo "== fuzz targets (clang libFuzzer, ASan+UBSan): replay corpora and recorded crashes, then ${HALO_FUZZ_SECONDS:-20} s each"
bash fuzz/run.sh "${HALO_FUZZ_SECONDS:-20}" || status=1

if [ $status -ne 0 ]; then
	echo "run.sh: FAILED"
else
	echo "run.sh: all suites passed"
fi
exit $status
