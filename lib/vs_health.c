/* Real server health, the checker's names and the quorum rule; pure: it
 * must not read sockets, files or the clock, nor log. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vs_health.h"

bool vs_quorum_next(bool was_up, unsigned long weight_sum, unsigned quorum, unsigned hysteresis)
{
	if (was_up)
		return weight_sum + hysteresis >= quorum;      /* lost below quorum - hysteresis */
	return weight_sum >= (unsigned long)quorum + hysteresis;
}

int vs_health_rs_weight(const struct cfg_real_server *rs, const struct rs_health *h)
{
	if (h && !h->up)
		return -1;
	return h && h->weight >= 0 ? h->weight : rs->weight;
}

bool vs_health_quorum(const struct cfg_virtual_server *vs, struct vs_health *h)
{
	unsigned long sum = 0;
	bool quorum;
	int w;

	for (size_t i = 0; i < vs->n_real_servers; i++)
		if ((w = vs_health_rs_weight(&vs->real_servers[i], h && h->rs ? &h->rs[i] : NULL)) > 0)
			sum += (unsigned long)w;
	quorum = vs_quorum_next(h ? h->quorum_up : true, sum, vs->quorum, vs->hysteresis);
	if (h)
		h->quorum_up = quorum;
	return quorum;
}

void vs_health_vs_id(const struct cfg_virtual_server *vs, char *buf, size_t len)
{
	char a[HALO_ADDRSTRLEN];

	if (vs->is_fwmark)
		snprintf(buf, len, "fwmark:%" PRIu32, vs->fwmark);
	else
		snprintf(buf, len, "[%s]:%s:%u", halo_addr_str(&vs->address, a),
		         config_proto_name(vs->protocol), vs->port);
}

static char *pair_key(const struct cfg_virtual_server *vs, const struct cfg_real_server *rs)
{
	char v[HALO_ADDRSTRLEN + 32], a[HALO_ADDRSTRLEN], *k;

	vs_health_vs_id(vs, v, sizeof(v));
	if (asprintf(&k, "%s|[%s]:%s:%u", v, halo_addr_str(&rs->address, a),
	             config_proto_name(vs->protocol), rs->port) < 0)
		return NULL;
	return k;
}

static int id_cmp(const void *a, const void *b)
{
	return strcmp(((const struct vs_health_id *)a)->key, ((const struct vs_health_id *)b)->key);
}

static const struct vs_health_id *id_find(const struct vs_health_id *ids, size_t n, const char *key)
{
	struct vs_health_id k = { .key = (char *)key };

	return n ? bsearch(&k, ids, n, sizeof(*ids), id_cmp) : NULL;
}

void vs_health_free(struct vs_health *h, size_t n_vs, struct vs_health_id *ids, size_t n_ids)
{
	for (size_t i = 0; h && i < n_vs; i++)
		free(h[i].rs);
	free(h);
	for (size_t i = 0; i < n_ids; i++)
		free(ids[i].key);
	free(ids);
}

int vs_health_init(const struct halo_config *cfg, struct vs_health **health,
                   struct vs_health_id **ids, size_t *n_ids)
{
	size_t total = 0, k = 0;
	struct vs_health *h = calloc(cfg->n_virtual_servers + 1, sizeof(*h));
	struct vs_health_id *id;

	for (size_t i = 0; i < cfg->n_virtual_servers; i++)
		total += cfg->virtual_servers[i].n_real_servers;
	id = calloc(total + 1, sizeof(*id));
	if (!h || !id)
		goto fail;
	for (size_t i = 0; i < cfg->n_virtual_servers; i++) {
		const struct cfg_virtual_server *vs = &cfg->virtual_servers[i];

		h[i].quorum_up = true;
		if (!(h[i].rs = calloc(vs->n_real_servers + 1, sizeof(*h[i].rs))))
			goto fail;
		for (size_t j = 0; j < vs->n_real_servers; j++) {
			const struct cfg_real_server *rs = &vs->real_servers[j];

			h[i].rs[j].up = rs->check.kind == CFG_CHECK_NONE || !rs->check.alpha;
			h[i].rs[j].weight = -1;
			if (!(id[k].key = pair_key(vs, rs)))
				goto fail;
			id[k].vs = i;
			id[k++].rs = j;
		}
	}
	qsort(id, k, sizeof(*id), id_cmp);
	*health = h;
	*ids = id;
	*n_ids = k;
	return 0;
fail:
	vs_health_free(h, cfg->n_virtual_servers, id, k);
	return -1;
}

void vs_health_carry(const struct halo_config *ocfg, const struct vs_health *oh,
                     const struct vs_health_id *oids, size_t n_oids, const struct halo_config *ncfg,
                     struct vs_health *nh, const struct vs_health_id *nids, size_t n_nids)
{
	char a[HALO_ADDRSTRLEN + 32], b[HALO_ADDRSTRLEN + 32];

	for (size_t i = 0; i < n_nids; i++) {
		const struct vs_health_id *o = id_find(oids, n_oids, nids[i].key);

		if (o)
			nh[nids[i].vs].rs[nids[i].rs] = oh[o->vs].rs[o->rs];
	}
	for (size_t i = 0; i < ncfg->n_virtual_servers; i++) {
		vs_health_vs_id(&ncfg->virtual_servers[i], a, sizeof(a));
		for (size_t j = 0; j < ocfg->n_virtual_servers; j++) {
			vs_health_vs_id(&ocfg->virtual_servers[j], b, sizeof(b));
			if (strcmp(a, b) == 0) {
				nh[i].quorum_up = oh[j].quorum_up;
				break;
			}
		}
	}
}

int vs_health_apply(struct vs_health *h, const struct vs_health_id *ids, size_t n_ids,
                    struct json_object *o)
{
	struct json_object *vs, *rs, *up, *w;
	const struct vs_health_id *id;
	struct rs_health nh, *cur;
	char *key;

	if (!json_object_is_type(o, json_type_object) ||
	    !json_object_object_get_ex(o, "vs", &vs) || !json_object_is_type(vs, json_type_string) ||
	    !json_object_object_get_ex(o, "rs", &rs) || !json_object_is_type(rs, json_type_string) ||
	    !json_object_object_get_ex(o, "up", &up) || !json_object_is_type(up, json_type_boolean))
		return -1;
	nh.up = json_object_get_boolean(up);
	nh.weight = -1;
	if (json_object_object_get_ex(o, "weight", &w)) {
		int64_t v = json_object_get_int64(w);

		if (!json_object_is_type(w, json_type_int) || v > 65535)
			return -1;
		nh.weight = v < 0 ? -1 : (int)v;
	}
	if (asprintf(&key, "%s|%s", json_object_get_string(vs), json_object_get_string(rs)) < 0)
		return 0;
	id = id_find(ids, n_ids, key);
	free(key);
	if (!id)
		return VS_HEALTH_UNKNOWN;
	cur = &h[id->vs].rs[id->rs];
	if (cur->up == nh.up && cur->weight == nh.weight)
		return 0;
	*cur = nh;
	return 1;
}

static void message_entry(struct vs_health *h, const struct vs_health_id *ids, size_t n_ids,
			  struct json_object *o, struct vs_health_result *res)
{
	int r = vs_health_apply(h, ids, n_ids, o);

	if (r < 0)
		res->malformed = true;
	else if (r == VS_HEALTH_UNKNOWN)
		res->unknown++;
	else
		res->changed += (size_t)r;
}

struct vs_health_result vs_health_message(struct vs_health *h, const struct vs_health_id *ids,
                                          size_t n_ids, struct json_object *msg)
{
	struct vs_health_result res = { 0 };
	struct json_object *type, *arr;
	const char *t;

	if (!json_object_object_get_ex(msg, "type", &type) || !json_object_is_type(type, json_type_string)) {
		res.malformed = true;
		return res;
	}
	t = json_object_get_string(type);
	if (strcmp(t, "snapshot") == 0) {
		if (!json_object_object_get_ex(msg, "real_servers", &arr) ||
		    !json_object_is_type(arr, json_type_array)) {
			res.malformed = true;
			return res;
		}
		res.snapshot = true;
		for (size_t i = 0; i < json_object_array_length(arr); i++)
			message_entry(h, ids, n_ids, json_object_array_get_idx(arr, i), &res);
	} else if (strcmp(t, "rs") == 0) {
		message_entry(h, ids, n_ids, msg, &res);
	}
	return res;
}
