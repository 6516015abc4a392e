#!/usr/bin/env bash
# halo demo lab: two directors (lb1, lb2) and a client in network namespaces
# on one bridge, sharing VIP 192.168.0.100 through halo-vrrpd. It shows the
# election, then kills the MASTER and shows the BACKUP taking over while the
# client keeps reaching the VIP. Builds halo first if needed. Run as root.
#
#   lb1 192.168.0.107 (prio 100) ─┐
#   lb2 192.168.0.108 (prio 90)  ─┼─ br0       VIP 192.168.0.100
#   client 192.168.0.50          ─┘
#
# The whole seed scenario (two directors with halo-vrrpd, halo-checker and
# halo-ipvs-sync, two real servers behind LVS-DR, failover, a real server
# leaving the table) needs IPVS. Where the host kernel has none and qemu is
# installed, the demo says so and runs that scenario inside the qemu guest of
# tests/vm (demo/seed_demo.sh); otherwise it runs the VRRP-only lab below.
#   halo-demo.sh [--vrrp-only]     --vrrp-only: the host lab even with qemu
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
[ "$(id -u)" -eq 0 ] || { echo "run as root: sudo $0" >&2; exit 1; }
vrrp_only=""
[ "${1:-}" = --vrrp-only ] && vrrp_only=1
build=${HALO_BUILD:-$top/build}    # HALO_BUILD: another build folder
if [ ! -x "$build/vrrpd/halo-vrrpd" ] || [ ! -x "$build/haloctl/haloctl" ] ||
   [ ! -x "$build/ipvs-sync/halo-ipvs-sync" ] || [ ! -x "$build/checker/halo-checker" ] ||
   [ ! -x "$build/tests/vm/halo-test-ctl" ]; then
	echo "== building halo (first run)"
	bash "$top/tests/run.sh" --deps-only
	cmake -S "$top" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	cmake --build "$build" -j "$(nproc)" >/dev/null
fi

host_ipvs() { [ -e /proc/net/ip_vs ] || { modprobe ip_vs 2>/dev/null && [ -e /proc/net/ip_vs ]; }; }
if [ -z "$vrrp_only" ] && ! host_ipvs; then
	if command -v qemu-system-x86_64 >/dev/null; then
		printf '\n\033[1m== %s\033[0m\n' "this kernel has no IPVS (no /proc/net/ip_vs, modprobe ip_vs fails)"
		echo "   The full seed demo (two LVS-DR directors, two real servers, failover)"
		echo "   runs inside a qemu guest booting Debian's cloud kernel instead."
		echo "   Software emulation is slow: expect a few minutes. (--vrrp-only: the host lab)"
		exec "$top/tests/vm/vm-run.sh" --build-dir "$build" --timeout 900 "$top/demo/seed_demo.sh" \
			"$top/tests/vm/seed_pair.sh" "$top/tests/vm/lib.sh"
	fi
	echo "== this kernel has no IPVS and qemu-system-x86_64 is missing: VRRP-only lab"
fi
VRRPD=$build/vrrpd/halo-vrrpd
HALOCTL=$build/haloctl/haloctl
sfx=$(printf '%04x' $RANDOM)
work=$(mktemp -d "$build/demo.XXXXXX")
nses=(); pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	sleep 0.3
	for n in "${nses[@]}"; do ip netns del "$n" 2>/dev/null || true; done
	rm -rf "$work"
}
trap cleanup EXIT
say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

ip netns add "sw-$sfx"; nses+=("sw-$sfx")
ip -n "sw-$sfx" link add br0 type bridge; ip -n "sw-$sfx" link set br0 up
i=0
for n in lb1:192.168.0.107 lb2:192.168.0.108 client:192.168.0.50; do
	name=${n%%:*}; ip4=${n#*:}; i=$((i + 1)); ns="$name-$sfx"
	ip netns add "$ns"; nses+=("$ns")
	ip link add "d$i-$sfx" type veth peer name eth0 netns "$ns"
	ip link set "d$i-$sfx" netns "sw-$sfx"; ip -n "sw-$sfx" link set "d$i-$sfx" master br0 up
	ip -n "$ns" link set lo up; ip -n "$ns" link set eth0 up
	ip -n "$ns" addr add "$ip4/24" dev eth0
done
for lb in lb1:100 lb2:90; do
	name=${lb%%:*}; prio=${lb#*:}
	mkdir -p "$work/$name"
	cat >"$work/$name/halo.yaml" <<YAML
global: { router_id: $name, realtime_priority: 0, script_user: root }
vrrp:
  instances:
    - name: VI_1
      interface: eth0
      vrid: 51
      priority: $prio
      advert_interval: 100ms
      virtual_addresses: [ { address: 192.168.0.100/24, label: "eth0:1" } ]
YAML
	ip netns exec "$name-$sfx" "$VRRPD" -d -f "$work/$name/halo.yaml" --run-dir "$work/$name/run" \
		>"$work/$name/log" 2>&1 &
	pids+=($!)
done
eval "lb1_pid=${pids[0]}"

say "starting halo-vrrpd on lb1 (priority 100) and lb2 (priority 90)"
for _ in $(seq 50); do grep -q "Entering MASTER" "$work/lb1/log" 2>/dev/null && break; sleep 0.1; done
sleep 0.5
for lb in lb1 lb2; do echo "--- haloctl status on $lb"; "$HALOCTL" --run-dir "$work/$lb/run" status; done
say "client pings the VIP"
ip netns exec "client-$sfx" ping -c 3 -i 0.2 -W 1 192.168.0.100 | tail -n 2
ip netns exec "client-$sfx" ip neigh show 192.168.0.100
say "killing halo-vrrpd on the MASTER (lb1) with SIGKILL, while the client pings"
ip netns exec "client-$sfx" ping -i 0.05 -c 80 -W 1 192.168.0.100 >"$work/ping.txt" 2>&1 &
ping_pid=$!
sleep 1
kill -9 "$lb1_pid"
ip -n "lb1-$sfx" addr del 192.168.0.100/24 dev eth0 2>/dev/null || true   # the dead host is gone
wait "$ping_pid" || true
for _ in $(seq 30); do grep -q "Entering MASTER" "$work/lb2/log" && break; sleep 0.1; done
grep "Entering" "$work/lb2/log" | sed 's/^/lb2: /'
echo "--- haloctl status on lb2"; "$HALOCTL" --run-dir "$work/lb2/run" status
say "client pings during the failover"
tail -n 2 "$work/ping.txt"
ip netns exec "client-$sfx" ip neigh show 192.168.0.100
echo
echo "The VIP moved to lb2 after Master_Down_Interval (3 x 100 ms + skew); the"
echo "gratuitous ARPs updated the client's neighbour entry. Lab removed on exit."
