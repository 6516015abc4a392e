/* Helpers over the IPVS table values: identity order, lookup, growth and
 * naming. Pure: no I/O, no logging. */
#include "ipvs_types.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *ipvs_op_kind_name(enum ipvs_op_kind k)
{
	switch (k) {
	case IPVS_OP_ADD_SERVICE: return "add-service";
	case IPVS_OP_EDIT_SERVICE: return "edit-service";
	case IPVS_OP_ADD_DEST: return "add-dest";
	case IPVS_OP_EDIT_DEST: return "edit-dest";
	case IPVS_OP_DEL_DEST: return "del-dest";
	case IPVS_OP_DEL_SERVICE: return "del-service";
	}
	return "?";
}

bool ipvs_op_error_benign(enum ipvs_op_kind kind, int err)
{
	switch (kind) {
	case IPVS_OP_ADD_SERVICE:
	case IPVS_OP_ADD_DEST:
		return err == EEXIST;
	case IPVS_OP_DEL_SERVICE:
	case IPVS_OP_DEL_DEST:
		return err == ENOENT || err == ESRCH;
	default:
		return false;
	}
}

const char *ipvs_proto_name(uint16_t protocol)
{
	switch (protocol) {
	case IPPROTO_TCP: return "tcp";
	case IPPROTO_UDP: return "udp";
	case IPPROTO_SCTP: return "sctp";
	}
	return "?";
}

const char *ipvs_service_str(const struct ipvs_service *s, char buf[IPVS_SVC_STRLEN])
{
	char a[HALO_ADDRSTRLEN];

	if (s->fwmark)
		snprintf(buf, IPVS_SVC_STRLEN, "FWM %u", s->fwmark);
	else
		snprintf(buf, IPVS_SVC_STRLEN, "[%s]:%s:%u", halo_addr_str(&s->addr, a),
		         ipvs_proto_name(s->protocol), s->port);
	return buf;
}

const char *ipvs_dest_str(const struct ipvs_service *s, const struct ipvs_dest *d,
                          char buf[IPVS_SVC_STRLEN])
{
	char a[HALO_ADDRSTRLEN];

	snprintf(buf, IPVS_SVC_STRLEN, "[%s]:%s:%u", halo_addr_str(&d->addr, a),
	         s->fwmark ? "fwm" : ipvs_proto_name(s->protocol), d->port);
	return buf;
}

#define CMP(x, y) do { if ((x) != (y)) return (x) < (y) ? -1 : 1; } while (0)

int ipvs_service_cmp(const struct ipvs_service *a, const struct ipvs_service *b)
{
	int c;

	CMP(a->af, b->af);
	CMP(a->fwmark, b->fwmark);
	if (a->fwmark)
		return 0;
	CMP(a->protocol, b->protocol);
	c = halo_addr_cmp(&a->addr, &b->addr);
	if (c)
		return c;
	CMP(a->port, b->port);
	return 0;
}

int ipvs_dest_cmp(const struct ipvs_dest *a, const struct ipvs_dest *b)
{
	int c = halo_addr_cmp(&a->addr, &b->addr);

	if (c)
		return c;
	CMP(a->port, b->port);
	return 0;
}

static int svc_qcmp(const void *a, const void *b)
{
	return ipvs_service_cmp(a, b);
}

static int dest_qcmp(const void *a, const void *b)
{
	return ipvs_dest_cmp(a, b);
}

void ipvs_table_sort(struct ipvs_table *t)
{
	if (t->n_svcs > 1)
		qsort(t->svcs, t->n_svcs, sizeof(*t->svcs), svc_qcmp);
	for (size_t i = 0; i < t->n_svcs; i++)
		if (t->svcs[i].n_dests > 1)
			qsort(t->svcs[i].dests, t->svcs[i].n_dests, sizeof(struct ipvs_dest), dest_qcmp);
}

struct ipvs_service *ipvs_table_find(const struct ipvs_table *t, const struct ipvs_service *key)
{
	for (size_t i = 0; i < t->n_svcs; i++)
		if (ipvs_service_cmp(&t->svcs[i], key) == 0)
			return &t->svcs[i];
	return NULL;
}

/* Grows *v (element size sz) so index n fits; capacity doubles. */
static int grow(void **v, size_t *cap, size_t n, size_t sz)
{
	size_t ncap;
	void *nv;

	if (n < *cap)
		return 0;
	ncap = *cap ? *cap * 2 : 8;
	nv = realloc(*v, ncap * sz);
	if (!nv)
		return -1;
	*v = nv;
	*cap = ncap;
	return 0;
}

/* Capacities are not stored: a table grows at powers of two, so the capacity
 * of n elements is the next power of two >= 8. */
static size_t cap_of(size_t n)
{
	size_t c = 8;

	while (c < n)
		c *= 2;
	return n ? c : 0;
}

struct ipvs_service *ipvs_table_add_service(struct ipvs_table *t, const struct ipvs_service *s)
{
	size_t cap = cap_of(t->n_svcs);
	struct ipvs_service *n;

	if (grow((void **)&t->svcs, &cap, t->n_svcs, sizeof(*t->svcs)) < 0)
		return NULL;
	n = &t->svcs[t->n_svcs++];
	*n = *s;
	n->dests = NULL;
	n->n_dests = 0;
	return n;
}

struct ipvs_dest *ipvs_service_add_dest(struct ipvs_service *s, const struct ipvs_dest *d)
{
	size_t cap = cap_of(s->n_dests);

	if (grow((void **)&s->dests, &cap, s->n_dests, sizeof(*s->dests)) < 0)
		return NULL;
	s->dests[s->n_dests] = *d;
	return &s->dests[s->n_dests++];
}

void ipvs_table_free(struct ipvs_table *t)
{
	for (size_t i = 0; i < t->n_svcs; i++)
		free(t->svcs[i].dests);
	free(t->svcs);
	t->svcs = NULL;
	t->n_svcs = 0;
}

int ipvs_ops_push(struct ipvs_ops *ops, enum ipvs_op_kind kind, const struct ipvs_service *svc,
                  const struct ipvs_dest *dest)
{
	struct ipvs_op *op;

	if (grow((void **)&ops->v, &ops->cap, ops->n, sizeof(*ops->v)) < 0)
		return -1;
	op = &ops->v[ops->n++];
	memset(op, 0, sizeof(*op));
	op->kind = kind;
	op->svc = *svc;
	op->svc.dests = NULL;
	op->svc.n_dests = 0;
	if (dest)
		op->dest = *dest;
	return 0;
}

void ipvs_ops_free(struct ipvs_ops *ops)
{
	free(ops->v);
	ops->v = NULL;
	ops->n = ops->cap = 0;
}
