/* halo-vrrpd's control socket: status as JSON, a subscription (snapshot then
 * one line per instance change) and reload. Reads state, decides nothing. */
#include <string.h>

#include "vrrpd.h"

static struct json_object *drops_json(const uint64_t *drops)
{
	struct json_object *o = json_object_new_object();

	for (int r = 1; r < VRRP_DROP_MAX; r++)
		json_object_object_add(o, vrrp_drop_name(r), json_object_new_int64((int64_t)drops[r]));
	return o;
}

static struct json_object *split_json(const struct vrrp_inst *vi)
{
	struct json_object *o = json_object_new_object();
	char buf[HALO_ADDRSTRLEN];
	uint64_t total = 0;

	for (int k = 0; k < VRRP_SPLIT_MAX; k++) {
		json_object_object_add(o, vrrpd_split_name(k), json_object_new_int64((int64_t)vi->cnt.split[k]));
		total += vi->cnt.split[k];
	}
	json_object_object_add(o, "events", json_object_new_int64((int64_t)total));
	json_object_object_add(o, "last_peer", json_object_new_string(
		vi->split_peer.family ? halo_addr_str(&vi->split_peer, buf) : ""));
	return o;
}

struct json_object *vrrpd_inst_json(const struct vrrp_inst *vi)
{
	struct json_object *o = json_object_new_object();
	const struct vrrp_counters *c = &vi->cnt;
	struct json_object *vips = json_object_new_array();
	char buf[HALO_ADDRSTRLEN];

	for (size_t i = 0; i < vi->n_vips; i++)
		json_object_array_add(vips, json_object_new_string(halo_addr_str(&vi->vips[i], buf)));
	json_object_object_add(o, "name", json_object_new_string(vi->cfg->name));
	json_object_object_add(o, "state", json_object_new_string(vrrp_state_name(vi->fsm.state)));
	json_object_object_add(o, "interface", json_object_new_string(vi->cfg->interface));
	json_object_object_add(o, "family", json_object_new_string(vi->cfg->family == AF_INET ? "ipv4" : "ipv6"));
	json_object_object_add(o, "vrid", json_object_new_int(vi->cfg->vrid));
	json_object_object_add(o, "version", json_object_new_int(vi->cfg->version));
	json_object_object_add(o, "priority", json_object_new_int(vi->fsm.priority));
	json_object_object_add(o, "base_priority", json_object_new_int(vi->cfg->priority));
	json_object_object_add(o, "advert_interval_ms", json_object_new_int64((int64_t)vi->cfg->advert_interval));
	json_object_object_add(o, "master_adver_interval_ms", json_object_new_int(vi->fsm.master_adver_int_cs * 10));
	json_object_object_add(o, "master_address", json_object_new_string(
		vi->fsm.state == VRRP_STATE_MASTER ? "self" :
		vi->fsm.master_addr.family ? halo_addr_str(&vi->fsm.master_addr, buf) : ""));
	json_object_object_add(o, "master_priority", json_object_new_int(vi->fsm.master_priority));
	json_object_object_add(o, "virtual_addresses", vips);
	json_object_object_add(o, "vips_installed", json_object_new_boolean(vi->vips_installed));
	json_object_object_add(o, "warm_window", json_object_new_boolean(vi->fsm.warm_deadline != 0));
	json_object_object_add(o, "adverts_sent", json_object_new_int64((int64_t)c->adverts_sent));
	json_object_object_add(o, "adverts_received", json_object_new_int64((int64_t)c->adverts_rcvd));
	json_object_object_add(o, "send_errors", json_object_new_int64((int64_t)c->send_errors));
	json_object_object_add(o, "transitions", json_object_new_int64((int64_t)c->transitions));
	json_object_object_add(o, "became_master", json_object_new_int64((int64_t)c->became_master));
	json_object_object_add(o, "address_mismatches", json_object_new_int64((int64_t)c->addr_mismatch));
	json_object_object_add(o, "immediate_adverts_sent",
	                       json_object_new_int64((int64_t)vi->fsm.immediate_sent));
	json_object_object_add(o, "immediate_adverts_suppressed",
	                       json_object_new_int64((int64_t)vi->fsm.immediate_suppressed));
	json_object_object_add(o, "drops", drops_json(c->drops));
	json_object_object_add(o, "effective_priority_delta", json_object_new_int(vi->prio.delta));
	json_object_object_add(o, "priority_changes", json_object_new_int64((int64_t)c->priority_changes));
	json_object_object_add(o, "fault_link", json_object_new_boolean(vi->link_fault));
	json_object_object_add(o, "fault_track", json_object_new_boolean(vi->prio.fault));
	json_object_object_add(o, "fault_no_peer", json_object_new_boolean(vi->nopeer_fault));
	json_object_object_add(o, "tracking", vrrpd_track_json(vi));
	json_object_object_add(o, "sync_group", vi->group ? json_object_new_string(vi->group->cfg->name) : NULL);
	json_object_object_add(o, "split_brain", split_json(vi));
	return o;
}

static struct json_object *groups_json(struct vrrpd *d)
{
	struct json_object *a = json_object_new_array();

	for (struct vrrp_group *g = d->groups; g; g = g->next) {
		struct json_object *o = json_object_new_object(), *m = json_object_new_array();
		for (size_t i = 0; i < g->n; i++)
			json_object_array_add(m, json_object_new_string(g->members[i]->cfg->name));
		json_object_object_add(o, "name", json_object_new_string(g->cfg->name));
		json_object_object_add(o, "state", json_object_new_string(vrrp_state_name(g->state)));
		json_object_object_add(o, "instances", m);
		json_object_array_add(a, o);
	}
	return a;
}

static struct json_object *status_json(struct vrrpd *d, const char *type)
{
	struct json_object *o = json_object_new_object();
	struct json_object *insts = json_object_new_array();
	struct json_object *ifs = json_object_new_array();

	json_object_object_add(o, "v", json_object_new_int(CTL_PROTO_VERSION));
	json_object_object_add(o, "type", json_object_new_string(type));
	json_object_object_add(o, "daemon", json_object_new_string("halo-vrrpd"));
	json_object_object_add(o, "ok", json_object_new_boolean(1));
	for (struct vrrp_inst *vi = d->insts; vi; vi = vi->next)
		json_object_array_add(insts, vrrpd_inst_json(vi));
	for (struct vrrp_iface *ifp = d->ifaces; ifp; ifp = ifp->next) {
		struct json_object *i = json_object_new_object();
		json_object_object_add(i, "name", json_object_new_string(ifp->name));
		json_object_object_add(i, "family", json_object_new_string(ifp->family == AF_INET ? "ipv4" : "ipv6"));
		json_object_object_add(i, "up", json_object_new_boolean(ifp->up));
		json_object_object_add(i, "drops", drops_json(ifp->drops));
		json_object_array_add(ifs, i);
	}
	json_object_object_add(o, "instances", insts);
	json_object_object_add(o, "interfaces", ifs);
	json_object_object_add(o, "reloads", json_object_new_int64((int64_t)d->reloads));
	json_object_object_add(o, "netlink_resyncs", json_object_new_int64((int64_t)vrrpd_nl_resyncs(d->nl)));
	json_object_object_add(o, "sync_groups", groups_json(d));
	json_object_object_add(o, "track_scripts", vrrpd_track_scripts_json(d));
	json_object_object_add(o, "checker", vrrpd_vs_json(d));
	json_object_object_add(o, "reload_failures", json_object_new_int64((int64_t)d->reload_failures));
	return o;
}

/* haloctl failover INSTANCE: a voluntary handover. The FSM's RESIGN sends a
 * priority-0 advert, removes the VIPs and holds off preempting back for one
 * Master_Down_Interval, so a backup takes over after Skew_Time. */
static void ctl_failover(struct ctl_client *c, struct vrrpd *d, struct json_object *req)
{
	struct json_object *name, *o;
	struct vrrp_event ev = { .type = VRRP_EV_RESIGN };
	struct vrrp_inst *vi;

	json_object_object_get_ex(req, "name", &name);   /* the catalogue checked it */
	for (vi = d->insts; vi; vi = vi->next)
		if (strcmp(vi->cfg->name, json_object_get_string(name)) == 0)
			break;
	if (!vi) {
		ctl_reply_error(c, "no such instance");
		return;
	}
	if (vi->fsm.state != VRRP_STATE_MASTER) {
		ctl_reply_error(c, "instance is not MASTER here");
		return;
	}
	log_notice("(%s) voluntary failover requested reason=resign", vi->cfg->name);
	vrrpd_inst_input(vi, &ev);
	o = json_object_new_object();
	json_object_object_add(o, "v", json_object_new_int(CTL_PROTO_VERSION));
	json_object_object_add(o, "ok", json_object_new_boolean(1));
	json_object_object_add(o, "state", json_object_new_string(vrrp_state_name(vi->fsm.state)));
	ctl_reply(c, o);
	json_object_put(o);
}

static void ctl_request(struct ctl_client *c, const char *cmd, struct json_object *req, void *arg)
{
	struct vrrpd *d = arg;
	struct json_object *o;

	if (strcmp(cmd, "status") == 0 || strcmp(cmd, "subscribe") == 0) {
		o = status_json(d, strcmp(cmd, "status") == 0 ? "status" : "snapshot");
		if (strcmp(cmd, "subscribe") == 0)
			ctl_subscribe(c);
		ctl_reply(c, o);
		json_object_put(o);
	} else if (strcmp(cmd, "reload") == 0) {
		int rc = vrrpd_reload(d);
		o = json_object_new_object();
		json_object_object_add(o, "v", json_object_new_int(CTL_PROTO_VERSION));
		json_object_object_add(o, "ok", json_object_new_boolean(rc == 0));
		if (rc < 0)
			json_object_object_add(o, "error", json_object_new_string("configuration rejected; see the log"));
		ctl_reply(c, o);
		json_object_put(o);
	} else if (strcmp(cmd, "failover") == 0) {
		ctl_failover(c, d, req);
	} else {
		ctl_reply_error(c, "unknown command");
	}
}

int vrrpd_ctl_open(struct vrrpd *d)
{
	d->ctl = ctl_server_open(d->loop, d->run_dir, "halo-vrrpd", ctl_request, d);
	return d->ctl ? 0 : -1;
}

void vrrpd_ctl_publish(struct vrrp_inst *vi)
{
	struct json_object *o;

	if (!vi->d->ctl)
		return;
	o = json_object_new_object();
	json_object_object_add(o, "v", json_object_new_int(CTL_PROTO_VERSION));
	json_object_object_add(o, "type", json_object_new_string("instance"));
	json_object_object_add(o, "instance", vrrpd_inst_json(vi));
	ctl_publish(vi->d->ctl, o);
	json_object_put(o);
}
