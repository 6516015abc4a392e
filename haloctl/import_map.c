/* keepalived global_defs, vrrp_script, vrrp_instance and
 * vrrp_sync_group -> halo's global, vrrp and ipvs sections. Pure: reads the
 * tree, writes YAML to m->out and diagnostics to m->d. */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "addr.h"
#include "import_map.h"

/* ---------------- global_defs ---------------- */

static void garp_default(struct imp_map *m, struct imp_node *g, const char *kw, long long lo, long long hi,
			 bool secs, long long *out)
{
	struct imp_node *n = imp_get(g, kw);
	long long v;

	if (!n)
		return;
	if (!(secs ? imp_secs(m, n, 1, &v) : imp_int(m, n, 1, lo, hi, &v)))
		return;
	if (secs && v > hi * 1000)
		imp_err(m, n, "%s %s: keepalived allows at most %lld seconds", kw, n->w[1], hi);
	else
		*out = v;
}

static void global_defaults(struct imp_map *m, struct imp_node *g)
{
	struct imp_node *n;
	long long v;

	if ((n = imp_get(g, "vrrp_version")) && imp_int(m, n, 1, 2, 3, &v))
		m->vrrp_version = (int)v;
	if ((n = imp_get(g, "vrrp_strict"))) {
		m->vrrp_strict = true;
		imp_warn(m, n, "vrrp_strict: halo installs no firewall rules for the addresses; "
			 "accept is set false on every instance");
	}
	garp_default(m, g, "vrrp_garp_master_delay", 0, 3600, false, &m->garp_delay);
	garp_default(m, g, "vrrp_garp_master_repeat", 1, 255, false, &m->garp_repeat);
	garp_default(m, g, "vrrp_garp_master_refresh", 0, 86400, false, &m->garp_refresh);
	garp_default(m, g, "vrrp_garp_interval", 0, 60, true, &m->garp_interval);
	if ((n = imp_get(g, "vrrp_startup_delay")) && imp_secs(m, n, 1, &v)) {
		if (v > 3600000)
			imp_err(m, n, "vrrp_startup_delay %s: halo allows at most 3600 seconds", n->w[1]);
		else
			m->startup_delay = v;
	}
	if (imp_get(g, "vrrp_check_unicast_src"))
		m->check_unicast_src = true;
	imp_get(g, "enable_script_security");   /* halo always refuses unsafe scripts */
	imp_get(g, "lvs_flush");                /* halo reconciles the whole table to the config */
}

static void map_ssl(struct imp_map *m, struct imp_node *root)
{
	struct imp_node *s = imp_get(root, "SSL"), *n;

	if (!s)
		return;
	if ((n = imp_get(s, "ca")) && imp_need_args(m, n, 1, 1))
		m->ssl_ca = n->w[1];
	if ((n = imp_get(s, "certificate")) && imp_need_args(m, n, 1, 1))
		m->ssl_cert = n->w[1];
	if ((n = imp_get(s, "key")) && imp_need_args(m, n, 1, 1))
		m->ssl_key = n->w[1];
	if ((n = imp_get(s, "password")))
		imp_warn(m, n, "SSL password: halo reads unencrypted client keys only; not converted");
	if (!m->ssl_cert != !m->ssl_key) {
		imp_warn(m, s, "SSL: halo needs both certificate and key for a client certificate; not converted");
		m->ssl_cert = m->ssl_key = NULL;
	}
}

void imp_map_global(struct imp_map *m, struct imp_node *root)
{
	struct imp_node **gs, *n;
	size_t ng = imp_all(root, "global_defs", &gs);
	const char *router_id = NULL, *user = NULL;

	for (size_t i = 0; i < ng; i++) {
		if ((n = imp_get(gs[i], "router_id")) && imp_need_args(m, n, 1, 1))
			router_id = n->w[1];
		if ((n = imp_get(gs[i], "script_user")) && imp_need_args(m, n, 1, 2)) {
			user = n->w[1];
			if (n->nw > 2)
				imp_warn(m, n, "script_user group %s: halo runs scripts with the user's own group", n->w[2]);
		}
		global_defaults(m, gs[i]);
	}
	map_ssl(m, root);
	if (router_id || user) {
		y_key(m, 0, "global");
		if (router_id)
			y_str(m, 2, "router_id", router_id);
		if (user)
			y_str(m, 2, "script_user", user);
	}
	free(gs);
}

/* ---------------- scripts ---------------- */

static bool emit_command(struct imp_map *m, struct imp_node *n, int ind, const char *key)
{
	size_t argc;
	char **argv;

	if (!imp_need_args(m, n, 1, 3))
		return false;
	argv = imp_split_argv(n->w[1], &argc);
	if (!argc || argv[0][0] != '/') {
		imp_err(m, n, "%s \"%s\": keepalived needs an absolute path to the program", n->w[0], n->w[1]);
		imp_argv_free(argv);
		return false;
	}
	if (n->nw > 2)
		imp_warn(m, n, "%s user %s: halo runs every script as global.script_user", n->w[0], n->w[2]);
	y_argv(m, ind, key, argv);
	imp_argv_free(argv);
	return true;
}

static void map_script(struct imp_map *m, struct imp_node *s)
{
	struct imp_node *n;
	long long v;

	y_key(m, 4, s->w[1]);
	if (!(n = imp_get(s, "script")))
		imp_err(m, s, "vrrp_script %s has no script", s->w[1]);
	else
		emit_command(m, n, 6, "command");
	if ((n = imp_get(s, "interval")) && imp_secs(m, n, 1, &v))
		y_ms(m, 6, "interval", v ? v : 1000);
	if ((n = imp_get(s, "timeout")) && imp_secs(m, n, 1, &v) && v)
		y_ms(m, 6, "timeout", v);
	if ((n = imp_get(s, "rise")) && imp_int(m, n, 1, 1, 1000, &v))
		y_int(m, 6, "rise", v);
	if ((n = imp_get(s, "fall")) && imp_int(m, n, 1, 1, 1000, &v))
		y_int(m, 6, "fall", v);
	if ((n = imp_get(s, "weight")) && imp_int(m, n, 1, -253, 253, &v)) {
		y_int(m, 6, "weight", v);
		/* "reverse" is carried to each track_script entry (halo keeps it there) */
	}
	if ((n = imp_get(s, "user")))
		imp_warn(m, n, "user %s: halo runs every script as global.script_user", imp_arg(n, 1));
}

static void map_scripts(struct imp_map *m, struct imp_node *root)
{
	struct imp_node **ss;
	size_t ns = imp_all(root, "vrrp_script", &ss);

	if (ns)
		y_key(m, 2, "scripts");
	for (size_t i = 0; i < ns; i++) {
		bool dup = false;

		for (size_t j = 0; j < i && ss[i]->nw == 2; j++)
			dup |= ss[j]->nw == 2 && !strcmp(ss[j]->w[1], ss[i]->w[1]);
		if (dup)
			imp_err(m, ss[i], "vrrp_script %s is defined twice", ss[i]->w[1]);
		else if (imp_need_args(m, ss[i], 1, 1))
			map_script(m, ss[i]);
	}
	free(ss);
}

/* ---------------- instances ---------------- */

/* "ADDR[/LEN]" as keepalived writes it; family or 0 if bad. The loader's
 * own parser, so what passes here loads (found by fuzz_import: strtol took
 * "/+24"). */
static int vip_family(const char *s)
{
	struct halo_addr a;
	uint8_t plen;

	return halo_prefix_parse(s, &a, &plen) < 0 ? 0 : a.family;
}

static int inst_family(struct imp_node *vi)
{
	struct imp_node *v = NULL, *x = NULL;

	for (size_t i = 0; i < vi->nkids; i++) {
		if (!strcmp(vi->kids[i]->w[0], "virtual_ipaddress"))
			v = vi->kids[i];
		if (!strcmp(vi->kids[i]->w[0], "virtual_ipaddress_excluded"))
			x = vi->kids[i];
	}
	if (v && v->nkids)
		return vip_family(v->kids[0]->w[0]);
	return x && x->nkids ? vip_family(x->kids[0]->w[0]) : 0;
}

static void mark_all(struct imp_node *n)
{
	n->used = true;
	for (size_t i = 0; i < n->nkids; i++)
		mark_all(n->kids[i]);
}

static bool label_ok(const char *label, const char *dev)
{
	size_t n = strlen(dev);

	return strlen(label) <= 15 && (!strcmp(label, dev) || (!strncmp(label, dev, n) && label[n] == ':'));
}

/* The address part of "ADDR[/LEN]" as bytes, for finding duplicates. */
static void vip_bytes(const char *s, unsigned char b[16])
{
	char buf[64];
	size_t n = strcspn(s, "/");

	memset(b, 0, 16);
	if (n >= sizeof(buf))
		return;
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (inet_pton(AF_INET, buf, b) != 1)
		inet_pton(AF_INET6, buf, b);
}

static bool vip_seen(struct imp_node **all, size_t n, const char *addr)
{
	unsigned char a[16], b[16];

	vip_bytes(addr, a);
	for (size_t i = 0; i < n; i++) {
		vip_bytes(all[i]->w[0], b);
		if (!memcmp(a, b, 16))
			return true;
	}
	return false;
}

static void map_vip(struct imp_map *m, struct imp_node *a, const char *iface, int *family)
{
	const char *dev = NULL, *label = NULL;
	int af = vip_family(a->w[0]);

	if (!af) {
		imp_err(m, a, "%s is not ADDRESS[/PREFIX] (an IPv4 or IPv6 address, a prefix length in digits)", a->w[0]);
		return;
	}
	if (*family && af != *family) {
		imp_err(m, a, "%s: an instance's addresses must all be IPv4 or all IPv6", a->w[0]);
		return;
	}
	*family = af;
	for (size_t i = 1; i < a->nw; i++) {
		const char *k = a->w[i], *v = imp_arg(a, i + 1);
		bool has_val = strcmp(k, "noprefixroute") && strcmp(k, "nodad") && strcmp(k, "home") &&
			       strcmp(k, "-") && strcmp(k, "no_track") && strcmp(k, "autojoin");

		if (has_val && !v) {
			imp_err(m, a, "%s %s needs a value", a->w[0], k);
			return;
		}
		if (!strcmp(k, "dev") && !imp_ifname(m, a, v))
			return;
		if (!strcmp(k, "dev"))
			dev = v;
		else if (!strcmp(k, "label"))
			label = v;
		else if (!strcmp(k, "scope") && (!strcmp(v, "global") || !strcmp(v, "universe")))
			;
		else if (!strcmp(k, "brd") || !strcmp(k, "broadcast") || !strcmp(k, "scope") ||
			 !strcmp(k, "peer") || !strcmp(k, "preferred_lft"))
			imp_warn(m, a, "%s %s %s: halo adds the address without it; not converted", a->w[0], k, v);
		else if (!has_val)
			imp_warn(m, a, "%s %s: not supported by halo; not converted", a->w[0], k);
		else {
			imp_err(m, a, "%s: keepalived does not know '%s'", a->w[0], k);
			return;
		}
		i += has_val;
	}
	if (label && af == AF_INET6) {
		imp_warn(m, a, "%s label %s: labels are for IPv4 only; not converted", a->w[0], label);
		label = NULL;
	} else if (label && !label_ok(label, dev ? dev : iface)) {
		imp_warn(m, a, "%s label %s: the kernel needs a label that starts with \"%s:\"; not converted",
			 a->w[0], label, dev ? dev : iface);
		label = NULL;
	}
	y_item(m);
	y_str(m, 10, "address", a->w[0]);
	if (dev)
		y_str(m, 10, "dev", dev);
	if (label)
		y_str(m, 10, "label", label);
}

static int map_vips(struct imp_map *m, struct imp_node *vi, const char *iface)
{
	struct imp_node *v = imp_get(vi, "virtual_ipaddress"), *x = imp_get(vi, "virtual_ipaddress_excluded");
	struct imp_node *done[512];
	size_t ndone = 0;
	int family = 0;

	if ((!v || !v->nkids) && (!x || !x->nkids)) {
		imp_err(m, vi, "vrrp_instance %s has no virtual_ipaddress", vi->w[1]);
		return 0;
	}
	y_key(m, 6, "virtual_addresses");
	for (int pass = 0; pass < 2; pass++) {
		struct imp_node *b = pass ? x : v;

		if (pass && b && b->nkids)
			y_comment(m, 8, "from virtual_ipaddress_excluded (halo lists them in its adverts too)");
		for (size_t i = 0; b && i < b->nkids; i++) {
			struct imp_node *a = b->kids[i];

			a->used = true;
			if (vip_seen(done, ndone, a->w[0])) {
				imp_warn(m, a, "%s is listed twice; converted once", a->w[0]);
				continue;
			}
			if (ndone == sizeof(done) / sizeof(done[0])) {
				imp_err(m, a, "more than %zu addresses in one instance", ndone);
				return family;
			}
			done[ndone++] = a;
			map_vip(m, a, iface, &family);
		}
	}
	return family;
}

/* "ADDR [min_ttl N] [max_ttl N]"; a TTL rule turns on the source check. */
static void map_peer(struct imp_map *m, struct imp_node *p, int family, bool *ttl)
{
	long long v, ttl_v[2] = { 0, 0 };   /* min_ttl, max_ttl */
	int af;

	p->used = true;
	if (!imp_is_addr(p->w[0], &af)) {
		imp_err(m, p, "unicast_peer %s is not an address", p->w[0]);
		return;
	}
	if (family && af != family) {
		imp_err(m, p, "unicast_peer %s: not the address family of the virtual addresses", p->w[0]);
		return;
	}
	if (p->nw == 1) {
		y_listval(m, 10, p->w[0]);
		return;
	}
	for (size_t i = 1; i < p->nw; i += 2) {
		bool max = !strcmp(p->w[i], "max_ttl");

		if ((!max && strcmp(p->w[i], "min_ttl")) || !imp_int(m, p, i + 1, 0, 255, &v)) {
			imp_err(m, p, "unicast_peer %s: keepalived expects min_ttl N / max_ttl N", p->w[0]);
			return;
		}
		if (!v) {
			imp_warn(m, p, "unicast_peer %s %s 0: halo accepts TTL 1..255; converted as 1", p->w[0], p->w[i]);
			v = 1;
		}
		ttl_v[max] = v;     /* the last one counts, as in keepalived */
	}
	/* found by fuzz_import: halo's loader refuses min_ttl > max_ttl */
	if (ttl_v[0] && ttl_v[1] && ttl_v[0] > ttl_v[1]) {
		imp_err(m, p, "unicast_peer %s: min_ttl %lld > max_ttl %lld (keepalived would discard every advert)",
			p->w[0], ttl_v[0], ttl_v[1]);
		return;
	}
	y_item(m);
	y_str(m, 10, "address", p->w[0]);
	for (int k = 0; k < 2; k++)
		if (ttl_v[k])
			y_int(m, 10, k ? "max_ttl" : "min_ttl", ttl_v[k]);
	*ttl = true;
}

static void map_unicast(struct imp_map *m, struct imp_node *vi, int family)
{
	struct imp_node *src = imp_get(vi, "unicast_src_ip"), *peers = imp_get(vi, "unicast_peer");
	bool ttl = false, have_peers = peers && peers->nkids;
	int af;

	if (peers && !have_peers)
		imp_warn(m, peers, "unicast_peer without a block of addresses; not converted");
	if (src && imp_need_args(m, src, 1, 1)) {
		if (!imp_is_addr(src->w[1], &af))
			imp_err(m, src, "unicast_src_ip %s is not an address", src->w[1]);
		else if (family && af != family)
			imp_err(m, src, "unicast_src_ip %s: not the address family of the virtual addresses", src->w[1]);
		else if (!have_peers)
			imp_warn(m, src, "unicast_src_ip without unicast_peer: halo uses it only for unicast; not converted");
		else
			y_str(m, 6, "unicast_source", src->w[1]);
	}
	if (!have_peers) {
		if (imp_get(vi, "check_unicast_src") || imp_get(vi, "unicast_fault_no_peer"))
			imp_warn(m, vi, "check_unicast_src / unicast_fault_no_peer without unicast_peer; not converted");
		return;
	}
	y_key(m, 6, "unicast_peers");
	for (size_t i = 0; i < peers->nkids; i++)
		map_peer(m, peers->kids[i], family, &ttl);
	/* keepalived accepts adverts from any source unless told to check */
	y_bool(m, 6, "check_unicast_source", imp_get(vi, "check_unicast_src") || m->check_unicast_src || ttl);
	if (imp_get(vi, "unicast_fault_no_peer"))
		y_bool(m, 6, "unicast_fault_no_peer", true);
}

static void map_auth(struct imp_map *m, struct imp_node *vi, int version)
{
	struct imp_node *a = imp_get(vi, "authentication"), *t, *p;
	char pw[9] = "";

	if (!a)
		return;
	t = imp_get(a, "auth_type");
	p = imp_get(a, "auth_pass");
	if (!t || !imp_need_args(m, t, 1, 1) || (strcasecmp(t->w[1], "PASS") && strcasecmp(t->w[1], "AH"))) {
		imp_err(m, t ? t : a, "authentication needs auth_type PASS or AH");
		return;
	}
	if (!strcasecmp(t->w[1], "AH")) {
		imp_warn(m, t, "auth_type AH: halo has no IPsec AH authentication; not converted");
		return;
	}
	if (!p || !imp_need_args(m, p, 1, 1)) {
		imp_err(m, a, "auth_type PASS needs auth_pass");
		return;
	}
	if (version == 3) {
		imp_warn(m, a, "authentication with VRRPv3: RFC 5798 removed it and keepalived ignores it; not converted");
		return;
	}
	if (strlen(p->w[1]) > 8)
		imp_warn(m, p, "auth_pass longer than 8 characters: keepalived and halo use the first 8");
	memcpy(pw, p->w[1], strnlen(p->w[1], 8));
	y_key(m, 6, "authentication");
	y_str(m, 8, "type", "pass");
	y_str(m, 8, "password", pw);
}

static long long inst_garp(struct imp_map *m, struct imp_node *vi, const char *kw, long long lo, long long hi,
			   bool secs, long long dflt)
{
	struct imp_node *n = imp_get(vi, kw);
	long long v;

	if (!n)
		return dflt;
	if (secs ? imp_secs(m, n, 1, &v) : imp_int(m, n, 1, lo, hi, &v))
		return v;
	return dflt;
}

static void map_garp(struct imp_map *m, struct imp_node *vi)
{
	long long delay = inst_garp(m, vi, "garp_master_delay", 0, 3600, false, m->garp_delay);
	long long repeat = inst_garp(m, vi, "garp_master_repeat", 1, 255, false, m->garp_repeat);
	long long refresh = inst_garp(m, vi, "garp_master_refresh", 0, 86400, false, m->garp_refresh);
	long long interval = inst_garp(m, vi, "garp_interval", 0, 60, true, m->garp_interval);

	if (delay < 0 && repeat < 0 && refresh < 0 && interval < 0)
		return;
	y_key(m, 6, "garp");
	if (repeat >= 0)
		y_int(m, 8, "repeat", repeat);
	if (interval >= 0)
		y_ms(m, 8, "interval", interval);
	if (refresh >= 0)
		y_ms(m, 8, "refresh", refresh * 1000);
	if (delay >= 0)
		y_ms(m, 8, "second_burst_delay", delay * 1000);
}

/* notify_master ... notify: the same argv under halo (notify gets
 * INSTANCE|GROUP name state priority appended, as keepalived does). */
static void map_notify(struct imp_map *m, struct imp_node *b, int ind)
{
	static const char *const kw[] = { "notify_master", "notify_backup", "notify_fault", "notify_stop", "notify" };
	static const char *const key[] = { "master", "backup", "fault", "stop", "any" };
	struct imp_node *n[5];
	bool any = false;

	for (int i = 0; i < 5; i++)
		any |= (n[i] = imp_get(b, kw[i])) != NULL;
	if (!any)
		return;
	y_key(m, ind, "notify");
	for (int i = 0; i < 5; i++)
		if (n[i])
			emit_command(m, n[i], ind + 2, key[i]);
}

static void smtp_alert(struct imp_map *m, struct imp_node *b)
{
	struct imp_node *n = imp_get(b, "smtp_alert");

	if (n && !(n->nw > 1 && (!strcasecmp(n->w[1], "false") || !strcasecmp(n->w[1], "no") || !strcmp(n->w[1], "0"))))
		imp_warn(m, n, "smtp_alert: halo sends no mail; use a notify script; not converted");
}

static int inst_version(struct imp_map *m, struct imp_node *vi)
{
	struct imp_node *n = imp_get(vi, "version");
	long long ver = m->vrrp_version;
	int af = 0;

	if (n && imp_int(m, n, 1, 2, 3, &ver))
		return (int)ver;
	af = inst_family(vi);
	return af == AF_INET6 ? 3 : (int)ver;   /* keepalived: IPv6 instances use version 3 */
}

static void map_advert(struct imp_map *m, struct imp_node *vi, int version)
{
	struct imp_node *n = imp_get(vi, "advert_int");
	long long ms = 1000, r;

	if (n && !imp_secs(m, n, 1, &ms))
		return;
	r = version == 2 ? (ms + 500) / 1000 * 1000 : (ms + 5) / 10 * 10;
	if (r < (version == 2 ? 1000 : 10))
		r = version == 2 ? 1000 : 10;
	if (r > (version == 2 ? 255000 : 40950))
		r = version == 2 ? 255000 : 40950;
	if (r != ms)
		imp_warn(m, n, "advert_int %s: VRRPv%d cannot send it; converted as %lldms, as keepalived rounds it",
			 n->w[1], version, r);
	y_ms(m, 6, "advert_interval", r);
}

static void map_vmac(struct imp_map *m, struct imp_node *vi)
{
	struct imp_node *n = imp_get(vi, "use_vmac");

	if (!n)
		return;
	if (n->nw > 1)
		imp_warn(m, n, "use_vmac %s: halo names the interface vrrp.<vrid> with the RFC 5798 7.3 MAC; "
			 "name and MAC not converted", n->w[1]);
	y_bool(m, 6, "use_vmac", true);
	if (imp_get(vi, "vmac_xmit_base"))
		y_bool(m, 6, "vmac_xmit_base", true);
}

static void map_instance(struct imp_map *m, struct imp_node *root, struct imp_node *vi)
{
	struct imp_node *n, *iface = imp_get(vi, "interface"), *vrid = imp_get(vi, "virtual_router_id");
	int version = inst_version(m, vi);
	long long v;

	y_item(m);
	y_str(m, 6, "name", vi->w[1]);
	if ((n = imp_get(vi, "state"))) {
		if (!imp_need_args(m, n, 1, 1) || (strcmp(n->w[1], "MASTER") && strcmp(n->w[1], "BACKUP")))
			imp_err(m, n, "state must be MASTER or BACKUP");
		else if (!strcmp(n->w[1], "MASTER"))
			y_comment(m, 6, "state MASTER: halo starts as BACKUP and elects by priority (RFC 5798 6.4.1)");
	}
	if (!iface || !imp_need_args(m, iface, 1, 1)) {
		imp_err(m, vi, "vrrp_instance %s has no interface (halo needs one)", vi->w[1]);
		return;
	}
	if (!imp_ifname(m, iface, iface->w[1]))
		return;
	y_str(m, 6, "interface", iface->w[1]);
	if (!vrid)
		imp_err(m, vi, "vrrp_instance %s has no virtual_router_id", vi->w[1]);
	else if (imp_int(m, vrid, 1, 1, 255, &v))
		y_int(m, 6, "vrid", v);
	if ((n = imp_get(vi, "priority")) && imp_int(m, n, 1, 1, 255, &v))
		y_int(m, 6, "priority", v);
	y_int(m, 6, "version", version);
	map_advert(m, vi, version);
	y_bool(m, 6, "preempt", !imp_get(vi, "nopreempt"));
	imp_get(vi, "preempt");
	if ((n = imp_get(vi, "preempt_delay")) && imp_secs(m, n, 1, &v)) {
		struct imp_node *st = imp_get(vi, "state");
		if (st && st->nw > 1 && !strcmp(st->w[1], "MASTER"))
			imp_warn(m, n, "preempt_delay with state MASTER: keepalived clears it, and so does the conversion");
		else if (v > 1000000)
			imp_err(m, n, "preempt_delay %s: keepalived allows 0..1000 seconds", n->w[1]);
		else
			y_ms(m, 6, "preempt_delay", v);
	}
	if (imp_get(vi, "accept"))
		y_bool(m, 6, "accept", true);
	else
		y_bool(m, 6, "accept", !imp_get(vi, "no_accept") && !m->vrrp_strict);
	map_unicast(m, vi, map_vips(m, vi, iface->w[1]));
	map_auth(m, vi, version);
	imp_map_tracks(m, root, vi);
	map_vmac(m, vi);
	if (m->startup_delay >= 0)
		y_ms(m, 6, "startup_delay", m->startup_delay);
	map_garp(m, vi);
	map_notify(m, vi, 6);
	smtp_alert(m, vi);
}

/* keepalived ignores weighted trackers of sync group members unless the
 * group says sync_group_tracking_weight; halo always applies them. */
static void group_weights(struct imp_map *m, struct imp_node *root, struct imp_node *g, struct imp_node *list)
{
	for (size_t k = 0; k < list->nkids; k++) {
		struct imp_node *vi = NULL;

		for (size_t i = 0; i < root->nkids; i++)
			if (!strcmp(root->kids[i]->w[0], "vrrp_instance") && imp_arg(root->kids[i], 1) &&
			    !strcmp(root->kids[i]->w[1], list->kids[k]->w[0]))
				vi = root->kids[i];
		if (vi && imp_tracks_weighted(root, vi))
			imp_warn(m, g, "vrrp_sync_group %s: keepalived ignores the weighted trackers of %s unless "
				 "sync_group_tracking_weight is set; halo applies them", g->w[1], vi->w[1]);
	}
}

struct imp_node *imp_find_instance(struct imp_node *root, const char *name)
{
	for (size_t i = 0; i < root->nkids; i++)
		if (!strcmp(root->kids[i]->w[0], "vrrp_instance") && root->kids[i]->nw == 2 &&
		    !strcmp(root->kids[i]->w[1], name))
			return root->kids[i];
	return NULL;
}

/* keepalived ignores a member that is no instance or already in a group,
 * and drops a group left with none; the conversion does the same. */
static size_t group_members(struct imp_map *m, struct imp_node *root, struct imp_node *g, struct imp_node *list,
			    const char ***taken, size_t *ntaken)
{
	size_t before = *ntaken;

	for (size_t k = 0; list && k < list->nkids; k++) {
		struct imp_node *e = list->kids[k];
		bool dup = false;

		e->used = true;
		for (size_t j = 0; j < *ntaken; j++)
			dup |= !strcmp((*taken)[j], e->w[0]);
		if (e->nw != 1)
			imp_err(m, e, "vrrp_sync_group %s: one instance name per line", g->w[1]);
		else if (!imp_find_instance(root, e->w[0]))
			imp_warn(m, e, "vrrp_sync_group %s: no vrrp_instance %s; ignored, as keepalived does", g->w[1],
				 e->w[0]);
		else if (dup)
			imp_warn(m, e, "vrrp_sync_group %s: %s is already in a sync group; ignored, as keepalived does",
				 g->w[1], e->w[0]);
		else {
			*taken = realloc(*taken, (*ntaken + 1) * sizeof(**taken));
			if (!*taken)
				abort();
			(*taken)[(*ntaken)++] = e->w[0];
		}
	}
	return *ntaken - before;
}

static void map_groups(struct imp_map *m, struct imp_node *root)
{
	struct imp_node **gs;
	size_t ng = imp_all(root, "vrrp_sync_group", &gs), ntaken = 0;
	const char **taken = NULL;
	bool open = false;

	for (size_t i = 0; i < ng; i++) {
		struct imp_node *g = gs[i], *list;
		size_t first = ntaken, n;
		bool dup = false;

		if (!imp_need_args(m, g, 1, 1))
			continue;
		for (size_t j = 0; j < i; j++)
			dup |= gs[j]->nw == 2 && !strcmp(gs[j]->w[1], g->w[1]);
		if (dup) {
			imp_err(m, g, "vrrp_sync_group %s is defined twice", g->w[1]);
			continue;
		}
		list = imp_get(g, "group");
		if (!(n = group_members(m, root, g, list, &taken, &ntaken))) {
			imp_warn(m, g, "vrrp_sync_group %s has no instances; not converted (keepalived removes it)", g->w[1]);
			continue;
		}
		if (!open)
			y_key(m, 2, "sync_groups");
		open = true;
		y_item(m);
		y_str(m, 6, "name", g->w[1]);
		y_key(m, 6, "instances");
		for (size_t k = first; k < first + n; k++)
			y_listval(m, 10, taken[k]);
		map_notify(m, g, 6);
		smtp_alert(m, g);
		if (!imp_get(g, "sync_group_tracking_weight"))
			group_weights(m, root, g, list);
	}
	free(taken);
	free(gs);
}

/* Names and VRIDs keepalived refuses to see twice. */
static bool instance_unique(struct imp_map *m, struct imp_node **is, size_t i)
{
	struct imp_node *vi = is[i], *ifa = imp_get(vi, "interface"), *vr = imp_get(vi, "virtual_router_id");

	for (size_t j = 0; j < i; j++) {
		struct imp_node *o = is[j], *oifa, *ovr;

		if (o->nw != 2)
			continue;
		if (!strcmp(o->w[1], vi->w[1])) {
			imp_err(m, vi, "vrrp_instance %s is defined twice (first at line %u)", vi->w[1], o->line);
			return false;
		}
		oifa = imp_get(o, "interface");
		ovr = imp_get(o, "virtual_router_id");
		if (ifa && oifa && vr && ovr && ifa->nw > 1 && oifa->nw > 1 && vr->nw > 1 && ovr->nw > 1 &&
		    !strcmp(ifa->w[1], oifa->w[1]) && !strcmp(vr->w[1], ovr->w[1]) &&
		    inst_family(vi) == inst_family(o)) {
			imp_err(m, vr, "virtual_router_id %s on %s is already used by vrrp_instance %s", vr->w[1],
				ifa->w[1], o->w[1]);
			return false;
		}
	}
	return true;
}

void imp_map_vrrp(struct imp_map *m, struct imp_node *root)
{
	struct imp_node **is;
	size_t ni = imp_all(root, "vrrp_instance", &is);
	bool any = ni || imp_get(root, "vrrp_script") || imp_get(root, "vrrp_sync_group");

	if (any)
		y_key(m, 0, "vrrp");
	map_scripts(m, root);
	if (ni)
		y_key(m, 2, "instances");
	for (size_t i = 0; i < ni; i++)
		if (imp_need_args(m, is[i], 1, 1) && instance_unique(m, is, i))
			map_instance(m, root, is[i]);
		else
			mark_all(is[i]);
	map_groups(m, root);
	free(is);
}
