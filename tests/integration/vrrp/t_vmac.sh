#!/usr/bin/env bash
# Virtual MAC (use_vmac): vrrpd creates vrrp.51 with 00:00:5e:00:01:33 on
# each router, up only on the MASTER; the VIP lives on it, adverts leave from
# it, an observer's ARP entry for the VIP is the virtual MAC and stays right
# across a failover (no update needed); SIGTERM removes the macvlan. Then
# the same against keepalived's use_vmac.
#
#   r1 (100) eth0 192.168.0.1 ─┐
#   r2 (90)  eth0 192.168.0.2 ─┼─ br0 (namespace sw)
#   obs      eth0 192.168.0.9 ─┘   VIP 192.168.0.100 on vrrp.51 of the MASTER
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/common.sh"
need_root
LAN_NAMES=(r1 r2 obs); make_lan "${LAN_NAMES[@]}"
addr r1 192.168.0.1; addr r2 192.168.0.2; addr obs 192.168.0.9
VIP=192.168.0.100; VMAC=00:00:5e:00:01:33
sw=$(ns_name sw)

vmac_state() { nsx "$1" ip -o link show vrrp.51 2>/dev/null | grep -o "state [A-Z]*" | awk '{print $2}'; }
vmac_mac() { nsx "$1" ip -o link show vrrp.51 | grep -o "link/ether [0-9a-f:]*" | awk '{print $2}'; }
vmac_up() { nsx "$1" ip -o link show vrrp.51 2>/dev/null | grep -q "<.*,UP"; }
obs_mac() { nsx obs ip neigh show $VIP | grep -o "lladdr [0-9a-f:]*" | awk '{print $2}'; }
obs_mac_is() { [ "$(obs_mac)" = $VMAC ]; }
obs_ping() { nsx obs ping -c 1 -W 1 $VIP >/dev/null; }

start_vrrpd r1 "$(conf r1 100 extra='      use_vmac: true')"
start_vrrpd r2 "$(conf r2 90 extra='      use_vmac: true')"
expect_wait 5 "r1 MASTER" state_is r1 VI_1 MASTER
expect_wait 5 "r2 BACKUP" state_is r2 VI_1 BACKUP
ok "r1 created vrrp.51 with the virtual MAC" test "$(vmac_mac r1)" = $VMAC
ok "r2 created vrrp.51 too" test "$(vmac_mac r2)" = $VMAC
ok "vrrp.51 is up on the MASTER" vmac_up r1
ok "vrrp.51 is down on the BACKUP" bash -c "! ip -n $(ns_name r2) -o link show vrrp.51 | grep -q '<.*,UP'"
expect_wait 2 "the VIP is on r1's vrrp.51" has_vip r1 $VIP vrrp.51
ok "not on eth0" bash -c "! ip -n $(ns_name r1) -o addr show dev eth0 | grep -qw $VIP"
nsx obs timeout 3 tcpdump -c 2 -e -n -i eth0 'ip proto 112' >"$WORK/adv.txt" 2>/dev/null
ok "adverts leave from the virtual MAC" grep -q "^.*$VMAC > 01:00:5e:00:00:12" "$WORK/adv.txt"
expect_wait 3 "the observer reaches the VIP" obs_ping
echo "# observer: $(nsx obs ip neigh show $VIP)"
expect_wait 2 "the observer's ARP entry for the VIP is the virtual MAC" obs_mac_is

# failover by cutting r1's link: r2 brings its vrrp.51 up with the same MAC
ip -n "$sw" link set "$(port_of r1)" down
expect_wait 5 "r2 takes over" state_is r2 VI_1 MASTER
expect_wait 2 "r2's vrrp.51 is up" vmac_up r2
expect_wait 2 "the VIP is on r2's vrrp.51" has_vip r2 $VIP vrrp.51
ok "r1 (FAULT) took its vrrp.51 down" bash -c "! ip -n $(ns_name r1) -o link show vrrp.51 | grep -q '<.*,UP'"
ok "the observer's entry is still the virtual MAC" test "$(obs_mac)" = $VMAC
expect_wait 3 "the observer reaches the VIP on r2 without an ARP update" obs_ping
ip -n "$sw" link set "$(port_of r1)" up
expect_wait 5 "r1 back as MASTER" state_is r1 VI_1 MASTER
expect_wait 3 "the observer reaches the VIP again" obs_ping
kill -TERM "$(vrrpd_pid r1)" "$(vrrpd_pid r2)"
for n in r1 r2; do wait_for 3 "$n stopped" bash -c "! kill -0 $(vrrpd_pid $n)"; done
ok "SIGTERM removed r1's vrrp.51" bash -c "! ip -n $(ns_name r1) link show vrrp.51 2>/dev/null"
ok "SIGTERM removed r2's vrrp.51" bash -c "! ip -n $(ns_name r2) link show vrrp.51 2>/dev/null"

# interop: keepalived with use_vmac as the peer
rm -rf "$WORK/r1/run"; nsx obs ip neigh flush all
start_vrrpd r1 "$(conf r1 100 extra='      use_vmac: true')"
start_keepalived r2 "$(kaconf r2 90 extra='  use_vmac')"
expect_wait 5 "interop: halo MASTER" state_is r1 VI_1 MASTER
expect_wait 6 "interop: keepalived BACKUP" ka_state_is r2 BACKUP
sleep 0.5
ok "interop: keepalived stays BACKUP" ka_state_is r2 BACKUP
expect_wait 3 "interop: the observer reaches the VIP" obs_ping
ok "interop: the VIP's MAC is the virtual MAC" test "$(obs_mac)" = $VMAC
kill -TERM "$(vrrpd_pid r1)"
expect_wait 6 "interop: keepalived takes over on halo's SIGTERM" ka_state_is r2 MASTER
expect_wait 3 "interop: the observer reaches the VIP on keepalived" obs_ping
ok "interop: still the virtual MAC" test "$(obs_mac)" = $VMAC
finish
