/* Schema of `ipvs` and `virtual_servers` (real servers, sorry server,
 * persistence), with the rules that span fields; it only fills structs and
 * records errors. */
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "config_priv.h"

#define SEC_MAX 2147483000ull    /* IPVS keeps timeouts in 32-bit seconds (as jiffies) */

const char *const cfg_fwd_names[] = { "dr", "nat", "tun", NULL };
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

static const struct cfg_field sync_daemon_fields[] = {
	CFG_REQ("interface", CFT_IFNAME, struct cfg_sync_daemon, interface, 0, 0),
	CFG_FN("follow_instance", sd_follow),
	CFG_F("sync_id", CFT_U8, struct cfg_sync_daemon, sync_id, 0, 255),
	CFG_END
};

static void ipvs_sync_daemon(struct cfg_ctx *c, const struct cnode *v, void *obj)
{
	struct cfg_ipvs *ip = obj;

	ip->sync_daemon.enabled = cfg_map_walk(c, v, sync_daemon_fields, &ip->sync_daemon);
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

static const struct cfg_field rs_fields[] = {
	CFG_REQ("address", CFT_ADDR, struct cfg_real_server, address, 0, 0),
	CFG_F("port", CFT_U16, struct cfg_real_server, port, 1, 65535),
	CFG_F("weight", CFT_INT, struct cfg_real_server, weight, 0, 65535),
	CFG_ENUM("forwarding", struct cfg_real_server, forwarding, cfg_fwd_names),
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

static const struct cfg_field persist_fields[] = {
	CFG_F("timeout", CFT_SEC, struct cfg_virtual_server, persistence_timeout, 1000, SEC_MAX * 1000),
	CFG_FN("netmask", noop),       /* needs the family: see vs_check_netmask() */
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
	CFG_FN("persistence", vs_persistence),
	CFG_F("quorum", CFT_U32, struct cfg_virtual_server, quorum, 1, 4294967295ll),
	CFG_F("hysteresis", CFT_U32, struct cfg_virtual_server, hysteresis, 0, 4294967295ll),
	CFG_F("inhibit_on_failure", CFT_BOOL, struct cfg_virtual_server, inhibit_on_failure, 0, 0),
	CFG_FN("sorry_server", vs_sorry),
	CFG_FN("real_servers", vs_real_servers),
	CFG_END
};

static void key_error(struct cfg_ctx *c, const struct cnode *map, const char *key, const char *msg)
{
	const struct cnode *v = cnode_map_get(map, key);
	size_t old = cfg_path_key(c, key);

	cfg_error(c, v ? v : map, "%s", msg);
	cfg_path_pop(c, old);
}

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

static void vs_check_unique(struct cfg_ctx *c, const struct cnode *n, struct cfg_virtual_server *all, size_t i)
{
	struct cfg_virtual_server *vs = &all[i];

	if (!vs->is_fwmark && !vs->address.family)
		return;
	for (size_t j = 0; j < i; j++) {
		struct cfg_virtual_server *o = &all[j];
		bool same;

		if (!o->family || (!o->is_fwmark && !o->address.family))
			continue;
		same = vs->is_fwmark ? o->is_fwmark && o->fwmark == vs->fwmark && o->family == vs->family
			: !o->is_fwmark && halo_addr_eq(&o->address, &vs->address) && o->port == vs->port &&
			  o->protocol == vs->protocol;

		if (same)
			cfg_error(c, n, "duplicate virtual server %s (first at line %u)", vs->name, o->pos.line);
		else if (!strcmp(o->name, vs->name))
			key_error(c, n, "name", "duplicate virtual server name");
	}
}

void cfg_parse_virtual_servers(struct cfg_ctx *c, const struct cnode *n, void *obj)
{
	struct halo_config *cfg = obj;
	size_t cnt;

	if (!cfg_get_seq(c, n, &cnt))
		return;
	cfg->n_virtual_servers = cnt;
	cfg->virtual_servers = cfg_calloc(cnt, sizeof(*cfg->virtual_servers));
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
			vs_check_unique(c, it, cfg->virtual_servers, i);
		} else {
			vs_default_name(vs);
		}
		cfg_path_pop(c, old);
	}
}
