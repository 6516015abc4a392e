/* track_virtual_servers in halo-vrrpd: subscribes to halo-checker (snapshot,
 * then changes; lib's reconnecting subscription), keeps the real server
 * health table that halo-ipvs-sync keeps too (lib/vs_health.c) and feeds the
 * VS trackers. It records and re-evaluates; vrrp_track_vs decides. */
#include <string.h>

#include "vrrpd.h"

static bool any_vs_tracked(const struct halo_config *cfg)
{
	for (size_t i = 0; i < cfg->vrrp.n_instances; i++)
		if (cfg->vrrp.instances[i].n_track_vss)
			return true;
	return false;
}

void vrrpd_vs_eval(struct vrrp_inst *vi)
{
	struct vrrpd *d = vi->d;
	bool changed = false;

	for (size_t i = 0; i < vi->n_trk; i++) {
		struct vrrp_tracker *tk = &vi->trk[i];
		bool known = tk->t.known;

		if (tk->kind != VRRP_TRK_VS || tk->vs >= d->cfg->n_virtual_servers || !d->vs_health)
			continue;
		if (!vrrp_track_vs(&tk->t, &d->cfg->virtual_servers[tk->vs], &d->vs_health[tk->vs],
		                   d->checker_seen))
			continue;
		changed = true;
		if (known)
			log_info("(%s) tracked virtual server %s: quorum %s instance=%s vs=%s up=%s weight=%d",
			         vi->cfg->name, tk->name, tk->t.up ? "regained" : "lost", vi->cfg->name, tk->name,
			         tk->t.up ? "true" : "false", tk->t.weight);
	}
	if (changed)
		vrrpd_track_apply(vi);
}

static void vs_eval_all(struct vrrpd *d)
{
	for (struct vrrp_inst *vi = d->insts; vi; vi = vi->next)
		vrrpd_vs_eval(vi);
}

/* A malformed message (or entry) counts; what the rest of it changed is
 * re-evaluated. lib's catalogue check has already dropped lines that are not
 * checker events. */
static void checker_msg(struct json_object *msg, void *arg)
{
	struct vrrpd *d = arg;
	struct vs_health_result r = vs_health_message(d->vs_health, d->vs_ids, d->n_vs_ids, msg);

	d->checker_msgs++;
	if (r.malformed)
		d->checker_bad++;
	if (r.snapshot && !d->checker_seen) {
		log_info("halo-checker snapshot: tracked virtual servers follow its results now");
		d->checker_seen = true;
	}
	if (r.changed || r.snapshot)
		vs_eval_all(d);
}

static void checker_state(bool connected, void *arg)
{
	struct vrrpd *d = arg;

	if (d->checker_up && !connected)
		log_warnx("lost halo-checker; tracked virtual servers keep their last known state");
	else if (!d->checker_up && connected)
		log_info("connected to halo-checker");
	d->checker_up = connected;
}

/* d->cfg is the new configuration, d->vs_cfg the one the table was built
 * from (still alive): what the checker said about servers that remain is
 * kept, so a reload does not flap a tracked virtual server. */
void vrrpd_vs_reload(struct vrrpd *d)
{
	struct vs_health *nh = NULL;
	struct vs_health_id *nids = NULL;
	size_t n_nids = 0;
	char path[4096];

	if (vs_health_init(d->cfg, &nh, &nids, &n_nids) < 0)
		fatal("out of memory");
	if (d->vs_cfg)
		vs_health_carry(d->vs_cfg, d->vs_health, d->vs_ids, d->n_vs_ids, d->cfg, nh, nids, n_nids);
	vs_health_free(d->vs_health, d->vs_cfg ? d->vs_cfg->n_virtual_servers : 0, d->vs_ids, d->n_vs_ids);
	d->vs_health = nh;
	d->vs_ids = nids;
	d->n_vs_ids = n_nids;
	d->vs_cfg = d->cfg;
	if (any_vs_tracked(d->cfg) && !d->checker) {
		snprintf(path, sizeof(path), "%s/halo-checker.sock", d->run_dir);
		d->checker = ctl_sub_open(d->loop, path, checker_msg, checker_state, d);
	} else if (!any_vs_tracked(d->cfg) && d->checker) {
		ctl_sub_close(d->checker);
		d->checker = NULL;
		d->checker_up = false;
	}
}

void vrrpd_vs_close(struct vrrpd *d)
{
	ctl_sub_close(d->checker);
	d->checker = NULL;
	vs_health_free(d->vs_health, d->vs_cfg ? d->vs_cfg->n_virtual_servers : 0, d->vs_ids, d->n_vs_ids);
	d->vs_health = NULL;
	d->vs_ids = NULL;
	d->n_vs_ids = 0;
	d->vs_cfg = NULL;
}

struct json_object *vrrpd_vs_json(const struct vrrpd *d)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "subscribed", json_object_new_boolean(d->checker != NULL));
	json_object_object_add(o, "connected", json_object_new_boolean(d->checker_up));
	json_object_object_add(o, "snapshot_seen", json_object_new_boolean(d->checker_seen));
	json_object_object_add(o, "messages", json_object_new_int64((int64_t)d->checker_msgs));
	json_object_object_add(o, "malformed", json_object_new_int64((int64_t)d->checker_bad));
	json_object_object_add(o, "rejected", json_object_new_int64(
		d->checker ? (int64_t)ctl_sub_rejected(d->checker) : 0));
	return o;
}
