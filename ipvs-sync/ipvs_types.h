/* The IPVS table as plain values: services with their destinations, the sync
 * daemon, and the ordered operations ipvs_diff() derives. No I/O, no kernel calls. */
#ifndef HALO_IPVS_TYPES_H
#define HALO_IPVS_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/ip_vs.h>

#include "addr.h"

struct ipvs_stats {
	uint64_t conns, inpkts, outpkts, inbytes, outbytes, cps, inpps, outpps, inbps, outbps;
};

struct ipvs_dest {
	struct halo_addr addr;         /* family may differ from the service's (TUN) */
	uint16_t port;                 /* host order */
	uint32_t fwd;                  /* IP_VS_CONN_F_MASQ / _TUNNEL / _DROUTE */
	int weight;                    /* 0..65535 */
	uint32_t u_thresh, l_thresh;
	uint8_t tun_type;              /* IP_VS_CONN_F_TUNNEL_TYPE_*, with fwd TUNNEL */
	uint16_t tun_port;             /* host order; GUE only */
	uint16_t tun_flags;            /* IP_VS_TUNNEL_ENCAP_FLAG_*; GUE and GRE */
	/* filled from dumps only */
	uint32_t active_conns, inact_conns, persist_conns;
	struct ipvs_stats stats;
};

struct ipvs_service {
	int af;                        /* AF_INET / AF_INET6 */
	uint16_t protocol;             /* IPPROTO_TCP/UDP/SCTP; 0 for fwmark services */
	struct halo_addr addr;         /* unset (family 0) for fwmark services */
	uint16_t port;                 /* host order */
	uint32_t fwmark;               /* 0 = address service */
	char sched_name[IP_VS_SCHEDNAME_MAXLEN];
	char pe_name[IP_VS_PENAME_MAXLEN];
	uint32_t flags;                /* IP_VS_SVC_F_*, without IP_VS_SVC_F_HASHED */
	uint32_t timeout;              /* persistence, seconds */
	uint32_t netmask;              /* v4: mask in network byte order; v6: prefix length */
	bool drain;                    /* desired only: removed dests go to weight 0 until idle */
	struct ipvs_dest *dests;
	size_t n_dests;
	struct ipvs_stats stats;       /* from dumps */
};

struct ipvs_table {
	struct ipvs_service *svcs;
	size_t n_svcs;
};

struct ipvs_daemon {
	uint32_t state;                /* IP_VS_STATE_MASTER / IP_VS_STATE_BACKUP */
	char mcast_ifn[IP_VS_IFNAME_MAXLEN];
	uint32_t sync_id;
	/* Multicast settings (keepalived's lvs_sync_daemon maxlen/port/ttl/
	 * group). Wanted: 0 / family 0 = the kernel's default. Dumped: what
	 * the kernel runs with, defaults filled in. */
	uint16_t maxlen, port;         /* port in host order */
	uint8_t ttl;
	struct halo_addr group;
};

struct ipvs_timeouts {
	uint32_t tcp, tcp_fin, udp;    /* seconds, 0 = leave the kernel's */
};

/* Applied in the order of this enum (ipvs_diff sorts by it). */
enum ipvs_op_kind {
	IPVS_OP_ADD_SERVICE = 0,
	IPVS_OP_EDIT_SERVICE,
	IPVS_OP_ADD_DEST,
	IPVS_OP_EDIT_DEST,
	IPVS_OP_DEL_DEST,
	IPVS_OP_DEL_SERVICE,
};

/* Copies, not pointers: an op stays valid after the tables it came from are
 * freed. svc.dests is always NULL in an op. */
struct ipvs_op {
	enum ipvs_op_kind kind;
	struct ipvs_service svc;
	struct ipvs_dest dest;         /* dest ops only */
};

struct ipvs_ops {
	struct ipvs_op *v;
	size_t n, cap;
};

const char *ipvs_op_kind_name(enum ipvs_op_kind k);
const char *ipvs_proto_name(uint16_t protocol);     /* "tcp", "udp", "sctp", "?" */

/* "[192.168.0.100]:tcp:80" or "FWM 1" (keepalived's wording). */
#define IPVS_SVC_STRLEN 80
const char *ipvs_service_str(const struct ipvs_service *s, char buf[IPVS_SVC_STRLEN]);
/* "[10.0.0.2]:tcp:80", the protocol being the service's. */
const char *ipvs_dest_str(const struct ipvs_service *s, const struct ipvs_dest *d,
                          char buf[IPVS_SVC_STRLEN]);

/* Orders by identity: services by af, fwmark, protocol, address, port;
 * destinations by address, port. */
int ipvs_service_cmp(const struct ipvs_service *a, const struct ipvs_service *b);
int ipvs_dest_cmp(const struct ipvs_dest *a, const struct ipvs_dest *b);
/* Sorts services and each service's destinations by identity. */
void ipvs_table_sort(struct ipvs_table *t);
struct ipvs_service *ipvs_table_find(const struct ipvs_table *t, const struct ipvs_service *key);
/* Appends a copy (without dests) and returns it; NULL on allocation failure. */
struct ipvs_service *ipvs_table_add_service(struct ipvs_table *t, const struct ipvs_service *s);
struct ipvs_dest *ipvs_service_add_dest(struct ipvs_service *s, const struct ipvs_dest *d);
void ipvs_table_free(struct ipvs_table *t);

/* The one place where a kernel error counts as done: EEXIST on an add,
 * ENOENT/ESRCH on a delete (someone did it already). err is a positive errno. */
bool ipvs_op_error_benign(enum ipvs_op_kind kind, int err);

int ipvs_ops_push(struct ipvs_ops *ops, enum ipvs_op_kind kind, const struct ipvs_service *svc,
                  const struct ipvs_dest *dest);
void ipvs_ops_free(struct ipvs_ops *ops);

#endif
