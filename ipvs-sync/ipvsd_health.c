/* What halo-ipvs-sync learns from the other daemons: real server health from
 * halo-checker and the followed instance's state from halo-vrrpd, kept across
 * reloads and producer restarts. It records and kicks a pass; it decides nothing. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipvsd.h"
#include "log.h"

static void vs_id(const struct cfg_virtual_server *vs, char *buf, size_t len)
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

	vs_id(vs, v, sizeof(v));
	if (asprintf(&k, "%s|[%s]:%s:%u", v, halo_addr_str(&rs->address, a),
	             config_proto_name(vs->protocol), rs->port) < 0)
		return NULL;
	return k;
}

static int id_cmp(const void *a, const void *b)
{
	return strcmp(((const struct ipvsd_rs_id *)a)->key, ((const struct ipvsd_rs_id *)b)->key);
}

static struct ipvsd_rs_id *id_find(struct ipvsd_rs_id *ids, size_t n, const char *key)
{
	struct ipvsd_rs_id k = { .key = (char *)key };

	return n ? bsearch(&k, ids, n, sizeof(*ids), id_cmp) : NULL;
}

void ipvsd_health_free(struct ipvs_vs_health *h, size_t n, struct ipvsd_rs_id *ids, size_t n_ids)
{
	for (size_t i = 0; h && i < n; i++)
		free(h[i].rs);
	free(h);
	for (size_t i = 0; i < n_ids; i++)
		free(ids[i].key);
	free(ids);
}

/* Before the checker speaks: servers without a check are up, others up
 * unless `alpha` (keepalived's start-as-down). */
int ipvsd_health_init(struct ipvsd *d, struct halo_config *cfg, struct ipvs_vs_health **health,
                      struct ipvsd_rs_id **ids, size_t *n_ids)
{
	size_t total = 0, k = 0;
	struct ipvs_vs_health *h = calloc(cfg->n_virtual_servers + 1, sizeof(*h));
	struct ipvsd_rs_id *id;

	(void)d;
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
	ipvsd_health_free(h, cfg->n_virtual_servers, id, k);
	return -1;
}

/* A reload keeps what the checker told us about servers that remain, and
 * each remaining virtual server's quorum memory. */
void ipvsd_health_carry(struct ipvsd *d, struct halo_config *ncfg, struct ipvs_vs_health *nh,
                        struct ipvsd_rs_id *nids, size_t n_nids)
{
	for (size_t i = 0; i < n_nids; i++) {
		struct ipvsd_rs_id *o = id_find(d->ids, d->n_ids, nids[i].key);

		if (o)
			nh[nids[i].vs].rs[nids[i].rs] = d->health[o->vs].rs[o->rs];
	}
	for (size_t i = 0; i < ncfg->n_virtual_servers; i++) {
		struct ipvs_service a, b;

		ipvs_service_key(&ncfg->virtual_servers[i], &a);
		for (size_t j = 0; j < d->cfg->n_virtual_servers; j++) {
			ipvs_service_key(&d->cfg->virtual_servers[j], &b);
			if (ipvs_service_cmp(&a, &b) == 0) {
				nh[i].quorum_up = d->health[j].quorum_up;
				break;
			}
		}
	}
}

/* One real server entry; returns 1 if its health changed, 0 if not, -1 if malformed. */
static int apply_rs(struct ipvsd *d, struct json_object *o)
{
	struct json_object *vs, *rs, *up, *w;
	struct ipvsd_rs_id *id;
	struct ipvs_rs_health nh, *h;
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
	id = id_find(d->ids, d->n_ids, key);
	free(key);
	if (!id) {
		d->c.checker_unknown++;
		return 0;
	}
	h = &d->health[id->vs].rs[id->rs];
	if (h->up == nh.up && h->weight == nh.weight)
		return 0;
	*h = nh;
	return 1;
}

void ipvsd_checker_msg(struct json_object *msg, void *arg)
{
	struct ipvsd *d = arg;
	struct json_object *type, *arr;
	int changed = 0, r;

	d->c.checker_msgs++;
	if (!json_object_object_get_ex(msg, "type", &type) || !json_object_is_type(type, json_type_string))
		goto bad;
	if (strcmp(json_object_get_string(type), "snapshot") == 0) {
		if (!json_object_object_get_ex(msg, "real_servers", &arr) ||
		    !json_object_is_type(arr, json_type_array))
			goto bad;
		d->checker_seen = true;
		for (size_t i = 0; i < json_object_array_length(arr); i++) {
			if ((r = apply_rs(d, json_object_array_get_idx(arr, i))) < 0)
				goto bad;
			changed |= r;
		}
	} else if (strcmp(json_object_get_string(type), "rs") == 0) {
		if ((r = apply_rs(d, msg)) < 0)
			goto bad;
		changed = r;
	}
	if (changed)
		ipvsd_kick(d);
	return;
bad:
	d->c.checker_bad++;
	if (changed)
		ipvsd_kick(d);
}

void ipvsd_checker_state(bool connected, void *arg)
{
	struct ipvsd *d = arg;

	if (d->checker_up && !connected)
		log_warnx("lost halo-checker; keeping the last known weights");
	else if (!d->checker_up && connected)
		log_info("connected to halo-checker");
	d->checker_up = connected;
}

static void follow_update(struct ipvsd *d, struct json_object *inst)
{
	struct json_object *name, *state;
	const char *follow = d->cfg->ipvs.sync_daemon.follow_instance;
	const char *s;

	if (!follow || !json_object_object_get_ex(inst, "name", &name) ||
	    !json_object_object_get_ex(inst, "state", &state) ||
	    !json_object_is_type(name, json_type_string) || !json_object_is_type(state, json_type_string) ||
	    strcmp(json_object_get_string(name), follow) != 0)
		return;
	s = json_object_get_string(state);
	if (strcmp(s, d->follow_state) == 0)
		return;
	snprintf(d->follow_state, sizeof(d->follow_state), "%s", s);
	log_info("instance %s is %s", follow, d->follow_state);
	ipvsd_kick(d);
}

void ipvsd_vrrp_msg(struct json_object *msg, void *arg)
{
	struct ipvsd *d = arg;
	struct json_object *type, *v;

	d->c.vrrp_msgs++;
	if (!json_object_object_get_ex(msg, "type", &type) || !json_object_is_type(type, json_type_string)) {
		d->c.vrrp_bad++;
		return;
	}
	if (strcmp(json_object_get_string(type), "snapshot") == 0 &&
	    json_object_object_get_ex(msg, "instances", &v) && json_object_is_type(v, json_type_array)) {
		for (size_t i = 0; i < json_object_array_length(v); i++)
			follow_update(d, json_object_array_get_idx(v, i));
	} else if (strcmp(json_object_get_string(type), "instance") == 0 &&
	           json_object_object_get_ex(msg, "instance", &v)) {
		follow_update(d, v);
	}
}

void ipvsd_vrrp_state(bool connected, void *arg)
{
	struct ipvsd *d = arg;

	d->vrrp_up = connected;
}
