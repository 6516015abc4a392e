# Sourced by bench_checker.sh and check_cost.sh: the benchmark's lab. Needs W
# (a work directory); sets NS and PIDS. lab_up makes a network namespace whose
# lo answers on every address of 10.100.0.0/16 and starts one nginx there
# serving GET /health and logging "$msec $server_addr" per request to
# $W/access.log (buffered: flushed every second); lab_down stops every pid in
# PIDS and deletes the namespace. lab_config N INTERVAL REUSE GLOBAL prints a
# halo.yaml checking N of those addresses over HTTP every INTERVAL (REUSE=1:
# http.reuse_connection), GLOBAL being the inside of its global mapping.
#
#   +--------------------------------------------------------------+
#   | bench-SFX (namespace)                                        |
#   |   lo: local route 10.100.0.0/16 (every address answers)      |
#   |   nginx *:80  <---- HTTP GET /health ---- halo-checker       |
#   |   access log: $msec $server_addr  -> drift per address       |
#   +--------------------------------------------------------------+
NS=bench-$(printf '%04x%04x' $RANDOM $RANDOM)
PIDS=()

lab_down() {
	local p
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
	sleep 0.5
	for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null || true; done
	ip netns del "$NS" 2>/dev/null || true
}

lab_up() {
	ip netns add "$NS"
	ip -n "$NS" link set lo up
	ip -n "$NS" route add local 10.100.0.0/16 dev lo
	ip netns exec "$NS" sysctl -qw net.ipv4.ip_local_port_range="1024 65000"
	ip netns exec "$NS" sysctl -qw net.ipv4.tcp_tw_reuse=1
	mkdir -p "$W/www" "$W/tmp"
	echo "status: OK" >"$W/www/health"
	chmod -R a+rX "$W/www"
	cat >"$W/nginx.conf" <<NGX
worker_processes 1;
worker_rlimit_nofile 65536;
pid $W/nginx.pid;
error_log $W/nginx-error.log;
events { worker_connections 16384; }
http {
	log_format t '\$msec \$server_addr';
	access_log $W/access.log t buffer=256k flush=1s;
	client_body_temp_path $W/tmp/body;
	proxy_temp_path $W/tmp/proxy;
	fastcgi_temp_path $W/tmp/fastcgi;
	uwsgi_temp_path $W/tmp/uwsgi;
	scgi_temp_path $W/tmp/scgi;
	server { listen 80 backlog=4096; root $W/www; }
}
NGX
	ip netns exec "$NS" nginx -c "$W/nginx.conf" -g 'daemon off;' &
	PIDS+=($!)
}

lab_config() {
	python3 - "$@" <<'PY'
import sys
n, interval, glob = int(sys.argv[1]), sys.argv[2], sys.argv[4]
reuse = ", reuse_connection: true" if sys.argv[3] == "1" else ""
print("global: { %s }" % glob)
print("virtual_servers:")
per = 250
for v in range((n + per - 1) // per):
    print("  - address: 192.168.%d.%d" % (v // 250, v % 250 + 1))
    print("    port: 80")
    print("    real_servers:")
    for i in range(v * per, min(n, (v + 1) * per)):
        print("      - { address: 10.100.%d.%d, port: 80, check: { http: { path: /health%s }, "
              "interval: %s, timeout: 2s, retry: 0, warmup: %s } }"
              % (i // 250, i % 250 + 1, reuse, interval, interval))
PY
}
