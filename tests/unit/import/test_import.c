/* Unit tests of the keepalived.conf importer: the reader (comments, quotes,
 * blocks, $VAR, @id, include globs over an in-memory file system) and the
 * mapping (output loads with the real loader, warnings and errors name
 * file:line). */
#include <check.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "import.h"

struct memfile {
	const char *path, *text;
};

static const struct memfile *files;

static int mem_read(void *arg, const char *path, char **buf, size_t *len)
{
	(void)arg;
	for (size_t i = 0; files[i].path; i++)
		if (!strcmp(files[i].path, path)) {
			*buf = strdup(files[i].text);
			*len = strlen(files[i].text);
			return 0;
		}
	return -1;
}

static int mem_glob(void *arg, const char *pattern, char ***paths, size_t *n)
{
	(void)arg;
	*paths = calloc(16, sizeof(char *));
	*n = 0;
	for (size_t i = 0; files[i].path && *n < 15; i++)
		if (!fnmatch(pattern, files[i].path, FNM_PATHNAME))
			(*paths)[(*n)++] = strdup(files[i].path);
	return 0;
}

static const struct imp_io io = { mem_read, mem_glob, NULL };

static int parse(const struct memfile *fs, const char *id, struct imp_tree *t, struct imp_diags *d)
{
	struct imp_opts o = { .config_id = id };

	files = fs;
	memset(d, 0, sizeof(*d));
	return imp_parse(fs[0].path, &io, &o, t, d);
}

/* Converts; returns the YAML (caller frees) and leaves diagnostics in d. */
static char *convert(const char *text, struct imp_diags *d, int *rc)
{
	const struct memfile fs[] = { { "/k/keepalived.conf", text }, { NULL, NULL } };
	struct imp_tree t;
	char *buf = NULL;
	size_t len = 0;
	FILE *mem;

	*rc = parse(fs, "lb1", &t, d);
	if (*rc == 0) {
		mem = open_memstream(&buf, &len);
		*rc = imp_map(&t, "/k/keepalived.conf", mem, d);
		fclose(mem);
	}
	imp_tree_free(&t);
	return buf;
}

static bool loads(const char *yaml)
{
	struct halo_config *cfg = config_load_buf("t.yaml", yaml, strlen(yaml), stderr);

	config_free(cfg);
	return cfg != NULL;
}

static bool has_diag(const struct imp_diags *d, bool error, unsigned line, const char *part)
{
	for (size_t i = 0; i < d->n; i++)
		if (d->v[i].error == error && d->v[i].line == line && strstr(d->v[i].msg, part))
			return true;
	return false;
}

START_TEST(test_comments_quotes_blocks)
{
	const struct memfile fs[] = {
		{ "/k/a.conf",
		  "! a comment\n"
		  "global_defs { # inline\n"
		  "  router_id \"lb #1\"   ! trailing\n"
		  "}\n"
		  "vrrp_instance VI_1\n"
		  "{\n"
		  "  virtual_ipaddress { 10.0.0.1/24 10.0.0.2 }\n"
		  "}\n" },
		{ NULL, NULL },
	};
	struct imp_tree t;
	struct imp_diags d;
	struct imp_node *g, *vi, *va;

	ck_assert_int_eq(parse(fs, NULL, &t, &d), 0);
	ck_assert_uint_eq(t.root.nkids, 2);
	g = t.root.kids[0];
	ck_assert(g->block);
	ck_assert_str_eq(g->kids[0]->w[1], "lb #1");
	ck_assert_uint_eq(g->kids[0]->nw, 2);
	ck_assert_uint_eq(g->kids[0]->line, 3);
	vi = t.root.kids[1];
	ck_assert_str_eq(vi->w[1], "VI_1");
	ck_assert(vi->block);                  /* '{' on the next line */
	va = vi->kids[0];
	ck_assert_str_eq(va->w[0], "virtual_ipaddress");
	ck_assert_uint_eq(va->nkids, 1);       /* one line = one statement */
	ck_assert_uint_eq(va->kids[0]->nw, 2);
	imp_tree_free(&t);
	imp_diags_free(&d);
}
END_TEST

START_TEST(test_unbalanced)
{
	const struct memfile open[] = { { "/k/a.conf", "vrrp_instance X {\n  state BACKUP\n" }, { NULL, NULL } };
	const struct memfile close[] = { { "/k/a.conf", "x\n}\n" }, { NULL, NULL } };
	const struct memfile latin1[] = { { "/k/a.conf", "router_id caf\xc3\xa9\nrouter_id caf\xe9\n" }, { NULL, NULL } };
	struct imp_tree t;
	struct imp_diags d;

	ck_assert_int_eq(parse(open, NULL, &t, &d), -1);
	ck_assert(has_diag(&d, true, 1, "never closed"));
	ck_assert_str_eq(d.v[0].file, "/k/a.conf");
	imp_tree_free(&t);
	imp_diags_free(&d);
	ck_assert_int_eq(parse(close, NULL, &t, &d), -1);
	ck_assert(has_diag(&d, true, 2, "without an open block"));
	imp_tree_free(&t);
	imp_diags_free(&d);
	ck_assert_int_eq(parse(latin1, NULL, &t, &d), -1);
	ck_assert(has_diag(&d, true, 2, "UTF-8"));
	ck_assert_uint_eq(d.n, 1);            /* the UTF-8 line before it is fine */
	imp_tree_free(&t);
	imp_diags_free(&d);
}
END_TEST

START_TEST(test_variables)
{
	const struct memfile fs[] = {
		{ "/k/a.conf",
		  "$PRIO=150\n"
		  "$BASE=10.2.${SUB}\n"
		  "$SUB=7\n"
		  "priority $PRIO\n"
		  "addr ${BASE}.100/32\n"
		  "keep $UNDEFINED ${ALSO}\n"
		  "glued $PRIOx\n" },
		{ NULL, NULL },
	};
	struct imp_tree t;
	struct imp_diags d;

	ck_assert_int_eq(parse(fs, NULL, &t, &d), 0);
	ck_assert_uint_eq(t.root.nkids, 4);
	ck_assert_str_eq(t.root.kids[0]->w[1], "150");
	ck_assert_str_eq(t.root.kids[1]->w[1], "10.2.7.100/32");
	ck_assert_str_eq(t.root.kids[2]->w[1], "$UNDEFINED");
	ck_assert_str_eq(t.root.kids[2]->w[2], "${ALSO}");
	ck_assert_str_eq(t.root.kids[3]->w[1], "$PRIOx");  /* $NAME needs white space after it */
	ck_assert_uint_eq(t.root.kids[1]->line, 5);
	imp_tree_free(&t);
	imp_diags_free(&d);
}
END_TEST

START_TEST(test_conditional)
{
	const struct memfile fs[] = {
		{ "/k/a.conf",
		  "@main router_id main_router\n"
		  "@backup router_id backup_router\n"
		  "@^main peer 1.2.3.4\n"
		  "@^backup peer 1.2.3.5\n"
		  "@main $P=240\n"
		  "@backup $P=200\n"
		  "priority $P\n" },
		{ NULL, NULL },
	};
	struct imp_tree t;
	struct imp_diags d;

	ck_assert_int_eq(parse(fs, "backup", &t, &d), 0);
	ck_assert_uint_eq(t.root.nkids, 3);
	ck_assert_str_eq(t.root.kids[0]->w[1], "backup_router");
	ck_assert_str_eq(t.root.kids[1]->w[1], "1.2.3.4");
	ck_assert_str_eq(t.root.kids[2]->w[1], "200");
	imp_tree_free(&t);
	imp_diags_free(&d);
	ck_assert_int_eq(parse(fs, NULL, &t, &d), 0);   /* no id: only @^ lines */
	ck_assert_uint_eq(t.root.nkids, 3);
	ck_assert_str_eq(t.root.kids[0]->w[0], "peer");
	ck_assert_str_eq(t.root.kids[2]->w[1], "$P");
	imp_tree_free(&t);
	imp_diags_free(&d);
}
END_TEST

START_TEST(test_multiline_definition)
{
	/* keepalived.conf(5)'s example: a block defined once, used twice */
	const struct memfile fs[] = {
		{ "/k/a.conf",
		  "$INSTANCE= \\\n"
		  "vrrp_instance VI_${NUM} { \\\n"
		  "    interface eth0.${NUM} \\\n"
		  "    @high priority 130 \\\n"
		  "    @low priority 120 \\\n"
		  "    virtual_ipaddress { \\\n"
		  "        10.0.${NUM}.254/24 \\\n"
		  "    } \\\n"
		  "}\n"
		  "$NUM=0\n"
		  "$INSTANCE\n"
		  "$NUM=1\n"
		  "$INSTANCE\n" },
		{ NULL, NULL },
	};
	const struct memfile open_end[] = { { "/k/a.conf", "$X= \\\nfoo \\\n" }, { NULL, NULL } };
	struct imp_tree t;
	struct imp_diags d;
	struct imp_node *vi;

	ck_assert_int_eq(parse(fs, "high", &t, &d), 0);
	ck_assert_uint_eq(t.root.nkids, 2);
	for (size_t i = 0; i < 2; i++) {
		char want[32];

		vi = t.root.kids[i];
		snprintf(want, sizeof(want), "VI_%zu", i);
		ck_assert_str_eq(vi->w[1], want);
		ck_assert_uint_eq(vi->nkids, 3);        /* interface, priority (only @high), virtual_ipaddress */
		snprintf(want, sizeof(want), "eth0.%zu", i);
		ck_assert_str_eq(vi->kids[0]->w[1], want);
		ck_assert_str_eq(vi->kids[1]->w[1], "130");
		snprintf(want, sizeof(want), "10.0.%zu.254/24", i);
		ck_assert_str_eq(vi->kids[2]->kids[0]->w[0], want);
		ck_assert_uint_eq(vi->line, i ? 13 : 11);   /* where it is used */
	}
	imp_tree_free(&t);
	imp_diags_free(&d);
	ck_assert_int_eq(parse(open_end, NULL, &t, &d), -1);
	ck_assert(has_diag(&d, true, 1, "never ended"));
	imp_tree_free(&t);
	imp_diags_free(&d);
}
END_TEST

START_TEST(test_include)
{
	const struct memfile fs[] = {
		{ "/k/main.conf", "global_defs {\n  include inc/*.conf\n}\ninclude /abs/x.conf\n" },
		{ "/k/inc/b.conf", "router_id B\n" },
		{ "/k/inc/a.conf", "\nrouter_id A\n" },
		{ "/abs/x.conf", "vrrp_script s {\n}\n" },
		{ NULL, NULL },
	};
	const struct memfile missing[] = { { "/k/main.conf", "x\ninclude nothere/*.conf\n" }, { NULL, NULL } };
	struct imp_tree t;
	struct imp_diags d;
	struct imp_node *g;

	ck_assert_int_eq(parse(fs, NULL, &t, &d), 0);
	ck_assert_uint_eq(t.root.nkids, 2);
	g = t.root.kids[0];
	ck_assert_uint_eq(g->nkids, 2);
	/* glob order is the callback's (sorted by the real one); the file and line stay with each */
	for (size_t i = 0; i < 2; i++) {
		const char *f = g->kids[i]->file;
		ck_assert_uint_eq(g->kids[i]->line, strcmp(f, "/k/inc/a.conf") ? 1 : 2);
		ck_assert_str_eq(g->kids[i]->w[1], strcmp(f, "/k/inc/a.conf") ? "B" : "A");
	}
	ck_assert_str_eq(t.root.kids[1]->file, "/abs/x.conf");
	imp_tree_free(&t);
	imp_diags_free(&d);
	ck_assert_int_eq(parse(missing, NULL, &t, &d), -1);
	ck_assert(has_diag(&d, true, 2, "nothere/*.conf"));
	imp_tree_free(&t);
	imp_diags_free(&d);
}
END_TEST

START_TEST(test_split_argv_and_secs)
{
	size_t n;
	char **v = imp_split_argv("/bin/x -a 'b c' \"d e\" f\\ g", &n);

	ck_assert_uint_eq(n, 5);
	ck_assert_str_eq(v[2], "b c");
	ck_assert_str_eq(v[3], "d e");
	ck_assert_str_eq(v[4], "f g");
	ck_assert_ptr_null(v[5]);
	imp_argv_free(v);
	ck_assert_int_eq(imp_parse_secs("3"), 3000);
	ck_assert_int_eq(imp_parse_secs("0.01"), 10);
	ck_assert_int_eq(imp_parse_secs("1.5"), 1500);
	ck_assert_int_eq(imp_parse_secs("0.0001"), -2);
	ck_assert_int_eq(imp_parse_secs("-1"), -1);
	ck_assert_int_eq(imp_parse_secs("1s"), -1);
	ck_assert_int_eq(imp_parse_secs("."), -1);
}
END_TEST

static const char seed[] =
	"vrrp_instance VI_1 {\n"
	"    state MASTER\n"
	"    interface eth0\n"
	"    virtual_router_id 51\n"
	"    priority 100\n"
	"    advert_int 1\n"
	"    authentication {\n"
	"        auth_type PASS\n"
	"        auth_pass 1111\n"
	"    }\n"
	"    virtual_ipaddress {\n"
	"       192.168.0.100/24 dev eth0 label eth0:1\n"
	"    }\n"
	"}\n"
	"virtual_server 192.168.0.100 80 {\n"
	"    delay_loop 6\n"
	"    lb_algo rr\n"
	"    lb_kind DR\n"
	"    persistence_timeout 50\n"
	"    protocol TCP\n"
	"    real_server 192.168.0.108 80 {\n"
	"        weight 1\n"
	"        HTTP_GET {\n"
	"            url {\n"
	"              path /\n"
	"              status_code 200\n"
	"            }\n"
	"            connect_timeout 3\n"
	"            nb_get_retry 3\n"
	"            delay_before_retry 3\n"
	"        }\n"
	"    }\n"
	"}\n";

START_TEST(test_map_seed)
{
	struct imp_diags d;
	int rc;
	char *y = convert(seed, &d, &rc);
	struct halo_config *cfg;

	ck_assert_int_eq(rc, 0);
	ck_assert_uint_eq(d.n, 0);
	ck_assert_ptr_nonnull(strstr(y, "# from /k/keepalived.conf\n"));
	cfg = config_load_buf("t.yaml", y, strlen(y), stderr);
	ck_assert_ptr_nonnull(cfg);
	ck_assert_int_eq(cfg->vrrp.instances[0].version, 2);       /* keepalived's default */
	ck_assert_int_eq(cfg->vrrp.instances[0].vrid, 51);
	ck_assert_str_eq(cfg->vrrp.instances[0].auth_pass, "1111");
	ck_assert_str_eq(cfg->vrrp.instances[0].vaddrs[0].label, "eth0:1");
	ck_assert_str_eq(cfg->virtual_servers[0].scheduler, "rr");
	ck_assert_int_eq(cfg->virtual_servers[0].forwarding, CFG_FWD_DR);
	ck_assert_uint_eq(cfg->virtual_servers[0].persistence_timeout, 50000);
	ck_assert_uint_eq(cfg->virtual_servers[0].real_servers[0].check.interval, 6000);
	ck_assert_uint_eq(cfg->virtual_servers[0].real_servers[0].check.timeout, 3000);
	ck_assert_uint_eq(cfg->virtual_servers[0].real_servers[0].check.retry, 3);
	config_free(cfg);
	free(y);
	imp_diags_free(&d);
}
END_TEST

START_TEST(test_map_defaults_differ)
{
	/* keepalived: NAT, delay_loop 60 s, status 200-299, warmup = delay_loop, DNS type SOA */
	const char *conf =
		"virtual_server 10.0.0.1 53 {\n"
		"  protocol UDP\n"
		"  real_server 10.0.1.1 53 {\n"
		"    DNS_CHECK {\n"
		"    }\n"
		"  }\n"
		"  real_server 10.0.1.2 53 {\n"
		"    HTTP_GET {\n"
		"      url {\n"
		"        path /x\n"
		"      }\n"
		"    }\n"
		"  }\n"
		"}\n";
	struct imp_diags d;
	int rc;
	char *y = convert(conf, &d, &rc);
	struct halo_config *cfg;
	const struct cfg_check *dns, *http;

	ck_assert_int_eq(rc, 0);
	cfg = config_load_buf("t.yaml", y, strlen(y), stderr);
	ck_assert_ptr_nonnull(cfg);
	ck_assert_int_eq(cfg->virtual_servers[0].forwarding, CFG_FWD_NAT);
	dns = &cfg->virtual_servers[0].real_servers[0].check;
	http = &cfg->virtual_servers[0].real_servers[1].check;
	ck_assert_uint_eq(dns->interval, 60000);
	ck_assert_uint_eq(dns->warmup, 60000);
	ck_assert_uint_eq(dns->retry, 3);
	ck_assert_uint_eq(dns->retry_delay, 60000);
	ck_assert_uint_eq(dns->dns.type, 6);
	ck_assert_uint_eq(http->retry_delay, 3000);
	ck_assert_uint_eq(http->http.status[0].lo, 200);
	ck_assert_uint_eq(http->http.status[0].hi, 299);
	config_free(cfg);
	free(y);
	imp_diags_free(&d);
}
END_TEST

START_TEST(test_map_warnings_and_errors)
{
	const char *conf =
		"global_defs {\n"
		"  notification_email { ops@example.com }\n"
		"}\n"
		"vrrp_instance VI_1 {\n"
		"  interface eth0\n"
		"  virtual_router_id 51\n"
		"  mcast_src_ip 10.0.0.9\n"
		"  virtual_ipaddress {\n"
		"    10.0.0.1/24 brd 10.0.0.255\n"
		"  }\n"
		"}\n";
	/* the fuzzer's find: a source with no peer block made YAML that did not
	 * load; keepalived itself warns and falls back to multicast */
	const char *nopeers =
		"vrrp_instance VI_2 {\n"
		"  interface eth0\n"
		"  virtual_router_id 52\n"
		"  unicast_src_ip 10.0.0.7\n"
		"  unicast_peer eth1\n"
		"  virtual_ipaddress {\n"
		"    10.0.0.2/24\n"
		"  }\n"
		"}\n";
	const char *bad =
		"vrrp_instance VI_1 {\n"
		"  interface eth0\n"
		"  virtual_router_id 256\n"
		"  priority 0\n"
		"  advert_int fast\n"
		"  virtual_ipaddress {\n"
		"    10.0.0.300/24\n"
		"  }\n"
		"}\n";
	struct imp_diags d;
	int rc;
	char *y = convert(conf, &d, &rc);

	ck_assert_int_eq(rc, 0);
	ck_assert_uint_eq(d.n_err, 0);
	ck_assert(has_diag(&d, false, 2, "'notification_email' is not supported"));
	ck_assert(has_diag(&d, false, 7, "'mcast_src_ip' is not supported"));
	ck_assert(has_diag(&d, false, 9, "brd"));
	ck_assert(loads(y));
	free(y);
	imp_diags_free(&d);

	y = convert(nopeers, &d, &rc);
	ck_assert_int_eq(rc, 0);
	ck_assert_uint_eq(d.n_err, 0);
	ck_assert(has_diag(&d, false, 4, "unicast_src_ip without unicast_peer"));
	ck_assert(has_diag(&d, false, 5, "unicast_peer without a block of addresses"));
	ck_assert_ptr_null(strstr(y, "unicast_source"));
	ck_assert(loads(y));
	free(y);
	imp_diags_free(&d);

	/* tunnel options keepalived refuses; an engine without persistence */
	y = convert("virtual_server 10.0.0.1 80 {\n"
		    "  protocol TCP\n"
		    "  lvs_method TUN type gue\n"
		    "  persistence_engine sip\n"
		    "  real_server 10.0.0.2 80 {\n"
		    "    lvs_method TUN type gre remcsum\n"
		    "  }\n"
		    "  real_server 10.0.0.3 80 {\n"
		    "    lvs_method DR type ipip\n"
		    "  }\n"
		    "  real_server 10.0.0.4 80 {\n"
		    "    lvs_method TUN type ipip csum\n"
		    "  }\n"
		    "  real_server 10.0.0.5 80 {\n"
		    "    lvs_method TUN type vxlan\n"
		    "  }\n"
		    "}\n", &d, &rc);
	ck_assert_int_eq(rc, -1);
	ck_assert(has_diag(&d, true, 3, "type gue: keepalived needs port N"));
	ck_assert(has_diag(&d, false, 4, "persistence_engine without persistence_timeout"));
	ck_assert(has_diag(&d, true, 6, "type gre: keepalived does not take remcsum"));
	ck_assert(has_diag(&d, true, 9, "only TUN takes options"));
	ck_assert(has_diag(&d, true, 12, "type ipip: keepalived does not take csum"));
	ck_assert(has_diag(&d, true, 15, "expects ipip, gue or gre"));
	free(y);
	imp_diags_free(&d);

	y = convert(bad, &d, &rc);
	ck_assert_int_eq(rc, -1);
	ck_assert(has_diag(&d, true, 3, "virtual_router_id 256"));
	ck_assert(has_diag(&d, true, 4, "priority 0"));
	ck_assert(has_diag(&d, true, 5, "advert_int fast"));
	ck_assert(has_diag(&d, true, 7, "10.0.0.300/24"));
	free(y);
	imp_diags_free(&d);
}
END_TEST

START_TEST(test_map_group_and_notify)
{
	const char *conf =
		"vrrp_script chk {\n"
		"  script \"/usr/bin/pgrep -x nginx\"\n"
		"  interval 2\n"
		"  weight -20\n"
		"}\n"
		"vrrp_instance VI_1 {\n"
		"  interface eth0\n"
		"  virtual_router_id 51\n"
		"  version 3\n"
		"  advert_int 0.5\n"
		"  nopreempt\n"
		"  virtual_ipaddress {\n"
		"    10.0.0.1/24\n"
		"  }\n"
		"  track_script {\n"
		"    chk weight -30\n"
		"  }\n"
		"  notify \"/etc/keepalived/notify.sh x\"\n"
		"}\n"
		"virtual_server_group G {\n"
		"  10.0.0.10-12 80\n"
		"  fwmark 7\n"
		"}\n"
		"virtual_server group G {\n"
		"  lvs_sched wrr\n"
		"  protocol TCP\n"
		"  lvs_method DR\n"
		"}\n";
	struct imp_diags d;
	int rc;
	char *y = convert(conf, &d, &rc);
	struct halo_config *cfg;

	ck_assert_int_eq(rc, 0);
	ck_assert_uint_eq(d.n, 1);   /* the fwmark member ignores the protocol, as keepalived warns */
	ck_assert(has_diag(&d, false, 26, "protocol with fwmark"));
	cfg = config_load_buf("t.yaml", y, strlen(y), stderr);
	ck_assert_ptr_nonnull(cfg);
	ck_assert_uint_eq(cfg->vrrp.instances[0].advert_interval, 500);
	ck_assert(!cfg->vrrp.instances[0].preempt);
	ck_assert_str_eq(cfg->vrrp.instances[0].notify.any.argv[1], "x");
	ck_assert_int_eq(cfg->vrrp.instances[0].track_scripts[0].weight, -30);
	ck_assert_str_eq(cfg->vrrp.scripts[0].command.argv[2], "nginx");
	ck_assert_uint_eq(cfg->n_virtual_servers, 4);
	ck_assert(cfg->virtual_servers[3].is_fwmark);
	ck_assert_str_eq(cfg->virtual_servers[2].scheduler, "wrr");
	config_free(cfg);
	free(y);
	imp_diags_free(&d);
}
END_TEST

START_TEST(test_map_cross_references)
{
	/* keepalived ignores a missing group member and drops the empty group;
	 * twice-defined services, mixed families and bad names are errors */
	const char *warn =
		"vrrp_instance VI_1 {\n"
		"  interface eth0\n"
		"  virtual_router_id 1\n"
		"  virtual_ipaddress {\n"
		"    10.0.0.1\n"
		"  }\n"
		"}\n"
		"vrrp_sync_group G {\n"
		"  group {\n"
		"    VI_9\n"
		"  }\n"
		"}\n";
	const char *bad =
		"vrrp_instance VI_1 {\n"
		"  interface eth0\n"
		"  virtual_router_id 1\n"
		"  virtual_ipaddress {\n"
		"    2001:db8::1\n"
		"  }\n"
		"  unicast_peer {\n"
		"    10.0.0.2\n"
		"  }\n"
		"  track_interface {\n"
		"    averyveryverylongname0\n"
		"  }\n"
		"}\n"
		"virtual_server 10.0.0.1 80 {\n"
		"  protocol TCP\n"
		"  persistence_timeout 10\n"
		"  persistence_granularity 255.0.255.0\n"
		"  real_server 2001:db8::5 80 {\n"
		"  }\n"
		"}\n"
		"virtual_server 10.0.0.1 80 {\n"
		"  protocol tcp\n"
		"}\n";
	struct imp_diags d;
	int rc;
	char *y = convert(warn, &d, &rc);

	ck_assert_int_eq(rc, 0);
	ck_assert(has_diag(&d, false, 10, "no vrrp_instance VI_9"));
	ck_assert(has_diag(&d, false, 8, "has no instances"));
	ck_assert(loads(y));
	free(y);
	imp_diags_free(&d);
	y = convert(bad, &d, &rc);
	ck_assert_int_eq(rc, -1);
	ck_assert(has_diag(&d, true, 8, "not the address family"));
	ck_assert(has_diag(&d, true, 11, "not an interface name"));
	ck_assert(has_diag(&d, true, 17, "255.0.255.0"));
	ck_assert(has_diag(&d, true, 18, "not the address family"));
	ck_assert(has_diag(&d, true, 21, "defined twice (first at line 14)"));
	free(y);
	imp_diags_free(&d);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("import");
	TCase *tc = tcase_create("reader");
	TCase *tm = tcase_create("mapping");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_comments_quotes_blocks);
	tcase_add_test(tc, test_unbalanced);
	tcase_add_test(tc, test_variables);
	tcase_add_test(tc, test_conditional);
	tcase_add_test(tc, test_include);
	tcase_add_test(tc, test_multiline_definition);
	tcase_add_test(tc, test_split_argv_and_secs);
	tcase_add_test(tm, test_map_seed);
	tcase_add_test(tm, test_map_defaults_differ);
	tcase_add_test(tm, test_map_warnings_and_errors);
	tcase_add_test(tm, test_map_group_and_notify);
	tcase_add_test(tm, test_map_cross_references);
	suite_add_tcase(s, tc);
	suite_add_tcase(s, tm);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
