/* A running VRRP instance: feeds events to the pure FSM and carries out its
 * actions (adverts, VIPs, gratuitous ARP, notify, log). No decisions here. */
#include <string.h>

#include "vrrpd.h"

static void inst_timer_cb(void *arg);
static void inst_start_cb(void *arg);

static void inst_params(const struct vrrp_inst *vi, struct vrrp_fsm_params *p)
{
	const struct cfg_vrrp_instance *c = vi->cfg;

	memset(p, 0, sizeof(*p));
	p->version = c->version;
	p->priority = c->priority;
	p->adver_int_cs = (uint16_t)(c->advert_interval / 10);
	p->preempt = c->preempt;
	p->preempt_delay_us = c->preempt_delay * 1000;
	p->accept = c->accept;
	p->primary = vrrpd_inst_source(vi);
	p->no_preempt_until_us = c->startup_hold ? vi->started_us + c->startup_hold * 1000 : 0;
}

/* Our source address: unicast_source if set; for IPv6 unicast to global
 * peers a global address of the interface (a link-local source would not
 * be routable to them); else the primary / link-local address. */
struct halo_addr vrrpd_inst_source(const struct vrrp_inst *vi)
{
	const struct cfg_vrrp_instance *c = vi->cfg;

	if (c->has_unicast_source)
		return c->unicast_source;
	if (c->family == AF_INET6 && c->n_unicast_peers && !halo_addr_is_linklocal6(&c->unicast_peers[0]) &&
	    vi->ifp->global6.family)
		return vi->ifp->global6;
	return vi->ifp->primary;
}

static void inst_index(struct vrrp_inst *vi, bool add)
{
	struct vrrp_iface *ifp = vi->ifp;
	struct vrrp_inst **pp;

	if (add) {
		ifp->by_vrid[vi->cfg->vrid] = vi;
		vi->next_on_if = ifp->insts;
		ifp->insts = vi;
		return;
	}
	if (ifp->by_vrid[vi->cfg->vrid] == vi)
		ifp->by_vrid[vi->cfg->vrid] = NULL;
	for (pp = &ifp->insts; *pp; pp = &(*pp)->next_on_if)
		if (*pp == vi) {
			*pp = vi->next_on_if;
			break;
		}
}

static void inst_copy_vips(struct vrrp_inst *vi)
{
	vi->n_vips = 0;
	for (size_t i = 0; i < vi->cfg->n_vaddrs && i < VRRP_MAX_ADDRS; i++)
		vi->vips[vi->n_vips++] = vi->cfg->vaddrs[i].addr;
	vi->peer_pseudo = vi->cfg->v3_checksum != CFG_V3_CKSUM_RFC9568;
}

struct vrrp_inst *vrrpd_inst_new(struct vrrpd *d, const struct cfg_vrrp_instance *cfg)
{
	struct vrrp_inst *vi = calloc(1, sizeof(*vi));

	if (!vi)
		fatal("calloc");
	vi->d = d;
	vi->cfg = cfg;
	vi->ifp = vrrpd_iface_get(d, cfg->interface, cfg->family);
	vi->rl = (struct log_ratelimit)LOG_RATELIMIT_INIT(10000000, 5);
	vi->notify.d = d;
	vi->vmac_fd = -1;
	inst_copy_vips(vi);
	inst_index(vi, true);
	ev_timer_init(&vi->timer, inst_timer_cb, vi);
	ev_timer_init(&vi->start_timer, inst_start_cb, vi);
	vrrpd_track_build(vi);
	return vi;
}

static int vaddr_ifindex(struct vrrp_inst *vi, const struct cfg_vaddr *va)
{
	int ifindex = 0;
	bool up;
	uint8_t mac[6];

	if (!va->dev)
		return vi->vmac_ifindex ? vi->vmac_ifindex : vi->ifp->ifindex;
	if (vrrpd_nl_link(vi->d->nl, va->dev, &ifindex, &up, mac) < 0)
		return 0;
	return ifindex;
}

/* Start-up: removes VIPs a crash left behind; the cache tells which are
 * there, so 1,000 instances do not cost 1,000 kernel round trips. */
static void inst_vips_stale(struct vrrp_inst *vi)
{
	for (size_t i = 0; i < vi->cfg->n_vaddrs; i++) {
		const struct cfg_vaddr *va = &vi->cfg->vaddrs[i];
		int ifindex = vaddr_ifindex(vi, va);

		if (ifindex && vrrpd_nl_addr_present(vi->d->nl, ifindex, &va->addr))
			vrrpd_nl_addr_del(vi->d->nl, ifindex, va);
	}
	vi->vips_installed = false;
}

static void inst_vips(struct vrrp_inst *vi, bool add)
{
	char buf[HALO_ADDRSTRLEN];

	for (size_t i = 0; i < vi->cfg->n_vaddrs; i++) {
		const struct cfg_vaddr *va = &vi->cfg->vaddrs[i];
		int ifindex = vaddr_ifindex(vi, va);
		int rc;
		if (!ifindex) {
			if (add)
				log_warnx("(%s) cannot add %s: device %s not found", vi->cfg->name,
				          halo_addr_str(&va->addr, buf), va->dev ? va->dev : vi->cfg->interface);
			continue;
		}
		rc = add ? vrrpd_nl_addr_add(vi->d->nl, ifindex, va) : vrrpd_nl_addr_del(vi->d->nl, ifindex, va);
		if (rc < 0)
			log_warnx("(%s) %s %s/%u failed", vi->cfg->name, add ? "adding" : "removing",
			          halo_addr_str(&va->addr, buf), va->prefixlen);
	}
	vi->vips_installed = add;
}

static void inst_log_state(struct vrrp_inst *vi, const struct vrrp_action *a)
{
	char buf[HALO_ADDRSTRLEN];

	log_notice("(%s) Entering %s STATE instance=%s vrid=%u interface=%s priority=%u from=%s reason=%s master=%s",
	           vi->cfg->name, vrrp_state_name(a->to), vi->cfg->name, vi->cfg->vrid, vi->cfg->interface,
	           vi->fsm.priority, vrrp_state_name(a->from), vrrp_reason_name(a->reason),
	           a->to == VRRP_STATE_MASTER ? "self" :
	           vi->fsm.master_addr.family ? halo_addr_str(&vi->fsm.master_addr, buf) : "unknown");
}

static void inst_do(struct vrrp_inst *vi, const struct vrrp_action *a)
{
	switch (a->type) {
	case VRRP_ACT_STATE:
		vi->split_logged = 0;      /* a new episode */
		vi->cnt.transitions++;
		if (a->to == VRRP_STATE_MASTER)
			vi->cnt.became_master++;
		inst_log_state(vi, a);
		if (a->to != VRRP_STATE_MASTER)
			vrrpd_garp_stop(vi);
		vrrpd_notify(vi, a->to);
		vrrpd_ctl_publish(vi);
		vrrpd_state_dirty(vi->d);
		break;
	case VRRP_ACT_SEND_ADVERT:
		if (vrrpd_net_send_advert(vi, a->priority) < 0)
			vi->cnt.send_errors++;
		else
			vi->cnt.adverts_sent++;
		break;
	case VRRP_ACT_ADD_VIPS:
		vrrpd_vmac_up(vi, true);
		inst_vips(vi, true);
		break;
	case VRRP_ACT_DEL_VIPS:
		inst_vips(vi, false);
		vrrpd_vmac_up(vi, false);
		break;
	case VRRP_ACT_SEND_GARP:
		vrrpd_garp_start(vi);
		break;
	}
}

static void inst_rearm(struct vrrp_inst *vi)
{
	uint64_t next = vrrp_fsm_next_deadline(&vi->fsm);

	if (next)
		ev_timer_arm(vi->d->loop, &vi->timer, next);
	else
		ev_timer_cancel(vi->d->loop, &vi->timer);
}

/* Packets first, bookkeeping after: the state change's log line, notify and
 * subscriber event must not delay the advert and gratuitous ARPs that the
 * failover time is measured by. Within each pass the FSM's order holds. */
static void inst_do_all(struct vrrp_inst *vi, const struct vrrp_actions *acts)
{
	for (size_t i = 0; i < acts->n; i++)
		if (acts->a[i].type != VRRP_ACT_STATE)
			inst_do(vi, &acts->a[i]);
	for (size_t i = 0; i < acts->n; i++)
		if (acts->a[i].type == VRRP_ACT_STATE)
			inst_do(vi, &acts->a[i]);
}

void vrrpd_inst_input(struct vrrp_inst *vi, const struct vrrp_event *ev)
{
	struct vrrp_actions acts = { .n = 0 };
	bool moved = false;

	vrrp_fsm_input(&vi->fsm, ev, ev_now_us(), &acts);
	inst_do_all(vi, &acts);
	inst_rearm(vi);
	for (size_t i = 0; i < acts.n; i++)
		moved |= acts.a[i].type == VRRP_ACT_STATE;
	/* the group follows once this member's actions are all carried out */
	if (moved && vi->group)
		vrrpd_group_eval(vi->group, vi);
}

bool vrrpd_inst_own_fault(const struct vrrp_inst *vi)
{
	return vi->link_fault || vi->prio.fault || vi->nopeer_fault;
}

/* INIT is left alone: the start (after startup_delay) looks at the faults. */
void vrrpd_inst_fault_eval(struct vrrp_inst *vi)
{
	bool f;

	if (vi->fsm.state == VRRP_STATE_INIT)
		return;
	if (vi->group) {
		vrrpd_group_eval(vi->group, vi);
		return;
	}
	f = vrrpd_inst_own_fault(vi);
	if (f != vi->fsm.faulted) {
		struct vrrp_event ev = { .type = f ? VRRP_EV_FAULT : VRRP_EV_FAULT_CLEAR };
		vrrpd_inst_input(vi, &ev);
	}
}

static void inst_timer_cb(void *arg)
{
	struct vrrp_inst *vi = arg;
	struct vrrp_event ev = { .type = VRRP_EV_TIMER };

	vi->fsm.sync_blocked = vi->group && !vrrpd_group_may_master(vi->group, vi);
	vrrpd_inst_input(vi, &ev);
}

/* Leaves INIT: Backup (or Master for an owner), or FAULT. A warm start
 * opens the FSM's window first, so a fault then removes the leftover VIPs. */
static void inst_begin(struct vrrp_inst *vi, bool warm)
{
	struct vrrp_event start = { .type = warm ? VRRP_EV_WARM_START : VRRP_EV_STARTUP };
	struct vrrp_event fault = { .type = VRRP_EV_FAULT };

	vi->link_fault = !vi->ifp->up;
	if (warm || !vrrpd_inst_own_fault(vi))
		vrrpd_inst_input(vi, &start);
	if (vrrpd_inst_own_fault(vi))
		vrrpd_inst_input(vi, &fault);
	if (vi->group)
		vrrpd_group_eval(vi->group, vi);
}

static void inst_start_cb(void *arg)
{
	struct vrrp_inst *vi = arg;

	log_info("(%s) startup_delay over; starting", vi->cfg->name);
	inst_begin(vi, false);
}

/* Warm or cold (vrrp_start_decide), from the previous run's state file and
 * the VIPs on their devices now; logged when there was a record. */
static bool inst_warm(struct vrrp_inst *vi)
{
	const struct cfg_vrrp_instance *c = vi->cfg;
	struct vrrp_start_in in = { .n_vips = c->n_vaddrs, .startup_delay = c->startup_delay != 0,
	                            .use_vmac = c->use_vmac };
	enum vrrp_start_kind k;

	in.recorded = vi->d->prev_states && vrrp_warm_lookup(vi->d->prev_states, c->name, &in.prev);
	for (size_t i = 0; in.recorded && i < c->n_vaddrs; i++) {
		int ifindex = vaddr_ifindex(vi, &c->vaddrs[i]);

		if (ifindex && vrrpd_nl_addr_present(vi->d->nl, ifindex, &c->vaddrs[i].addr))
			in.n_present++;
	}
	k = vrrp_start_decide(&in);
	if (in.recorded && in.prev == VRRP_STATE_MASTER)
		log_notice("(%s) %s start: previous run was MASTER instance=%s start=%s vips_present=%zu/%zu%s",
		           c->name, k == VRRP_START_WARM ? "warm" : "cold", c->name, vrrp_start_name(k),
		           in.n_present, in.n_vips, k == VRRP_START_WARM ?
		           " action=keep_vips_listen_one_advert_interval" : " action=remove_vips");
	return k == VRRP_START_WARM;
}

void vrrpd_inst_start(struct vrrp_inst *vi)
{
	struct vrrp_fsm_params p;
	bool warm = inst_warm(vi);

	/* a crash may have left our VIPs behind: unless warm, we are not Master yet */
	if (!warm)
		inst_vips_stale(vi);
	vi->vips_installed = warm;
	if (vi->cfg->use_vmac && !vi->vmac_ifindex)
		vrrpd_vmac_create(vi);
	vi->started_us = ev_now_us();
	inst_params(vi, &p);
	vrrp_fsm_init(&vi->fsm, &p);
	vrrp_track_priority(vi->cfg->priority, NULL, 0, &vi->prio);
	vrrpd_track_apply(vi);     /* trackers known now set the first priority */
	if (vi->cfg->startup_delay) {
		ev_timer_arm(vi->d->loop, &vi->start_timer, vi->started_us + vi->cfg->startup_delay * 1000);
		return;
	}
	inst_begin(vi, warm);
}

void vrrpd_inst_stop(struct vrrp_inst *vi)
{
	struct vrrp_event ev = { .type = VRRP_EV_SHUTDOWN };

	vrrpd_inst_input(vi, &ev);
	if (vi->vips_installed)
		inst_vips(vi, false);
	vrrpd_garp_stop(vi);
	ev_timer_cancel(vi->d->loop, &vi->timer);
	ev_timer_cancel(vi->d->loop, &vi->start_timer);
}

void vrrpd_inst_free(struct vrrp_inst *vi)
{
	ev_timer_cancel(vi->d->loop, &vi->timer);
	ev_timer_cancel(vi->d->loop, &vi->start_timer);
	vrrpd_garp_stop(vi);
	vrrpd_notify_flush(&vi->notify);
	vrrpd_track_free(vi);
	vrrpd_vmac_delete(vi);
	inst_index(vi, false);
	free(vi);
}

/* Reload of a changed instance on the same interface, VRID and family. */
void vrrpd_inst_update(struct vrrp_inst *vi, const struct cfg_vrrp_instance *cfg)
{
	struct vrrp_fsm_params p;
	struct vrrp_actions acts = { .n = 0 };
	bool vips_changed = vi->vips_installed;

	if (vips_changed)
		inst_vips(vi, false);
	vi->cfg = cfg;
	inst_copy_vips(vi);
	if (vips_changed)
		inst_vips(vi, true);
	inst_params(vi, &p);
	vrrp_fsm_update(&vi->fsm, &p, ev_now_us(), &acts);
	inst_do_all(vi, &acts);
	inst_rearm(vi);
	/* vrrp_fsm_update put the base priority back: re-apply the trackers */
	vrrpd_track_build(vi);
	vrrpd_track_apply(vi);
}

void vrrpd_inst_link(struct vrrp_inst *vi, bool up)
{
	struct vrrp_fsm_params p;

	if (vi->link_fault == !up)
		return;
	vi->link_fault = !up;
	log_info("(%s) interface %s is %s", vi->cfg->name, vi->ifp->name, up ? "up" : "down");
	if (up) {
		inst_params(vi, &p);     /* the primary address may have changed */
		vi->fsm.p.primary = p.primary;
	}
	vrrpd_inst_fault_eval(vi);
}

struct vrrp_inst *vrrpd_inst_find(struct vrrpd *d, const struct vrrp_iface *ifp, uint8_t vrid)
{
	(void)d;
	return ifp->by_vrid[vrid];
}

static void inst_drop(struct vrrp_inst *vi, enum vrrp_drop why, const char *err, const struct vrrp_meta *m)
{
	char buf[HALO_ADDRSTRLEN];
	unsigned sup;

	vi->cnt.drops[why]++;
	if (log_ratelimit_ok(&vi->rl, ev_now_us(), &sup))
		log_warnx("(%s) dropped advert from %s: %s reason=%s suppressed=%u", vi->cfg->name,
		          halo_addr_str(&m->src, buf), err ? err : "", vrrp_drop_name(why), sup);
}

static void iface_drop(struct vrrp_iface *ifp, enum vrrp_drop why, const char *err, const struct vrrp_meta *m)
{
	char buf[HALO_ADDRSTRLEN];
	unsigned sup;

	ifp->drops[why]++;
	if (why != VRRP_DROP_VRID && log_ratelimit_ok(&ifp->d->rl, ev_now_us(), &sup))
		log_warnx("%s: dropped VRRP packet from %s: %s reason=%s suppressed=%u", ifp->name,
		          m->src.family ? halo_addr_str(&m->src, buf) : "?", err ? err : "",
		          vrrp_drop_name(why), sup);
}

const char *vrrpd_split_name(enum vrrp_split k)
{
	static const char *const names[] = { "other_master", "addr_mismatch", "interval_mismatch",
	                                     "duplicate_owner" };

	return k < VRRP_SPLIT_MAX ? names[k] : "unknown";
}

/* Counted every time, logged once per episode (until the next transition). */
static void inst_split(struct vrrp_inst *vi, enum vrrp_split k, const struct vrrp_advert *adv,
                       const struct halo_addr *src)
{
	char b[HALO_ADDRSTRLEN];
	const char *rel = adv->priority > vi->fsm.priority ? "higher" :
	                  adv->priority < vi->fsm.priority ? "lower" : "equal";

	vi->cnt.split[k]++;
	vi->split_peer = *src;
	if (vi->split_logged & (1u << k))
		return;
	vi->split_logged |= 1u << k;
	log_warnx("(%s) split brain suspected: %s instance=%s vrid=%u interface=%s state=%s priority=%u "
	          "peer=%s peer_priority=%u relation=%s peer_interval_ms=%u interval_ms=%llu",
	          vi->cfg->name, vrrpd_split_name(k), vi->cfg->name, vi->cfg->vrid, vi->cfg->interface,
	          vrrp_state_name(vi->fsm.state), vi->fsm.priority, halo_addr_str(src, b), adv->priority,
	          rel, adv->adver_int_cs * 10u, (unsigned long long)vi->cfg->advert_interval);
	vrrpd_ctl_publish(vi);
}

/* RFC 5798 7.1 / RFC 3768 7.1: a different address list SHOULD be logged;
 * the rest are signs that two routers both act as Master. */
static void inst_split_check(struct vrrp_inst *vi, const struct vrrp_advert *adv,
                             const struct halo_addr *src)
{
	if (!vrrp_pkt_addrs_match(adv, vi->vips, vi->n_vips)) {
		vi->cnt.addr_mismatch++;
		inst_split(vi, VRRP_SPLIT_ADDR_MISMATCH, adv, src);
	}
	if (adv->version == 3 && adv->adver_int_cs != vi->cfg->advert_interval / 10)
		inst_split(vi, VRRP_SPLIT_INTERVAL_MISMATCH, adv, src);
	if (adv->priority == 255 && vi->cfg->priority == 255)
		inst_split(vi, VRRP_SPLIT_DUPLICATE_OWNER, adv, src);
	else if (vi->fsm.state == VRRP_STATE_MASTER && adv->priority != 0)
		inst_split(vi, VRRP_SPLIT_OTHER_MASTER, adv, src);
}

static struct vrrp_replay *inst_replay_window(struct vrrp_inst *vi, const struct halo_addr *src)
{
	size_t n = sizeof(vi->replay) / sizeof(vi->replay[0]), i;

	for (i = 0; i < n; i++)
		if (vi->replay[i].src.family && halo_addr_eq(&vi->replay[i].src, src))
			return &vi->replay[i].w;
	i = vi->replay_next++ % n;
	memset(&vi->replay[i], 0, sizeof(vi->replay[i]));
	vi->replay[i].src = *src;
	return &vi->replay[i].w;
}

/* authentication hmac: a valid tag from a configured key and a sequence
 * not seen before; without hmac, a trailer is refused too. */
static const char *inst_auth_check(struct vrrp_inst *vi, const uint8_t *trailer, const uint8_t *msg,
                                   size_t msg_len, const struct vrrp_meta *m)
{
	const struct cfg_vrrp_instance *c = vi->cfg;
	const struct cfg_hmac_key *key = NULL;

	if (c->auth_type != CFG_AUTH_HMAC)
		return msg ? "HMAC trailer on an instance without authentication hmac" : NULL;
	if (!msg)
		return "no HMAC trailer";
	for (size_t i = 0; i < c->n_hmac_keys && !key; i++)
		if (c->hmac_keys[i].id == vrrp_auth_key_id(trailer))
			key = &c->hmac_keys[i];
	if (!key)
		return "unknown HMAC key id";
	if (!vrrp_auth_verify(trailer, (const uint8_t *)key->secret, strlen(key->secret), &m->src, &m->dst,
	                      msg, msg_len))
		return "HMAC mismatch";
	if (!vrrp_replay_check(inst_replay_window(vi, &m->src), vrrp_auth_seq(trailer)))
		return "replayed or too old (HMAC sequence)";
	return NULL;
}

void vrrpd_inst_rx(struct vrrp_iface *ifp, uint8_t *buf, size_t len, struct vrrp_meta *meta)
{
	static struct vrrp_advert adv;
	uint8_t trailer[VRRP_AUTH_TRAILER];
	const uint8_t *amsg;
	size_t amsg_len;
	const char *err = NULL;
	struct vrrp_inst *vi;
	enum vrrp_drop why;
	struct halo_addr own[2];
	size_t n_own = 0;

	len = vrrp_auth_strip(buf, len, ifp->family, trailer, &amsg, &amsg_len);
	why = vrrp_pkt_parse(buf, len, meta, &adv, &err);
	if (why != VRRP_DROP_NONE) {
		iface_drop(ifp, why, err, meta);
		return;
	}
	vi = vrrpd_inst_find(ifp->d, ifp, adv.vrid);
	if (!vi) {
		iface_drop(ifp, VRRP_DROP_VRID, "no instance for this VRID", meta);
		return;
	}
	if (ifp->primary.family)
		own[n_own++] = ifp->primary;
	if (vi->cfg->has_unicast_source || ifp->global6.family)
		own[n_own++] = vrrpd_inst_source(vi);
	struct vrrp_rx_policy pol = {
		.version = vi->cfg->version, .family = vi->cfg->family, .v3_checksum = vi->cfg->v3_checksum,
		.auth_type = vi->cfg->auth_type, .auth_pass = vi->cfg->auth_pass,
		.adver_int_cs = (uint16_t)(vi->cfg->advert_interval / 10), .check_ttl = true,
		.peers = vi->cfg->unicast_peers, .n_peers = vi->cfg->n_unicast_peers,
		.peer_ttl = vi->cfg->unicast_peer_ttl, .any_source = !vi->cfg->check_unicast_source,
		.own = own, .n_own = n_own,
	};
	why = vrrp_pkt_accept(&adv, meta, &pol, &err);
	if (why == VRRP_DROP_NONE && (err = inst_auth_check(vi, trailer, amsg, amsg_len, meta)) != NULL)
		why = VRRP_DROP_AUTH;
	if (why != VRRP_DROP_NONE) {
		inst_drop(vi, why, err, meta);
		return;
	}
	vi->cnt.adverts_rcvd++;
	inst_split_check(vi, &adv, &meta->src);
	if (vi->cfg->version == 3 && vi->cfg->family == AF_INET && vi->cfg->v3_checksum == CFG_V3_CKSUM_AUTO)
		vi->peer_pseudo = adv.cksum.with_pseudo;   /* answer in the peer's style */
	struct vrrp_event ev = { .type = VRRP_EV_ADVERT, .adv_priority = adv.priority,
	                         .adv_interval_cs = adv.adver_int_cs, .adv_src = meta->src };
	vrrpd_inst_input(vi, &ev);
}
