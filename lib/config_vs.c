/* Schema of `ipvs` and `virtual_servers` (real servers, sorry server,
 * persistence), with the rules that span fields; it only fills structs and
 * records errors. */
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "config_priv.h"

#define SEC_MAX 2147483000ull    /* IPVS keeps timeouts in 32-bit seconds (as jiffies) */

const char *const cfg_fwd_names[] = { "dr", "nat", "tun", NULL };
static const char *const tun_type_names[] = { "ipip", "gue", "gre", NULL };
static const char *const tun_csum_names[] = { "none", "csum", "remcsum", NULL };
static const char *const pe_names[] = { "sip", NULL };

const char *config_tun_type_name(enum cfg_tun_type t)
{
	return (unsigned)t < 3 ? tun_type_names[t] : "?";
}

const char *config_tun_csum_name(enum cfg_tun_csum c)
{
	return (unsigned)c < 3 ? tun_csum_names[c] : "?";
}

static void key_error(struct cfg_ctx *c, const struct cnode *map, const char *key, const char *msg)
{
	const struct cnode *v = cnode_map_get(map, key);
	size_t old = cfg_path_key(c, key);

	cfg_error(c, v ? v : map, "%s", msg);
	cfg_path_pop(c, old);
}

static const struct cfg_field tunnel_fields[] = {
	CFG_ENUM("type", struct cfg_tunnel, type, tun_type_names),
	CFG_F("port", CFT_U16, struct cfg_tunnel, port, 1, 65535),
	CFG_ENUM("checksum", struct cfg_tunnel, checksum, tun_csum_names),
	CFG_END
};

/* A `tunnel:` mapping (real server or virtual server): the kinds of
 * encapsulation and which keys each takes, as the kernel has them. */
static void parse_tunnel(struct cfg_ctx *c, const struct cnode *v, struct cfg_tunnel *t)
{
	if (!cfg_map_walk(c, v, tunnel_fields, t))
		return;
	if (t->type == CFG_TUN_GUE && !cnode_map_get(v, "port"))
		key_error(c, v, "port", "missing required key (a gue tunnel needs the port)");
	if (t->type != CFG_TUN_GUE && cnode_map_get(v, "port"))
		key_error(c, v, "port", "only a gue tunnel has a port");
	if (t->type == CFG_TUN_IPIP && t->checksum != CFG_TUN_CSUM_NONE)
		key_error(c, v, "checksum", "only gue and gre tunnels take a checksum option");
	if (t->type == CFG_TUN_GRE && t->checksum == CFG_TUN_REMCSUM)
		key_error(c, v, "checksum", "a gre tunnel has no remcsum (the kernel refuses it)");
}
const char *const cfg_proto_names[] = { "tcp", "udp", "sctp", NULL };
static const char *const sched_flag_names[] = {
	"flag-1", "flag-2", "flag-3", "sh-fallback", "sh-port", "mh-fallback", "mh-port", NULL
};
static const char *const family_names[] = { "inet", "inet6", NULL };

static void noop(struct cfg_ctx *c, const struct cnode *v, void *obj)
{
}

/* ---------------- ipvs ---------------- */

static void sd_follow(struct cfg_ctx *c, const struct cnode *v, void *obj)
{
	struct cfg_sync_daemon *sd = obj;

	if (cfg_get_str(c, v, true, &sd->follow_instance) && !config_find_instance(c->cfg, sd->follow_instance))
		cfg_error(c, v, "unknown instance \"%.64s\"", sd->follow_instance);
}

static void sd_group(struct cfg_ctx *c, const struct cnode *v, void *obj)
{
	struct cfg_sync_daemon *sd = obj;
	struct halo_addr a;

	if (!cfg_get_addr(c, v, &a))
		return;
	if (a.family == AF_INET ? (a.bytes[0] & 0xf0) != 0xe0 : a.bytes[0] != 0xff)
		cfg_error(c, v, "not a multicast address");
	else
		sd->group = a;
}

/* maxlen from 1024: the kernel raises a backup's smaller value to 1024, and
 * a value the kernel changes would never match the running daemon. */
static const char *const sync_mode_names[] = { "follow", "master", "backup", "both", NULL };

const char *config_sync_mode_name(enum cfg_sync_mode m)
{
	return (unsigned)m < 4 ? sync_mode_names[m] : "?";
}

static const struct cfg_field sync_daemon_fields[] = {
	CFG_REQ("interface", CFT_IFNAME, struct cfg_sync_daemon, interface, 0, 0),
	CFG_FN("follow_instance", sd_follow),
	CFG_ENUM("mode", struct cfg_sync_daemon, mode, sync_mode_names),
	CFG_F("sync_id", CFT_U8, struct cfg_sync_daemon, sync_id, 0, 255),
	CFG_F("maxlen", CFT_U16, struct cfg_sync_daemon, maxlen, 1024, 65487),
	CFG_F("port", CFT_U16, struct cfg_sync_daemon, port, 1, 65535),
	CFG_F("ttl", CFT_U8, struct cfg_sync_daemon, ttl, 1, 255),
	CFG_FN("group", sd_group),
	CFG_END
};

static void ipvs_sync_daemon(struct cfg_ctx *c, const struct cnode *v, void *obj)
{
	struct cfg_ipvs *ip = obj;

	struct cfg_sync_daemon *sd = &ip->sync_daemon;

	sd->enabled = cfg_map_walk(c, v, sync_daemon_fields, sd);
	if (sd->enabled && sd->mode != CFG_SYNC_FOLLOW && cnode_map_get(v, "follow_instance")) {
		char msg[64];

		snprintf(msg, sizeof(msg), "mode %s and follow_instance exclude each other",
			 config_sync_mode_name(sd->mode));
		key_error(c, v, "mode", msg);
	}
	if (sd->enabled && cnode_map_get(v, "mode") && sd->mode == CFG_SYNC_FOLLOW &&
	    !cnode_map_get(v, "follow_instance"))
		key_error(c, v, "follow_instance", "missing required key (mode follow needs follow_instance)");
}

static const struct cfg_field timeout_fields[] = {
	CFG_F("tcp", CFT_SEC, struct cfg_ipvs, timeout_tcp, 0, SEC_MAX * 1000),
	CFG_F("tcpfin", CFT_SEC, struct cfg_ipvs, timeout_tcpfin, 0, SEC_MAX * 1000),
	CFG_F("udp", CFT_SEC, struct cfg_ipvs, timeout_udp, 0, SEC_MAX * 1000),
	CFG_END
};

static void ipvs_timeouts(struct cfg_ctx *c, const struct cnode *v, void *obj)
{
	struct cfg_ipvs *ip = obj;

	ip->timeouts_set = cfg_map_walk(c, v, timeout_fields, ip);
}

static const struct cfg_field ipvs_fields[] = {
	CFG_FN("sync_daemon", ipvs_sync_daemon),
	CFG_FN("timeouts", ipvs_timeouts),
	CFG_F("flush_on_stop", CFT_BOOL, struct cfg_ipvs, flush_on_stop, 0, 0),
	CFG_END
};

void cfg_parse_ipvs(struct cfg_ctx *c, const struct cnode *n, void *obj)
{
	cfg_map_walk(c, n, ipvs_fields, &((struct halo_config *)obj)->ipvs);
}

/* ---------------- virtual_servers[].real_servers[] ---------------- */

static void rs_check(struct cfg_ctx *c, const struct cnode *v, void *obj)
{
	cfg_parse_check(c, v, &((struct cfg_real_server *)obj)->check, c->cfg);
}

static void rs_tunnel(struct cfg_ctx *c, const struct cnode *v, void *obj)
{
	parse_tunnel(c, v, &((struct cfg_real_server *)obj)->tunnel);
}

static const struct cfg_field rs_fields[] = {
	CFG_REQ("address", CFT_ADDR, struct cfg_real_server, address, 0, 0),
	CFG_F("port", CFT_U16, struct cfg_real_server, port, 1, 65535),
	CFG_F("weight", CFT_INT, struct cfg_real_server, weight, 0, 65535),
	CFG_ENUM("forwarding", struct cfg_real_server, forwarding, cfg_fwd_names),
	CFG_FN("tunnel", rs_tunnel),
	CFG_F("u_threshold", CFT_U32, struct cfg_real_server, u_threshold, 0, 4294967295ll),
	CFG_F("l_threshold", CFT_U32, struct cfg_real_server, l_threshold, 0, 4294967295ll),
	CFG_FN("check", rs_check),
	CFG_END
};

static void vs_real_servers(struct cfg_ctx *c, const struct cnode *v, void *obj)
{
	struct cfg_virtual_server *vs = obj;
	size_t n;

	if (!cfg_get_seq(c, v, &n))
		return;
	vs->n_real_servers = n;
	vs->real_servers = cfg_calloc(n, sizeof(*vs->real_servers));
	for (size_t i = 0; i < n; i++) {
		struct cfg_real_server *rs = &vs->real_servers[i];
		size_t old = cfg_path_index(c, i);

		rs->weight = 1;
		cfg_check_init(&rs->check);
		rs->pos = (struct cfg_pos){ v->kids[i]->line, v->kids[i]->col };
		cfg_map_walk(c, v->kids[i], rs_fields, rs);
		cfg_path_pop(c, old);
	}
}

/* ---------------- virtual_servers[] ---------------- */

static void vs_scheduler(struct cfg_ctx *c, const struct cnode *v, void *obj)
{
	struct cfg_virtual_server *vs = obj;

	if (cfg_get_str(c, v, true, &vs->scheduler) && strlen(vs->scheduler) > 15)
		cfg_error(c, v, "scheduler name longer than 15 characters");
}

static void vs_sched_flags(struct cfg_ctx *c, const struct cnode *v, void *obj)
{
	struct cfg_virtual_server *vs = obj;
	size_t n;
	int idx;

	if (!cfg_get_seq(c, v, &n))
		return;
	vs->n_sched_flags = n;
	vs->sched_flags = cfg_calloc(n, sizeof(char *));
	for (size_t i = 0; i < n; i++) {
		size_t old = cfg_path_index(c, i);

		vs->sched_flags[i] = cfg_strdup(cfg_get_enum(c, v->kids[i], sched_flag_names, &idx)
						? sched_flag_names[idx] : "");
		cfg_path_pop(c, old);
	}
}

static void vs_family(struct cfg_ctx *c, const struct cnode *v, void *obj)
{
	int idx;

	if (cfg_get_enum(c, v, family_names, &idx))
		((struct cfg_virtual_server *)obj)->family = idx ? AF_INET6 : AF_INET;
}

static void vs_address(struct cfg_ctx *c, const struct cnode *v, void *obj)
{
	cfg_get_addr(c, v, &((struct cfg_virtual_server *)obj)->address);
}

static void vs_fwmark(struct cfg_ctx *c, const struct cnode *v, void *obj)
{
	struct cfg_virtual_server *vs = obj;
	long long m;

	vs->is_fwmark = true;
	if (cfg_get_int(c, v, 1, 4294967295ll, &m))
		vs->fwmark = (uint32_t)m;
}

static void persist_engine(struct cfg_ctx *c, const struct cnode *v, void *obj)
{
	struct cfg_virtual_server *vs = obj;
	char *s = NULL;

	if (!cfg_get_str(c, v, true, &s))
		return;
	for (size_t i = 0; pe_names[i]; i++)
		if (!strcmp(s, pe_names[i])) {
			vs->persistence_engine = s;
			return;
		}
	cfg_error(c, v, "unknown value \"%s\" (expected sip)", s);
	free(s);
}

static const struct cfg_field persist_fields[] = {
	CFG_F("timeout", CFT_SEC, struct cfg_virtual_server, persistence_timeout, 1000, SEC_MAX * 1000),
	CFG_FN("netmask", noop),       /* needs the family: see vs_check_netmask() */
	CFG_FN("engine", persist_engine),
	CFG_END
};

static void vs_persistence(struct cfg_ctx *c, const struct cnode *v, void *obj)
{
	struct cfg_virtual_server *vs = obj;

	vs->persistence = true;
	vs->persistence_timeout = 300000;
	cfg_map_walk(c, v, persist_fields, vs);
}

struct sorry_tmp {
	struct halo_addr address;
	uint16_t port;
	int forwarding;
};

static const struct cfg_field sorry_fields[] = {
	CFG_REQ("address", CFT_ADDR, struct sorry_tmp, address, 0, 0),
	CFG_F("port", CFT_U16, struct sorry_tmp, port, 1, 65535),
	CFG_ENUM("forwarding", struct sorry_tmp, forwarding, cfg_fwd_names),
	CFG_END
};

static void vs_sorry(struct cfg_ctx *c, const struct cnode *v, void *obj)
{
	struct cfg_virtual_server *vs = obj;
	struct sorry_tmp t = { .forwarding = -1 };

	if (!cfg_map_walk(c, v, sorry_fields, &t) || !t.address.family)
		return;
	vs->has_sorry_server = true;
	vs->sorry_address = t.address;
	vs->sorry_port = t.port;
	vs->sorry_forwarding = t.forwarding < 0 ? CFG_FWD_DR : (enum cfg_fwd)t.forwarding;
}

static void vs_tunnel(struct cfg_ctx *c, const struct cnode *v, void *obj)
{
	parse_tunnel(c, v, &((struct cfg_virtual_server *)obj)->tunnel);
}

static const struct cfg_field vs_fields[] = {
	CFG_F("name", CFT_NAME, struct cfg_virtual_server, name, 0, 0),
	CFG_FN("address", vs_address),
	CFG_FN("fwmark", vs_fwmark),
	CFG_FN("family", vs_family),
	CFG_F("port", CFT_U16, struct cfg_virtual_server, port, 1, 65535),
	CFG_ENUM("protocol", struct cfg_virtual_server, protocol, cfg_proto_names),
	CFG_FN("scheduler", vs_scheduler),
	CFG_FN("sched_flags", vs_sched_flags),
	CFG_ENUM("forwarding", struct cfg_virtual_server, forwarding, cfg_fwd_names),
	CFG_FN("tunnel", vs_tunnel),
	CFG_FN("persistence", vs_persistence),
	CFG_F("quorum", CFT_U32, struct cfg_virtual_server, quorum, 1, 4294967295ll),
	CFG_F("hysteresis", CFT_U32, struct cfg_virtual_server, hysteresis, 0, 4294967295ll),
	CFG_F("inhibit_on_failure", CFT_BOOL, struct cfg_virtual_server, inhibit_on_failure, 0, 0),
	CFG_FN("sorry_server", vs_sorry),
	CFG_FN("real_servers", vs_real_servers),
	CFG_END
};

/* address xor fwmark; port only without fwmark; family only with it. */
static void vs_check_key(struct cfg_ctx *c, const struct cnode *n, struct cfg_virtual_server *vs)
{
	bool has_addr = cnode_map_get(n, "address") != NULL;

	if (has_addr && vs->is_fwmark)
		key_error(c, n, "fwmark", "address and fwmark are mutually exclusive");
	else if (!has_addr && !vs->is_fwmark)
		key_error(c, n, "address", "missing required key (address or fwmark)");
	if (vs->is_fwmark && cnode_map_get(n, "port"))
		key_error(c, n, "port", "a fwmark service has no port (its real servers may have one)");
	if (!vs->is_fwmark && has_addr && !cnode_map_get(n, "port"))
		key_error(c, n, "port", "missing required key");
	if (!vs->is_fwmark && cnode_map_get(n, "family"))
		key_error(c, n, "family", "family is only for fwmark services");
	if (!vs->is_fwmark)
		vs->family = vs->address.family;
	for (size_t i = 0; vs->is_fwmark && !vs->family && i < vs->n_real_servers; i++)
		vs->family = vs->real_servers[i].address.family;
	if (!vs->family)
		vs->family = AF_INET;
}

static void vs_check_rs(struct cfg_ctx *c, const struct cnode *n, struct cfg_virtual_server *vs)
{
	const struct cnode *list = cnode_map_get(n, "real_servers");
	size_t old = cfg_path_key(c, "real_servers");
	char buf[HALO_ADDRSTRLEN];

	for (size_t i = 0; i < vs->n_real_servers; i++) {
		struct cfg_real_server *rs = &vs->real_servers[i];
		const struct cnode *it = list->kids[i];
		size_t o2 = cfg_path_index(c, i);

		if (!cnode_map_get(it, "port"))
			rs->port = vs->is_fwmark ? 0 : vs->port;
		if (!cnode_map_get(it, "forwarding"))
			rs->forwarding = vs->forwarding;
		if (!cnode_map_get(it, "tunnel"))
			rs->tunnel = vs->tunnel;
		else if (rs->forwarding != CFG_FWD_TUN)
			key_error(c, it, "tunnel", "a tunnel is only for forwarding: tun");
		if (rs->address.family && rs->address.family != vs->family)
			key_error(c, it, "address", vs->is_fwmark ? "real servers of one fwmark service must share one family"
				  : "real server's family differs from the virtual server's");
		if (rs->u_threshold && rs->l_threshold > rs->u_threshold)
			key_error(c, it, "l_threshold", "must not exceed u_threshold");
		for (size_t j = 0; j < i && rs->address.family; j++)
			if (halo_addr_eq(&vs->real_servers[j].address, &rs->address) && vs->real_servers[j].port == rs->port) {
				cfg_error(c, it, "duplicate real server [%s]:%u (first at line %u)",
					  halo_addr_str(&rs->address, buf), rs->port, vs->real_servers[j].pos.line);
				break;
			}
		cfg_path_pop(c, o2);
	}
	cfg_path_pop(c, old);
	if (cnode_map_get(n, "tunnel") && vs->forwarding != CFG_FWD_TUN) {
		bool any = false;

		for (size_t i = 0; i < vs->n_real_servers; i++)
			any |= vs->real_servers[i].forwarding == CFG_FWD_TUN;
		if (!any)
			key_error(c, n, "tunnel", "a tunnel is only for forwarding: tun");
	}
}

static void vs_check_sorry(struct cfg_ctx *c, const struct cnode *n, struct cfg_virtual_server *vs)
{
	const struct cnode *s = cnode_map_get(n, "sorry_server");
	size_t old;

	if (!vs->has_sorry_server)
		return;
	if (!cnode_map_get(s, "port"))
		vs->sorry_port = vs->is_fwmark ? 0 : vs->port;
	if (!cnode_map_get(s, "forwarding"))
		vs->sorry_forwarding = vs->forwarding;
	if (vs->sorry_address.family != vs->family) {
		old = cfg_path_key(c, "sorry_server");
		key_error(c, s, "address", "sorry server's family differs from the virtual server's");
		cfg_path_pop(c, old);
	}
}

static int mask_prefix(const struct halo_addr *m)
{
	uint32_t v = ntohl(m->v4.s_addr);
	int p = 0;

	while (p < 32 && (v & (1u << (31 - p))))
		p++;
	return p < 32 && (v << p) ? -1 : p;
}

static void prefix_mask(int af, unsigned p, struct halo_addr *m)
{
	memset(m, 0, sizeof(*m));
	m->family = af;
	for (unsigned i = 0; i < p; i++)
		m->bytes[i / 8] |= (uint8_t)(0x80 >> (i % 8));
}

static void vs_check_netmask(struct cfg_ctx *c, const struct cnode *n, struct cfg_virtual_server *vs)
{
	const struct cnode *m = cnode_map_get(cnode_map_get(n, "persistence"), "netmask");
	struct halo_addr a;
	long long p = vs->family == AF_INET6 ? 128 : 32;
	size_t old = cfg_path_key(c, "persistence"), o2 = cfg_path_key(c, "netmask");

	if (m && vs->family == AF_INET) {
		if (m->type != CNODE_SCALAR || halo_addr_parse(m->str, &a) < 0 || a.family != AF_INET ||
		    (p = mask_prefix(&a)) < 0) {
			cfg_error(c, m, "expected a dotted netmask such as 255.255.255.0");
			p = 32;
		}
	} else if (m && m->type == CNODE_SCALAR && strspn(m->str, "0123456789") != m->len) {
		cfg_error(c, m, "IPv6 services take a prefix length (1..128), not a mask");
	} else if (m && !cfg_get_int(c, m, 1, 128, &p)) {
		p = 128;
	}
	cfg_path_pop(c, o2);
	cfg_path_pop(c, old);
	vs->persistence_prefix = (uint8_t)p;
	prefix_mask(vs->family, (unsigned)p, &vs->persistence_netmask);
}

static void vs_default_name(struct cfg_virtual_server *vs)
{
	char buf[HALO_ADDRSTRLEN], *s;
	int r;

	if (vs->name)
		return;
	if (vs->is_fwmark)
		r = asprintf(&s, "fwmark:%u", vs->fwmark);
	else
		r = asprintf(&s, "[%s]:%s:%u", halo_addr_str(&vs->address, buf),
			     config_proto_name(vs->protocol), vs->port);
	if (r < 0)
		abort();
	vs->name = s;
}

/* Earlier virtual servers that may clash with a new one, found through two
 * hash tables (same identity, same name) instead of comparing every pair: a
 * 1,000-service file made that 500,000 comparisons. Buckets chain indexes
 * (+1, 0 ends a chain); a bucket can hold other keys, which the full
 * comparison then skips. */
struct vs_seen {
	size_t mask;
	size_t *id_head, *name_head, *id_next, *name_next;
};

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 1099511628211ull;
	return h;
}

static size_t vs_id_hash(const struct cfg_virtual_server *vs)
{
	uint64_t h = 14695981039346656037ull;

	if (vs->is_fwmark)
		return (size_t)fnv(fnv(h, &vs->fwmark, sizeof(vs->fwmark)), &vs->family, sizeof(vs->family));
	h = fnv(h, vs->address.bytes, vs->address.family == AF_INET6 ? 16 : 4);
	h = fnv(h, &vs->port, sizeof(vs->port));
	return (size_t)fnv(h, &vs->protocol, sizeof(vs->protocol));
}

static size_t vs_name_hash(const struct cfg_virtual_server *vs)
{
	return (size_t)fnv(14695981039346656037ull, vs->name, strlen(vs->name));
}

static bool vs_comparable(const struct cfg_virtual_server *o)
{
	return o->family && (o->is_fwmark || o->address.family) && o->name;
}

static void vs_seen_init(struct vs_seen *s, size_t n)
{
	size_t b = 16;

	while (b < 2 * n)
		b *= 2;
	s->mask = b - 1;
	s->id_head = cfg_calloc(b, sizeof(size_t));
	s->name_head = cfg_calloc(b, sizeof(size_t));
	s->id_next = cfg_calloc(n, sizeof(size_t));
	s->name_next = cfg_calloc(n, sizeof(size_t));
}

static void vs_seen_free(struct vs_seen *s)
{
	free(s->id_head);
	free(s->name_head);
	free(s->id_next);
	free(s->name_next);
}

static void vs_seen_add(struct vs_seen *s, const struct cfg_virtual_server *all, size_t i)
{
	size_t hi, hn;

	if (!vs_comparable(&all[i]))
		return;
	hi = vs_id_hash(&all[i]) & s->mask;
	hn = vs_name_hash(&all[i]) & s->mask;
	s->id_next[i] = s->id_head[hi];
	s->id_head[hi] = i + 1;
	s->name_next[i] = s->name_head[hn];
	s->name_head[hn] = i + 1;
}

static int size_cmp(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	return x < y ? -1 : x > y;
}

static void vs_check_unique(struct cfg_ctx *c, const struct cnode *n, struct cfg_virtual_server *all, size_t i,
			    const struct vs_seen *s)
{
	struct cfg_virtual_server *vs = &all[i];
	size_t *cand = NULL, nc = 0, cap = 0;

	if (!vs->is_fwmark && !vs->address.family)
		return;
	/* the candidates from both chains, in file order, each once */
	for (int t = 0; t < 2; t++) {
		size_t j = t ? s->name_head[vs_name_hash(vs) & s->mask] : s->id_head[vs_id_hash(vs) & s->mask];

		for (; j; j = t ? s->name_next[j - 1] : s->id_next[j - 1]) {
			if (nc == cap) {
				cap = cap ? 2 * cap : 8;
				cand = realloc(cand, cap * sizeof(*cand));
				if (!cand)
					abort();
			}
			cand[nc++] = j - 1;
		}
	}
	if (nc > 1)
		qsort(cand, nc, sizeof(*cand), size_cmp);
	for (size_t k = 0; k < nc; k++) {
		struct cfg_virtual_server *o = &all[cand[k]];
		bool same;

		if (k && cand[k] == cand[k - 1])
			continue;
		same = vs->is_fwmark ? o->is_fwmark && o->fwmark == vs->fwmark && o->family == vs->family
			: !o->is_fwmark && halo_addr_eq(&o->address, &vs->address) && o->port == vs->port &&
			  o->protocol == vs->protocol;
		if (same)
			cfg_error(c, n, "duplicate virtual server %s (first at line %u)", vs->name, o->pos.line);
		else if (!strcmp(o->name, vs->name))
			key_error(c, n, "name", "duplicate virtual server name");
	}
	free(cand);
}

void cfg_parse_virtual_servers(struct cfg_ctx *c, const struct cnode *n, void *obj)
{
	struct halo_config *cfg = obj;
	struct vs_seen seen;
	size_t cnt;

	if (!cfg_get_seq(c, n, &cnt))
		return;
	cfg->n_virtual_servers = cnt;
	cfg->virtual_servers = cfg_calloc(cnt, sizeof(*cfg->virtual_servers));
	vs_seen_init(&seen, cnt);
	for (size_t i = 0; i < cnt; i++) {
		struct cfg_virtual_server *vs = &cfg->virtual_servers[i];
		const struct cnode *it = n->kids[i];
		size_t old = cfg_path_index(c, i);

		vs->scheduler = cfg_strdup("wlc");
		vs->quorum = 1;
		vs->pos = (struct cfg_pos){ it->line, it->col };
		if (cfg_map_walk(c, it, vs_fields, vs)) {
			vs_check_key(c, it, vs);
			vs_check_rs(c, it, vs);
			vs_check_sorry(c, it, vs);
			vs_check_netmask(c, it, vs);
			vs_default_name(vs);
			vs_check_unique(c, it, cfg->virtual_servers, i, &seen);
		} else {
			vs_default_name(vs);
		}
		vs_seen_add(&seen, cfg->virtual_servers, i);
		cfg_path_pop(c, old);
	}
	vs_seen_free(&seen);
}
