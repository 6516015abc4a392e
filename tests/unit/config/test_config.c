/* Unit tests of the YAML config loader: durations, every kind of error with
 * its exact text and position, defaults, lookups and equality. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

#include "config.h"

static char *errbuf;

/* Loads `yaml`; returns the config or NULL with the error text in errbuf. */
static struct halo_config *load(const char *yaml)
{
	size_t len = 0;
	FILE *f;
	struct halo_config *cfg;

	free(errbuf);
	errbuf = NULL;
	f = open_memstream(&errbuf, &len);
	ck_assert_ptr_nonnull(f);
	cfg = config_load_buf("t.yaml", yaml, strlen(yaml), f);
	fclose(f);
	return cfg;
}

static struct halo_config *load_ok(const char *yaml)
{
	struct halo_config *cfg = load(yaml);

	ck_assert_msg(cfg != NULL, "unexpected errors:\n%s", errbuf);
	ck_assert_str_eq(errbuf, "");
	return cfg;
}

/* Asserts that `yaml` fails with exactly `want` (all lines). */
static void load_fails(const char *yaml, const char *want)
{
	struct halo_config *cfg = load(yaml);

	ck_assert_ptr_null(cfg);
	ck_assert_str_eq(errbuf, want);
}

static void teardown(void)
{
	free(errbuf);
	errbuf = NULL;
}

#define VI(extra) \
	"vrrp:\n" \
	"  instances:\n" \
	"    - name: VI_1\n" \
	"      interface: eth0\n" \
	"      vrid: 51\n" \
	"      virtual_addresses: [192.168.0.100/24]\n" extra

/* ---------------- durations ---------------- */

START_TEST(test_duration_good)
{
	static const struct { const char *s; cfg_ms ms; } tab[] = {
		{ "10ms", 10 }, { "1s", 1000 }, { "1.5s", 1500 }, { "2m", 120000 }, { "1h", 3600000 },
		{ "0s", 0 }, { "40.95s", 40950 }, { "1.001s", 1001 }, { "0.5m", 30000 }, { "1.000s", 1000 },
		{ "250ms", 250 },
	};
	cfg_ms v;

	for (size_t i = 0; i < sizeof(tab) / sizeof(tab[0]); i++) {
		v = 12345;
		ck_assert_msg(config_parse_duration(tab[i].s, &v) == 0, "%s", tab[i].s);
		ck_assert_uint_eq(v, tab[i].ms);
	}
}
END_TEST

START_TEST(test_duration_bad)
{
	static const char *const tab[] = {
		"250us", "5", "", "1.5ms", "s", "-1s", "1 s", "1S", "1.s", ".5s", "1d", "1sec",
		"99999999999999999999h", "1.0001s", "1e3ms", "0x10s", " 1s", "1s ", "10µs",
	};
	cfg_ms v = 777;

	for (size_t i = 0; i < sizeof(tab) / sizeof(tab[0]); i++)
		ck_assert_msg(config_parse_duration(tab[i], &v) == -1, "\"%s\" accepted", tab[i]);
	ck_assert_uint_eq(v, 777);
	ck_assert_int_eq(config_parse_duration(NULL, &v), -1);
}
END_TEST

START_TEST(test_duration_messages)
{
	load_fails("vrrp:\n  scripts:\n    s: { command: [/bin/true], interval: 250us }\n",
		   "t.yaml:3:42: vrrp.scripts.s.interval: bad duration \"250us\": below the 1ms resolution\n");
	load_fails("vrrp:\n  scripts:\n    s: { command: [/bin/true], interval: 5 }\n",
		   "t.yaml:3:42: vrrp.scripts.s.interval: bad duration \"5\": missing unit (ms, s, m or h)\n");
	load_fails("vrrp:\n  scripts:\n    s: { command: [/bin/true], interval: 2h }\n",
		   "t.yaml:3:42: vrrp.scripts.s.interval: 2h is out of range (1ms..3600s)\n");
}
END_TEST

/* ---------------- errors ---------------- */

START_TEST(test_error_unknown_key)
{
	load_fails(VI("      prioirty: 100\n"),
		   "t.yaml:7:7: vrrp.instances[0].prioirty: unknown key (did you mean priority?)\n");
	load_fails(VI("      garp: { burst: 2 }\n"),
		   "t.yaml:7:15: vrrp.instances[0].garp.burst: unknown key\n");
	load_fails("global:\n  router_id: a\nfoo: 1\n", "t.yaml:3:1: foo: unknown key\n");
}
END_TEST

START_TEST(test_error_wrong_type)
{
	load_fails("global: lb1\n", "t.yaml:1:9: global: expected a mapping, found a scalar\n");
	load_fails("vrrp:\n  instances: {}\n",
		   "t.yaml:2:14: vrrp.instances: expected a list, found a mapping\n");
	load_fails(VI("      priority: [1]\n"),
		   "t.yaml:7:17: vrrp.instances[0].priority: expected an integer, found a list\n");
	load_fails(VI("      preempt: yes\n"),
		   "t.yaml:7:16: vrrp.instances[0].preempt: expected true or false, found \"yes\"\n");
	load_fails(VI("      interface: eth1\n"),
		   "t.yaml:7:7: vrrp.instances[0].interface: duplicate key (first at line 4)\n");
}
END_TEST

START_TEST(test_error_range)
{
	load_fails(VI("      priority: 256\n"),
		   "t.yaml:7:17: vrrp.instances[0].priority: 256 is out of range (1..255)\n");
	load_fails(VI("      priority: 0\n"),
		   "t.yaml:7:17: vrrp.instances[0].priority: 0 is out of range (1..255)\n");
	load_fails(VI("      priority: 010\n"),
		   "t.yaml:7:17: vrrp.instances[0].priority: 010: no leading zeros (YAML 1.1 would read it as octal)\n");
	load_fails(VI("      version: 4\n"),
		   "t.yaml:7:16: vrrp.instances[0].version: 4 is out of range (2..3)\n");
	load_fails("global: { realtime_priority: 100 }\n",
		   "t.yaml:1:30: global.realtime_priority: 100 is out of range (0..99)\n");
	load_fails("global: { log_facility: local8 }\n",
		   "t.yaml:1:25: global.log_facility: expected daemon or local0..local7\n");
	load_fails(VI("      track_interfaces: [{ name: eth1, weight: -255 }]\n"),
		   "t.yaml:7:48: vrrp.instances[0].track_interfaces[0].weight: -255 is out of range (-254..254)\n");
}
END_TEST

START_TEST(test_error_vrrp_rules)
{
	load_fails(VI("      advert_interval: 15ms\n"),
		   "t.yaml:7:24: vrrp.instances[0].advert_interval: VRRPv3 counts in centiseconds: use a multiple of 10ms (RFC 5798 5.2.7)\n");
	load_fails(VI("      advert_interval: 41s\n"),
		   "t.yaml:7:24: vrrp.instances[0].advert_interval: VRRPv3 needs 10ms..40.95s (RFC 5798 5.2.7)\n");
	load_fails(VI("      version: 2\n      advert_interval: 1500ms\n"),
		   "t.yaml:8:24: vrrp.instances[0].advert_interval: VRRPv2 needs whole seconds, 1s..255s (RFC 3768 5.3.7)\n");
	load_fails(VI("      authentication: { type: pass, password: x }\n"),
		   "t.yaml:7:23: vrrp.instances[0].authentication: authentication is only for version 2 (RFC 5798 removed it); type hmac works with both\n");
	load_fails(VI("      version: 2\n      authentication: { type: pass, password: \"123456789\" }\n"),
		   "t.yaml:8:47: vrrp.instances[0].authentication.password: password must be 1 to 8 characters (RFC 3768 5.3.6.1)\n");
	load_fails(VI("      track_scripts: [nope]\n"),
		   "t.yaml:7:23: vrrp.instances[0].track_scripts[0]: unknown script \"nope\" (not in vrrp.scripts)\n");
	load_fails(VI("      virtual_addresses: [10.0.0.1, \"2001:db8::1\"]\n"),
		   "t.yaml:7:7: vrrp.instances[0].virtual_addresses: duplicate key (first at line 6)\n");
	load_fails("vrrp:\n  instances:\n    - { name: A, interface: eth0, vrid: 1, virtual_addresses: [10.0.0.1, \"2001:db8::1\"] }\n",
		   "t.yaml:3:74: vrrp.instances[0].virtual_addresses[1]: IPv6 address in an IPv4 instance (one family per instance)\n");
	load_fails(VI("  sync_groups:\n    - { name: G, instances: [VI_2] }\n"),
		   "t.yaml:8:30: vrrp.sync_groups[0].instances[0]: unknown instance \"VI_2\"\n");
}
END_TEST

START_TEST(test_error_missing)
{
	load_fails("vrrp:\n  instances:\n    - priority: 1\n",
		   "t.yaml:3:7: vrrp.instances[0].name: missing required key\n"
		   "t.yaml:3:7: vrrp.instances[0].interface: missing required key\n"
		   "t.yaml:3:7: vrrp.instances[0].vrid: missing required key\n"
		   "t.yaml:3:7: vrrp.instances[0].virtual_addresses: missing required key\n");
	load_fails("virtual_servers:\n  - port: 80\n",
		   "t.yaml:2:5: virtual_servers[0].address: missing required key (address or fwmark)\n");
	load_fails("virtual_servers:\n  - address: 10.0.0.1\n",
		   "t.yaml:2:5: virtual_servers[0].port: missing required key\n");
	load_fails("virtual_servers:\n  - { fwmark: 1, real_servers: [{ port: 80 }] }\n",
		   "t.yaml:2:33: virtual_servers[0].real_servers[0].address: missing required key\n");
	load_fails(VI("      name: \"\"\n"),
		   "t.yaml:7:7: vrrp.instances[0].name: duplicate key (first at line 3)\n");
	load_fails("vrrp:\n  instances:\n    - { name: \"\", interface: eth0, vrid: 1, virtual_addresses: [10.0.0.1] }\n",
		   "t.yaml:3:15: vrrp.instances[0].name: must not be empty\n");
}
END_TEST

START_TEST(test_error_address)
{
	load_fails("virtual_servers:\n  - { address: 10.0.0.256, port: 80 }\n",
		   "t.yaml:2:16: virtual_servers[0].address: bad address \"10.0.0.256\" (expected IPv4 or IPv6, no prefix)\n");
	load_fails("virtual_servers:\n  - { address: 10.0.0.1, port: 80, real_servers: [{ address: \"::1\" }] }\n",
		   "t.yaml:2:62: virtual_servers[0].real_servers[0].address: real server's family differs from the virtual server's\n");
	load_fails("virtual_servers:\n  - { address: 10.0.0.1, port: 80, persistence: { netmask: 255.0.255.0 } }\n",
		   "t.yaml:2:60: virtual_servers[0].persistence.netmask: expected a dotted netmask such as 255.255.255.0\n");
}
END_TEST

START_TEST(test_error_duplicates)
{
	load_fails("virtual_servers:\n  - address: 10.0.0.1\n    port: 80\n    real_servers:\n"
		   "      - { address: 10.0.0.2 }\n      - { address: 10.0.0.2, port: 80 }\n",
		   "t.yaml:6:9: virtual_servers[0].real_servers[1]: duplicate real server [10.0.0.2]:80 (first at line 5)\n");
	load_fails("vrrp:\n  instances:\n"
		   "    - { name: A, interface: eth0, vrid: 1, virtual_addresses: [10.0.0.1] }\n"
		   "    - { name: A, interface: eth0, vrid: 1, virtual_addresses: [10.0.0.2] }\n",
		   "t.yaml:4:15: vrrp.instances[1].name: duplicate instance name (first at line 3)\n"
		   "t.yaml:4:41: vrrp.instances[1].vrid: vrid 1 on eth0 (IPv4) is already used by instance A (line 3)\n");
	/* same vrid in another family or on another interface is another router */
	config_free(load_ok("vrrp:\n  instances:\n"
			    "    - { name: A, interface: eth0, vrid: 1, virtual_addresses: [10.0.0.1] }\n"
			    "    - { name: B, interface: eth0, vrid: 1, virtual_addresses: [\"2001:db8::1\"] }\n"
			    "    - { name: C, interface: eth1, vrid: 1, virtual_addresses: [10.0.0.2] }\n"));
}
END_TEST

START_TEST(test_error_check)
{
	load_fails("virtual_servers:\n  - address: 10.0.0.1\n    port: 80\n    real_servers:\n"
		   "      - address: 10.0.0.2\n        check:\n          http: { status: [200, \"299-200\"] }\n",
		   "t.yaml:7:33: virtual_servers[0].real_servers[0].check.http.status[1]: "
		   "bad status \"299-200\" (expected a code 100..599 or a range such as 200-299)\n");
	load_fails("virtual_servers:\n  - address: 10.0.0.1\n    port: 80\n    real_servers:\n"
		   "      - address: 10.0.0.2\n        check: { http: {}, tcp: {} }\n",
		   "t.yaml:6:33: virtual_servers[0].real_servers[0].check.tcp: only one check kind per check (already http)\n");
	load_fails("virtual_servers:\n  - address: 10.0.0.1\n    port: 80\n    real_servers:\n"
		   "      - address: 10.0.0.2\n        check: { interval: 1s }\n",
		   "t.yaml:6:16: virtual_servers[0].real_servers[0].check: missing check kind "
		   "(one of http, https, tcp, script, smtp, dns, udp, ping)\n");
	load_fails("virtual_servers:\n  - address: 10.0.0.1\n    port: 80\n    real_servers:\n"
		   "      - address: 10.0.0.2\n        check: { http: { body_regex: \"a{1\" } }\n",
		   "t.yaml:6:38: virtual_servers[0].real_servers[0].check.http.body_regex: bad regular expression: "
		   "Unmatched \\{\n");
}
END_TEST

START_TEST(test_error_yaml)
{
	load_fails("a: &x [1]\nb: *x\n",
		   "t.yaml:1:1: a: unknown key\n"
		   "t.yaml:1:4: a: anchors are not allowed (no aliases in halo.yaml)\n"
		   "t.yaml:2:1: b: unknown key\n"
		   "t.yaml:2:4: b: aliases are not allowed\n");
	load_fails("global:\n  router_id: [a\n",
		   "t.yaml:3:1: syntax error: did not find expected ',' or ']' (while parsing a flow sequence at 2:14)\n");
	load_fails("global: { log_facility: &a daemon }\nvrrp:\n  instances:\n"
		   "    - { name: A, interface: eth0, vrid: 1, virtual_addresses: [*a] }\n",
		   "t.yaml:1:25: global.log_facility: anchors are not allowed (no aliases in halo.yaml)\n"
		   "t.yaml:4:64: vrrp.instances[0].virtual_addresses[0]: aliases are not allowed\n");
	load_fails("- 1\n", "t.yaml:1:1: the top level must be a mapping (global, vrrp, ipvs, virtual_servers)\n");
	load_fails("a: 1\n---\nb: 2\n", "t.yaml:2:1: only one YAML document is allowed\n");
}
END_TEST

START_TEST(test_error_limits)
{
	char *deep = malloc(200), *big = malloc(70000 + 64);
	size_t n = 0;

	n += (size_t)sprintf(deep, "x: ");
	for (int i = 0; i < 70; i++)
		deep[n++] = '[';
	deep[n] = '\0';
	load_fails(deep, "t.yaml:1:67: x[0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0]"
		   "[0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0]"
		   "[0][0][0][0][0][0][0][0][0]: nesting deeper than 64 levels\n");
	strcpy(big, "global:\n  router_id: ");
	n = strlen(big);
	memset(big + n, 'a', 70000);
	strcpy(big + n + 70000, "\n");
	load_fails(big, "t.yaml:2:14: global.router_id: scalar longer than 65536 bytes\n");
	load_fails("global: { router_id: \"a\\0b\" }\n",
		   "t.yaml:1:22: global.router_id: scalar contains a NUL character\n");
	free(deep);
	free(big);
}
END_TEST

START_TEST(test_errors_collected)
{
	struct halo_config *cfg = load(VI("      priority: 0\n      version: 9\n      bogus: 1\n"
					  "virtual_servers:\n  - { address: x, port: 0 }\n"));
	size_t lines = 0;

	ck_assert_ptr_null(cfg);
	for (const char *p = errbuf; *p; p++)
		lines += *p == '\n';
	ck_assert_uint_eq(lines, 5);
	ck_assert_ptr_nonnull(strstr(errbuf, "t.yaml:7:17: vrrp.instances[0].priority:"));
	ck_assert_ptr_nonnull(strstr(errbuf, "t.yaml:11:16: virtual_servers[0].address:"));
	ck_assert_ptr_nonnull(strstr(errbuf, "t.yaml:11:25: virtual_servers[0].port:"));
}
END_TEST

START_TEST(test_load_file)
{
	char dir[] = "cfgtest.XXXXXX", file[64], link[64];
	FILE *f;
	struct halo_config *cfg;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(file, sizeof(file), "%s/halo.yaml", dir);
	snprintf(link, sizeof(link), "%s/link.yaml", dir);
	f = fopen(file, "w");
	fputs(VI(""), f);
	fclose(f);
	ck_assert_int_eq(symlink("halo.yaml", link), 0);
	cfg = config_load(file, stderr);
	ck_assert_ptr_nonnull(cfg);
	ck_assert_str_eq(cfg->path, file);
	config_free(cfg);
	ck_assert_ptr_null(config_load(link, NULL));
	ck_assert_ptr_null(config_load(dir, NULL));
	unlink(link);
	unlink(file);
	rmdir(dir);
	ck_assert_ptr_null(config_load(file, NULL));
}
END_TEST

/* ---------------- defaults ---------------- */

START_TEST(test_defaults_global_vrrp)
{
	struct halo_config *cfg = load_ok(VI(""));
	const struct cfg_vrrp_instance *vi = config_find_instance(cfg, "VI_1");
	char host[256] = "";

	gethostname(host, sizeof(host));
	ck_assert_str_eq(cfg->global.router_id, host);
	ck_assert_int_eq(cfg->global.log_facility, LOG_DAEMON);
	ck_assert_str_eq(cfg->global.script_user, "halo-script");
	ck_assert_str_eq(cfg->global.checker_user, "nobody");
	ck_assert_int_eq(cfg->global.realtime_priority, 50);
	ck_assert_ptr_null(cfg->global.metrics_listen);
	ck_assert_ptr_nonnull(vi);
	ck_assert_ptr_null(config_find_instance(cfg, "VI_2"));
	ck_assert_uint_eq(vi->priority, 100);
	ck_assert_uint_eq(vi->version, 3);
	ck_assert_int_eq(vi->family, AF_INET);
	ck_assert_uint_eq(vi->advert_interval, 1000);
	ck_assert(vi->preempt);
	ck_assert_uint_eq(vi->preempt_delay, 0);
	ck_assert(!vi->accept);
	ck_assert_int_eq(vi->v3_checksum, CFG_V3_CKSUM_AUTO);
	ck_assert_uint_eq(vi->n_vaddrs, 1);
	ck_assert_uint_eq(vi->vaddrs[0].prefixlen, 24);
	ck_assert_ptr_null(vi->vaddrs[0].dev);
	ck_assert_ptr_null(vi->vaddrs[0].label);
	ck_assert(!vi->has_unicast_source);
	ck_assert_int_eq(vi->auth_type, CFG_AUTH_NONE);
	ck_assert_uint_eq(vi->garp.repeat, 5);
	ck_assert_uint_eq(vi->garp.interval, 0);
	ck_assert_uint_eq(vi->garp.refresh, 0);
	ck_assert_uint_eq(vi->garp.second_burst_delay, 5000);
	ck_assert_uint_eq(vi->notify.timeout, 10000);
	ck_assert_uint_eq(vi->notify.master.argc, 0);
	ck_assert_uint_eq(vi->pos.line, 3);
	ck_assert_uint_eq(vi->pos.col, 7);
	ck_assert(!cfg->ipvs.sync_daemon.enabled);
	ck_assert(!cfg->ipvs.timeouts_set);
	ck_assert(!cfg->ipvs.flush_on_stop);
	config_free(cfg);
}
END_TEST

START_TEST(test_defaults_script)
{
	struct halo_config *cfg = load_ok("vrrp:\n  scripts:\n    s1: { command: [/bin/true] }\n"
					  "    s2: { command: [/bin/true, x], interval: 3s }\n");
	const struct cfg_vrrp_script *s1 = config_find_script(cfg, "s1"), *s2 = config_find_script(cfg, "s2");

	ck_assert_ptr_nonnull(s1);
	ck_assert_ptr_nonnull(s2);
	ck_assert_ptr_null(config_find_script(cfg, "s3"));
	ck_assert_uint_eq(s1->interval, 1000);
	ck_assert_uint_eq(s1->timeout, 1000);
	ck_assert_uint_eq(s1->rise, 1);
	ck_assert_uint_eq(s1->fall, 1);
	ck_assert_int_eq(s1->weight, 0);
	ck_assert_uint_eq(s2->timeout, 3000);
	ck_assert_uint_eq(s2->command.argc, 2);
	ck_assert_str_eq(s2->command.argv[1], "x");
	ck_assert_ptr_null(s2->command.argv[2]);
	config_free(cfg);
}
END_TEST

START_TEST(test_defaults_vs)
{
	struct halo_config *cfg = load_ok("global: { router_id: r1 }\n"
					  "virtual_servers:\n  - address: 10.0.0.1\n    port: 80\n"
					  "    persistence: {}\n    sorry_server: { address: 10.0.0.9 }\n"
					  "    real_servers:\n      - address: 10.0.0.2\n        check: { http: {} }\n"
					  "      - { address: 10.0.0.3, check: { smtp: {} } }\n"
					  "      - { address: 10.0.0.4, check: { dns: {} } }\n"
					  "      - { address: 10.0.0.5 }\n"
					  "      - { address: 10.0.0.6, check: { https: { host: www.example.com } } }\n");
	const struct cfg_virtual_server *vs = &cfg->virtual_servers[0];
	const struct cfg_real_server *rs = &vs->real_servers[0];
	char buf[HALO_ADDRSTRLEN];

	ck_assert_str_eq(vs->name, "[10.0.0.1]:tcp:80");
	ck_assert_int_eq(vs->family, AF_INET);
	ck_assert(!vs->is_fwmark);
	ck_assert_int_eq(vs->protocol, CFG_PROTO_TCP);
	ck_assert_str_eq(vs->scheduler, "wlc");
	ck_assert_int_eq(vs->forwarding, CFG_FWD_DR);
	ck_assert(vs->persistence);
	ck_assert_uint_eq(vs->persistence_timeout, 300000);
	ck_assert_str_eq(halo_addr_str(&vs->persistence_netmask, buf), "255.255.255.255");
	ck_assert_uint_eq(vs->persistence_prefix, 32);
	ck_assert_uint_eq(vs->quorum, 1);
	ck_assert_uint_eq(vs->hysteresis, 0);
	ck_assert(!vs->inhibit_on_failure);
	ck_assert(vs->has_sorry_server);
	ck_assert_uint_eq(vs->sorry_port, 80);
	ck_assert_int_eq(vs->sorry_forwarding, CFG_FWD_DR);
	ck_assert_uint_eq(rs->port, 80);
	ck_assert_int_eq(rs->weight, 1);
	ck_assert_int_eq(rs->forwarding, CFG_FWD_DR);
	ck_assert_int_eq(rs->check.kind, CFG_CHECK_HTTP);
	ck_assert_uint_eq(rs->check.interval, 6000);
	ck_assert_uint_eq(rs->check.timeout, 5000);
	ck_assert_uint_eq(rs->check.retry, 1);
	ck_assert_uint_eq(rs->check.retry_delay, 1000);
	ck_assert_uint_eq(rs->check.rise, 1);
	ck_assert_uint_eq(rs->check.warmup, 0);
	ck_assert(!rs->check.alpha);
	ck_assert(!rs->check.has_connect_address);
	ck_assert_uint_eq(rs->check.connect_port, 0);
	ck_assert_str_eq(rs->check.http.path, "/");
	ck_assert(!rs->check.http.head);
	ck_assert_uint_eq(rs->check.http.n_status, 1);
	ck_assert_uint_eq(rs->check.http.status[0].lo, 200);
	ck_assert_uint_eq(rs->check.http.status[0].hi, 200);
	ck_assert_uint_eq(rs->check.http.max_body, 65536);
	ck_assert(rs->check.http.verify);
	ck_assert_uint_eq(rs->check.http.cert_expiry_warn_days, 14);
	ck_assert_int_eq(rs->check.http.digest_kind, CFG_DIGEST_NONE);
	ck_assert_str_eq(vs->real_servers[1].check.smtp.helo_name, "r1");
	ck_assert_str_eq(vs->real_servers[2].check.dns.name, ".");
	ck_assert_uint_eq(vs->real_servers[2].check.dns.type, 1);
	ck_assert_int_eq(vs->real_servers[3].check.kind, CFG_CHECK_NONE);
	ck_assert_ptr_null(rs->check.http.sni);
	ck_assert_str_eq(vs->real_servers[4].check.http.sni, "www.example.com");
	config_free(cfg);
}
END_TEST

START_TEST(test_fwmark_family)
{
	struct halo_config *cfg = load_ok("virtual_servers:\n  - fwmark: 7\n    persistence: { netmask: 48 }\n"
					  "    real_servers: [{ address: \"2001:db8::1\" }]\n");
	const struct cfg_virtual_server *vs = &cfg->virtual_servers[0];

	ck_assert(vs->is_fwmark);
	ck_assert_uint_eq(vs->fwmark, 7);
	ck_assert_str_eq(vs->name, "fwmark:7");
	ck_assert_int_eq(vs->family, AF_INET6);
	ck_assert_uint_eq(vs->persistence_prefix, 48);
	ck_assert_uint_eq(vs->real_servers[0].port, 0);
	config_free(cfg);
}
END_TEST

/* ---------------- equality, names ---------------- */

START_TEST(test_instance_equal)
{
	struct halo_config *a = load_ok(VI("      track_interfaces: [eth1]\n"));
	struct halo_config *b = load_ok("# moved down by a comment\n" VI("      track_interfaces: [{ name: eth1 }]\n"));
	struct halo_config *c = load_ok(VI("      track_interfaces: [{ name: eth1, weight: -10 }]\n"));
	struct halo_config *d = load_ok(VI("      priority: 101\n      track_interfaces: [eth1]\n"));

	ck_assert(config_instance_equal(&a->vrrp.instances[0], &b->vrrp.instances[0]));
	ck_assert(config_instance_equal(&a->vrrp.instances[0], &a->vrrp.instances[0]));
	ck_assert(!config_instance_equal(&a->vrrp.instances[0], &c->vrrp.instances[0]));
	ck_assert(!config_instance_equal(&a->vrrp.instances[0], &d->vrrp.instances[0]));
	config_free(a);
	config_free(b);
	config_free(c);
	config_free(d);
}
END_TEST

#define CHK(c) "virtual_servers:\n  - address: 10.0.0.1\n    port: 80\n    real_servers:\n" \
	"      - address: 10.0.0.2\n        check: " c "\n"

START_TEST(test_check_equal)
{
	struct halo_config *a = load_ok(CHK("{ http: { status: [200, \"300-301\"] }, interval: 6s }"));
	struct halo_config *b = load_ok("\n\n" CHK("{ interval: 6000ms, http: { path: /, status: [200, 300-301] } }"));
	struct halo_config *c = load_ok(CHK("{ http: { status: [200, \"300-302\"] } }"));
	struct halo_config *d = load_ok(CHK("{ https: { status: [200, \"300-301\"] } }"));
	struct halo_config *e = load_ok(CHK("{ http: { status: [200, \"300-301\"] }, retry: 2 }"));
#define CK(x) (&(x)->virtual_servers[0].real_servers[0].check)

	ck_assert(config_check_equal(CK(a), CK(b)));
	ck_assert(!config_check_equal(CK(a), CK(c)));
	ck_assert(!config_check_equal(CK(a), CK(d)));
	ck_assert(!config_check_equal(CK(a), CK(e)));
	config_free(a);
	config_free(b);
	config_free(c);
	config_free(d);
	config_free(e);
}
END_TEST

START_TEST(test_names)
{
	ck_assert_str_eq(config_proto_name(CFG_PROTO_TCP), "tcp");
	ck_assert_str_eq(config_proto_name(CFG_PROTO_SCTP), "sctp");
	ck_assert_str_eq(config_fwd_name(CFG_FWD_DR), "dr");
	ck_assert_str_eq(config_fwd_name(CFG_FWD_NAT), "nat");
	ck_assert_str_eq(config_fwd_name(CFG_FWD_TUN), "tun");
	ck_assert_str_eq(config_check_kind_name(CFG_CHECK_HTTPS), "https");
	ck_assert_str_eq(config_check_kind_name(CFG_CHECK_PING), "ping");
	ck_assert_str_eq(config_check_kind_name(CFG_CHECK_NONE), "none");
}
END_TEST

START_TEST(test_print_stable)
{
	struct halo_config *a = load_ok(VI("") "virtual_servers:\n  - { address: 10.0.0.1, port: 80 }\n");
	char *p1 = NULL, *p2 = NULL;
	size_t l1, l2;
	FILE *f = open_memstream(&p1, &l1);
	struct halo_config *b;

	config_print(a, f);
	fclose(f);
	b = load_ok(p1);
	f = open_memstream(&p2, &l2);
	config_print(b, f);
	fclose(f);
	ck_assert_str_eq(p1, p2);
	ck_assert_ptr_nonnull(strstr(p1, "      advert_interval: 1s\n"));
	ck_assert_ptr_nonnull(strstr(p1, "    scheduler: wlc\n"));
	free(p1);
	free(p2);
	config_free(a);
	config_free(b);
}
END_TEST


/* fuzz/crashes/fuzz_config/value-with-newline.yaml: a flow item spanning
 * lines carries a newline into its value; its error must stay one line. */
START_TEST(test_error_is_one_line)
{
	struct halo_config *cfg = load("virtual_servers:\n  - address: 10.0.0.1\n    port: 80\n"
	                               "    sched_flags: [a\n\n b]\n");
	char *nl;

	ck_assert_ptr_null(cfg);
	nl = strchr(errbuf, '\n');
	ck_assert_ptr_nonnull(nl);
	ck_assert_msg(nl[1] == '\0', "error spans lines: %s", errbuf);
	ck_assert_msg(strstr(errbuf, "\\x0a") != NULL, "newline not escaped: %s", errbuf);
}
END_TEST

/* fuzz/crashes/fuzz_config/key-with-newlines.yaml: a flow mapping's key
 * spanning lines (with carriage returns) lands in the key path of an
 * "unknown key" error; that path is escaped as well. */
START_TEST(test_error_key_path_one_line)
{
	struct halo_config *cfg = load("virtual_servers:\n  - address: 10.0.0.1\n    port: 80\n"
	                               "    persistence: {5\r\r\n.255 }\n");
	char *nl;

	ck_assert_ptr_null(cfg);
	nl = strchr(errbuf, '\n');
	ck_assert_ptr_nonnull(nl);
	ck_assert_msg(nl[1] == '\0', "error spans lines: %s", errbuf);
	ck_assert_msg(strstr(errbuf, "\\x0a") != NULL, "line break not escaped: %s", errbuf);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("config");
	TCase *t = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_add_checked_fixture(t, NULL, teardown);
	tcase_add_test(t, test_error_is_one_line);
	tcase_add_test(t, test_duration_good);
	tcase_add_test(t, test_duration_bad);
	tcase_add_test(t, test_duration_messages);
	tcase_add_test(t, test_error_unknown_key);
	tcase_add_test(t, test_error_wrong_type);
	tcase_add_test(t, test_error_range);
	tcase_add_test(t, test_error_vrrp_rules);
	tcase_add_test(t, test_error_missing);
	tcase_add_test(t, test_error_address);
	tcase_add_test(t, test_error_duplicates);
	tcase_add_test(t, test_error_check);
	tcase_add_test(t, test_error_yaml);
	tcase_add_test(t, test_error_limits);
	tcase_add_test(t, test_errors_collected);
	tcase_add_test(t, test_load_file);
	tcase_add_test(t, test_defaults_global_vrrp);
	tcase_add_test(t, test_defaults_script);
	tcase_add_test(t, test_defaults_vs);
	tcase_add_test(t, test_fwmark_family);
	tcase_add_test(t, test_instance_equal);
	tcase_add_test(t, test_check_equal);
	tcase_add_test(t, test_names);
	tcase_add_test(t, test_print_stable);
	tcase_add_test(t, test_error_key_path_one_line);
	suite_add_tcase(s, t);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
