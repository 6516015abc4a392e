/* What halo-ipvs-sync learns from the other daemons: real server health from
 * halo-checker and the followed instance's state from halo-vrrpd, kept across
 * reloads and producer restarts. It records and kicks a pass; it decides nothing. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipvsd.h"
#include "log.h"

void ipvsd_health_free(struct vs_health *h, size_t n, struct vs_health_id *ids, size_t n_ids)
{
	vs_health_free(h, n, ids, n_ids);
}

/* Before the checker speaks: servers without a check are up, others up
 * unless `alpha` (keepalived's start-as-down). */
int ipvsd_health_init(struct ipvsd *d, struct halo_config *cfg, struct vs_health **health,
                      struct vs_health_id **ids, size_t *n_ids)
{
	(void)d;
	return vs_health_init(cfg, health, ids, n_ids);
}

/* A reload keeps what the checker told us about servers that remain, and
 * each remaining virtual server's quorum memory. */
void ipvsd_health_carry(struct ipvsd *d, struct halo_config *ncfg, struct vs_health *nh,
                        struct vs_health_id *nids, size_t n_nids)
{
	vs_health_carry(d->cfg, d->health, d->ids, d->n_ids, ncfg, nh, nids, n_nids);
}

/* A malformed message (or entry) counts; the rest of it still applies. */
void ipvsd_checker_msg(struct json_object *msg, void *arg)
{
	struct ipvsd *d = arg;
	struct vs_health_result r = vs_health_message(d->health, d->ids, d->n_ids, msg);

	d->c.checker_msgs++;
	d->c.checker_unknown += r.unknown;
	if (r.malformed)
		d->c.checker_bad++;
	if (r.snapshot)
		d->checker_seen = true;
	if (r.changed)
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
