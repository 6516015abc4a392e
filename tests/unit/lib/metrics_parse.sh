#!/usr/bin/env bash
# The metrics text must parse with an independent OpenMetrics parser
# (python3-prometheus-client from Debian), with the families we expect.
set -eu
bin=$1; out=$2
"$bin" "$out"
/usr/bin/python3 - "$out" <<'PY' || exit 1
import sys
try:
    from prometheus_client.openmetrics.parser import text_string_to_metric_families
except ImportError:
    print("SKIP: python3-prometheus-client is not installed (tests/run.sh installs it)")
    sys.exit(77)
fams = {f.name: f for f in text_string_to_metric_families(open(sys.argv[1]).read())}
need = {"halo_up": "gauge", "halo_vrrp_instance_state": "stateset", "halo_vrrp_transitions": "counter",
        "halo_vrrp_drops": "counter", "halo_real_server_up": "gauge", "halo_check_latency_seconds": "gauge",
        "halo_ipvs_destination_active_connections": "gauge", "halo_ipvs_destination_in_bytes": "counter",
        "halo_ipvs_sync_daemon": "gauge"}
bad = [f"{n}: {fams[n].type if n in fams else 'missing'}" for n, t in need.items() if n not in fams or fams[n].type != t]
if bad:
    print("wrong families:", bad); sys.exit(1)
labels = [s.labels for s in fams["halo_real_server_up"].samples]
assert {"vs": 'we"ird\\', "rs": "x"} in labels, labels
print(f"parsed {len(fams)} families")
PY
