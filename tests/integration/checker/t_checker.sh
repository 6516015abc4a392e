#!/usr/bin/env bash
# halo-checker against real servers in network namespaces: nginx over HTTP and
# HTTPS (test CA made here with openssl), a TCP line server, an SMTP banner
# server and a script; each goes down, answers wrong and comes back, observed
# through the subscriber socket and the log. Also: privilege drop to nobody
# with no capabilities, late subscriber snapshot, status counters, reload.
#
#   +----------------------------+            +------------------------------------+
#   | chk-SFX                    |    veth    | srv-SFX                            |
#   |  halo-checker (root ->     |  eth0      |  eth0 10.77.0.2  nginx :80 (http)  |
#   |   nobody, no caps)         |------------|    :443 rs.test / other.test (SNI) |
#   |  script runner (nobody)    |            |    :8443 client cert required      |
#   |  ctl.py subscriber         |            |    :9443 expired certificate       |
#   |  eth0 10.77.0.1/24         |            |       10.77.0.3  tcp :7000         |
#   |                            |            |                  smtp :2525        |
#   +----------------------------+            +------------------------------------+
#   VS [192.168.0.100]:tcp:80 and [192.168.0.101]:tcp:80 share one http probe.
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../lib.sh"
need_root
CHECKER=${CHECKER:-$BUILD/checker/halo-checker}
[ -x "$CHECKER" ] || { echo "no $CHECKER (build first)"; exit 1; }
command -v nginx >/dev/null || { echo "SKIP: nginx not installed"; exit $KSFT_SKIP; }
chmod 755 "$WORK"      # the checker and its scripts run as nobody
CTL="python3 $here/ctl.py"
SRVPY="python3 $here/servers.py"
F=$WORK/flags
mkdir -p "$F" "$WORK/www-http" "$WORK/www-https" "$WORK/tls" "$WORK/ngx-tmp" "$WORK/chk"
chmod 755 "$F" "$WORK/chk"

CHK=$(ns_name chk)
SRV=$(ns_name srv)
ip netns add "$CHK"; NSES+=("$CHK")
ip netns add "$SRV"; NSES+=("$SRV")
ip link add "c-$SUFFIX" netns "$CHK" type veth peer name "s-$SUFFIX" netns "$SRV"
ip -n "$CHK" link set "c-$SUFFIX" name eth0
ip -n "$SRV" link set "s-$SUFFIX" name eth0
for ns in "$CHK" "$SRV"; do ip -n "$ns" link set lo up; ip -n "$ns" link set eth0 up; done
ip -n "$CHK" addr add 10.77.0.1/24 dev eth0
ip -n "$SRV" addr add 10.77.0.2/24 dev eth0
ip -n "$SRV" addr add 10.77.0.3/24 dev eth0

# ---- test CA and server certificates (good, expired, wrong host) ----
make_certs() {
	cd "$WORK/tls" || return 1
	local ec=(-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes)
	openssl req -x509 "${ec[@]}" -keyout ca.key -out ca.pem -subj "/CN=halo test CA" -days 2 \
		-addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign
	openssl req -new "${ec[@]}" -keyout server.key -out rs.csr -subj /CN=rs.test
	openssl req -new -key server.key -out other.csr -subj /CN=other.test
	# 2 days left: also exercises the expiry warning (default 14 days)
	openssl x509 -req -in rs.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 \
		-extfile <(echo subjectAltName=DNS:rs.test) -out good.pem
	openssl x509 -req -in other.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 \
		-extfile <(echo subjectAltName=DNS:other.test) -out wronghost.pem
	openssl req -new "${ec[@]}" -keyout client.key -out client.csr -subj /CN=halo-checker
	openssl x509 -req -in client.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 \
		-extfile <(echo extendedKeyUsage=clientAuth) -out client.pem
	chmod 644 client.key
	mkdir -p ca/newcerts; : >ca/index.txt; echo 01 >ca/serial
	printf '%s\n' '[ca]' 'default_ca=t' '[t]' 'database=ca/index.txt' 'new_certs_dir=ca/newcerts' \
		'serial=ca/serial' 'default_md=sha256' 'policy=p' 'unique_subject=no' '[p]' \
		'commonName=supplied' '[ext]' 'subjectAltName=DNS:rs.test' >ca.cnf
	openssl ca -batch -config ca.cnf -cert ca.pem -keyfile ca.key -in rs.csr -out expired.pem \
		-startdate 20200101000000Z -enddate 20200102000000Z -extensions ext
	cp good.pem server.pem
	chmod 644 ./*.pem
}
(make_certs) >"$WORK/openssl.log" 2>&1 || { cat "$WORK/openssl.log"; echo "openssl failed"; exit 1; }

# ---- nginx: /health answers "status: OK"; flag files make it 503 or slow ----
health_body() { { echo "status: OK"; head -c 4000 /dev/zero | tr '\0' '.'; echo; } >"$1/health"; }
health_body "$WORK/www-http"
health_body "$WORK/www-https"
chmod -R a+rX "$WORK/www-http" "$WORK/www-https"
cat >"$WORK/nginx.conf" <<EOF
worker_processes 1;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log;
events { worker_connections 256; }
http {
	access_log off;
	client_body_temp_path $WORK/ngx-tmp/body;
	proxy_temp_path $WORK/ngx-tmp/proxy;
	fastcgi_temp_path $WORK/ngx-tmp/fastcgi;
	uwsgi_temp_path $WORK/ngx-tmp/uwsgi;
	scgi_temp_path $WORK/ngx-tmp/scgi;
	default_type text/plain;
	log_format reuse '\$server_port \$connection \$connection_requests';
	server {   # http.reuse_connection: many checks on one connection
		listen 10.77.0.2:8080;
		access_log $WORK/reuse.log reuse;
		root $WORK/www-http;
		location / { if (-f $F/reuse-maint) { return 503; } }
	}
	server {   # kept connections of a checker with a small descriptor limit
		listen 10.77.0.2:8082;
		access_log $WORK/reuse.log reuse;
		root $WORK/www-http;
	}
	server {   # closes idle connections before the next check is due
		listen 10.77.0.2:8081;
		keepalive_timeout 100ms;
		access_log $WORK/reuse.log reuse;
		root $WORK/www-http;
	}
	server {
		listen 10.77.0.2:80;
		root $WORK/www-http;
		location / {
			if (-f $F/http-maint) { return 503; }
			if (-f $F/http-slow) { set \$limit_rate 20; }
		}
	}
	server {
		listen 10.77.0.2:443 ssl;
		server_name rs.test;
		ssl_certificate $WORK/tls/server.pem;
		ssl_certificate_key $WORK/tls/server.key;
		root $WORK/www-https;
	}
	server {   # chosen by SNI only
		listen 10.77.0.2:443 ssl;
		server_name other.test;
		ssl_certificate $WORK/tls/wronghost.pem;
		ssl_certificate_key $WORK/tls/server.key;
		root $WORK/www-https;
	}
	server {   # client certificates required
		listen 10.77.0.2:8443 ssl;
		ssl_certificate $WORK/tls/good.pem;
		ssl_certificate_key $WORK/tls/server.key;
		ssl_verify_client on;
		ssl_client_certificate $WORK/tls/ca.pem;
		root $WORK/www-https;
	}
	server {   # always the expired certificate
		listen 10.77.0.2:9443 ssl;
		ssl_certificate $WORK/tls/expired.pem;
		ssl_certificate_key $WORK/tls/server.key;
		root $WORK/www-https;
	}
}
EOF
NGINX_PID=
start_nginx() {
	ip netns exec "$SRV" nginx -c "$WORK/nginx.conf" -g 'daemon off;' >>"$WORK/nginx.log" 2>&1 &
	NGINX_PID=$!
	PIDS+=("$NGINX_PID")
	wait_for 10 "nginx listens" ip netns exec "$SRV" bash -c 'exec 3<>/dev/tcp/10.77.0.2/80'
}
stop_pid() {
	kill "$1" 2>/dev/null
	wait_for 10 "pid $1 exits" bash -c "! kill -0 $1 2>/dev/null"
}
TCP_PID=
start_tcp() {
	ip netns exec "$SRV" $SRVPY tcp 10.77.0.3 7000 "$F" >>"$WORK/tcp.log" 2>&1 &
	TCP_PID=$!
	PIDS+=("$TCP_PID")
	wait_for 10 "tcp server listens" ip netns exec "$SRV" bash -c 'exec 3<>/dev/tcp/10.77.0.3/7000'
}
ip netns exec "$SRV" nginx -t -c "$WORK/nginx.conf" >"$WORK/nginx-t.log" 2>&1 ||
	{ cat "$WORK/nginx-t.log"; echo "nginx config invalid"; exit 1; }
start_nginx
start_tcp
ip netns exec "$SRV" $SRVPY smtp 10.77.0.3 2525 "$F" >>"$WORK/smtp.log" 2>&1 &
PIDS+=($!)
touch "$F/script-up"

# ---- checker configuration ----
HTTP_CHECK='{ http: { path: /health, status: [200], body_regex: "status: OK" }, interval: 300ms, timeout: 2s, retry: 1, retry_delay: 100ms }'
write_conf() {   # write_conf FILE [extra real server yaml]
	cat >"$1" <<EOF
global: { router_id: chk, script_user: nobody, checker_user: nobody }
virtual_servers:
  - address: 192.168.0.100
    port: 80
    real_servers:
      - { address: 10.77.0.2, port: 80, check: $HTTP_CHECK }
      - address: 10.77.0.3
        port: 7000
        check: { tcp: { send: "PING\n", expect: PONG }, interval: 300ms, timeout: 2s, retry: 0 }
  - address: 192.168.0.101
    port: 80
    real_servers:
      - { address: 10.77.0.2, port: 80, weight: 3, check: $HTTP_CHECK }
  - address: 192.168.0.100
    port: 443
    real_servers:
      - address: 10.77.0.2
        port: 443
        check: { https: { path: /health, host: rs.test, ca_file: $WORK/tls/ca.pem }, interval: 300ms, timeout: 2s, retry: 0 }
  - address: 192.168.0.100
    port: 8443
    real_servers:
      - address: 10.77.0.2
        port: 8443
        check:
          https: { path: /health, host: rs.test, ca_file: $WORK/tls/ca.pem, client_cert: $WORK/tls/client.pem, client_key: $WORK/tls/client.key }
          interval: 300ms
          timeout: 2s
      - address: 10.77.0.8
        port: 8443
        check:
          https: { path: /health, host: rs.test, ca_file: $WORK/tls/ca.pem }
          connect_address: 10.77.0.2
          interval: 300ms
          timeout: 2s
      - address: 10.77.0.7
        port: 8443
        check:
          https: { path: /health, host: rs.test, sni: other.test, ca_file: $WORK/tls/ca.pem }
          connect_address: 10.77.0.2
          connect_port: 443
          interval: 300ms
          timeout: 2s
      - address: 10.77.0.2
        port: 9443
        check: { https: { path: /health, host: rs.test, verify: false }, interval: 300ms, timeout: 2s }
  - address: 192.168.0.102
    port: 80
    real_servers:
      - { address: 10.77.0.2, port: 8080, check: { http: { path: /health, reuse_connection: true }, interval: 200ms, timeout: 2s, retry: 0 } }
      - { address: 10.77.0.2, port: 8081, check: { http: { path: /health, reuse_connection: true }, interval: 300ms, timeout: 2s, retry: 0 } }
  - address: 192.168.0.100
    port: 25
    real_servers:
      - { address: 10.77.0.3, port: 2525, check: { smtp: {}, interval: 300ms, timeout: 2s, retry: 0 } }
      - address: 10.77.0.9
        port: 25
        check:
          script:
            command: [/bin/sh, -c, 'if [ -e $F/script-hang ]; then exec sleep 31.7; fi; test "\$(id -un)" = nobody && test -e $F/script-up']
          interval: 300ms
          timeout: 1500ms
          retry: 0
${2:-}
EOF
	chmod 644 "$1"
}
CONF=$WORK/chk/halo.yaml
write_conf "$CONF"
ok "-n accepts the configuration" "$CHECKER" -n -f "$CONF"
echo 'virtual_servers: [ { address: 192.168.0.100, port: 80, bogus: 1 } ]' >"$WORK/chk/bad.yaml"
ok "-n rejects a bad configuration" bash -c "! '$CHECKER' -n -f '$WORK/chk/bad.yaml' 2>/dev/null"

RUN=$WORK/run
LOG=$WORK/chk/checker.log
# proxy variables in the checker's environment (an operator's shell, a unit's
# Environment=) must not send checks through a proxy: 10.77.0.1:9 refuses
ip netns exec "$CHK" env http_proxy=http://10.77.0.1:9 HTTPS_PROXY=http://10.77.0.1:9 \
	all_proxy=http://10.77.0.1:9 "$CHECKER" -d -f "$CONF" --run-dir "$RUN" >>"$LOG" 2>&1 &
CHECKER_PID=$!
PIDS+=("$CHECKER_PID")
wait_for 10 "checker socket" test -S "$RUN/halo-checker.sock" || { cat "$LOG"; exit 1; }
SUBOUT=$WORK/chk/sub.jsonl
$CTL sub "$RUN/halo-checker.sock" "$SUBOUT" &
PIDS+=($!)

H1='[10.77.0.2]:tcp:80'; T1='[10.77.0.3]:tcp:7000'; S1='[10.77.0.2]:tcp:443'
M1='[10.77.0.3]:tcp:2525'; X1='[10.77.0.9]:tcp:25'
R1='[10.77.0.2]:tcp:8080'; R2='[10.77.0.2]:tcp:8081'
waitrs() { $CTL wait "$SUBOUT" "$1" "$2" "$3" "${4:-15}"; }
expect_rs() { expect_wait 1 "$1: $2 up=$3 reason=$4" waitrs "$2" "$3" "$4" "${5:-15}"; }
logged() { grep -qF -- "$1" "$LOG"; }

for rs in "$H1" "$T1" "$S1" "$M1" "$X1" "$R1" "$R2"; do expect_rs "start" "$rs" true ok; done
expect_rs "https with a client certificate" '[10.77.0.2]:tcp:8443' true ok
expect_rs "https without the required client certificate (connect_address)" '[10.77.0.8]:tcp:8443' false status
expect_rs "https verify: false accepts an expired certificate" '[10.77.0.2]:tcp:9443' true ok
expect_rs "https sends the sni name and verifies against it" '[10.77.0.7]:tcp:8443' true ok

# ---- privileges ----
capline() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status"; }
ok "checker runs as nobody" [ "$(awk '$1 == "Uid:" { print $2 }' "/proc/$CHECKER_PID/status")" = "$(id -u nobody)" ]
ok "checker holds no effective capabilities" [ "$(capline "$CHECKER_PID" CapEff)" = 0000000000000000 ]
ok "checker holds no permitted capabilities" [ "$(capline "$CHECKER_PID" CapPrm)" = 0000000000000000 ]
RUNNER_PID=$(pgrep -P "$CHECKER_PID" | head -1)
ok "script runner runs as nobody without capabilities" \
	[ "$(awk '$1 == "Uid:" { print $2 }' "/proc/$RUNNER_PID/status")-$(capline "$RUNNER_PID" CapEff)" = "$(id -u nobody)-0000000000000000" ]
ok "certificate expiry warning logged" wait_for 5 "expiry warning" logged "certificate of [10.77.0.2]:443 expires in "

# ---- http reuse_connection: one connection, a closed one replaced ----
# reuse_stats PORT: requests, distinct connections, most requests on one
reuse_stats() { awk -v p="$1" '$1 == p { n++; c[$2] = 1; if ($3 > m) m = $3 }
	END { k = 0; for (x in c) k++; print n + 0, k, m + 0 }' "$WORK/reuse.log"; }
reuse_kept() { local n k m; read -r n k m < <(reuse_stats 8080); [ "$n" -ge 10 ] && [ "$k" -le 2 ] && [ "$m" -ge 5 ]; }
expect_wait 10 "reuse_connection: 10 checks on at most 2 connections" reuse_kept
read -r n k m < <(reuse_stats 8081)
ok "server closing idle connections: each check connects again ($n requests, $k connections)" \
	[ "$n" -ge 3 -a "$k" -ge $((n - 1)) ]
rs_failures() { $CTL status "$RUN/halo-checker.sock" | python3 -c '
import json, sys
print([r for r in json.load(sys.stdin)["real_servers"] if r["rs"] == sys.argv[1]][0]["failures"])' "$1"; }
ok "a connection the server closed is replaced without a failed check" [ "$(rs_failures "$R2")" = 0 ]
touch "$F/reuse-maint"
expect_rs "http 503 on a reused connection" "$R1" false status
rm "$F/reuse-maint"
expect_rs "reused connection back" "$R1" true ok

# A second checker with a small descriptor limit (1024: 256 kept connections)
# and 40 reused checks, which fill two of the 128 libcurl multi handles: the
# budget is shared by the handles in use, so every check keeps its connection
# (split over all 128, each handle could keep 2 and most checks reconnected).
{ echo 'global: { script_user: nobody }'
  echo 'virtual_servers: [ { address: 192.168.0.103, port: 80, real_servers: ['
  for i in $(seq 1 40); do
	echo "  { address: 10.78.0.$i, port: 80, check: { http: { path: /health?k=$i, reuse_connection: true }, connect_address: 10.77.0.2, connect_port: 8082, interval: 250ms, timeout: 2s } },"
  done
  echo '] } ]'; } >"$WORK/chk/budget.yaml"
chmod 644 "$WORK/chk/budget.yaml"
ip netns exec "$CHK" prlimit --nofile=1024:1024 "$CHECKER" -d -f "$WORK/chk/budget.yaml" \
	--run-dir "$WORK/run-budget" >>"$WORK/chk/budget.log" 2>&1 &
BUDGET_PID=$!
PIDS+=("$BUDGET_PID")
budget_enough() { local n k m; read -r n k m < <(reuse_stats 8082); [ "$n" -ge 400 ]; }
expect_wait 20 "40 reused checks under RLIMIT_NOFILE 1024: 400 requests" budget_enough
read -r n k m < <(reuse_stats 8082)
ok "40 reused checks under a small descriptor limit keep their connections ($n requests on $k connections)" \
	[ "$n" -ge 400 -a "$k" -le 50 ]
kill -TERM "$BUDGET_PID"
ok "the second checker stops" wait_for 5 "second checker exits" bash -c "! kill -0 $BUDGET_PID 2>/dev/null"

# ---- HTTP: 503, wrong body, trickle, server down, back up ----
touch "$F/http-maint"
expect_rs "http 503" "$H1" false status
expect_rs "http 503 fans out to the second VS" "[192.168.0.101]:tcp:80|$H1" false status
ok "log: Removing ... reason=status code=503" logged "Removing service $H1 from VS [192.168.0.100]:tcp:80 reason=status code=503"
ok "log: removal in the second VS too" logged "Removing service $H1 from VS [192.168.0.101]:tcp:80 reason=status code=503"
rm "$F/http-maint"
expect_rs "http back" "$H1" true ok
ok "log: Adding service" logged "Adding service $H1 to VS [192.168.0.100]:tcp:80"
echo "status: DOWN" >"$WORK/www-http/health"
expect_rs "http wrong body" "$H1" false regex_mismatch
health_body "$WORK/www-http"
expect_rs "http back after wrong body" "$H1" true ok
touch "$F/http-slow"
expect_rs "http trickle stops at the timeout" "$H1" false timeout
rm "$F/http-slow"
expect_rs "http back after trickle" "$H1" true ok
stop_pid "$NGINX_PID"
expect_rs "http server down" "$H1" false refused
expect_rs "https server down" "$S1" false refused
expect_rs "reuse_connection: server down" "$R1" false refused
start_nginx
expect_rs "http server back" "$H1" true ok
expect_rs "reuse_connection: server back" "$R1" true ok
expect_rs "https server back" "$S1" true ok

# ---- HTTPS: expired and wrong-host certificates ----
swap_cert() { cp "$WORK/tls/$1.pem" "$WORK/tls/server.pem"; kill -HUP "$NGINX_PID"; }
swap_cert expired
expect_rs "https expired certificate" "$S1" false certificate_expired
swap_cert good
expect_rs "https back" "$S1" true ok
swap_cert wronghost
expect_rs "https wrong-host certificate" "$S1" false certificate_hostname
ok "log: Removing ... reason=certificate_hostname" logged "Removing service $S1 from VS [192.168.0.100]:tcp:443 reason=certificate_hostname"
swap_cert good
expect_rs "https back after wrong host" "$S1" true ok

# ---- TCP: wrong reply, down, back ----
touch "$F/tcp-wrong"
expect_rs "tcp wrong reply" "$T1" false expect_mismatch
rm "$F/tcp-wrong"
expect_rs "tcp back" "$T1" true ok
stop_pid "$TCP_PID"
expect_rs "tcp server down" "$T1" false refused
start_tcp
expect_rs "tcp server back" "$T1" true ok

# ---- SMTP: wrong banner, back ----
touch "$F/smtp-wrong"
expect_rs "smtp 554 banner" "$M1" false expect_mismatch
rm "$F/smtp-wrong"
expect_rs "smtp back" "$M1" true ok

# ---- script: exit 1, killed at the timeout, back ----
rm "$F/script-up"
expect_rs "script exit 1" "$X1" false exit
touch "$F/script-up"
expect_rs "script back" "$X1" true ok
touch "$F/script-hang"
expect_rs "script killed at the timeout" "$X1" false timeout
ok "at most one hung script at a time" [ "$(pgrep -fc "sleep 31[.]7")" -le 1 ]
rm "$F/script-hang"
expect_rs "script back after hang" "$X1" true ok
ok "hung scripts were killed" wait_for 5 "sleep 31.7 gone" bash -c '! pgrep -f "sleep 31[.]7"'

# ---- late subscriber and status ----
SNAP=$($CTL snapshot "$RUN/halo-checker.sock")
ok "late subscriber gets the full snapshot" python3 -c '
import json, sys
m = json.loads(sys.argv[1])
rs = {(r["vs"], r["rs"]): r for r in m["real_servers"]}
assert m["v"] == 1 and m["type"] == "snapshot", m
assert len(rs) == 12, rs.keys()
for r in rs.values():
    if r["rs"] == "[10.77.0.8]:tcp:8443":
        assert r["up"] is False and r["reason"] == "status" and r["code"] == 400, r
        continue
    assert r["up"] is True and r["reason"] == "ok", r
    assert set(r) >= {"vs", "rs", "address", "port", "up", "weight", "reason", "latency_ms"}, r
assert rs[("[192.168.0.101]:tcp:80", "[10.77.0.2]:tcp:80")]["weight"] == 3
assert rs[("[192.168.0.100]:tcp:80", "[10.77.0.2]:tcp:80")]["weight"] == 1
' "$SNAP"
STATUS=$($CTL status "$RUN/halo-checker.sock")
ok "status has counters and 11 probes for 12 real servers" python3 -c '
import json, sys
s = json.loads(sys.argv[1])
assert s["ok"] and s["probes"] == 11, s["probes"]
h = [r for r in s["real_servers"] if r["rs"] == "[10.77.0.2]:tcp:80"]
assert len(h) == 2 and h[0]["checks"] > 10 and h[0]["failures"] > 0 and h[0]["transitions"] >= 8, h
' "$STATUS"

# ---- reload: unchanged checks keep state, bad file keeps the old config ----
checks_of() { $CTL status "$RUN/halo-checker.sock" | python3 -c '
import json, sys
print([r for r in json.load(sys.stdin)["real_servers"] if r["rs"] == sys.argv[1]][0]["checks"])' "$1"; }
before=$(checks_of "$H1")
removals=$(grep -c "Removing service" "$LOG")
kill -HUP "$CHECKER_PID"
ok "reload logged" wait_for 5 "reload" logged "configuration reloaded"
after=$(checks_of "$H1")
ok "reload keeps the counters of unchanged checks ($before -> $after)" [ "$after" -ge "$before" ]
cp "$CONF" "$CONF.good"
echo "garbage: [" >>"$CONF"
kill -HUP "$CHECKER_PID"
ok "bad reload is refused" wait_for 5 "refused reload" logged "keeping the running configuration"
ok "the checker still answers after a bad reload" bash -c "$CTL status '$RUN/halo-checker.sock' | grep -q '\"ok\": *true'"
write_conf "$CONF" "      - { address: 10.77.0.3, port: 7000, check: { tcp: {}, interval: 300ms, timeout: 2s } }"
kill -HUP "$CHECKER_PID"
snapshot_size() { python3 -c '
import json, sys
snaps = [m for m in map(json.loads, open(sys.argv[1])) if m.get("type") == "snapshot"]
sys.exit(0 if len(snaps[-1]["real_servers"]) == int(sys.argv[2]) else 1)' "$SUBOUT" "$1"; }
expect_wait 5 "added real server appears in a new snapshot" snapshot_size 13
ok "no flap during reloads" [ "$(grep -c "Removing service" "$LOG")" = "$removals" ]

# ---- clean stop: the runner goes with the checker ----
kill -TERM "$CHECKER_PID"
ok "SIGTERM stops the checker" wait_for 5 "checker exits" bash -c "! kill -0 $CHECKER_PID 2>/dev/null"
ok "the script runner exits with it" wait_for 5 "runner exits" bash -c "! kill -0 $RUNNER_PID 2>/dev/null"
finish
