/* Sync groups at run time: collects member states, lets vrrp_sync_decide
 * choose, feeds the commands to the members' FSMs and runs the group's
 * notify scripts. No decisions here. */
#include <string.h>

#include "vrrpd.h"

#define GROUP_MAX 64

static struct vrrp_inst *inst_named(struct vrrpd *d, const char *name)
{
	for (struct vrrp_inst *vi = d->insts; vi; vi = vi->next)
		if (strcmp(vi->cfg->name, name) == 0)
			return vi;
	return NULL;
}

void vrrpd_group_free_all(struct vrrpd *d)
{
	while (d->groups) {
		struct vrrp_group *g = d->groups;
		d->groups = g->next;
		for (size_t i = 0; i < g->n; i++)
			g->members[i]->group = NULL;
		vrrpd_notify_flush(&g->notify);
		free(g->members);
		free(g);
	}
}

/* Rebuilt on every reload; the group state is recomputed from its members. */
void vrrpd_group_build(struct vrrpd *d)
{
	const struct cfg_vrrp *v = &d->cfg->vrrp;

	vrrpd_group_free_all(d);
	for (size_t i = 0; i < v->n_sync_groups; i++) {
		const struct cfg_sync_group *c = &v->sync_groups[i];
		struct vrrp_group *g = calloc(1, sizeof(*g));

		if (!g || !(g->members = calloc(c->n_instances, sizeof(*g->members))))
			fatal("calloc");
		g->cfg = c;
		g->notify.d = d;
		snprintf(g->notify.name, sizeof(g->notify.name), "%s", c->name);
		for (size_t k = 0; k < c->n_instances && g->n < GROUP_MAX; k++) {
			struct vrrp_inst *vi = inst_named(d, c->instances[k]);
			if (vi) {
				vi->group = g;
				g->members[g->n++] = vi;
			}
		}
		g->state = VRRP_STATE_INIT;
		g->next = d->groups;
		d->groups = g;
	}
}

static void group_collect(const struct vrrp_group *g, struct vrrp_sync_member *m)
{
	for (size_t i = 0; i < g->n; i++) {
		m[i].state = g->members[i]->fsm.state;
		m[i].own_fault = vrrpd_inst_own_fault(g->members[i]);
		m[i].wants_master = vrrp_sync_wants_master(&g->members[i]->fsm);
	}
}

/* Set before a member's TIMER event: may its timers take it to Master? */
bool vrrpd_group_may_master(const struct vrrp_group *g, const struct vrrp_inst *who)
{
	struct vrrp_sync_member m[GROUP_MAX];
	size_t w;

	for (w = 0; w < g->n && g->members[w] != who; w++)
		;
	group_collect(g, m);
	return vrrp_sync_may_master(m, g->n, w);
}

static void group_apply(struct vrrp_group *g, const enum vrrp_sync_cmd *cmd)
{
	static const enum vrrp_event_type evs[] = {
		[VRRP_SYNC_FAULT] = VRRP_EV_FAULT, [VRRP_SYNC_FAULT_CLEAR] = VRRP_EV_FAULT_CLEAR,
		[VRRP_SYNC_TAKEOVER] = VRRP_EV_TAKEOVER, [VRRP_SYNC_RESIGN] = VRRP_EV_RESIGN,
	};

	for (size_t i = 0; i < g->n; i++) {
		struct vrrp_event ev = { .type = evs[cmd[i]] };
		if (cmd[i] == VRRP_SYNC_NONE)
			continue;
		log_info("(%s) following sync group %s: %s", g->members[i]->cfg->name, g->cfg->name,
		         cmd[i] == VRRP_SYNC_FAULT ? "fault" : cmd[i] == VRRP_SYNC_FAULT_CLEAR ? "fault cleared" :
		         cmd[i] == VRRP_SYNC_TAKEOVER ? "master" : "backup");
		vrrpd_inst_input(g->members[i], &ev);
	}
}

static void group_announce(struct vrrp_group *g, const struct vrrp_sync_member *m)
{
	enum vrrp_state st = vrrp_sync_state(m, g->n);

	if (st == VRRP_STATE_INIT || st == g->state)
		return;
	log_notice("(%s) Sync group entering %s STATE group=%s from=%s", g->cfg->name, vrrp_state_name(st),
	           g->cfg->name, vrrp_state_name(g->state));
	g->state = st;
	vrrpd_notify_run(&g->notify, &g->cfg->notify, "GROUP", st, -1);
}

/* Called after a member's transition or fault change has been carried out;
 * re-entrant calls (from the members it moves) are folded into a loop. */
void vrrpd_group_eval(struct vrrp_group *g, struct vrrp_inst *who)
{
	struct vrrp_sync_member m[GROUP_MAX];
	enum vrrp_sync_cmd cmd[GROUP_MAX];
	size_t w;

	if (g->busy) {
		g->again = true;
		g->who = who;
		return;
	}
	g->busy = true;
	for (int round = 0; round < 4; round++) {
		g->again = false;
		for (w = 0; w < g->n && g->members[w] != who; w++)
			;
		group_collect(g, m);
		vrrp_sync_decide(m, g->n, w, cmd);
		group_apply(g, cmd);
		if (!g->again)
			break;
		who = g->who;
	}
	group_collect(g, m);
	group_announce(g, m);
	g->busy = false;
}
