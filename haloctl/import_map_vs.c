/* keepalived virtual_server (by address, fwmark or group), its
 * virtual_server_group and real_server blocks -> halo's virtual_servers.
 * Pure: reads the tree, writes YAML to m->out and diagnostics to m->d. */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "import_map.h"

#define MAX_EXPAND 256           /* addresses from one group range */

static const char *const checker_kw[] = {
	"HTTP_GET", "SSL_GET", "TCP_CHECK", "MISC_CHECK", "SMTP_CHECK", "DNS_CHECK", "UDP_CHECK", "PING_CHECK",
	"FILE_CHECK", "BFD_CHECK", NULL
};

static const char *const sched_flags[] = {
	"flag-1", "flag-2", "flag-3", "sh-fallback", "sh-port", "mh-fallback", "mh-port", NULL
};

/* One service a virtual_server block stands for. */
struct vs_key {
	bool fwmark;
	long long mark;
	const char *family;            /* fwmark: "inet6" or NULL */
	char addr[INET6_ADDRSTRLEN];
	long long port;                /* -1 = none */
};

static void mark_all(struct imp_node *n)
{
	n->used = true;
	for (size_t i = 0; i < n->nkids; i++)
		mark_all(n->kids[i]);
}

/* Family and bytes of an address, for comparisons; family 0 if bad. */
static int addr_bytes(const char *s, unsigned char b[16])
{
	memset(b, 0, 16);
	if (s && inet_pton(AF_INET, s, b) == 1)
		return AF_INET;
	if (s && inet_pton(AF_INET6, s, b) == 1)
		return AF_INET6;
	return 0;
}

static int vs_family(const struct vs_key *k)
{
	unsigned char b[16];

	if (k->fwmark)
		return k->family ? AF_INET6 : 0;   /* 0: taken from the real servers */
	return addr_bytes(k->addr, b);
}

static bool is_checker(const char *kw)
{
	for (int i = 0; checker_kw[i]; i++)
		if (!strcmp(kw, checker_kw[i]))
			return true;
	return false;
}

static const char *fwd_name(struct imp_map *m, struct imp_node *n)
{
	if (!imp_need_args(m, n, 1, 6))
		return NULL;
	if (n->nw > 2 && strcasecmp(n->w[1], "TUN"))
		imp_err(m, n, "%s %s %s: only TUN takes options", n->w[0], n->w[1], n->w[2]);
	if (!strcasecmp(n->w[1], "DR"))
		return "dr";
	if (!strcasecmp(n->w[1], "NAT"))
		return "nat";
	if (!strcasecmp(n->w[1], "TUN"))
		return "tun";
	imp_err(m, n, "%s %s: keepalived expects NAT, DR or TUN", n->w[0], n->w[1]);
	return NULL;
}

/* "TUN type {ipip|gue port N|gre} [nocsum|csum|remcsum]" -> tunnel: at ind.
 * Errors where keepalived refuses the line (gue without a port, a port or
 * checksum option on ipip, remcsum on gre). */
static void map_tunnel(struct imp_map *m, struct imp_node *n, int ind)
{
	const char *type, *csum = NULL;
	long long port = 0;
	size_t i = 4;

	if (n->nw <= 2 || strcasecmp(n->w[1], "TUN"))
		return;
	if (strcmp(n->w[2], "type") || n->nw < 4) {
		imp_err(m, n, "%s TUN %s: keepalived expects type {ipip|gue port N|gre}", n->w[0], n->w[2]);
		return;
	}
	type = n->w[3];
	if (strcmp(type, "ipip") && strcmp(type, "gue") && strcmp(type, "gre")) {
		imp_err(m, n, "%s TUN type %s: keepalived expects ipip, gue or gre", n->w[0], type);
		return;
	}
	if (!strcmp(type, "gue")) {
		if (n->nw < 6 || strcmp(n->w[4], "port") || !imp_int(m, n, 5, 1, 65535, &port)) {
			imp_err(m, n, "%s TUN type gue: keepalived needs port N", n->w[0]);
			return;
		}
		i = 6;
	}
	if (i < n->nw) {
		csum = n->w[i];
		if ((strcmp(csum, "nocsum") && strcmp(csum, "csum") && strcmp(csum, "remcsum")) || i + 1 < n->nw) {
			imp_err(m, n, "%s TUN type %s: unexpected '%s'", n->w[0], type, csum);
			return;
		}
		if (!strcmp(type, "ipip") || (!strcmp(type, "gre") && !strcmp(csum, "remcsum"))) {
			imp_err(m, n, "%s TUN type %s: keepalived does not take %s there", n->w[0], type, csum);
			return;
		}
	}
	y_key(m, ind, "tunnel");
	y_str(m, ind + 2, "type", type);
	if (port)
		y_int(m, ind + 2, "port", port);
	if (csum)
		y_str(m, ind + 2, "checksum", !strcmp(csum, "nocsum") ? "none" : csum);
}

/* lvs_method / lb_kind (deprecated) on a virtual or real server. */
static struct imp_node *get_method(struct imp_node *b)
{
	struct imp_node *a = imp_get(b, "lb_kind"), *c = imp_get(b, "lvs_method");

	return c ? c : a;
}

static void map_rs(struct imp_map *m, struct imp_node *rs, struct imp_node *vs, bool vs_inhibit)
{
	struct imp_node *n, *chk = NULL;
	long long v, u = 0;
	int af;
	const char *f;

	if (!imp_need_args(m, rs, 1, 2) || !imp_is_addr(rs->w[1], &af)) {
		if (rs->nw > 1)
			imp_err(m, rs, "real_server %s: expected ADDRESS [PORT]", rs->w[1]);
		return;
	}
	y_item(m);
	y_str(m, 8, "address", rs->w[1]);
	if (rs->nw > 2 && imp_int(m, rs, 2, 1, 65535, &v))
		y_int(m, 8, "port", v);
	if ((n = imp_get(rs, "weight")) && imp_int(m, n, 1, 0, 65535, &v))
		y_int(m, 8, "weight", v);
	if ((n = get_method(rs)) && (f = fwd_name(m, n))) {
		y_str(m, 8, "forwarding", f);
		map_tunnel(m, n, 8);
	}
	if ((n = imp_get(rs, "uthreshold")) && imp_int(m, n, 1, 0, 4294967295ll, &v))
		y_int(m, 8, "u_threshold", u = v);
	/* halo's loader refuses a lower threshold above the upper one (found
	 * by fuzz_import; keepalived -t takes it) */
	if ((n = imp_get(rs, "lthreshold")) && imp_int(m, n, 1, 0, 4294967295ll, &v)) {
		if (u && v > u)
			imp_err(m, n, "lthreshold %lld is above uthreshold %lld: halo needs lthreshold <= uthreshold", v, u);
		else
			y_int(m, 8, "l_threshold", v);
	}
	if ((n = imp_get(rs, "inhibit_on_failure")) &&
	    (n->nw < 2 || strcasecmp(n->w[1], "false")) != vs_inhibit)
		imp_warn(m, n, "inhibit_on_failure on one real server: halo sets it per virtual server; not converted");
	for (size_t i = 0; i < rs->nkids; i++) {
		struct imp_node *k = rs->kids[i];

		if (!is_checker(k->w[0]))
			continue;
		if (!strcmp(k->w[0], "FILE_CHECK") || !strcmp(k->w[0], "BFD_CHECK")) {
			mark_all(k);
			imp_warn(m, k, "%s: halo has no such check; not converted", k->w[0]);
		} else if (chk) {
			mark_all(k);
			imp_warn(m, k, "%s: halo runs one check per real server (the %s at line %u); not converted",
				 k->w[0], chk->w[0], chk->line);
		} else {
			chk = k;
			chk->used = true;
		}
	}
	if (chk)
		imp_map_check(m, chk, rs, vs, 8);
	for (int i = 0; i < 2; i++)
		if ((n = imp_get(rs, i ? "notify_down" : "notify_up")))
			imp_warn(m, n, "%s: halo-checker runs no scripts on state changes; watch "
				 "'haloctl monitor' instead; not converted", n->w[0]);
	if ((n = imp_get(rs, "smtp_alert")) && !(n->nw > 1 && !strcasecmp(n->w[1], "false")))
		imp_warn(m, n, "smtp_alert: halo sends no mail; not converted");
	/* read by the checks through inheritance */
	static const char *const inherited[] = {
		"virtualhost", "alpha", "connect_timeout", "retry", "nb_get_retry", "delay_before_retry",
		"warmup", "delay_loop", NULL
	};
	for (int i = 0; inherited[i]; i++)
		imp_get(rs, inherited[i]);
}

static void map_sched(struct imp_map *m, struct imp_node *vs)
{
	struct imp_node *a = imp_get(vs, "lb_algo"), *b = imp_get(vs, "lvs_sched"), *n = b ? b : a;
	bool any = false;

	if (n && imp_need_args(m, n, 1, 1) && strlen(n->w[1]) > 15)
		imp_err(m, n, "%s %s: IPVS scheduler names have at most 15 characters", n->w[0], n->w[1]);
	else if (n && n->nw == 2)
		y_str(m, 4, "scheduler", n->w[1]);
	for (int i = 0; sched_flags[i]; i++) {
		if (!imp_get(vs, sched_flags[i]))
			continue;
		if (!any)
			fprintf(m->out, "    sched_flags: [%s", sched_flags[i]);
		else
			fprintf(m->out, ", %s", sched_flags[i]);
		any = true;
	}
	if (any)
		fputs("]\n", m->out);
}

static bool mask_ok(const char *s, unsigned char b[4])
{
	uint32_t v;

	if (inet_pton(AF_INET, s, b) != 1)
		return false;
	v = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
	return v && (~v & (~v + 1)) == 0;   /* ones then zeros */
}

static bool prefix_ok(const char *s)
{
	char *end;
	long p = strtol(s, &end, 10);

	return isdigit((unsigned char)*s) && !*end && p >= 1 && p <= 128 && strlen(s) <= 3 && (s[0] != '0');
}

static void map_persistence(struct imp_map *m, struct imp_node *vs, const struct vs_key *k)
{
	struct imp_node *t = imp_get(vs, "persistence_timeout"), *g = imp_get(vs, "persistence_granularity"), *e;
	long long v = 360;

	if (!t) {
		if (g)
			imp_warn(m, g, "persistence_granularity without persistence_timeout has no effect; not converted");
		if ((e = imp_get(vs, "persistence_engine")))
			imp_warn(m, e, "persistence_engine without persistence_timeout: halo sets an engine only "
				 "on a persistent service; not converted");
		return;
	}
	if (t->nw > 1 && !imp_int(m, t, 1, 1, 2147483, &v))
		return;
	y_key(m, 4, "persistence");
	y_ms(m, 6, "timeout", v * 1000);
	if (g && imp_need_args(m, g, 1, 1)) {
		bool v6 = k->fwmark ? k->family && !strcmp(k->family, "inet6") : strchr(k->addr, ':') != NULL;
		unsigned char b[4];

		if (v6 ? !prefix_ok(g->w[1]) : !mask_ok(g->w[1], b))
			imp_err(m, g, "persistence_granularity %s: expected a netmask (IPv4) or prefix length (IPv6)",
				g->w[1]);
		else
			y_str(m, 6, "netmask", g->w[1]);
	}
	if ((e = imp_get(vs, "persistence_engine")) && imp_need_args(m, e, 1, 1)) {
		if (strcmp(e->w[1], "sip"))
			imp_err(m, e, "persistence_engine %s: the kernel has only sip", e->w[1]);
		else
			y_str(m, 6, "engine", "sip");
	}
}

static void map_sorry(struct imp_map *m, struct imp_node *vs, int family)
{
	struct imp_node *s = imp_get(vs, "sorry_server"), *n;
	long long port;
	int af;
	const char *f;

	if (!s)
		return;
	if (!imp_need_args(m, s, 1, 2) || !imp_is_addr(s->w[1], &af)) {
		imp_err(m, s, "sorry_server: expected ADDRESS [PORT]");
		return;
	}
	if (family && af != family) {
		imp_err(m, s, "sorry_server %s: not the address family of its virtual server", s->w[1]);
		return;
	}
	y_key(m, 4, "sorry_server");
	y_str(m, 6, "address", s->w[1]);
	if (s->nw > 2 && imp_int(m, s, 2, 1, 65535, &port))
		y_int(m, 6, "port", port);
	if ((n = imp_get(vs, "sorry_server_lvs_method")) && (f = fwd_name(m, n))) {
		y_str(m, 6, "forwarding", f);
		if (n->nw > 2)
			imp_warn(m, n, "sorry_server_lvs_method TUN options: halo's sorry server uses the "
				 "virtual server's tunnel; not converted");
	}
	if ((n = imp_get(vs, "sorry_server_inhibit")))
		imp_warn(m, n, "sorry_server_inhibit: halo removes the sorry server when quorum returns; not converted");
}

static void vs_warn_rest(struct imp_map *m, struct imp_node *vs)
{
	static const char *const what[][2] = {
		{ "ha_suspend", "halo checks whether or not the address is up" },
		{ "quorum_up", "halo runs no quorum scripts; watch 'haloctl monitor'" },
		{ "quorum_down", "halo runs no quorum scripts; watch 'haloctl monitor'" },
		{ "ops", "halo has no one-packet scheduling" },
	};
	struct imp_node *n;

	for (size_t i = 0; i < sizeof(what) / sizeof(what[0]); i++)
		if ((n = imp_get(vs, what[i][0])))
			imp_warn(m, n, "%s: %s; not converted", what[i][0], what[i][1]);
	if ((n = imp_get(vs, "smtp_alert")) && !(n->nw > 1 && !strcasecmp(n->w[1], "false")))
		imp_warn(m, n, "smtp_alert: halo sends no mail; not converted");
	imp_get(vs, "omega");     /* only affects quorum/notify scripts, which are reported */
}

/* The real server's family matches the service's and it is not listed
 * twice (halo, like the kernel, keys a real server by address and port). */
static bool rs_ok(struct imp_map *m, struct imp_node **rss, size_t i, const struct vs_key *k)
{
	unsigned char a[16], b[16];
	struct imp_node *rs = rss[i];
	int af = addr_bytes(imp_arg(rs, 1), a), want = vs_family(k);
	const char *port = imp_arg(rs, 2);

	if (!af)
		return true;                   /* map_rs reports it */
	for (size_t j = 0; !want && j < i; j++)
		want = addr_bytes(imp_arg(rss[j], 1), b);
	if (want && af != want) {
		imp_err(m, rs, "real_server %s: not the address family of its virtual server", rs->w[1]);
		return false;
	}
	for (size_t j = 0; j < i; j++) {
		const char *p2 = imp_arg(rss[j], 2);
		long long e1 = port ? atoll(port) : k->port, e2 = p2 ? atoll(p2) : k->port;

		if (addr_bytes(imp_arg(rss[j], 1), b) == af && !memcmp(a, b, 16) && e1 == e2) {
			imp_err(m, rs, "real_server %s is listed twice in this virtual server (first at line %u)",
				rs->w[1], rss[j]->line);
			return false;
		}
	}
	return true;
}

static void map_vs_body(struct imp_map *m, struct imp_node *vs, const struct vs_key *k, bool named)
{
	struct imp_node *n, **rss;
	const char *f = "nat";         /* keepalived's default forwarding */
	long long v;
	bool inhibit = false;
	size_t nrs;
	int family = vs_family(k);
	unsigned char b[16];

	for (size_t i = 0; !family && i < vs->nkids; i++)   /* fwmark: the real servers' family */
		if (!strcmp(vs->kids[i]->w[0], "real_server"))
			family = addr_bytes(imp_arg(vs->kids[i], 1), b);
	y_item(m);
	if ((n = imp_get(vs, "snmp_name")) && imp_need_args(m, n, 1, 1) && named)
		y_str(m, 4, "name", n->w[1]);
	if (k->fwmark) {
		y_int(m, 4, "fwmark", k->mark);
		if (k->family)
			y_str(m, 4, "family", k->family);
	} else {
		y_str(m, 4, "address", k->addr);
		y_int(m, 4, "port", k->port);
	}
	n = imp_get(vs, "protocol");
	if (n && k->fwmark) {
		imp_warn(m, n, "protocol with fwmark: keepalived ignores it, and so does halo; not converted");
	} else if (!n) {
		if (!k->fwmark)
			imp_warn(m, vs, "virtual_server without protocol: keepalived defaults to UDP; converted as udp");
		if (!k->fwmark)
			fputs("    protocol: udp\n", m->out);
	} else if (imp_need_args(m, n, 1, 1)) {
		if (strcasecmp(n->w[1], "TCP") && strcasecmp(n->w[1], "UDP") && strcasecmp(n->w[1], "SCTP"))
			imp_err(m, n, "protocol %s: keepalived expects TCP, UDP or SCTP", n->w[1]);
		else
			fprintf(m->out, "    protocol: %s\n", !strcasecmp(n->w[1], "TCP") ? "tcp" :
				!strcasecmp(n->w[1], "UDP") ? "udp" : "sctp");
	}
	map_sched(m, vs);
	if ((n = get_method(vs)))
		f = fwd_name(m, n);
	if (f)
		y_str(m, 4, "forwarding", f);
	if (n && f)
		map_tunnel(m, n, 4);
	map_persistence(m, vs, k);
	if ((n = imp_get(vs, "quorum")) && imp_int(m, n, 1, 1, 4294967295ll, &v))
		y_int(m, 4, "quorum", v);
	if ((n = imp_get(vs, "hysteresis")) && imp_int(m, n, 1, 0, 4294967295ll, &v))
		y_int(m, 4, "hysteresis", v);
	if ((n = imp_get(vs, "inhibit_on_failure"))) {
		inhibit = n->nw < 2 || strcasecmp(n->w[1], "false");
		y_bool(m, 4, "inhibit_on_failure", inhibit);
	}
	map_sorry(m, vs, family);
	vs_warn_rest(m, vs);
	nrs = imp_all(vs, "real_server", &rss);
	if (nrs)
		y_key(m, 4, "real_servers");
	for (size_t i = 0; i < nrs; i++)
		if (rs_ok(m, rss, i, k))
			map_rs(m, rss[i], vs, inhibit);
		else
			mark_all(rss[i]);
	free(rss);
	imp_get(vs, "ip_family");
}

/* ---------------- which services a block stands for ---------------- */

static bool key_from_words(struct imp_map *m, struct imp_node *n, size_t i, struct vs_key *k)
{
	int af;

	memset(k, 0, sizeof(*k));
	k->port = -1;
	if (!strcmp(n->w[i], "fwmark")) {
		k->fwmark = true;
		if (!imp_int(m, n, i + 1, 1, 4294967295ll, &k->mark))
			return false;
		if (imp_arg(n, i + 2) && !strcmp(n->w[i + 2], "inet6"))
			k->family = "inet6";
		return true;
	}
	if (!imp_is_addr(n->w[i], &af) || strlen(n->w[i]) >= sizeof(k->addr)) {
		imp_err(m, n, "%s: expected ADDRESS PORT, fwmark N or group NAME", n->w[i]);
		return false;
	}
	strcpy(k->addr, n->w[i]);
	if (!imp_arg(n, i + 1)) {
		imp_warn(m, n, "%s without a port: halo needs one for an address service; not converted", n->w[i]);
		return false;
	}
	return imp_int(m, n, i + 1, 1, 65535, &k->port);
}

/* The last octet (IPv4) or hextet (IPv6) of an address: the only part a
 * keepalived group range walks. */
static unsigned last_unit(int af, const unsigned char b[16])
{
	return af == AF_INET ? b[3] : (unsigned)b[14] << 8 | b[15];
}

/* One range member, in the forms keepalived accepts: "A.B.C.D-E" (last octet,
 * decimal), "X:...:Y-Z" (last hextet, hex), "START-END" (two whole addresses)
 * and "ADDR/LEN". It creates one service per address, walking only the last
 * octet or hextet, so what would cross it is not converted. First address,
 * family and count in *first, *af, *cnt; false when reported. */
static bool range_parse(struct imp_map *m, struct imp_node *n, unsigned char first[16], int *af, unsigned *cnt)
{
	const char *w = n->w[0], *sep = strpbrk(w, "-/");
	char base[INET6_ADDRSTRLEN], *end;
	unsigned char last[16];
	unsigned long v;
	size_t bl = (size_t)(sep - w);
	int af2;

	if (bl >= sizeof(base))
		goto bad;
	memcpy(base, w, bl);
	base[bl] = '\0';
	if (!(*af = addr_bytes(base, first)))
		goto bad;
	memcpy(last, first, 16);
	if (*sep == '/') {
		unsigned bits = *af == AF_INET ? 32 : 128, unit = *af == AF_INET ? 8 : 16;

		v = strtoul(sep + 1, &end, 10);
		if (!isdigit((unsigned char)sep[1]) || *end || v < 1 || v > bits)
			goto bad;
		if (v < bits - unit) {
			imp_warn(m, n, "%s: keepalived walks only the last %s of a range; not converted",
				 w, *af == AF_INET ? "octet" : "hextet");
			return false;
		}
		v = (1ul << (bits - v)) - 1;             /* host part, within the last unit */
		if (last_unit(*af, first) & v) {
			imp_err(m, n, "%s: address bits set beyond the prefix length (keepalived skips it)", w);
			return false;
		}
		v |= last_unit(*af, first);
	} else if (strchr(sep + 1, *af == AF_INET ? '.' : ':')) {
		if ((af2 = addr_bytes(sep + 1, last)) != *af)
			goto bad;
		if (memcmp(first, last, *af == AF_INET ? 3 : 14)) {
			imp_warn(m, n, "%s: keepalived walks only the last %s of a range; not converted",
				 w, *af == AF_INET ? "octet" : "hextet");
			return false;
		}
		v = last_unit(*af, last);
		if (v < last_unit(*af, first)) {
			imp_err(m, n, "%s: range end is less than its start (keepalived skips it)", w);
			return false;
		}
	} else {
		v = strtoul(sep + 1, &end, *af == AF_INET ? 10 : 16);
		if (!isxdigit((unsigned char)sep[1]) || *end || v > (*af == AF_INET ? 255ul : 0xfffful))
			goto bad;
		if (v <= last_unit(*af, first)) {
			imp_err(m, n, "%s: range end is not greater than its start (keepalived skips it)", w);
			return false;
		}
	}
	*cnt = (unsigned)v - last_unit(*af, first) + 1;
	if (*cnt > MAX_EXPAND) {
		imp_warn(m, n, "%s: %u services; halo's importer expands at most %d from one range; not converted",
			 w, *cnt, MAX_EXPAND);
		return false;
	}
	return true;
bad:
	imp_err(m, n, "%s: expected ADDRESS, ADDRESS-LAST, ADDRESS-ADDRESS or ADDRESS/LENGTH", w);
	return false;
}

/* A range member -> up to MAX_EXPAND keys. */
static size_t range_expand(struct imp_map *m, struct imp_node *n, struct vs_key *out)
{
	unsigned char b[16];
	unsigned cnt;
	long long port;
	int af;

	if (!range_parse(m, n, b, &af, &cnt))
		return 0;
	if (!imp_arg(n, 1)) {
		imp_warn(m, n, "%s without a port: halo needs one for an address service; not converted", n->w[0]);
		return 0;
	}
	if (!imp_int(m, n, 1, 1, 65535, &port))
		return 0;
	for (unsigned i = 0; i < cnt; i++) {
		out[i] = (struct vs_key){ .port = port };
		inet_ntop(af, b, out[i].addr, sizeof(out[i].addr));
		if (af == AF_INET)
			b[3]++;
		else if (++b[15] == 0)
			b[14]++;
	}
	return cnt;
}

static size_t group_keys(struct imp_map *m, struct imp_node *root, struct imp_node *vs, struct vs_key **keys)
{
	struct imp_node **gs, *g = NULL;
	size_t ng = imp_all(root, "virtual_server_group", &gs), cnt = 0;

	for (size_t i = 0; i < ng; i++)
		if (imp_arg(gs[i], 1) && !strcmp(gs[i]->w[1], vs->w[2]))
			g = gs[i];
	free(gs);
	*keys = NULL;
	if (!g) {
		imp_err(m, vs, "virtual_server group %s: no virtual_server_group of that name", vs->w[2]);
		return 0;
	}
	for (size_t i = 0; i < g->nkids; i++) {
		struct imp_node *e = g->kids[i];
		struct vs_key tmp[MAX_EXPAND];
		size_t n = 0;

		e->used = true;
		if (strcmp(e->w[0], "fwmark") && strpbrk(e->w[0], "-/"))
			n = range_expand(m, e, tmp);
		else if (key_from_words(m, e, 0, &tmp[0]))
			n = 1;
		*keys = realloc(*keys, (cnt + n + 1) * sizeof(**keys));
		if (!*keys)
			abort();
		memcpy(*keys + cnt, tmp, n * sizeof(*tmp));
		cnt += n;
	}
	return cnt;
}

/* What identifies a service in IPVS. */
struct seen {
	struct vs_key k;
	char proto[8];
	unsigned line;
};

static void vs_proto(struct imp_node *vs, char out[8])
{
	const char *p = "udp";             /* keepalived's default */

	for (size_t i = 0; i < vs->nkids; i++)
		if (!strcmp(vs->kids[i]->w[0], "protocol") && vs->kids[i]->nw > 1)
			p = vs->kids[i]->w[1];
	snprintf(out, 8, "%s", p);
	for (char *c = out; *c; c++)
		*c = (char)tolower((unsigned char)*c);
}

static bool vs_unique(struct imp_map *m, struct seen **seen, size_t *n, const struct vs_key *k, struct imp_node *vs)
{
	struct seen me = { .k = *k, .line = vs->line };
	unsigned char a[16], b[16];

	vs_proto(vs, me.proto);
	addr_bytes(k->addr, a);
	for (size_t i = 0; i < *n; i++) {
		const struct seen *o = &(*seen)[i];
		bool same = k->fwmark ? o->k.fwmark && o->k.mark == k->mark && !o->k.family == !k->family
			: !o->k.fwmark && addr_bytes(o->k.addr, b) && !memcmp(a, b, 16) && o->k.port == k->port &&
			  !strcmp(o->proto, me.proto);

		if (same) {
			imp_err(m, vs, "virtual_server %s%s %lld is defined twice (first at line %u)",
				k->fwmark ? "fwmark" : k->addr, k->fwmark ? "" : "", k->fwmark ? k->mark : k->port,
				o->line);
			return false;
		}
	}
	*seen = realloc(*seen, (*n + 1) * sizeof(**seen));
	if (!*seen)
		abort();
	(*seen)[(*n)++] = me;
	return true;
}

/* Adds the diagnostics of src that dst does not have yet (same line and text). */
static void diags_merge(struct imp_diags *dst, struct imp_diags *src)
{
	for (size_t i = 0; i < src->n; i++) {
		bool have = false;

		for (size_t j = 0; j < dst->n && !have; j++)
			have = dst->v[j].line == src->v[i].line && !strcmp(dst->v[j].msg, src->v[i].msg) &&
			       !strcmp(dst->v[j].file, src->v[i].file);
		if (!have)
			imp_diag_add(dst, src->v[i].error, src->v[i].file, src->v[i].line, "%s", src->v[i].msg);
	}
	imp_diags_free(src);
}

void imp_map_vs(struct imp_map *m, struct imp_node *root)
{
	struct imp_node **vss;
	size_t nvs = imp_all(root, "virtual_server", &vss);
	struct imp_diags scratch = { 0 };
	struct seen *seen = NULL;
	size_t nseen = 0;

	if (nvs)
		y_key(m, 0, "virtual_servers");
	for (size_t i = 0; i < nvs; i++) {
		struct imp_node *vs = vss[i];
		struct vs_key *keys = NULL, one;
		size_t nk = 0;
		struct imp_diags *real = m->d;

		if (vs->nw >= 3 && !strcmp(vs->w[1], "group"))
			nk = group_keys(m, root, vs, &keys);
		else if (vs->nw >= 2 && key_from_words(m, vs, 1, &one))
			nk = 1, keys = &one;
		if (nk > 1)
			y_comment(m, 2, "virtual_server group %s, line %u: one service per group member", vs->w[2], vs->line);
		for (size_t k = 0; k < nk; k++) {
			if (!vs_unique(m, &seen, &nseen, &keys[k], vs))
				continue;
			map_vs_body(m, vs, &keys[k], nk == 1);
			m->d = &scratch;           /* report each problem of the block once */
		}
		m->d = real;
		diags_merge(real, &scratch);
		if (!nk)
			mark_all(vs);
		if (keys != &one)
			free(keys);
	}
	imp_diags_free(&scratch);
	free(seen);
	free(vss);
	if (!nvs) {
		struct imp_node **gs;
		size_t ng = imp_all(root, "virtual_server_group", &gs);
		for (size_t i = 0; i < ng; i++)
			mark_all(gs[i]);
		free(gs);
	}
}
