/* Schema of `global` and `vrrp` (scripts, instances, sync groups), with the
 * VRRP rules that span fields; it only fills structs and records errors. */
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "config_priv.h"
#include "log.h"

static const char *const v3_cksum_names[] = { "auto", "rfc5798", "rfc9568", NULL };
static const char *const auth_names[] = { "none", "pass", "hmac", NULL };

static const char *family_name(int af)
{
	return af == AF_INET6 ? "IPv6" : "IPv4";
}

static void noop(struct cfg_ctx *c, const struct cnode *v, void *obj)
{
}

/* ---------------- global ---------------- */

static void global_facility(struct cfg_ctx *c, const struct cnode *v, void *obj)
{
	struct cfg_global *g = obj;
	int f;

	if (v->type != CNODE_SCALAR || (f = log_facility_from_name(v->str)) < 0) {
		cfg_error(c, v, "expected daemon or local0..local7");
		return;
	}
	g->log_facility = f;
}

/* "127.0.0.1:9650" or "[::1]:9650". */
static bool listen_ok(const char *s)
{
	const char *colon = strrchr(s, ':'), *h = s;
	struct halo_addr a;
	char host[HALO_ADDRSTRLEN], *end;
	size_t hl = colon ? (size_t)(colon - s) : 0;
	bool bracket = hl >= 2 && s[0] == '[' && s[hl - 1] == ']';
	unsigned long port;

	if (!colon || !colon[1])
		return false;
	if (bracket) {
		h++;
		hl -= 2;
	}
	if (hl >= sizeof(host))
		return false;
	memcpy(host, h, hl);
	host[hl] = '\0';
	port = strtoul(colon + 1, &end, 10);
	if (*end || port < 1 || port > 65535 || halo_addr_parse(host, &a) < 0)
		return false;
	return bracket == (a.family == AF_INET6);
}

static void global_metrics(struct cfg_ctx *c, const struct cnode *v, void *obj)
{
	struct cfg_global *g = obj;

	if (!cfg_get_str(c, v, true, &g->metrics_listen))
		return;
	if (!listen_ok(g->metrics_listen)) {
		cfg_error(c, v, "bad listen address \"%.64s\" (expected 127.0.0.1:9650 or [::1]:9650)", v->str);
		free(g->metrics_listen);
		g->metrics_listen = NULL;
	}
}

static const struct cfg_field global_fields[] = {
	CFG_F("router_id", CFT_NAME, struct cfg_global, router_id, 0, 0),
	CFG_FN("log_facility", global_facility),
	CFG_F("script_user", CFT_NAME, struct cfg_global, script_user, 0, 0),
	CFG_F("checker_user", CFT_NAME, struct cfg_global, checker_user, 0, 0),
	CFG_F("realtime_priority", CFT_INT, struct cfg_global, realtime_priority, 0, 99),
	CFG_FN("metrics_listen", global_metrics),
	CFG_F("script_security", CFT_BOOL, struct cfg_global, script_security, 0, 0),
	CFG_F("seccomp", CFT_BOOL, struct cfg_global, seccomp, 0, 0),
	CFG_END
};

void cfg_parse_global(struct cfg_ctx *c, const struct cnode *n, void *obj)
{
	cfg_map_walk(c, n, global_fields, &((struct halo_config *)obj)->global);
}

/* ---------------- vrrp.scripts ---------------- */

static const struct cfg_field script_fields[] = {
	{ "command", CFT_ARGV, offsetof(struct cfg_vrrp_script, command), 0, 0, NULL, NULL, true },
	CFG_F("interval", CFT_MS, struct cfg_vrrp_script, interval, 1, 3600000),
	CFG_F("timeout", CFT_MS, struct cfg_vrrp_script, timeout, 1, 3600000),
	CFG_F("rise", CFT_U32, struct cfg_vrrp_script, rise, 1, 1000),
	CFG_F("fall", CFT_U32, struct cfg_vrrp_script, fall, 1, 1000),
	CFG_F("weight", CFT_INT, struct cfg_vrrp_script, weight, -254, 254),
	CFG_END
};

static void parse_scripts(struct cfg_ctx *c, const struct cnode *n, struct cfg_vrrp *v)
{
	if (n->type != CNODE_MAP && n->type != CNODE_NULL) {
		cfg_error(c, n, "expected a mapping of script names, found a %s",
			  n->type == CNODE_SEQ ? "list" : "scalar");
		return;
	}
	v->n_scripts = cnode_len(n);
	v->scripts = cfg_calloc(v->n_scripts, sizeof(*v->scripts));
	for (size_t i = 0; i < v->n_scripts; i++) {
		struct cfg_vrrp_script *s = &v->scripts[i];
		const struct cnode *k = n->kids[2 * i], *val = n->kids[2 * i + 1];
		size_t old;

		s->interval = 1000;
		s->rise = s->fall = 1;
		if (!cfg_map_key_ok(c, n, i))
			continue;
		old = cfg_path_key(c, k->len ? k->str : "\"\"");
		if (!k->len)
			cfg_error(c, k, "script name must not be empty");
		else
			s->name = cfg_strdup(k->str);
		s->pos = (struct cfg_pos){ k->line, k->col };
		cfg_map_walk(c, val, script_fields, s);
		if (!cnode_map_get(val, "timeout"))
			s->timeout = s->interval;
		cfg_path_pop(c, old);
	}
}

/* ---------------- vrrp.instances[] ---------------- */

static void vaddr_address(struct cfg_ctx *c, const struct cnode *v, void *obj)
{
	struct cfg_vaddr *va = obj;

	if (v->type != CNODE_SCALAR || halo_prefix_parse(v->str, &va->addr, &va->prefixlen) < 0) {
		memset(&va->addr, 0, sizeof(va->addr));
		cfg_error(c, v, "bad address \"%.64s\" (expected ADDRESS[/PREFIX])",
			  v->type == CNODE_SCALAR ? v->str : "");
	}
}

static const struct cfg_field vaddr_fields[] = {
	CFG_FN_REQ("address", vaddr_address),
	CFG_F("dev", CFT_IFNAME, struct cfg_vaddr, dev, 0, 0),
	CFG_F("label", CFT_NAME, struct cfg_vaddr, label, 0, 0),
	CFG_END
};

static void inst_vaddrs(struct cfg_ctx *c, const struct cnode *v, void *obj)
{
	struct cfg_vrrp_instance *vi = obj;
	size_t n;

	if (!cfg_get_seq(c, v, &n))
		return;
	if (!n)
		cfg_error(c, v, "must not be empty");
	vi->n_vaddrs = n;
	vi->vaddrs = cfg_calloc(n, sizeof(*vi->vaddrs));
	for (size_t i = 0; i < n; i++) {
		size_t old = cfg_path_index(c, i);
		const struct cnode *it = v->kids[i];

		if (it->type == CNODE_SCALAR)
			vaddr_address(c, it, &vi->vaddrs[i]);
		else
			cfg_map_walk(c, it, vaddr_fields, &vi->vaddrs[i]);
		cfg_path_pop(c, old);
	}
}

static void inst_unicast_source(struct cfg_ctx *c, const struct cnode *v, void *obj)
{
	struct cfg_vrrp_instance *vi = obj;

	vi->has_unicast_source = cfg_get_addr(c, v, &vi->unicast_source);
}

struct peer_tmp {
	struct halo_addr addr;
	struct cfg_peer_ttl ttl;
};

static const struct cfg_field peer_fields[] = {
	{ "address", CFT_ADDR, offsetof(struct peer_tmp, addr), 0, 0, NULL, NULL, true },
	CFG_F("min_ttl", CFT_U8, struct peer_tmp, ttl.min, 1, 255),
	CFG_F("max_ttl", CFT_U8, struct peer_tmp, ttl.max, 1, 255),
	CFG_END
};

/* A peer is an address or { address, min_ttl, max_ttl }: adverts routed
 * through a router arrive with a lower TTL than RFC 5798 7.1's 255. */
static void unicast_peer(struct cfg_ctx *c, const struct cnode *it, struct cfg_vrrp_instance *vi, size_t i)
{
	struct peer_tmp t = { .ttl = { 255, 255 } };

	if (it->type == CNODE_SCALAR) {
		cfg_get_addr(c, it, &t.addr);
	} else if (cfg_map_walk(c, it, peer_fields, &t) && t.ttl.min > t.ttl.max) {
		size_t old = cfg_path_key(c, "min_ttl");

		cfg_error(c, it, "min_ttl %u is above max_ttl %u", t.ttl.min, t.ttl.max);
		cfg_path_pop(c, old);
	}
	vi->unicast_peers[i] = t.addr;
	vi->unicast_peer_ttl[i] = t.ttl;
}

static void inst_unicast_peers(struct cfg_ctx *c, const struct cnode *v, void *obj)
{
	struct cfg_vrrp_instance *vi = obj;
	size_t n;

	if (!cfg_get_seq(c, v, &n))
		return;
	if (!n)
		cfg_error(c, v, "must not be empty");
	vi->n_unicast_peers = n;
	vi->unicast_peers = cfg_calloc(n, sizeof(*vi->unicast_peers));
	vi->unicast_peer_ttl = cfg_calloc(n, sizeof(*vi->unicast_peer_ttl));
	for (size_t i = 0; i < n; i++) {
		size_t old = cfg_path_index(c, i);

		unicast_peer(c, v->kids[i], vi, i);
		cfg_path_pop(c, old);
	}
}

struct auth_tmp {
	int type;
	char *password;
	uint8_t send_key;
	struct cfg_vrrp_instance *vi;
};

static const struct cfg_field hmac_key_fields[] = {
	CFG_REQ("id", CFT_U8, struct cfg_hmac_key, id, 1, 255),
	CFG_REQ("secret", CFT_STR, struct cfg_hmac_key, secret, 0, 0),
	CFG_END
};

static void auth_keys(struct cfg_ctx *c, const struct cnode *v, void *obj)
{
	struct cfg_vrrp_instance *vi = ((struct auth_tmp *)obj)->vi;
	size_t n;

	if (!cfg_get_seq(c, v, &n))
		return;
	if (!n)
		cfg_error(c, v, "must not be empty");
	vi->n_hmac_keys = n;
	vi->hmac_keys = cfg_calloc(n, sizeof(*vi->hmac_keys));
	for (size_t i = 0; i < n; i++) {
		size_t old = cfg_path_index(c, i);
		struct cfg_hmac_key *k = &vi->hmac_keys[i];

		if (cfg_map_walk(c, v->kids[i], hmac_key_fields, k) && k->secret &&
		    (strlen(k->secret) < 16 || strlen(k->secret) > 64))
			cfg_error(c, v->kids[i], "secret must be 16 to 64 characters");
		for (size_t j = 0; j < i; j++)
			if (k->id && vi->hmac_keys[j].id == k->id)
				cfg_error(c, v->kids[i], "duplicate key id %u", k->id);
		cfg_path_pop(c, old);
	}
}

static const struct cfg_field auth_fields[] = {
	{ "type", CFT_ENUM, offsetof(struct auth_tmp, type), 0, 0, NULL, auth_names, true },
	CFG_F("password", CFT_STR, struct auth_tmp, password, 0, 0),
	CFG_FN("keys", auth_keys),
	CFG_F("send_key", CFT_U8, struct auth_tmp, send_key, 1, 255),
	CFG_END
};

static void auth_hmac_check(struct cfg_ctx *c, const struct cnode *v, struct cfg_vrrp_instance *vi,
                            uint8_t send_key)
{
	bool found = false;

	if (!vi->n_hmac_keys) {
		if (!cnode_map_get(v, "keys"))
			cfg_error(c, v, "missing required key (type hmac needs keys)");
		return;
	}
	vi->hmac_send_key = send_key ? send_key : vi->hmac_keys[0].id;
	for (size_t i = 0; i < vi->n_hmac_keys; i++)
		found |= vi->hmac_keys[i].id == vi->hmac_send_key;
	if (!found) {
		size_t old = cfg_path_key(c, "send_key");
		cfg_error(c, cnode_map_get(v, "send_key"), "no key with id %u", send_key);
		cfg_path_pop(c, old);
	}
}

static void inst_auth(struct cfg_ctx *c, const struct cnode *v, void *obj)
{
	struct cfg_vrrp_instance *vi = obj;
	struct auth_tmp t = { .type = -1, .vi = vi };
	const struct cnode *pw = cnode_map_get(v, "password");
	size_t old;

	if (!cfg_map_walk(c, v, auth_fields, &t) || t.type < 0)
		goto out;
	vi->auth_type = (enum cfg_auth)t.type;
	if (t.type == CFG_AUTH_HMAC)
		auth_hmac_check(c, v, vi, t.send_key);
	else if (vi->n_hmac_keys || t.send_key) {
		old = cfg_path_key(c, vi->n_hmac_keys ? "keys" : "send_key");
		cfg_error(c, cnode_map_get(v, vi->n_hmac_keys ? "keys" : "send_key"), "only for type hmac");
		cfg_path_pop(c, old);
	}
	old = cfg_path_key(c, "password");
	if (t.type == CFG_AUTH_HMAC && pw)
		cfg_error(c, pw, "type hmac uses keys, not a password");
	else if (t.type == CFG_AUTH_NONE && pw)
		cfg_error(c, pw, "a password needs type pass");
	else if (t.type == CFG_AUTH_PASS && !pw)
		cfg_error(c, v, "missing required key (type pass needs a password)");
	else if (t.password && (strlen(t.password) < 1 || strlen(t.password) > 8))
		cfg_error(c, pw, "password must be 1 to 8 characters (RFC 3768 5.3.6.1)");
	else if (t.password)
		memcpy(vi->auth_pass, t.password, strlen(t.password));
	cfg_path_pop(c, old);
out:
	free(t.password);
}

static const struct cfg_field garp_fields[] = {
	CFG_F("repeat", CFT_U32, struct cfg_garp, repeat, 0, 255),
	CFG_F("interval", CFT_MS, struct cfg_garp, interval, 0, 60000),
	CFG_F("refresh", CFT_MS, struct cfg_garp, refresh, 0, 86400000),
	CFG_F("second_burst_delay", CFT_MS, struct cfg_garp, second_burst_delay, 0, 3600000),
	CFG_END
};

static void inst_garp(struct cfg_ctx *c, const struct cnode *v, void *obj)
{
	cfg_map_walk(c, v, garp_fields, &((struct cfg_vrrp_instance *)obj)->garp);
}

static const struct cfg_field notify_fields[] = {
	CFG_F("master", CFT_ARGV, struct cfg_notify, master, 0, 0),
	CFG_F("backup", CFT_ARGV, struct cfg_notify, backup, 0, 0),
	CFG_F("fault", CFT_ARGV, struct cfg_notify, fault, 0, 0),
	CFG_F("stop", CFT_ARGV, struct cfg_notify, stop, 0, 0),
	CFG_F("any", CFT_ARGV, struct cfg_notify, any, 0, 0),
	CFG_F("timeout", CFT_MS, struct cfg_notify, timeout, 1, 3600000),
	CFG_END
};

static void inst_notify(struct cfg_ctx *c, const struct cnode *v, void *obj)
{
	cfg_map_walk(c, v, notify_fields, &((struct cfg_vrrp_instance *)obj)->notify);
}

static const struct cfg_field instance_fields[] = {
	CFG_REQ("name", CFT_NAME, struct cfg_vrrp_instance, name, 0, 0),
	CFG_REQ("interface", CFT_IFNAME, struct cfg_vrrp_instance, interface, 0, 0),
	CFG_REQ("vrid", CFT_U8, struct cfg_vrrp_instance, vrid, 1, 255),
	CFG_F("priority", CFT_U8, struct cfg_vrrp_instance, priority, 1, 255),
	CFG_F("version", CFT_U8, struct cfg_vrrp_instance, version, 2, 3),
	CFG_F("advert_interval", CFT_MS, struct cfg_vrrp_instance, advert_interval, 0, 3600000),
	CFG_F("preempt", CFT_BOOL, struct cfg_vrrp_instance, preempt, 0, 0),
	CFG_F("preempt_delay", CFT_MS, struct cfg_vrrp_instance, preempt_delay, 0, 1000000),
	CFG_F("accept", CFT_BOOL, struct cfg_vrrp_instance, accept, 0, 0),
	CFG_ENUM("v3_checksum", struct cfg_vrrp_instance, v3_checksum, v3_cksum_names),
	CFG_FN_REQ("virtual_addresses", inst_vaddrs),
	CFG_FN("unicast_source", inst_unicast_source),
	CFG_FN("unicast_peers", inst_unicast_peers),
	CFG_FN("authentication", inst_auth),
	CFG_FN("track_interfaces", cfg_inst_track_ifs),
	CFG_FN("track_scripts", cfg_inst_track_scripts),
	CFG_FN("track_files", cfg_inst_track_files),
	CFG_FN("track_processes", cfg_inst_track_processes),
	CFG_FN("track_virtual_servers", cfg_inst_track_vss),
	CFG_F("check_unicast_source", CFT_BOOL, struct cfg_vrrp_instance, check_unicast_source, 0, 0),
	CFG_F("unicast_fault_no_peer", CFT_BOOL, struct cfg_vrrp_instance, unicast_fault_no_peer, 0, 0),
	CFG_F("startup_delay", CFT_MS, struct cfg_vrrp_instance, startup_delay, 0, 3600000),
	CFG_F("startup_hold", CFT_MS, struct cfg_vrrp_instance, startup_hold, 0, 3600000),
	CFG_F("use_vmac", CFT_BOOL, struct cfg_vrrp_instance, use_vmac, 0, 0),
	CFG_F("vmac_xmit_base", CFT_BOOL, struct cfg_vrrp_instance, vmac_xmit_base, 0, 0),
	CFG_FN("garp", inst_garp),
	CFG_FN("notify", inst_notify),
	CFG_END
};

/* Runs fn-style checks with the key pushed on the path; at = key's value or the map. */
static const struct cnode *path_at(struct cfg_ctx *c, const struct cnode *map, const char *key, size_t *old)
{
	const struct cnode *v = cnode_map_get(map, key);

	*old = cfg_path_key(c, key);
	return v ? v : map;
}

static void check_advert(struct cfg_ctx *c, const struct cnode *n, const struct cfg_vrrp_instance *vi)
{
	size_t old;
	const struct cnode *at = path_at(c, n, "advert_interval", &old);
	cfg_ms a = vi->advert_interval;

	if (vi->version == 3 && (a < 10 || a > 40950))
		cfg_error(c, at, "VRRPv3 needs 10ms..40.95s (RFC 5798 5.2.7)");
	else if (vi->version == 3 && a % 10)
		cfg_error(c, at, "VRRPv3 counts in centiseconds: use a multiple of 10ms (RFC 5798 5.2.7)");
	else if (vi->version == 2 && (a % 1000 || a < 1000 || a > 255000))
		cfg_error(c, at, "VRRPv2 needs whole seconds, 1s..255s (RFC 3768 5.3.7)");
	cfg_path_pop(c, old);
}

static void check_vaddrs(struct cfg_ctx *c, const struct cnode *n, struct cfg_vrrp_instance *vi)
{
	const struct cnode *list = cnode_map_get(n, "virtual_addresses");
	size_t old = cfg_path_key(c, "virtual_addresses");

	for (size_t i = 0; i < vi->n_vaddrs; i++) {
		struct cfg_vaddr *va = &vi->vaddrs[i];
		const char *dev = va->dev ? va->dev : vi->interface;
		size_t o2 = cfg_path_index(c, i);

		if (!va->addr.family)
			goto next;
		if (!vi->family)
			vi->family = va->addr.family;
		else if (va->addr.family != vi->family)
			cfg_error(c, list->kids[i], "%s address in an %s instance (one family per instance)",
				  family_name(va->addr.family), family_name(vi->family));
		for (size_t j = 0; j < i; j++)
			if (vi->vaddrs[j].addr.family && halo_addr_eq(&vi->vaddrs[j].addr, &va->addr)) {
				cfg_error(c, list->kids[i], "duplicate virtual address");
				break;
			}
		if (va->label && va->addr.family == AF_INET6)
			cfg_error(c, list->kids[i], "label is only for IPv4 addresses");
		else if (va->label && dev && (strlen(va->label) > 15 ||
			 (strcmp(va->label, dev) && (strncmp(va->label, dev, strlen(dev)) || va->label[strlen(dev)] != ':'))))
			cfg_error(c, list->kids[i], "label must be \"%s\" or start with \"%s:\" (at most 15 characters)", dev, dev);
next:
		cfg_path_pop(c, o2);
	}
	cfg_path_pop(c, old);
}

static void check_unicast(struct cfg_ctx *c, const struct cnode *n, const struct cfg_vrrp_instance *vi)
{
	size_t old;
	const struct cnode *at;

	if (vi->has_unicast_source) {
		at = path_at(c, n, "unicast_source", &old);
		if (vi->family && vi->unicast_source.family != vi->family)
			cfg_error(c, at, "must be %s like the virtual addresses", family_name(vi->family));
		if (!vi->n_unicast_peers)
			cfg_error(c, at, "unicast_source needs unicast_peers");
		cfg_path_pop(c, old);
	}
	at = path_at(c, n, "unicast_peers", &old);
	for (size_t i = 0; i < vi->n_unicast_peers; i++) {
		int af = vi->unicast_peers[i].family;
		size_t o2 = cfg_path_index(c, i);

		if (af && vi->family && af != vi->family)
			cfg_error(c, at->kids[i], "must be %s like the virtual addresses", family_name(vi->family));
		cfg_path_pop(c, o2);
	}
	cfg_path_pop(c, old);
}

static void check_options(struct cfg_ctx *c, const struct cnode *n, const struct cfg_vrrp_instance *vi)
{
	size_t old;
	const struct cnode *at;

	if (vi->vmac_xmit_base && !vi->use_vmac) {
		at = path_at(c, n, "vmac_xmit_base", &old);
		cfg_error(c, at, "vmac_xmit_base needs use_vmac: true");
		cfg_path_pop(c, old);
	}
	if (vi->unicast_fault_no_peer && !vi->n_unicast_peers) {
		at = path_at(c, n, "unicast_fault_no_peer", &old);
		cfg_error(c, at, "unicast_fault_no_peer needs unicast_peers");
		cfg_path_pop(c, old);
	}
}

static void check_version(struct cfg_ctx *c, const struct cnode *n, const struct cfg_vrrp_instance *vi)
{
	size_t old;
	const struct cnode *at;

	if (vi->version == 2 && vi->family == AF_INET6) {
		at = path_at(c, n, "version", &old);
		cfg_error(c, at, "VRRPv2 is IPv4 only (RFC 3768); use version 3 for IPv6");
		cfg_path_pop(c, old);
	}
	if (vi->version == 3 && cnode_map_get(n, "authentication") && vi->auth_type != CFG_AUTH_HMAC) {
		at = path_at(c, n, "authentication", &old);
		cfg_error(c, at, "authentication is only for version 2 (RFC 5798 removed it); type hmac works with both");
		cfg_path_pop(c, old);
	}
}

static void check_unique(struct cfg_ctx *c, const struct cnode *n, const struct cfg_vrrp *v, size_t i)
{
	const struct cfg_vrrp_instance *vi = &v->instances[i];
	bool name_seen = false, vrid_seen = false;
	size_t old;
	const struct cnode *at;

	for (size_t j = 0; j < i; j++) {
		const struct cfg_vrrp_instance *o = &v->instances[j];

		if (!name_seen && vi->name && o->name && !strcmp(vi->name, o->name)) {
			name_seen = true;
			at = path_at(c, n, "name", &old);
			cfg_error(c, at, "duplicate instance name (first at line %u)", o->pos.line);
			cfg_path_pop(c, old);
		}
		if (!vrid_seen && vi->vrid && vi->vrid == o->vrid && vi->family == o->family &&
		    vi->interface && o->interface && !strcmp(vi->interface, o->interface)) {
			vrid_seen = true;
			at = path_at(c, n, "vrid", &old);
			cfg_error(c, at, "vrid %u on %s (%s) is already used by instance %s (line %u)", vi->vrid,
				  vi->interface, family_name(vi->family), o->name ? o->name : "?", o->pos.line);
			cfg_path_pop(c, old);
		}
	}
}

static void instance_defaults(struct cfg_vrrp_instance *vi)
{
	vi->priority = 100;
	vi->version = 3;
	vi->advert_interval = 1000;
	vi->preempt = true;
	vi->check_unicast_source = true;
	vi->garp.repeat = 5;
	vi->garp.second_burst_delay = 5000;
	vi->notify.timeout = 10000;
}

static void parse_instances(struct cfg_ctx *c, const struct cnode *n, struct cfg_vrrp *v)
{
	size_t cnt;

	if (!cfg_get_seq(c, n, &cnt))
		return;
	v->n_instances = cnt;
	v->instances = cfg_calloc(cnt, sizeof(*v->instances));
	for (size_t i = 0; i < cnt; i++) {
		struct cfg_vrrp_instance *vi = &v->instances[i];
		const struct cnode *it = n->kids[i];
		size_t old = cfg_path_index(c, i);

		instance_defaults(vi);
		vi->pos = (struct cfg_pos){ it->line, it->col };
		if (cfg_map_walk(c, it, instance_fields, vi)) {
			check_vaddrs(c, it, vi);
			check_advert(c, it, vi);
			check_version(c, it, vi);
			check_unicast(c, it, vi);
			check_options(c, it, vi);
			check_unique(c, it, v, i);
		}
		cfg_path_pop(c, old);
	}
}

/* ---------------- vrrp.sync_groups[] ---------------- */

static void group_instances(struct cfg_ctx *c, const struct cnode *v, void *obj)
{
	struct cfg_sync_group *g = obj;
	const struct cfg_vrrp *vr = &c->cfg->vrrp;
	size_t n;

	if (!cfg_get_seq(c, v, &n))
		return;
	if (!n)
		cfg_error(c, v, "must not be empty");
	g->n_instances = n;
	g->instances = cfg_calloc(n, sizeof(char *));
	for (size_t i = 0; i < n; i++) {
		size_t old = cfg_path_index(c, i);
		char *name = NULL;

		if (cfg_get_str(c, v->kids[i], true, &name)) {
			if (!config_find_instance(c->cfg, name))
				cfg_error(c, v->kids[i], "unknown instance \"%.64s\"", name);
			for (size_t j = 0; j < vr->n_sync_groups && &vr->sync_groups[j] <= g; j++)
				for (size_t k = 0; k < vr->sync_groups[j].n_instances; k++)
					if (vr->sync_groups[j].instances[k] && !strcmp(vr->sync_groups[j].instances[k], name))
						cfg_error(c, v->kids[i], "instance %.64s is already in sync group %s", name,
							  vr->sync_groups[j].name ? vr->sync_groups[j].name : "?");
		}
		g->instances[i] = name;
		cfg_path_pop(c, old);
	}
}

static void group_notify(struct cfg_ctx *c, const struct cnode *v, void *obj)
{
	cfg_map_walk(c, v, notify_fields, &((struct cfg_sync_group *)obj)->notify);
}

static const struct cfg_field group_fields[] = {
	CFG_REQ("name", CFT_NAME, struct cfg_sync_group, name, 0, 0),
	CFG_FN_REQ("instances", group_instances),
	CFG_FN("notify", group_notify),
	CFG_END
};

static void parse_groups(struct cfg_ctx *c, const struct cnode *n, struct cfg_vrrp *v)
{
	size_t cnt;

	if (!cfg_get_seq(c, n, &cnt))
		return;
	v->n_sync_groups = cnt;
	v->sync_groups = cfg_calloc(cnt, sizeof(*v->sync_groups));
	for (size_t i = 0; i < cnt; i++) {
		struct cfg_sync_group *g = &v->sync_groups[i];
		const struct cnode *it = n->kids[i];
		size_t old = cfg_path_index(c, i), o2;

		g->notify.timeout = 10000;
		g->pos = (struct cfg_pos){ it->line, it->col };
		cfg_map_walk(c, it, group_fields, g);
		for (size_t j = 0; j < i && g->name; j++)
			if (v->sync_groups[j].name && !strcmp(v->sync_groups[j].name, g->name)) {
				const struct cnode *at = path_at(c, it, "name", &o2);

				cfg_error(c, at, "duplicate sync group name (first at line %u)",
					  v->sync_groups[j].pos.line);
				cfg_path_pop(c, o2);
			}
		cfg_path_pop(c, old);
	}
}

static const struct cfg_field vrrp_fields[] = {
	CFG_FN("scripts", noop),
	CFG_FN("instances", noop),
	CFG_FN("sync_groups", noop),
	CFG_END
};

/* Schema order, not file order: instances refer to scripts, groups to instances. */
void cfg_parse_vrrp(struct cfg_ctx *c, const struct cnode *n, void *obj)
{
	struct cfg_vrrp *v = &((struct halo_config *)obj)->vrrp;
	const struct cnode *k;
	size_t old;

	if (!cfg_map_walk(c, n, vrrp_fields, v))
		return;
	if ((k = cnode_map_get(n, "scripts"))) {
		old = cfg_path_key(c, "scripts");
		parse_scripts(c, k, v);
		cfg_path_pop(c, old);
	}
	if ((k = cnode_map_get(n, "instances"))) {
		old = cfg_path_key(c, "instances");
		parse_instances(c, k, v);
		cfg_path_pop(c, old);
	}
	if ((k = cnode_map_get(n, "sync_groups"))) {
		old = cfg_path_key(c, "sync_groups");
		parse_groups(c, k, v);
		cfg_path_pop(c, old);
	}
}
