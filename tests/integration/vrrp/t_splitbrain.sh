#!/usr/bin/env bash
# Split brain: r2's switch port is taken off the bridge (its link stays up),
# so both routers are MASTER; after the bridge heals exactly one MASTER is
# left within one advert interval, and both log the event once with
# key=value fields and count it in status.
#
#   r1 (100) eth0 192.168.0.1 ─┐
#                               ├─ br0 (namespace sw)   1 s adverts
#   r2 (90)  eth0 192.168.0.2 ─┘  (port removed from br0 = partition)
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/common.sh"
need_root
LAN_NAMES=(r1 r2); make_lan "${LAN_NAMES[@]}"
addr r1 192.168.0.1; addr r2 192.168.0.2
VIP=192.168.0.100
sw=$(ns_name sw)
start_vrrpd r1 "$(conf r1 100 interval=1s)"; start_vrrpd r2 "$(conf r2 90 interval=1s)"
expect_wait 6 "r1 MASTER" state_is r1 VI_1 MASTER
expect_wait 6 "r2 BACKUP" state_is r2 VI_1 BACKUP

ip -n "$sw" link set "$(port_of r2)" nomaster
expect_wait 6 "partitioned: r2 becomes MASTER too" state_is r2 VI_1 MASTER
ok "both hold the VIP (split brain)" bash -c "$(declare -f nsx ns_name has_vip); SUFFIX=$SUFFIX; has_vip r1 $VIP && has_vip r2 $VIP"
ip netns exec "$(ns_name r1)" tcpdump -l -tt -n -i eth0 'ip proto 112' >"$WORK/heal.txt" 2>/dev/null &
PIDS+=($!)
sleep 0.5
t0=$(date +%s.%N)
ip -n "$sw" link set "$(port_of r2)" master br0
expect_wait 3 "one MASTER again" state_is r2 VI_1 BACKUP
sleep 1.5
# on the wire: whoever sends first after healing, r2 steps down on r1's
# first advert (sent within one interval, or at once in answer to r2's),
# and r2 sends nothing after that (50 ms of grace for an advert of r2's that
# crossed r1's on the wire: the next one would come a whole interval later)
res=$(awk -v t0="$t0" '$1 > t0 && $3 == "192.168.0.1" && !r1 { r1 = $1 }
	$1 > t0 && $3 == "192.168.0.2" { if (r1 && $1 > r1 + 0.05) late++; else if (!r1) early++ }
	END { printf "%.3f %d %d", r1 - t0, early, late }' "$WORK/heal.txt")
echo "# healed: r1's first advert after ${res%% *} s; r2 adverts before/after it: ${res#* } (interval 1 s)"
set -- $res
ok "r1's advert that ends the split came within one advert interval" awk -v d="$1" 'BEGIN { exit !(d > 0 && d <= 1.0) }'
ok "r2 sent at most one advert as MASTER after healing" test "$2" -le 1
ok "r2 sent no advert after r1's (stepped down at once)" test "$3" -eq 0
ok "r1 stayed MASTER" state_is r1 VI_1 MASTER
expect_wait 2 "exactly one VIP holder" exactly_one_vip $VIP r1 r2
ok "r2 logged the other master (higher) with key=value fields" grep -q "split brain suspected: other_master instance=VI_1 vrid=51 interface=eth0 state=MASTER priority=90 peer=192.168.0.1 peer_priority=100 relation=higher" "$WORK/r2/vrrpd.log"
ok "logged once per episode on r2" test "$(grep -c 'split brain suspected: other_master' "$WORK/r2/vrrpd.log")" -eq 1
ok "counted in r2's status" test "$(status_field r2 VI_1 split_brain.other_master)" -ge 1
ok "status names the peer" test "$(status_field r2 VI_1 split_brain.last_peer)" = 192.168.0.1
if [ "$2" -ge 1 ]; then   # r2 spoke first: r1 saw a lower master too
	ok "r1 logged the other master (lower)" grep -q "split brain suspected: other_master .*peer=192.168.0.2 peer_priority=90 relation=lower" "$WORK/r1/vrrpd.log"
fi
finish
