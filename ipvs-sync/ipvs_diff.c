/* ipvs_diff(): merge of two identity-sorted tables into ordered operations.
 * Pure: no I/O, no clock, no logging. */
#include "ipvs_diff.h"

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
	return fwd != IP_VS_CONN_F_TUNNEL || want->tun_type == have->tun_type;
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

void ipvs_daemon_plan(const struct ipvs_daemon *want, const struct ipvs_daemon *have, size_t n_have,
                      struct ipvs_daemon *del, size_t *n_del, bool *add)
{
	bool found = false;

	*n_del = 0;
	for (size_t i = 0; i < n_have; i++) {
		if (want && !found && have[i].state == want->state && have[i].sync_id == want->sync_id &&
		    strcmp(have[i].mcast_ifn, want->mcast_ifn) == 0)
			found = true;
		else
			del[(*n_del)++] = have[i];
	}
	*add = want && !found;
}
