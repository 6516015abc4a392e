/* IPVS generic netlink codec on caller buffers (libmnl's buffer API). Pure:
 * no sockets, no logging; parsers check every attribute they read. */
#include "ipvs_msg.h"

#include <arpa/inet.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <string.h>
#include <sys/socket.h>

#define GENL_HDRLEN_ALIGNED MNL_ALIGN(sizeof(struct genlmsghdr))

/* ---------------- building ---------------- */

static struct nlmsghdr *put_hdr(void *buf, size_t len, uint16_t type, uint16_t flags,
                                uint8_t cmd, uint8_t version, uint32_t seq)
{
	struct nlmsghdr *nlh;
	struct genlmsghdr *g;

	if (len < MNL_NLMSG_HDRLEN + GENL_HDRLEN_ALIGNED)
		return NULL;
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	nlh->nlmsg_seq = seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = version;
	return nlh;
}

struct nlmsghdr *ipvs_msg_get_family(void *buf, size_t len, uint32_t seq)
{
	struct nlmsghdr *nlh = put_hdr(buf, len, GENL_ID_CTRL, NLM_F_ACK, CTRL_CMD_GETFAMILY, 1, seq);

	if (!nlh || !mnl_attr_put_strz_check(nlh, len, CTRL_ATTR_FAMILY_NAME, IPVS_GENL_NAME))
		return NULL;
	return nlh;
}

/* The kernel's address attributes are a union nf_inet_addr: 16 bytes. */
static bool put_addr(struct nlmsghdr *nlh, size_t len, uint16_t type, const struct halo_addr *a)
{
	uint8_t raw[16] = { 0 };

	memcpy(raw, a->bytes, halo_addr_len(a));
	return mnl_attr_put_check(nlh, len, type, sizeof(raw), raw);
}

static bool put_svc_key(struct nlmsghdr *nlh, size_t len, const struct ipvs_service *s)
{
	if (!mnl_attr_put_u16_check(nlh, len, IPVS_SVC_ATTR_AF, (uint16_t)s->af))
		return false;
	if (s->fwmark)
		return mnl_attr_put_u32_check(nlh, len, IPVS_SVC_ATTR_FWMARK, s->fwmark);
	return mnl_attr_put_u16_check(nlh, len, IPVS_SVC_ATTR_PROTOCOL, s->protocol) &&
	       put_addr(nlh, len, IPVS_SVC_ATTR_ADDR, &s->addr) &&
	       mnl_attr_put_u16_check(nlh, len, IPVS_SVC_ATTR_PORT, htons(s->port));
}

static bool put_svc_full(struct nlmsghdr *nlh, size_t len, const struct ipvs_service *s)
{
	struct ip_vs_flags fl = { .flags = s->flags, .mask = ~0u };

	if (!put_svc_key(nlh, len, s) ||
	    !mnl_attr_put_strz_check(nlh, len, IPVS_SVC_ATTR_SCHED_NAME, s->sched_name) ||
	    !mnl_attr_put_check(nlh, len, IPVS_SVC_ATTR_FLAGS, sizeof(fl), &fl) ||
	    !mnl_attr_put_u32_check(nlh, len, IPVS_SVC_ATTR_TIMEOUT, s->timeout) ||
	    !mnl_attr_put_u32_check(nlh, len, IPVS_SVC_ATTR_NETMASK, s->netmask))
		return false;
	if (s->pe_name[0] && !mnl_attr_put_strz_check(nlh, len, IPVS_SVC_ATTR_PE_NAME, s->pe_name))
		return false;
	return true;
}

static bool put_svc_nest(struct nlmsghdr *nlh, size_t len, const struct ipvs_service *s, bool full)
{
	struct nlattr *nest = mnl_attr_nest_start_check(nlh, len, IPVS_CMD_ATTR_SERVICE);

	if (!nest || !(full ? put_svc_full(nlh, len, s) : put_svc_key(nlh, len, s)))
		return false;
	mnl_attr_nest_end(nlh, nest);
	return true;
}

struct nlmsghdr *ipvs_msg_service(void *buf, size_t len, uint16_t family, uint8_t cmd,
                                  const struct ipvs_service *svc, uint32_t seq)
{
	struct nlmsghdr *nlh = put_hdr(buf, len, family, NLM_F_ACK, cmd, IPVS_GENL_VERSION, seq);

	if (!nlh || !put_svc_nest(nlh, len, svc, cmd != IPVS_CMD_DEL_SERVICE))
		return NULL;
	return nlh;
}

static bool put_dest(struct nlmsghdr *nlh, size_t len, const struct ipvs_dest *d, bool full)
{
	if (!put_addr(nlh, len, IPVS_DEST_ATTR_ADDR, &d->addr) ||
	    !mnl_attr_put_u16_check(nlh, len, IPVS_DEST_ATTR_PORT, htons(d->port)) ||
	    !mnl_attr_put_u16_check(nlh, len, IPVS_DEST_ATTR_ADDR_FAMILY, (uint16_t)d->addr.family))
		return false;
	if (!full)
		return true;
	if (!mnl_attr_put_u32_check(nlh, len, IPVS_DEST_ATTR_FWD_METHOD, d->fwd) ||
	    !mnl_attr_put_u32_check(nlh, len, IPVS_DEST_ATTR_WEIGHT, (uint32_t)d->weight) ||
	    !mnl_attr_put_u32_check(nlh, len, IPVS_DEST_ATTR_U_THRESH, d->u_thresh) ||
	    !mnl_attr_put_u32_check(nlh, len, IPVS_DEST_ATTR_L_THRESH, d->l_thresh))
		return false;
	if ((d->fwd & IP_VS_CONN_F_FWD_MASK) != IP_VS_CONN_F_TUNNEL)
		return true;
	return mnl_attr_put_u8_check(nlh, len, IPVS_DEST_ATTR_TUN_TYPE, d->tun_type) &&
	       mnl_attr_put_u16_check(nlh, len, IPVS_DEST_ATTR_TUN_PORT, htons(d->tun_port)) &&
	       mnl_attr_put_u16_check(nlh, len, IPVS_DEST_ATTR_TUN_FLAGS, d->tun_flags);
}

struct nlmsghdr *ipvs_msg_dest(void *buf, size_t len, uint16_t family, uint8_t cmd,
                               const struct ipvs_service *svc, const struct ipvs_dest *d,
                               uint32_t seq)
{
	struct nlmsghdr *nlh = put_hdr(buf, len, family, NLM_F_ACK, cmd, IPVS_GENL_VERSION, seq);
	struct nlattr *nest;

	if (!nlh || !put_svc_nest(nlh, len, svc, false))
		return NULL;
	nest = mnl_attr_nest_start_check(nlh, len, IPVS_CMD_ATTR_DEST);
	if (!nest || !put_dest(nlh, len, d, cmd != IPVS_CMD_DEL_DEST))
		return NULL;
	mnl_attr_nest_end(nlh, nest);
	return nlh;
}

struct nlmsghdr *ipvs_msg_dump_services(void *buf, size_t len, uint16_t family, uint32_t seq)
{
	return put_hdr(buf, len, family, NLM_F_DUMP, IPVS_CMD_GET_SERVICE, IPVS_GENL_VERSION, seq);
}

struct nlmsghdr *ipvs_msg_dump_dests(void *buf, size_t len, uint16_t family,
                                     const struct ipvs_service *svc, uint32_t seq)
{
	struct nlmsghdr *nlh = put_hdr(buf, len, family, NLM_F_DUMP, IPVS_CMD_GET_DEST,
	                               IPVS_GENL_VERSION, seq);

	if (!nlh || !put_svc_nest(nlh, len, svc, false))
		return NULL;
	return nlh;
}

struct nlmsghdr *ipvs_msg_dump_daemons(void *buf, size_t len, uint16_t family, uint32_t seq)
{
	return put_hdr(buf, len, family, NLM_F_DUMP, IPVS_CMD_GET_DAEMON, IPVS_GENL_VERSION, seq);
}

struct nlmsghdr *ipvs_msg_timeouts(void *buf, size_t len, uint16_t family,
                                   const struct ipvs_timeouts *t, uint32_t seq)
{
	struct nlmsghdr *nlh = put_hdr(buf, len, family, NLM_F_ACK, IPVS_CMD_SET_CONFIG,
	                               IPVS_GENL_VERSION, seq);

	if (!nlh)
		return NULL;
	if (t->tcp && !mnl_attr_put_u32_check(nlh, len, IPVS_CMD_ATTR_TIMEOUT_TCP, t->tcp))
		return NULL;
	if (t->tcp_fin && !mnl_attr_put_u32_check(nlh, len, IPVS_CMD_ATTR_TIMEOUT_TCP_FIN, t->tcp_fin))
		return NULL;
	if (t->udp && !mnl_attr_put_u32_check(nlh, len, IPVS_CMD_ATTR_TIMEOUT_UDP, t->udp))
		return NULL;
	return nlh;
}

struct nlmsghdr *ipvs_msg_daemon(void *buf, size_t len, uint16_t family, uint8_t cmd,
                                 const struct ipvs_daemon *d, uint32_t seq)
{
	struct nlmsghdr *nlh = put_hdr(buf, len, family, NLM_F_ACK, cmd, IPVS_GENL_VERSION, seq);
	struct nlattr *nest;

	if (!nlh || !(nest = mnl_attr_nest_start_check(nlh, len, IPVS_CMD_ATTR_DAEMON)))
		return NULL;
	if (!mnl_attr_put_u32_check(nlh, len, IPVS_DAEMON_ATTR_STATE, d->state))
		return NULL;
	if (cmd == IPVS_CMD_NEW_DAEMON &&
	    (!mnl_attr_put_strz_check(nlh, len, IPVS_DAEMON_ATTR_MCAST_IFN, d->mcast_ifn) ||
	     !mnl_attr_put_u32_check(nlh, len, IPVS_DAEMON_ATTR_SYNC_ID, d->sync_id) ||
	     (d->maxlen && !mnl_attr_put_u16_check(nlh, len, IPVS_DAEMON_ATTR_SYNC_MAXLEN, d->maxlen)) ||
	     (d->port && !mnl_attr_put_u16_check(nlh, len, IPVS_DAEMON_ATTR_MCAST_PORT, d->port)) ||
	     (d->ttl && !mnl_attr_put_u8_check(nlh, len, IPVS_DAEMON_ATTR_MCAST_TTL, d->ttl)) ||
	     (d->group.family == AF_INET &&
	      !mnl_attr_put_check(nlh, len, IPVS_DAEMON_ATTR_MCAST_GROUP, 4, d->group.bytes)) ||
	     (d->group.family == AF_INET6 &&
	      !mnl_attr_put_check(nlh, len, IPVS_DAEMON_ATTR_MCAST_GROUP6, 16, d->group.bytes))))
		return NULL;
	mnl_attr_nest_end(nlh, nest);
	return nlh;
}

struct nlmsghdr *ipvs_msg_flush(void *buf, size_t len, uint16_t family, uint32_t seq)
{
	return put_hdr(buf, len, family, NLM_F_ACK, IPVS_CMD_FLUSH, IPVS_GENL_VERSION, seq);
}

struct nlmsghdr *ipvs_msg_op(void *buf, size_t len, uint16_t family, const struct ipvs_op *op,
                             uint32_t seq)
{
	switch (op->kind) {
	case IPVS_OP_ADD_SERVICE:
		return ipvs_msg_service(buf, len, family, IPVS_CMD_NEW_SERVICE, &op->svc, seq);
	case IPVS_OP_EDIT_SERVICE:
		return ipvs_msg_service(buf, len, family, IPVS_CMD_SET_SERVICE, &op->svc, seq);
	case IPVS_OP_DEL_SERVICE:
		return ipvs_msg_service(buf, len, family, IPVS_CMD_DEL_SERVICE, &op->svc, seq);
	case IPVS_OP_ADD_DEST:
		return ipvs_msg_dest(buf, len, family, IPVS_CMD_NEW_DEST, &op->svc, &op->dest, seq);
	case IPVS_OP_EDIT_DEST:
		return ipvs_msg_dest(buf, len, family, IPVS_CMD_SET_DEST, &op->svc, &op->dest, seq);
	case IPVS_OP_DEL_DEST:
		return ipvs_msg_dest(buf, len, family, IPVS_CMD_DEL_DEST, &op->svc, &op->dest, seq);
	}
	return NULL;
}

size_t ipvs_msg_batch(void *buf, size_t len, uint16_t family, const struct ipvs_op *ops, size_t n,
                      uint32_t seq, size_t *used)
{
	size_t i, off = 0, last = 0;
	struct nlmsghdr *nlh;

	for (i = 0; i < n; i++) {
		nlh = ipvs_msg_op((char *)buf + off, len - off, family, &ops[i], seq + (uint32_t)i);
		if (!nlh)
			break;
		if (off + MNL_ALIGN(nlh->nlmsg_len) > len)   /* the last message's padding does not fit */
			break;
		nlh->nlmsg_flags &= (uint16_t)~NLM_F_ACK;
		last = off;
		off += MNL_ALIGN(nlh->nlmsg_len);
	}
	if (i)
		((struct nlmsghdr *)((char *)buf + last))->nlmsg_flags |= NLM_F_ACK;
	*used = off;
	return i;
}

/* ---------------- parsing ---------------- */

struct attrs {
	const struct nlattr *tb[32];
	unsigned max;
};

static int collect_cb(const struct nlattr *a, void *data)
{
	struct attrs *t = data;
	uint16_t type = mnl_attr_get_type(a);

	if (type <= t->max && type < 32)
		t->tb[type] = a;
	return MNL_CB_OK;
}

static int collect(const struct nlmsghdr *nlh, struct attrs *t, unsigned max)
{
	memset(t, 0, sizeof(*t));
	t->max = max;
	/* libmnl 1.0.4's mnl_nlmsg_ok lets a length of 2 GiB or more through */
	if (nlh->nlmsg_len < MNL_NLMSG_HDRLEN + GENL_HDRLEN_ALIGNED || nlh->nlmsg_len > INT32_MAX)
		return -1;
	return mnl_attr_parse(nlh, GENL_HDRLEN_ALIGNED, collect_cb, t) < 0 ? -1 : 0;
}

static int collect_nested(const struct nlattr *nest, struct attrs *t, unsigned max)
{
	memset(t, 0, sizeof(*t));
	t->max = max;
	return mnl_attr_parse_nested(nest, collect_cb, t) < 0 ? -1 : 0;
}

int ipvs_msg_cmd(const struct nlmsghdr *nlh)
{
	const struct genlmsghdr *g;

	if (nlh->nlmsg_len < MNL_NLMSG_HDRLEN + sizeof(*g) || nlh->nlmsg_len > INT32_MAX)
		return -1;
	g = mnl_nlmsg_get_payload(nlh);
	return g->cmd;
}

/* Integer attributes must be exactly their size. */
static bool get_u16(const struct nlattr *a, uint16_t *v)
{
	if (!a || mnl_attr_get_payload_len(a) != 2)
		return false;
	*v = mnl_attr_get_u16(a);
	return true;
}

static bool get_u32(const struct nlattr *a, uint32_t *v)
{
	if (!a || mnl_attr_get_payload_len(a) != 4)
		return false;
	*v = mnl_attr_get_u32(a);
	return true;
}

static bool get_u8(const struct nlattr *a, uint8_t *v)
{
	if (!a || mnl_attr_get_payload_len(a) != 1)
		return false;
	*v = mnl_attr_get_u8(a);
	return true;
}

/* A NUL-terminated string that fits in size bytes. */
static bool get_str(const struct nlattr *a, char *out, size_t size)
{
	size_t n = mnl_attr_get_payload_len(a);
	const char *s = mnl_attr_get_payload(a);

	if (n == 0 || memchr(s, '\0', n) == NULL || strlen(s) >= size)
		return false;
	strcpy(out, s);
	return true;
}

static bool get_addr(const struct nlattr *a, int af, struct halo_addr *out)
{
	size_t need = af == AF_INET ? 4 : af == AF_INET6 ? 16 : 0;

	if (!a || !need || mnl_attr_get_payload_len(a) < need)
		return false;
	memset(out, 0, sizeof(*out));
	out->family = af;
	memcpy(out->bytes, mnl_attr_get_payload(a), need);
	return true;
}

int ipvs_msg_parse_family(const struct nlmsghdr *nlh, uint16_t *family, const char **err)
{
	struct attrs t;

	if (collect(nlh, &t, CTRL_ATTR_MAX) < 0) {
		*err = "malformed ctrl message";
		return -1;
	}
	if (!get_u16(t.tb[CTRL_ATTR_FAMILY_ID], family)) {
		*err = "ctrl reply without a valid CTRL_ATTR_FAMILY_ID";
		return -1;
	}
	return 0;
}

/* Counters are u32 in IPVS_*_ATTR_STATS (bytes u64) and u64 in STATS64. */
static int parse_stats(const struct nlattr *nest, struct ipvs_stats *st)
{
	struct attrs t;
	uint64_t *out[] = {
		[IPVS_STATS_ATTR_CONNS] = &st->conns, [IPVS_STATS_ATTR_INPKTS] = &st->inpkts,
		[IPVS_STATS_ATTR_OUTPKTS] = &st->outpkts, [IPVS_STATS_ATTR_INBYTES] = &st->inbytes,
		[IPVS_STATS_ATTR_OUTBYTES] = &st->outbytes, [IPVS_STATS_ATTR_CPS] = &st->cps,
		[IPVS_STATS_ATTR_INPPS] = &st->inpps, [IPVS_STATS_ATTR_OUTPPS] = &st->outpps,
		[IPVS_STATS_ATTR_INBPS] = &st->inbps, [IPVS_STATS_ATTR_OUTBPS] = &st->outbps,
	};

	if (collect_nested(nest, &t, IPVS_STATS_ATTR_OUTBPS) < 0)
		return -1;
	for (unsigned i = IPVS_STATS_ATTR_CONNS; i <= IPVS_STATS_ATTR_OUTBPS; i++) {
		const struct nlattr *a = t.tb[i];

		if (!a)
			continue;
		if (mnl_attr_get_payload_len(a) == 4)
			*out[i] = mnl_attr_get_u32(a);
		else if (mnl_attr_get_payload_len(a) == 8)
			*out[i] = mnl_attr_get_u64(a);
		else
			return -1;
	}
	return 0;
}

static int parse_svc_key(struct attrs *t, struct ipvs_service *s, const char **err)
{
	uint16_t af, port;

	if (!get_u16(t->tb[IPVS_SVC_ATTR_AF], &af) || (af != AF_INET && af != AF_INET6)) {
		*err = "service: missing or bad IPVS_SVC_ATTR_AF";
		return -1;
	}
	s->af = af;
	if (t->tb[IPVS_SVC_ATTR_FWMARK]) {
		if (!get_u32(t->tb[IPVS_SVC_ATTR_FWMARK], &s->fwmark) || s->fwmark == 0) {
			*err = "service: bad IPVS_SVC_ATTR_FWMARK";
			return -1;
		}
		return 0;
	}
	if (!get_u16(t->tb[IPVS_SVC_ATTR_PROTOCOL], &s->protocol) ||
	    !get_addr(t->tb[IPVS_SVC_ATTR_ADDR], af, &s->addr) ||
	    !get_u16(t->tb[IPVS_SVC_ATTR_PORT], &port)) {
		*err = "service: missing or bad protocol, address or port";
		return -1;
	}
	s->port = ntohs(port);
	return 0;
}

static int parse_svc_rest(struct attrs *t, struct ipvs_service *s, const char **err)
{
	const struct nlattr *a;
	struct ip_vs_flags fl;

	if ((a = t->tb[IPVS_SVC_ATTR_SCHED_NAME]) && !get_str(a, s->sched_name, sizeof(s->sched_name)))
		goto bad;
	if ((a = t->tb[IPVS_SVC_ATTR_PE_NAME]) && !get_str(a, s->pe_name, sizeof(s->pe_name)))
		goto bad;
	if ((a = t->tb[IPVS_SVC_ATTR_FLAGS])) {
		if (mnl_attr_get_payload_len(a) != sizeof(fl))
			goto bad;
		memcpy(&fl, mnl_attr_get_payload(a), sizeof(fl));
		s->flags = fl.flags & ~(uint32_t)IP_VS_SVC_F_HASHED;
	}
	if ((a = t->tb[IPVS_SVC_ATTR_TIMEOUT]) && !get_u32(a, &s->timeout))
		goto bad;
	if ((a = t->tb[IPVS_SVC_ATTR_NETMASK]) && !get_u32(a, &s->netmask))
		goto bad;
	if ((a = t->tb[IPVS_SVC_ATTR_STATS64] ? t->tb[IPVS_SVC_ATTR_STATS64] : t->tb[IPVS_SVC_ATTR_STATS]) &&
	    parse_stats(a, &s->stats) < 0)
		goto bad;
	return 0;
bad:
	*err = "service: attribute with a bad length";
	return -1;
}

static int parse_svc_nest(const struct nlattr *nest, struct ipvs_service *s, bool full,
                          const char **err)
{
	struct attrs t;

	memset(s, 0, sizeof(*s));
	if (collect_nested(nest, &t, IPVS_SVC_ATTR_MAX) < 0) {
		*err = "service: malformed nested attributes";
		return -1;
	}
	if (parse_svc_key(&t, s, err) < 0)
		return -1;
	return full ? parse_svc_rest(&t, s, err) : 0;
}

int ipvs_msg_parse_service(const struct nlmsghdr *nlh, struct ipvs_service *svc, const char **err)
{
	struct attrs t;

	if (collect(nlh, &t, IPVS_CMD_ATTR_MAX) < 0 || !t.tb[IPVS_CMD_ATTR_SERVICE]) {
		*err = "message without IPVS_CMD_ATTR_SERVICE";
		return -1;
	}
	return parse_svc_nest(t.tb[IPVS_CMD_ATTR_SERVICE], svc, true, err);
}

static int parse_dest_rest(struct attrs *t, struct ipvs_dest *d)
{
	const struct nlattr *a;
	uint32_t w;

	if ((a = t->tb[IPVS_DEST_ATTR_FWD_METHOD]) && !get_u32(a, &d->fwd))
		return -1;
	if ((a = t->tb[IPVS_DEST_ATTR_WEIGHT])) {
		if (!get_u32(a, &w) || w > 65535)
			return -1;
		d->weight = (int)w;
	}
	if ((a = t->tb[IPVS_DEST_ATTR_U_THRESH]) && !get_u32(a, &d->u_thresh))
		return -1;
	if ((a = t->tb[IPVS_DEST_ATTR_L_THRESH]) && !get_u32(a, &d->l_thresh))
		return -1;
	if ((a = t->tb[IPVS_DEST_ATTR_ACTIVE_CONNS]) && !get_u32(a, &d->active_conns))
		return -1;
	if ((a = t->tb[IPVS_DEST_ATTR_INACT_CONNS]) && !get_u32(a, &d->inact_conns))
		return -1;
	if ((a = t->tb[IPVS_DEST_ATTR_PERSIST_CONNS]) && !get_u32(a, &d->persist_conns))
		return -1;
	if ((a = t->tb[IPVS_DEST_ATTR_TUN_TYPE]) && !get_u8(a, &d->tun_type))
		return -1;
	if ((a = t->tb[IPVS_DEST_ATTR_TUN_PORT])) {
		if (!get_u16(a, &d->tun_port))
			return -1;
		d->tun_port = ntohs(d->tun_port);
	}
	if ((a = t->tb[IPVS_DEST_ATTR_TUN_FLAGS]) && !get_u16(a, &d->tun_flags))
		return -1;
	if ((a = t->tb[IPVS_DEST_ATTR_STATS64] ? t->tb[IPVS_DEST_ATTR_STATS64] : t->tb[IPVS_DEST_ATTR_STATS]) &&
	    parse_stats(a, &d->stats) < 0)
		return -1;
	return 0;
}

int ipvs_msg_parse_dest(const struct nlmsghdr *nlh, struct ipvs_dest *d, struct ipvs_service *svc,
                        const char **err)
{
	struct attrs top, t;
	uint16_t af = 0, port;

	memset(d, 0, sizeof(*d));
	if (collect(nlh, &top, IPVS_CMD_ATTR_MAX) < 0 || !top.tb[IPVS_CMD_ATTR_DEST] ||
	    collect_nested(top.tb[IPVS_CMD_ATTR_DEST], &t, IPVS_DEST_ATTR_MAX) < 0) {
		*err = "message without a valid IPVS_CMD_ATTR_DEST";
		return -1;
	}
	if (svc) {
		if (!top.tb[IPVS_CMD_ATTR_SERVICE]) {
			*err = "dest message without IPVS_CMD_ATTR_SERVICE";
			return -1;
		}
		if (parse_svc_nest(top.tb[IPVS_CMD_ATTR_SERVICE], svc, false, err) < 0)
			return -1;
	}
	/* Kernels before 4.x send no ADDR_FAMILY: the dest has the service's. */
	if (t.tb[IPVS_DEST_ATTR_ADDR_FAMILY] && !get_u16(t.tb[IPVS_DEST_ATTR_ADDR_FAMILY], &af)) {
		*err = "dest: bad IPVS_DEST_ATTR_ADDR_FAMILY";
		return -1;
	}
	if (!af)
		af = svc ? (uint16_t)svc->af : AF_INET;
	if (!get_addr(t.tb[IPVS_DEST_ATTR_ADDR], af, &d->addr) ||
	    !get_u16(t.tb[IPVS_DEST_ATTR_PORT], &port)) {
		*err = "dest: missing or bad address or port";
		return -1;
	}
	d->port = ntohs(port);
	if (parse_dest_rest(&t, d) < 0) {
		*err = "dest: attribute with a bad length or value";
		return -1;
	}
	return 0;
}

int ipvs_msg_parse_daemon(const struct nlmsghdr *nlh, struct ipvs_daemon *d, const char **err)
{
	struct attrs top, t;

	memset(d, 0, sizeof(*d));
	if (collect(nlh, &top, IPVS_CMD_ATTR_MAX) < 0 || !top.tb[IPVS_CMD_ATTR_DAEMON] ||
	    collect_nested(top.tb[IPVS_CMD_ATTR_DAEMON], &t, IPVS_DAEMON_ATTR_MAX) < 0) {
		*err = "message without a valid IPVS_CMD_ATTR_DAEMON";
		return -1;
	}
	if (!get_u32(t.tb[IPVS_DAEMON_ATTR_STATE], &d->state)) {
		*err = "daemon: missing or bad state";
		return -1;
	}
	if ((t.tb[IPVS_DAEMON_ATTR_MCAST_IFN] &&
	     !get_str(t.tb[IPVS_DAEMON_ATTR_MCAST_IFN], d->mcast_ifn, sizeof(d->mcast_ifn))) ||
	    (t.tb[IPVS_DAEMON_ATTR_SYNC_ID] && !get_u32(t.tb[IPVS_DAEMON_ATTR_SYNC_ID], &d->sync_id))) {
		*err = "daemon: bad interface or sync id";
		return -1;
	}
	if ((t.tb[IPVS_DAEMON_ATTR_SYNC_MAXLEN] && !get_u16(t.tb[IPVS_DAEMON_ATTR_SYNC_MAXLEN], &d->maxlen)) ||
	    (t.tb[IPVS_DAEMON_ATTR_MCAST_PORT] && !get_u16(t.tb[IPVS_DAEMON_ATTR_MCAST_PORT], &d->port)) ||
	    (t.tb[IPVS_DAEMON_ATTR_MCAST_TTL] && !get_u8(t.tb[IPVS_DAEMON_ATTR_MCAST_TTL], &d->ttl)) ||
	    (t.tb[IPVS_DAEMON_ATTR_MCAST_GROUP] && !get_addr(t.tb[IPVS_DAEMON_ATTR_MCAST_GROUP], AF_INET, &d->group)) ||
	    (t.tb[IPVS_DAEMON_ATTR_MCAST_GROUP6] &&
	     !get_addr(t.tb[IPVS_DAEMON_ATTR_MCAST_GROUP6], AF_INET6, &d->group))) {
		*err = "daemon: bad multicast setting";
		return -1;
	}
	return 0;
}

int ipvs_msg_parse_timeouts(const struct nlmsghdr *nlh, struct ipvs_timeouts *to, const char **err)
{
	struct attrs t;
	const struct nlattr *a;

	memset(to, 0, sizeof(*to));
	if (collect(nlh, &t, IPVS_CMD_ATTR_MAX) < 0) {
		*err = "malformed config message";
		return -1;
	}
	if (((a = t.tb[IPVS_CMD_ATTR_TIMEOUT_TCP]) && !get_u32(a, &to->tcp)) ||
	    ((a = t.tb[IPVS_CMD_ATTR_TIMEOUT_TCP_FIN]) && !get_u32(a, &to->tcp_fin)) ||
	    ((a = t.tb[IPVS_CMD_ATTR_TIMEOUT_UDP]) && !get_u32(a, &to->udp))) {
		*err = "config: bad timeout attribute";
		return -1;
	}
	return 0;
}
