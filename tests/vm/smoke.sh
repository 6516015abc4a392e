# Guest smoke test: the IPVS module is loaded and ipvsadm programs it.
set -e
grep -q '^ip_vs ' /proc/modules || { echo "FAIL: ip_vs not loaded"; exit 1; }
ipvsadm -A -t 10.0.0.1:80 -s rr
ipvsadm -a -t 10.0.0.1:80 -r 10.0.0.2:80 -g -w 3
out=$(ipvsadm -Ln)
echo "$out"
echo "$out" | grep -q 'TCP  10.0.0.1:80 rr' || { echo "FAIL: service missing"; exit 1; }
echo "$out" | grep -q -- '-> 10.0.0.2:80 *Route *3' || { echo "FAIL: destination missing"; exit 1; }
/usr/bin/ip netns add smoke
/usr/bin/ip -n smoke link set lo up
/usr/bin/ip link add v0 type veth peer name v1 netns smoke
echo "OK: ipvs smoke"
