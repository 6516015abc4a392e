#!/usr/bin/env bash
# haloctl metrics --serve: GET /metrics answers OpenMetrics (parsed by
# prometheus_client), other paths 404, and a vrrpd in a namespace shows up.
#
#   r1 (halo-vrrpd, alone -> MASTER)      haloctl metrics --serve on 127.0.0.1:<port>
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../vrrp/common.sh"
need_root
LAN_NAMES=(r1); make_lan "${LAN_NAMES[@]}"
addr r1 192.168.0.1
start_vrrpd r1 "$(conf r1 100)"
expect_wait 5 "r1 MASTER" state_is r1 VI_1 MASTER
port=$((20000 + RANDOM % 20000))
"$HALOCTL" --run-dir "$WORK/r1/run" metrics --serve "127.0.0.1:$port" 2>"$WORK/metrics.log" &
PIDS+=($!)
expect_wait 5 "endpoint answers" curl -sf "http://127.0.0.1:$port/metrics" -o "$WORK/m.txt"
ok "content type is OpenMetrics" bash -c "curl -sI http://127.0.0.1:$port/metrics | grep -qi 'content-type: application/openmetrics-text'"
ok "other paths are 404" test "$(curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:$port/x)" = 404
ok "vrrpd is up in the metrics" grep -q 'halo_up{daemon="halo-vrrpd"} 1' "$WORK/m.txt"
ok "VI_1 MASTER in the state set" grep -q 'halo_vrrp_instance_state{instance="VI_1",halo_vrrp_instance_state="MASTER"} 1' "$WORK/m.txt"
ok "parses as OpenMetrics" /usr/bin/python3 -c "
import sys
from prometheus_client.openmetrics.parser import text_string_to_metric_families as p
f = {x.name: x for x in p(open('$WORK/m.txt').read())}
sys.exit(0 if f['halo_vrrp_adverts_sent'].samples[0].value > 0 else 1)"
finish
