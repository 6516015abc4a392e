/* From config + health + quorum memory to the desired IPVS table. Pure: the
 * caller passes everything in, nothing is read from the system. */
#include "ipvs_desired.h"

#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

int ipvs_sched_flag(const char *name, uint32_t *bit)
{
	static const struct { const char *name; uint32_t bit; } map[] = {
		{ "flag-1", IP_VS_SVC_F_SCHED1 }, { "flag-2", IP_VS_SVC_F_SCHED2 },
		{ "flag-3", IP_VS_SVC_F_SCHED3 }, { "sh-fallback", IP_VS_SVC_F_SCHED_SH_FALLBACK },
		{ "sh-port", IP_VS_SVC_F_SCHED_SH_PORT }, { "mh-fallback", IP_VS_SVC_F_SCHED1 },
		{ "mh-port", IP_VS_SVC_F_SCHED2 }, { "one-packet", IP_VS_SVC_F_ONEPACKET },
		{ "ops", IP_VS_SVC_F_ONEPACKET },
	};

	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		if (strcmp(name, map[i].name) == 0) {
			*bit = map[i].bit;
			return 0;
		}
	}
	return -1;
}

static uint16_t proto_num(enum cfg_proto p)
{
	return p == CFG_PROTO_UDP ? IPPROTO_UDP : p == CFG_PROTO_SCTP ? IPPROTO_SCTP : IPPROTO_TCP;
}

static uint32_t fwd_flag(enum cfg_fwd f)
{
	return f == CFG_FWD_NAT ? IP_VS_CONN_F_MASQ : f == CFG_FWD_TUN ? IP_VS_CONN_F_TUNNEL
	                                                               : IP_VS_CONN_F_DROUTE;
}

static int vs_family(const struct cfg_virtual_server *vs)
{
	if (!vs->is_fwmark)
		return vs->address.family;
	if (vs->family)
		return vs->family;
	return vs->n_real_servers ? vs->real_servers[0].address.family : AF_INET;
}

void ipvs_service_key(const struct cfg_virtual_server *vs, struct ipvs_service *key)
{
	memset(key, 0, sizeof(*key));
	key->af = vs_family(vs);
	if (vs->is_fwmark) {
		key->fwmark = vs->fwmark;
		return;
	}
	key->protocol = proto_num(vs->protocol);
	key->addr = vs->address;
	key->port = vs->port;
}

static int service_settings(const struct cfg_virtual_server *vs, struct ipvs_service *s,
                            const char **err)
{
	const char *sched = vs->scheduler ? vs->scheduler : "wlc";
	uint32_t bit;

	ipvs_service_key(vs, s);
	if (strlen(sched) >= sizeof(s->sched_name)) {
		*err = "scheduler name too long for IPVS";
		return -1;
	}
	strcpy(s->sched_name, sched);
	for (size_t i = 0; i < vs->n_sched_flags; i++) {
		if (ipvs_sched_flag(vs->sched_flags[i], &bit) < 0) {
			*err = "unknown scheduler flag";
			return -1;
		}
		s->flags |= bit;
	}
	s->netmask = s->af == AF_INET6 ? 128 : 0xffffffffu;
	if (vs->persistence_engine) {
		if (strlen(vs->persistence_engine) >= sizeof(s->pe_name)) {
			*err = "persistence engine name too long for IPVS";
			return -1;
		}
		strcpy(s->pe_name, vs->persistence_engine);
	}
	if (vs->persistence) {
		s->flags |= IP_VS_SVC_F_PERSISTENT;
		s->timeout = (uint32_t)(vs->persistence_timeout / 1000);
		if (s->af == AF_INET6 && vs->persistence_prefix)
			s->netmask = vs->persistence_prefix;
		else if (s->af == AF_INET && vs->persistence_netmask.family == AF_INET)
			s->netmask = vs->persistence_netmask.v4.s_addr;
	}
	return 0;
}

/* The kernel's encapsulation of a tun destination (ignored for the others). */
static void tunnel_settings(const struct cfg_tunnel *t, struct ipvs_dest *d)
{
	static const uint8_t type[] = { IP_VS_CONN_F_TUNNEL_TYPE_IPIP, IP_VS_CONN_F_TUNNEL_TYPE_GUE,
	                                IP_VS_CONN_F_TUNNEL_TYPE_GRE };
	static const uint16_t csum[] = { IP_VS_TUNNEL_ENCAP_FLAG_NOCSUM, IP_VS_TUNNEL_ENCAP_FLAG_CSUM,
	                                 IP_VS_TUNNEL_ENCAP_FLAG_REMCSUM };

	d->tun_type = type[t->type];
	d->tun_port = t->type == CFG_TUN_GUE ? t->port : 0;
	d->tun_flags = t->type == CFG_TUN_IPIP ? 0 : csum[t->checksum];
}

static struct ipvs_dest rs_dest(const struct cfg_real_server *rs, int weight)
{
	struct ipvs_dest d;

	memset(&d, 0, sizeof(d));
	d.addr = rs->address;
	d.port = rs->port;
	d.fwd = fwd_flag(rs->forwarding);
	d.weight = weight;
	d.u_thresh = rs->u_threshold;
	d.l_thresh = rs->l_threshold;
	tunnel_settings(&rs->tunnel, &d);
	return d;
}

/* Adds d, or overwrites a destination with the same identity. */
static int put_dest(struct ipvs_service *s, const struct ipvs_dest *d)
{
	for (size_t i = 0; i < s->n_dests; i++) {
		if (ipvs_dest_cmp(&s->dests[i], d) == 0) {
			s->dests[i] = *d;
			return 0;
		}
	}
	return ipvs_service_add_dest(s, d) ? 0 : -1;
}

static int vs_dests(const struct cfg_virtual_server *vs, struct vs_health *h,
                    struct ipvs_service *s)
{
	bool quorum = vs_health_quorum(vs, h);
	int w;

	for (size_t i = 0; i < vs->n_real_servers; i++) {
		const struct cfg_real_server *rs = &vs->real_servers[i];
		struct ipvs_dest d;

		w = vs_health_rs_weight(rs, h && h->rs ? &h->rs[i] : NULL);
		if (!quorum && vs->has_sorry_server)
			w = w >= 0 && vs->inhibit_on_failure ? 0 : -1;
		if (w < 0 && vs->inhibit_on_failure)
			w = 0;
		if (w < 0)
			continue;
		d = rs_dest(rs, w);
		if (put_dest(s, &d) < 0)
			return -1;
	}
	if (!quorum && vs->has_sorry_server) {
		struct ipvs_dest d = { .addr = vs->sorry_address, .weight = 1,
		                       .fwd = fwd_flag(vs->sorry_forwarding),
		                       .port = vs->sorry_port ? vs->sorry_port : vs->port };

		tunnel_settings(&vs->tunnel, &d);
		if (put_dest(s, &d) < 0)
			return -1;
	}
	return 0;
}

int ipvs_desired_build(const struct halo_config *cfg, struct vs_health *health,
                       struct ipvs_table *out, const char **err)
{
	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < cfg->n_virtual_servers; i++) {
		const struct cfg_virtual_server *vs = &cfg->virtual_servers[i];
		struct ipvs_service s, *ns;

		if (service_settings(vs, &s, err) < 0)
			goto fail;
		if (ipvs_table_find(out, &s)) {
			*err = "two virtual servers with the same address, port and protocol";
			goto fail;
		}
		if (!(ns = ipvs_table_add_service(out, &s)) ||
		    vs_dests(vs, health ? &health[i] : NULL, ns) < 0) {
			*err = "out of memory";
			goto fail;
		}
	}
	ipvs_table_sort(out);
	return 0;
fail:
	ipvs_table_free(out);
	return -1;
}
