/* Probe registry and schedule: one probe per unique (target, check), timers
 * on the event loop, results fanned out to every real server that uses the
 * probe, log lines and subscriber messages. Judgement stays in health.c. */
#include "check_probe.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "log.h"

static const struct probe_ops *probe_ops_for(enum cfg_check_kind k)
{
	switch (k) {
	case CFG_CHECK_HTTP:
	case CFG_CHECK_HTTPS:
		return &probe_http_ops;
	case CFG_CHECK_TCP:
	case CFG_CHECK_SMTP:
		return &probe_tcp_ops;
	case CFG_CHECK_SCRIPT:
		return &probe_script_ops;
	case CFG_CHECK_UDP:
	case CFG_CHECK_DNS:
		return &probe_udp_ops;
	case CFG_CHECK_PING:
		return &probe_ping_ops;
	default:
		return NULL;   /* none, or a kind not implemented: always up */
	}
}

static void ids_fill(struct rs_ref *ref)
{
	const struct cfg_virtual_server *vs = ref->vs;
	const char *proto = config_proto_name(vs->protocol);
	char a[HALO_ADDRSTRLEN];

	if (vs->is_fwmark)
		snprintf(ref->vs_id, sizeof(ref->vs_id), "fwmark:%" PRIu32, vs->fwmark);
	else
		snprintf(ref->vs_id, sizeof(ref->vs_id), "[%s]:%s:%u",
		         halo_addr_str(&vs->address, a), proto, vs->port);
	snprintf(ref->rs_id, sizeof(ref->rs_id), "[%s]:%s:%u",
	         halo_addr_str(&ref->rs->address, a), proto, ref->rs->port);
}

static void probe_target(const struct cfg_real_server *rs, struct halo_addr *addr, uint16_t *port)
{
	const struct cfg_check *c = &rs->check;

	*addr = c->has_connect_address ? c->connect_address : rs->address;
	*port = c->connect_port ? c->connect_port : rs->port;
}

static bool probe_matches(const struct probe *p, const struct cfg_real_server *rs)
{
	struct halo_addr a;
	uint16_t port;

	probe_target(rs, &a, &port);
	return port == p->port && halo_addr_eq(&a, &p->addr) &&
	       config_check_equal(p->check, &rs->check);
}

static void probe_timer_cb(void *arg);
static void probe_deadline_cb(void *arg);

static struct probe *probe_new(struct checker *ck, const struct cfg_real_server *rs)
{
	struct probe *p = calloc(1, sizeof(*p));
	const struct cfg_check *c = &rs->check;
	char a[HALO_ADDRSTRLEN], err[128];

	if (!p)
		return NULL;
	p->ck = ck;
	p->check = c;
	p->ops = probe_ops_for(c->kind);
	probe_target(rs, &p->addr, &p->port);
	snprintf(p->target, sizeof(p->target), "[%s]:%u", halo_addr_str(&p->addr, a), p->port);
	p->params = (struct health_params){ .retry = c->retry, .rise = c->rise, .alpha = c->alpha };
	health_init(&p->health, &p->params);
	p->cert_expires_s = INT64_MIN;
	ev_timer_init(&p->timer, probe_timer_cb, p);
	ev_timer_init(&p->deadline, probe_deadline_cb, p);
	if ((c->kind == CFG_CHECK_HTTP || c->kind == CFG_CHECK_HTTPS) &&
	    http_matcher_init(&p->matcher, &c->http, err, sizeof(err)) < 0) {
		log_warnx("check %s: body_regex: %s", p->target, err);   /* the loader validated it */
		p->ops = NULL;
	}
	return p;
}

static void wait_remove(struct checker *ck, struct probe *p)
{
	if (!p->waiting)
		return;
	if (p->wait_prev)
		p->wait_prev->wait_next = p->wait_next;
	else
		ck->wait_head = p->wait_next;
	if (p->wait_next)
		p->wait_next->wait_prev = p->wait_prev;
	else
		ck->wait_tail = p->wait_prev;
	p->wait_prev = p->wait_next = NULL;
	p->waiting = false;
}

static void wait_append(struct checker *ck, struct probe *p)
{
	p->waiting = true;
	p->wait_next = NULL;
	p->wait_prev = ck->wait_tail;
	if (ck->wait_tail)
		ck->wait_tail->wait_next = p;
	else
		ck->wait_head = p;
	ck->wait_tail = p;
	ck->queued_total++;
}

static void probe_cancel(struct probe *p)
{
	wait_remove(p->ck, p);
	if (p->running) {
		if (p->ops)
			p->ops->cancel(p);
		p->running = false;
		p->ck->inflight--;
	}
	ev_timer_cancel(p->ck->loop, &p->deadline);
}

static void probe_release(struct probe *p)
{
	if (p->kstate && p->ops && p->ops->release)
		p->ops->release(p);
}

static void probe_free(struct probe *p)
{
	probe_cancel(p);
	probe_release(p);
	ev_timer_cancel(p->ck->loop, &p->timer);
	if (p->check->kind == CFG_CHECK_HTTP || p->check->kind == CFG_CHECK_HTTPS)
		http_matcher_free(&p->matcher);
	free(p);
}

/* Same definition in the new config: keep state, point at the new strings. */
static void probe_rebind(struct probe *p, const struct cfg_real_server *rs)
{
	char err[128];

	if (p->running) {   /* the attempt holds the old strings: start afresh */
		probe_cancel(p);
		ev_timer_arm(p->ck->loop, &p->timer, ev_now_us());
	}
	probe_release(p);
	p->check = &rs->check;
	if (p->check->kind == CFG_CHECK_HTTP || p->check->kind == CFG_CHECK_HTTPS) {
		http_matcher_free(&p->matcher);
		if (http_matcher_init(&p->matcher, &p->check->http, err, sizeof(err)) < 0)
			p->ops = NULL;
	}
}

static void probe_schedule_first(struct probe *p, uint64_t seq)
{
	uint64_t now = ev_now_us();
	uint64_t spread = health_warmup_offset(p->check->warmup * 1000, seq ^ now);

	p->due_us = now + spread;
	ev_timer_arm(p->ck->loop, &p->timer, p->due_us);
}

static void probe_launch(struct probe *p)
{
	uint64_t now = ev_now_us();

	p->running = true;
	p->ck->inflight++;
	p->started_us = now;
	ev_timer_arm(p->ck->loop, &p->deadline, now + p->check->timeout * 1000);
	if (p->ops->start(p) < 0) {
		struct health_result r = { .reason = HEALTH_R_INTERNAL, .weight = -1 };
		probe_done(p, &r);
	}
}

static void probe_timer_cb(void *arg)
{
	struct probe *p = arg;
	uint64_t now = ev_now_us();

	if (!p->ops)
		return;
	if (p->running || p->waiting) {   /* still busy: skip this slot */
		p->missed++;
		p->due_us = health_next_due(p->due_us, p->check->interval * 1000, now, NULL);
		ev_timer_arm(p->ck->loop, &p->timer, p->due_us);
		return;
	}
	if (p->ck->inflight >= p->ck->max_inflight) {
		wait_append(p->ck, p);
		return;
	}
	probe_launch(p);
}

/* Starts waiting attempts while there is room; runs from a zero-delay timer so
 * a synchronous failure inside start() never recurses into the queue. */
static void checker_kick_cb(void *arg)
{
	struct checker *ck = arg;

	while (ck->wait_head && ck->inflight < ck->max_inflight) {
		struct probe *p = ck->wait_head;
		wait_remove(ck, p);
		probe_launch(p);
	}
}

void checker_init(struct checker *ck, struct ev_loop *loop, size_t max_inflight)
{
	ck->loop = loop;
	ck->max_inflight = max_inflight ? max_inflight : 1;
	ev_timer_init(&ck->kick, checker_kick_cb, ck);
}

static void probe_deadline_cb(void *arg)
{
	struct probe *p = arg;
	struct health_result r = { .reason = HEALTH_R_TIMEOUT, .weight = -1 };

	if (!p->running)
		return;
	if (p->ops->expire)
		p->ops->expire(p, &r);
	p->ops->cancel(p);
	probe_done(p, &r);
}

static struct json_object *ref_json(const struct rs_ref *ref, const char *type)
{
	const struct health *h = &ref->probe->health;
	struct json_object *o = json_object_new_object();
	char a[HALO_ADDRSTRLEN];

	json_object_object_add(o, "vs", json_object_new_string(ref->vs_id));
	if (ref->vs->name)
		json_object_object_add(o, "vs_name", json_object_new_string(ref->vs->name));
	json_object_object_add(o, "rs", json_object_new_string(ref->rs_id));
	json_object_object_add(o, "address", json_object_new_string(halo_addr_str(&ref->rs->address, a)));
	json_object_object_add(o, "port", json_object_new_int(ref->rs->port));
	json_object_object_add(o, "up", json_object_new_boolean(h->up));
	json_object_object_add(o, "weight", json_object_new_int(health_weight(h, ref->rs->weight)));
	json_object_object_add(o, "reason", json_object_new_string(health_reason_name(h->reason)));
	if (h->code)
		json_object_object_add(o, "code", json_object_new_int(h->code));
	json_object_object_add(o, "latency_ms", json_object_new_double(h->latency_us / 1000.0));
	if (type) {
		struct json_object *msg = json_object_new_object();
		json_object_object_add(msg, "v", json_object_new_int(CTL_PROTO_VERSION));
		json_object_object_add(msg, "type", json_object_new_string(type));
		json_object_object_foreach(o, k, v)
			json_object_object_add(msg, k, json_object_get(v));
		json_object_put(o);
		return msg;
	}
	return o;
}

static void ref_log_change(const struct rs_ref *ref, const struct probe *p)
{
	const struct health *h = &p->health;
	const char *kind = config_check_kind_name(p->check->kind);

	if (h->up) {
		log_notice("Adding service %s to VS %s check=%s weight=%d latency_ms=%.1f",
		           ref->rs_id, ref->vs_id, kind, health_weight(h, ref->rs->weight),
		           h->latency_us / 1000.0);
	} else if (h->code) {
		log_notice("Removing service %s from VS %s reason=%s code=%d check=%s target=%s",
		           ref->rs_id, ref->vs_id, health_reason_name(h->reason), h->code, kind, p->target);
	} else {
		log_notice("Removing service %s from VS %s reason=%s check=%s target=%s",
		           ref->rs_id, ref->vs_id, health_reason_name(h->reason), kind, p->target);
	}
}

static void probe_fan_out(struct probe *p, unsigned changed)
{
	const struct checker *ck = p->ck;

	if (!(changed & (HEALTH_CHANGED_UP | HEALTH_CHANGED_WEIGHT | HEALTH_CHANGED_REASON)))
		return;
	for (struct rs_ref *ref = p->refs; ref; ref = ref->next_ref) {
		if (changed & HEALTH_CHANGED_UP)
			ref_log_change(ref, p);
		if (ck->ctl) {
			struct json_object *msg = ref_json(ref, "rs");
			ctl_publish(ck->ctl, msg);
			json_object_put(msg);
		}
	}
}

void probe_done(struct probe *p, const struct health_result *r)
{
	struct checker *ck = p->ck;
	uint64_t now = ev_now_us();
	struct health_result res = *r;
	unsigned changed;

	if (p->running) {
		p->running = false;
		ck->inflight--;
		if (ck->wait_head)
			ev_timer_arm(ck->loop, &ck->kick, now);
	}
	ev_timer_cancel(ck->loop, &p->deadline);
	res.latency_us = (uint32_t)(now - p->started_us > UINT32_MAX ? UINT32_MAX : now - p->started_us);
	if (!res.ok)
		log_debug("check %s %s failed: %s code=%d", config_check_kind_name(p->check->kind),
		          p->target, health_reason_name(res.reason), res.code);
	changed = health_update(&p->health, &p->params, &res);
	probe_fan_out(p, changed);
	if (changed & HEALTH_RETRY) {
		p->retrying = true;
		ev_timer_arm(ck->loop, &p->timer, now + p->check->retry_delay * 1000);
		return;
	}
	p->retrying = false;
	p->due_us = health_next_due(p->due_us, p->check->interval * 1000, now, NULL);
	ev_timer_arm(ck->loop, &p->timer, p->due_us);
}

/* ---- configuration: build refs and probes, reusing unchanged probes ---- */

static struct probe *probe_find(struct probe **v, size_t n, const struct cfg_real_server *rs,
                                bool only_unclaimed)
{
	for (size_t i = 0; i < n; i++)
		if ((!only_unclaimed || !v[i]->keep) && probe_matches(v[i], rs))
			return v[i];
	return NULL;
}

static struct probe *probe_obtain(struct checker *ck, struct probe **nv, size_t *nn,
                                  const struct cfg_real_server *rs)
{
	struct probe *p = probe_find(nv, *nn, rs, false);

	if (p)
		return p;                              /* shared within the new config */
	p = probe_find(ck->probes, ck->n_probes, rs, true);
	if (p) {
		p->keep = true;                        /* unchanged: keep its state */
		probe_rebind(p, rs);
	} else {
		p = probe_new(ck, rs);
		if (!p)
			return NULL;
		if (p->ops)
			probe_schedule_first(p, *nn);
	}
	nv[(*nn)++] = p;
	return p;
}

int checker_apply_config(struct checker *ck, struct halo_config *cfg)
{
	size_t n = 0, nn = 0, k = 0;
	struct probe **nv;
	struct rs_ref *refs;

	for (size_t i = 0; i < cfg->n_virtual_servers; i++)
		n += cfg->virtual_servers[i].n_real_servers;
	nv = calloc(n ? n : 1, sizeof(*nv));
	refs = calloc(n ? n : 1, sizeof(*refs));
	if (!nv || !refs) {
		free(nv);
		free(refs);
		return -1;
	}
	for (size_t i = 0; i < ck->n_probes; i++)
		ck->probes[i]->keep = false;
	for (size_t i = 0; i < cfg->n_virtual_servers; i++) {
		const struct cfg_virtual_server *vs = &cfg->virtual_servers[i];
		for (size_t j = 0; j < vs->n_real_servers; j++) {
			struct rs_ref *ref = &refs[k];
			ref->vs = vs;
			ref->rs = &vs->real_servers[j];
			ref->probe = probe_obtain(ck, nv, &nn, ref->rs);
			if (!ref->probe)
				fatalx("out of memory building probes");
			ids_fill(ref);
			k++;
		}
	}
	for (size_t i = 0; i < ck->n_probes; i++)
		if (!ck->probes[i]->keep)
			probe_free(ck->probes[i]);
	for (size_t i = 0; i < nn; i++)
		nv[i]->refs = NULL;
	for (size_t i = k; i-- > 0;) {   /* chains keep the config's order */
		refs[i].next_ref = refs[i].probe->refs;
		refs[i].probe->refs = &refs[i];
	}
	free(ck->probes);
	free(ck->refs);
	if (ck->cfg)
		config_free(ck->cfg);
	ck->cfg = cfg;
	ck->probes = nv;
	ck->n_probes = nn;
	ck->refs = refs;
	ck->n_refs = k;
	return 0;
}

void checker_stop(struct checker *ck)
{
	ev_timer_cancel(ck->loop, &ck->kick);
	for (size_t i = 0; i < ck->n_probes; i++)
		probe_free(ck->probes[i]);
	free(ck->probes);
	free(ck->refs);
	ck->probes = NULL;
	ck->refs = NULL;
	ck->n_probes = ck->n_refs = 0;
	if (ck->cfg)
		config_free(ck->cfg);
	ck->cfg = NULL;
}

/* ---- JSON for subscribers and status ---- */

struct json_object *checker_snapshot_json(const struct checker *ck)
{
	struct json_object *o = json_object_new_object();
	struct json_object *arr = json_object_new_array();

	json_object_object_add(o, "v", json_object_new_int(CTL_PROTO_VERSION));
	json_object_object_add(o, "type", json_object_new_string("snapshot"));
	for (size_t i = 0; i < ck->n_refs; i++)
		json_object_array_add(arr, ref_json(&ck->refs[i], NULL));
	json_object_object_add(o, "real_servers", arr);
	return o;
}

static void status_add_counters(struct json_object *o, const struct probe *p)
{
	const struct health *h = &p->health;

	json_object_object_add(o, "check", json_object_new_string(config_check_kind_name(p->check->kind)));
	json_object_object_add(o, "target", json_object_new_string(p->target));
	json_object_object_add(o, "checks", json_object_new_int64((int64_t)h->checks));
	json_object_object_add(o, "failures", json_object_new_int64((int64_t)h->failed));
	json_object_object_add(o, "transitions", json_object_new_int64((int64_t)h->transitions));
	json_object_object_add(o, "consecutive_failures", json_object_new_int64(h->failures));
	json_object_object_add(o, "consecutive_successes", json_object_new_int64(h->successes));
	json_object_object_add(o, "missed_slots", json_object_new_int64((int64_t)p->missed));
	if (p->cert_expires_s != INT64_MIN)
		json_object_object_add(o, "cert_expires_days",
		                       json_object_new_int64(p->cert_expires_s / 86400));
}

struct json_object *checker_status_json(const struct checker *ck)
{
	struct json_object *o = json_object_new_object();
	struct json_object *arr = json_object_new_array();
	uint64_t checks = 0, failures = 0;

	json_object_object_add(o, "v", json_object_new_int(CTL_PROTO_VERSION));
	json_object_object_add(o, "ok", json_object_new_boolean(1));
	json_object_object_add(o, "daemon", json_object_new_string("halo-checker"));
	json_object_object_add(o, "uptime_s",
	                       json_object_new_int64((int64_t)((ev_now_us() - ck->started_us) / 1000000)));
	json_object_object_add(o, "reloads", json_object_new_int64((int64_t)ck->reloads));
	json_object_object_add(o, "probes", json_object_new_int64((int64_t)ck->n_probes));
	json_object_object_add(o, "inflight", json_object_new_int64((int64_t)ck->inflight));
	json_object_object_add(o, "max_inflight", json_object_new_int64((int64_t)ck->max_inflight));
	json_object_object_add(o, "queued_total", json_object_new_int64((int64_t)ck->queued_total));
	for (size_t i = 0; i < ck->n_refs; i++) {
		struct json_object *r = ref_json(&ck->refs[i], NULL);
		status_add_counters(r, ck->refs[i].probe);
		json_object_array_add(arr, r);
	}
	for (size_t i = 0; i < ck->n_probes; i++) {
		checks += ck->probes[i]->health.checks;
		failures += ck->probes[i]->health.failed;
	}
	json_object_object_add(o, "checks", json_object_new_int64((int64_t)checks));
	json_object_object_add(o, "failures", json_object_new_int64((int64_t)failures));
	json_object_object_add(o, "real_servers", arr);
	return o;
}
