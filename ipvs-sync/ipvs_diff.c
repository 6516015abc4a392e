/* ipvs_diff(): merge of two identity-sorted tables into ordered operations.
 * Pure: no I/O, no clock, no logging. */
#include "ipvs_diff.h"

#include "config.h"

#include <stdlib.h>
#include <string.h>

bool ipvs_service_same(const struct ipvs_service *want, const struct ipvs_service *have)
{
	return strcmp(want->sched_name, have->sched_name) == 0 &&
	       strcmp(want->pe_name, have->pe_name) == 0 &&
	       want->flags == have->flags &&
	       want->timeout == have->timeout &&
	       want->netmask == have->netmask;
}

bool ipvs_dest_same(const struct ipvs_dest *want, const struct ipvs_dest *have)
{
	uint32_t fwd = want->fwd & IP_VS_CONN_F_FWD_MASK;

	if (fwd != (have->fwd & IP_VS_CONN_F_FWD_MASK) || want->weight != have->weight ||
	    want->u_thresh != have->u_thresh || want->l_thresh != have->l_thresh)
		return false;
	return fwd != IP_VS_CONN_F_TUNNEL ||
	       (want->tun_type == have->tun_type && want->tun_port == have->tun_port &&
	        want->tun_flags == have->tun_flags);
}

/* Destinations of one service present on both sides (or only on one). */
static int diff_dests(const struct ipvs_service *want, const struct ipvs_service *have,
                      struct ipvs_ops *ops)
{
	size_t i = 0, j = 0;
	int c;

	while (i < want->n_dests || (have && j < have->n_dests)) {
		const struct ipvs_dest *w = i < want->n_dests ? &want->dests[i] : NULL;
		const struct ipvs_dest *h = have && j < have->n_dests ? &have->dests[j] : NULL;

		c = !w ? 1 : !h ? -1 : ipvs_dest_cmp(w, h);
		if (c < 0) {
			if (ipvs_ops_push(ops, IPVS_OP_ADD_DEST, want, w) < 0)
				return -1;
			i++;
		} else if (c > 0) {
			if (want->drain && (h->weight != 0 || h->active_conns != 0)) {
				struct ipvs_dest z = *h;

				z.weight = 0;
				if (h->weight != 0 && ipvs_ops_push(ops, IPVS_OP_EDIT_DEST, want, &z) < 0)
					return -1;
			} else if (ipvs_ops_push(ops, IPVS_OP_DEL_DEST, want, h) < 0) {
				return -1;
			}
			j++;
		} else {
			if (!ipvs_dest_same(w, h) && ipvs_ops_push(ops, IPVS_OP_EDIT_DEST, want, w) < 0)
				return -1;
			i++, j++;
		}
	}
	return 0;
}

static int op_order(const void *a, const void *b)
{
	const struct ipvs_op *x = a, *y = b;

	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	return 0;
}

/* qsort is not stable: ops carry their position to keep identity order. */
struct ranked { struct ipvs_op op; size_t pos; };

static int ranked_order(const void *a, const void *b)
{
	const struct ranked *x = a, *y = b;
	int c = op_order(&x->op, &y->op);

	if (c)
		return c;
	return x->pos < y->pos ? -1 : x->pos > y->pos;
}

static int sort_ops(struct ipvs_ops *ops, size_t from)
{
	size_t n = ops->n - from;
	struct ranked *r;

	if (n < 2)
		return 0;
	r = malloc(n * sizeof(*r));
	if (!r)
		return -1;
	for (size_t i = 0; i < n; i++)
		r[i] = (struct ranked){ ops->v[from + i], i };
	qsort(r, n, sizeof(*r), ranked_order);
	for (size_t i = 0; i < n; i++)
		ops->v[from + i] = r[i].op;
	free(r);
	return 0;
}

static int diff_one(const struct ipvs_service *w, const struct ipvs_service *h,
                    struct ipvs_ops *ops)
{
	if (!h)
		return ipvs_ops_push(ops, IPVS_OP_ADD_SERVICE, w, NULL) < 0 ? -1 : diff_dests(w, NULL, ops);
	if (!w)
		return ipvs_ops_push(ops, IPVS_OP_DEL_SERVICE, h, NULL);
	if (!ipvs_service_same(w, h) && ipvs_ops_push(ops, IPVS_OP_EDIT_SERVICE, w, NULL) < 0)
		return -1;
	return diff_dests(w, h, ops);
}

int ipvs_diff(const struct ipvs_table *desired, const struct ipvs_table *kernel,
              struct ipvs_ops *ops)
{
	size_t i = 0, j = 0, from = ops->n;
	int c;

	while (i < desired->n_svcs || j < kernel->n_svcs) {
		const struct ipvs_service *w = i < desired->n_svcs ? &desired->svcs[i] : NULL;
		const struct ipvs_service *h = j < kernel->n_svcs ? &kernel->svcs[j] : NULL;

		c = !w ? 1 : !h ? -1 : ipvs_service_cmp(w, h);
		if (diff_one(c <= 0 ? w : NULL, c >= 0 ? h : NULL, ops) < 0)
			return -1;
		if (c <= 0)
			i++;
		if (c >= 0)
			j++;
	}
	return sort_ops(ops, from);
}

/* A running daemon is the wanted one when the settings the config gives
 * match; the ones it leaves to the kernel may be anything. */
static bool daemon_matches(const struct ipvs_daemon *want, const struct ipvs_daemon *have)
{
	return have->state == want->state && have->sync_id == want->sync_id &&
	       strcmp(have->mcast_ifn, want->mcast_ifn) == 0 &&
	       (!want->maxlen || want->maxlen == have->maxlen) && (!want->port || want->port == have->port) &&
	       (!want->ttl || want->ttl == have->ttl) &&
	       (!want->group.family || halo_addr_eq(&want->group, &have->group));
}

void ipvs_daemon_plan(const struct ipvs_daemon *want, size_t n_want, const struct ipvs_daemon *have,
                      size_t n_have, struct ipvs_daemon *del, size_t *n_del, struct ipvs_daemon *add,
                      size_t *n_add)
{
	bool found[2] = { false, false };

	*n_del = *n_add = 0;
	for (size_t i = 0; i < n_have; i++) {
		size_t w = 0;

		while (w < n_want && w < 2 && (found[w] || !daemon_matches(&want[w], &have[i])))
			w++;
		if (w < n_want && w < 2)
			found[w] = true;
		else
			del[(*n_del)++] = have[i];
	}
	for (size_t w = 0; w < n_want && w < 2; w++)
		if (!found[w])
			add[(*n_add)++] = want[w];
}

size_t ipvs_daemons_wanted(int mode, const char *instance_state, const struct ipvs_daemon *base,
                           struct ipvs_daemon out[2])
{
	size_t n = 0;
	bool master;

	switch (mode) {
	case CFG_SYNC_MASTER:
		master = true;
		break;
	case CFG_SYNC_BACKUP:
		master = false;
		break;
	case CFG_SYNC_BOTH:
		out[n] = *base;
		out[n++].state = IP_VS_STATE_MASTER;
		master = false;
		break;
	default:
		/* MASTER -> master; BACKUP, FAULT, INIT or unknown -> backup */
		master = !instance_state || strcmp(instance_state, "MASTER") == 0;
		break;
	}
	out[n] = *base;
	out[n++].state = master ? IP_VS_STATE_MASTER : IP_VS_STATE_BACKUP;
	return n;
}

static int svc_key_cmp(const void *key, const void *elem)
{
	return ipvs_service_cmp(key, elem);
}

static struct ipvs_service *svc_lookup(const struct ipvs_table *t, const struct ipvs_service *key)
{
	return t->n_svcs ? bsearch(key, t->svcs, t->n_svcs, sizeof(*t->svcs), svc_key_cmp) : NULL;
}

static struct ipvs_dest *dest_lookup(struct ipvs_service *s, const struct ipvs_dest *key)
{
	for (size_t i = 0; i < s->n_dests; i++)
		if (ipvs_dest_cmp(&s->dests[i], key) == 0)
			return &s->dests[i];
	return NULL;
}

static void svc_settings_copy(struct ipvs_service *to, const struct ipvs_service *from)
{
	memcpy(to->sched_name, from->sched_name, sizeof(to->sched_name));
	memcpy(to->pe_name, from->pe_name, sizeof(to->pe_name));
	to->flags = from->flags;
	to->timeout = from->timeout;
	to->netmask = from->netmask;
}

static void dest_settings_copy(struct ipvs_dest *to, const struct ipvs_dest *from)
{
	to->fwd = from->fwd;
	to->weight = from->weight;
	to->u_thresh = from->u_thresh;
	to->l_thresh = from->l_thresh;
	to->tun_type = from->tun_type;
	to->tun_port = from->tun_port;
	to->tun_flags = from->tun_flags;
}

/* Destination ops on an already present service. */
static int apply_dest_op(struct ipvs_service *s, const struct ipvs_op *op)
{
	struct ipvs_dest *d = dest_lookup(s, &op->dest);

	switch (op->kind) {
	case IPVS_OP_ADD_DEST:
		if (d)
			dest_settings_copy(d, &op->dest);
		else if (!ipvs_service_add_dest(s, &op->dest))
			return -1;
		break;
	case IPVS_OP_EDIT_DEST:
		if (d)
			dest_settings_copy(d, &op->dest);
		break;
	case IPVS_OP_DEL_DEST:
		if (d)
			*d = s->dests[--s->n_dests];
		break;
	default:
		break;
	}
	return 0;
}

static void compact(struct ipvs_table *t)
{
	size_t j = 0;

	for (size_t i = 0; i < t->n_svcs; i++) {
		if (t->svcs[i].af == 0)
			free(t->svcs[i].dests);
		else
			t->svcs[j++] = t->svcs[i];
	}
	t->n_svcs = j;
}

/* Service deletes: found first, marked after (af 0), so that a mark never
 * disturbs the order another lookup relies on. */
static int apply_deletes(struct ipvs_table *t, const struct ipvs_op *ops, size_t n, const int *errs)
{
	struct ipvs_service **gone;
	size_t k = 0;

	for (size_t i = 0; i < n; i++)
		k += ops[i].kind == IPVS_OP_DEL_SERVICE;
	if (!k)
		return 0;
	if (!(gone = calloc(k, sizeof(*gone))))
		return -1;
	k = 0;
	for (size_t i = 0; i < n; i++)
		if (ops[i].kind == IPVS_OP_DEL_SERVICE && !(errs && errs[i]))
			gone[k++] = svc_lookup(t, &ops[i].svc);
	for (size_t i = 0; i < k; i++)
		if (gone[i])
			gone[i]->af = 0;
	free(gone);
	compact(t);
	ipvs_table_sort(t);
	return 0;
}

int ipvs_table_apply(struct ipvs_table *t, const struct ipvs_op *ops, size_t n, const int *errs)
{
	size_t sorted = t->n_svcs;
	struct ipvs_service *s;

	/* services first (appended, then sorted), so every later lookup is a bsearch */
	for (size_t i = 0; i < n; i++) {
		if ((errs && errs[i]) || ops[i].kind != IPVS_OP_ADD_SERVICE)
			continue;
		struct ipvs_table head = { t->svcs, sorted };
		if (!svc_lookup(&head, &ops[i].svc) && !ipvs_table_add_service(t, &ops[i].svc))
			return -1;
	}
	ipvs_table_sort(t);
	for (size_t i = 0; i < n; i++) {
		if ((errs && errs[i]) || ops[i].kind == IPVS_OP_DEL_SERVICE ||
		    !(s = svc_lookup(t, &ops[i].svc)))
			continue;
		if (ops[i].kind == IPVS_OP_EDIT_SERVICE)
			svc_settings_copy(s, &ops[i].svc);
		else if (apply_dest_op(s, &ops[i]) < 0)
			return -1;
	}
	return apply_deletes(t, ops, n, errs);
}

uint64_t ipvs_retry_delay(unsigned fails, uint64_t retry_us, uint64_t period_us)
{
	uint64_t d = retry_us;

	for (unsigned i = 1; i < fails && d < period_us; i++)
		d *= 2;
	return d < period_us ? d : period_us;
}
