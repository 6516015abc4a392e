#!/usr/bin/env bash
# Runs one shell script inside a qemu guest booting Debian's cloud kernel (which
# has IPVS as modules) and returns the script's output and exit status. It must
# fail loudly, never skip: CI depends on these tests running.
#
#   vm-run.sh --build-dir DIR [--timeout SEC] [--smp N] [--mem MB]
#             [--bin HOSTPATH]... [--module NAME]... SCRIPT [FILES...]
#
# Guest layout: SCRIPT is /test/run.sh, FILES are copied into /test/, halo's
# binaries from DIR (halo-*, haloctl) are in /usr/sbin, and the script runs with
# `sh` (busybox ash) in /test with network namespaces, veth, bridge, macvlan,
# ipip and every IPVS scheduler module loaded. iproute2's `ip` is /usr/bin/ip
# (call it by full path: busybox's ash prefers its own `ip` applet).
#
# The kernel package is fetched with apt-get into DIR/vm-cache; the base
# initramfs (busybox, ip, ipvsadm, curl, modules) is cached there too; each run
# only packs a small second archive (halo binaries, the script, FILES) that the
# kernel unpacks over the first. HALO_VM_APPEND adds to the kernel command line
# (benchmarks: "clocksource=tsc tsc=reliable").
set -euo pipefail

die() { echo "vm-run: $*" >&2; exit 2; }

build_dir=""
timeout_s=${HALO_VM_TIMEOUT:-300}
smp=${HALO_VM_SMP:-2}
mem=${HALO_VM_MEM:-1024}
extra_bins=()
extra_mods=()
while [ $# -gt 0 ]; do
	case $1 in
	--build-dir) build_dir=$2; shift 2 ;;
	--timeout) timeout_s=$2; shift 2 ;;
	--smp) smp=$2; shift 2 ;;
	--mem) mem=$2; shift 2 ;;
	--bin) extra_bins+=("$2"); shift 2 ;;
	--module) extra_mods+=("$2"); shift 2 ;;
	-h|--help) sed -n '2,17p' "$0"; exit 0 ;;
	--) shift; break ;;
	-*) die "unknown option $1" ;;
	*) break ;;
	esac
done
[ $# -ge 1 ] || die "usage: vm-run.sh --build-dir DIR SCRIPT [FILES...]"
[ -n "$build_dir" ] || die "--build-dir is required"
script=$1; shift
[ -f "$script" ] || die "no such script: $script"
build_dir=$(cd "$build_dir" && pwd)
cache=$build_dir/vm-cache
mkdir -p "$cache"

for tool in qemu-system-x86_64 cpio gzip busybox dpkg apt-get apt-cache ldd grep timeout; do
	command -v "$tool" >/dev/null || die "missing $tool (apt-get install qemu-system-x86 busybox-static cpio)"
done
[ -x /usr/sbin/ipvsadm ] || die "missing /usr/sbin/ipvsadm (apt-get install ipvsadm)"
[ -x /usr/bin/curl ] || die "missing /usr/bin/curl (apt-get install curl)"
[ -x /usr/bin/ip ] || [ -x /bin/ip ] || die "missing iproute2's ip"

# ---- kernel: the package linux-image-cloud-amd64 depends on today ----
kernel_pkg() {
	local pkg
	pkg=$(apt-cache depends linux-image-cloud-amd64 2>/dev/null |
		sed -n 's/^ *Depends: \(linux-image-[0-9].*-cloud-amd64\)$/\1/p' | head -n1)
	if [ -z "$pkg" ] && [ "$(id -u)" = 0 ] && ! ls "$cache"/linux-image-*.deb >/dev/null 2>&1; then
		echo "vm-run: no package lists; running apt-get update" >&2
		apt-get update -qq >&2 || true
		pkg=$(apt-cache depends linux-image-cloud-amd64 2>/dev/null |
			sed -n 's/^ *Depends: \(linux-image-[0-9].*-cloud-amd64\)$/\1/p' | head -n1)
	fi
	if [ -z "$pkg" ]; then
		# offline: reuse whatever we fetched before
		pkg=$(ls "$cache"/linux-image-*-cloud-amd64_*.deb 2>/dev/null | head -n1 |
			sed 's|.*/\(linux-image-[^_]*\)_.*|\1|')
	fi
	[ -n "$pkg" ] || die "cannot find the Debian cloud kernel package (apt-cache depends linux-image-cloud-amd64 gave nothing; run apt-get update)"
	echo "$pkg"
}

fetch_kernel() {
	local pkg=$1 deb
	deb=$(ls "$cache/${pkg}"_*.deb 2>/dev/null | head -n1 || true)
	if [ -z "$deb" ]; then
		(cd "$cache" && apt-get download "$pkg" >"$cache/apt-download.log" 2>&1) ||
			{ cat "$cache/apt-download.log" >&2; die "apt-get download $pkg failed"; }
		deb=$(ls "$cache/${pkg}"_*.deb 2>/dev/null | head -n1 || true)
		[ -n "$deb" ] || die "apt-get download $pkg produced no .deb"
	fi
	if [ ! -f "$cache/$pkg/.done" ]; then
		rm -rf "$cache/$pkg"
		dpkg -x "$deb" "$cache/$pkg" || die "dpkg -x $deb failed"
		touch "$cache/$pkg/.done"
	fi
}

pkg=$(kernel_pkg)
fetch_kernel "$pkg"
kroot=$cache/$pkg
vmlinuz=$(ls "$kroot"/boot/vmlinuz-* 2>/dev/null | head -n1)
[ -n "$vmlinuz" ] || die "no vmlinuz in $pkg"
moddir=$(ls -d "$kroot"/lib/modules/*/kernel 2>/dev/null | head -n1)
[ -n "$moddir" ] || die "no modules in $pkg"

# ---- helpers to fill an initramfs root ----
copy_with_libs() {       # copy_with_libs ROOT BIN [DEST]
	local root=$1 bin=$2 dest=${3:-$2} lib
	mkdir -p "$root$(dirname "$dest")"
	cp -L "$bin" "$root$dest"
	for lib in $(ldd "$bin" 2>/dev/null | grep -o '/[^ ]*' || true); do
		[ -e "$root$lib" ] && continue
		mkdir -p "$root$(dirname "$lib")"
		cp -L "$lib" "$root$lib"
	done
}

mod_path() { find "$moddir" -name "$1.ko" -print -quit; }

# Emits modules in dependency order (the .ko's own modinfo "depends=" list).
declare -A mod_seen=()
mod_order() {
	local m=$1 f deps d
	[ -n "${mod_seen[$m]:-}" ] && return 0
	mod_seen[$m]=1
	f=$(mod_path "$m")
	[ -n "$f" ] || die "kernel module $m not found in $pkg"
	deps=$(grep -a -o 'depends=[a-z0-9_,-]*' "$f" | head -n1 | sed 's/^depends=//; s/,/ /g')
	for d in $deps; do mod_order "$d"; done
	echo "$m"
}

MODULES=(nf_defrag_ipv4 nf_defrag_ipv6 libcrc32c nf_conntrack nf_nat ip_vs
	ip_vs_rr ip_vs_wrr ip_vs_lc ip_vs_wlc ip_vs_fo ip_vs_ovf ip_vs_lblc ip_vs_lblcr
	ip_vs_dh ip_vs_sh ip_vs_mh ip_vs_sed ip_vs_nq ip_vs_ftp ip_vs_pe_sip
	veth llc stp bridge macvlan tunnel4 ip_tunnel ipip tunnel6 ip6_tunnel)

# ---- base initramfs, cached per kernel and per version of this script ----
key=$(cat "$0" | md5sum | cut -c1-12)
base=$cache/base-$pkg-$key.cpio.gz
if [ ! -f "$base" ]; then
	rm -f "$cache"/base-*.cpio.gz
	echo "vm-run: building base initramfs (cached as $(basename "$base"))" >&2
	root=$(mktemp -d "$cache/root.XXXXXX")
	trap 'rm -rf "$root"' EXIT
	mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,proc,sys,dev,run,tmp,etc,test,var/log,lib/modules/halo}
	cp /bin/busybox "$root/bin/busybox"
	for a in $(busybox --list); do
		[ "$a" = busybox ] || ln -sf busybox "$root/bin/$a"
	done
	ipbin=/usr/bin/ip; [ -x $ipbin ] || ipbin=/bin/ip
	copy_with_libs "$root" "$ipbin" /usr/bin/ip
	copy_with_libs "$root" /usr/sbin/ipvsadm
	copy_with_libs "$root" /usr/bin/curl
	for m in "${MODULES[@]}"; do mod_order "$m"; done >"$root/lib/modules/halo/order"
	while read -r m; do cp "$(mod_path "$m")" "$root/lib/modules/halo/$m.ko"; done \
		<"$root/lib/modules/halo/order"
	printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\nhalo-script:x:999:999::/nonexistent:/bin/false\nwww-data:x:33:33::/var/www:/bin/false\n' >"$root/etc/passwd"
	printf 'root:x:0:\nnogroup:x:65534:\nhalo-script:x:999:\nwww-data:x:33:\n' >"$root/etc/group"
	printf 'hosts: files\npasswd: files\ngroup: files\n' >"$root/etc/nsswitch.conf"
	printf '127.0.0.1 localhost\n' >"$root/etc/hosts"
	cat >"$root/init" <<'EOF'
#!/bin/sh
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
export LD_LIBRARY_PATH=/lib/x86_64-linux-gnu:/usr/lib/x86_64-linux-gnu
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev 2>/dev/null
mount -t tmpfs run /run
mount -t tmpfs tmp /tmp
echo 1 >/proc/sys/kernel/printk_ratelimit 2>/dev/null
for m in $(cat /lib/modules/halo/order) $(cat /lib/modules/halo/extra 2>/dev/null); do
	insmod /lib/modules/halo/$m.ko || echo "vm: insmod $m failed"
done
/usr/bin/ip link set lo up
hostname halo-vm
cd /test
[ -f /test/.env ] && . /test/.env
# each marker on a line of its own: a console line the kernel or init left
# unterminated would otherwise swallow it (seen once in CI: no output at all)
echo; echo "@@HALO-VM-START@@"
sh /test/run.sh
rc=$?
echo; echo "@@HALO-VM-EXIT rc=$rc@@"
sync
poweroff -f
EOF
	chmod 755 "$root/init"
	(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) >"$base.tmp"
	mv "$base.tmp" "$base"
	rm -rf "$root"
	trap - EXIT
fi

# ---- per-run archive: halo binaries, extra binaries and modules, the test ----
run=$(mktemp -d "$cache/run.XXXXXX")
[ -n "${HALO_VM_KEEP:-}" ] || trap 'rm -rf "$run"' EXIT
root=$run/root
mkdir -p "$root/test" "$root/usr/sbin" "$root/lib/modules/halo"
while IFS= read -r -d '' b; do
	copy_with_libs "$root" "$b" "/usr/sbin/$(basename "$b")"
done < <(find "$build_dir" -path "$cache" -prune -o -type f -perm -u+x \
	\( -name 'halo-*' -o -name haloctl \) ! -name '*.sh' -print0)
for b in "${extra_bins[@]}"; do
	[ -x "$b" ] || die "--bin $b: not an executable"
	copy_with_libs "$root" "$b"
done
for m in "${extra_mods[@]}"; do
	f=$(mod_path "$m"); [ -n "$f" ] || die "--module $m: not in $pkg"
	cp "$f" "$root/lib/modules/halo/$m.ko"
	echo "$m" >>"$root/lib/modules/halo/extra"
done
cp "$script" "$root/test/run.sh"
# Sanitizer settings travel into the guest (the sanitizer build runs these tests too).
for v in ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS; do
	if [ -n "${!v:-}" ]; then printf 'export %s=%q\n' "$v" "${!v}" >>"$root/test/.env"; fi
done
for f in "$@"; do
	[ -e "$f" ] || die "no such file: $f"
	cp -rL "$f" "$root/test/"
done
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) >"$run/run.cpio.gz"
cat "$base" "$run/run.cpio.gz" >"$run/initrd.gz"

# ---- boot ----
accel=(-accel tcg -cpu max)
[ -n "${HALO_VM_ACCEL:-}" ] && accel=(-accel "$HALO_VM_ACCEL" -cpu max)
start=$(date +%s.%N)
set +e
timeout --kill-after=10 "$timeout_s" qemu-system-x86_64 "${accel[@]}" -smp "$smp" -m "$mem" \
	-nographic -no-reboot -nic none -monitor none -serial stdio \
	-kernel "$vmlinuz" -initrd "$run/initrd.gz" \
	-append "console=ttyS0 quiet loglevel=3 panic=-1 oops=panic${HALO_VM_APPEND:+ $HALO_VM_APPEND}" \
	</dev/null 2>&1 | tr -d '\r' | sed -u 's/\x1b\[[0-9;?]*[a-zA-Z]//g; s/\x1b[a-zA-Z]//g' | tee "$run/console.log" |
	sed -n '/@@HALO-VM-START@@/,/@@HALO-VM-EXIT/p' | grep -v '@@HALO-VM-'
qrc=${PIPESTATUS[0]}
set -e
end=$(date +%s.%N)
secs=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }')

rc=$(sed -n 's/.*@@HALO-VM-EXIT rc=\([0-9]*\)@@.*/\1/p' "$run/console.log" | tail -n1)
if [ -z "$rc" ]; then
	echo "vm-run: guest gave no exit status (qemu exit $qrc after ${secs}s; 124 = timeout ${timeout_s}s). Console:" >&2
	tail -n 60 "$run/console.log" >&2
	exit 2
fi
echo "vm-run: guest script exited $rc, qemu ran ${secs}s" >&2
exit "$rc"
