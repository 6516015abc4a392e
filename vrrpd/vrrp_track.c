/* Tracking arithmetic: effective priority, rise/fall, link debounce and
 * virtual server quorum as pure functions; no file, process, netlink,
 * socket or clock access here. */
#include "vrrp_track.h"

#define PRIO_OWNER 255

/* keepalived's rules (vrrp_track.c, keepalived.conf(5)): weight > 0 adds
 * when the object is good, weight < 0 subtracts when it is bad, weight 0
 * means FAULT when bad; reverse swaps good and bad. A track_file adds
 * value * weight (reverse: minus that); with weight 0 a non-zero value is a
 * failure, and a sum at or below -254 is a failure too. */
static int track_delta(const struct vrrp_track *t, bool *fault)
{
	bool good;
	long v;

	if (!t->known)
		return 0;
	if (t->is_value) {
		if (t->weight == 0) {
			if ((t->value != 0) != t->reverse)
				*fault = true;
			return 0;
		}
		v = t->value * t->weight * (t->reverse ? -1 : 1);
		if (v <= -254) {
			*fault = true;
			return 0;
		}
		return v > 254 ? 254 : (int)v;
	}
	good = t->up != t->reverse;
	if (t->weight == 0) {
		if (!good)
			*fault = true;
		return 0;
	}
	if (t->weight > 0)
		return good ? t->weight : 0;
	return good ? 0 : t->weight;
}

void vrrp_track_priority(uint8_t base, const struct vrrp_track *t, size_t n, struct vrrp_prio *out)
{
	long sum = 0, p;

	out->fault = false;
	for (size_t i = 0; i < n; i++)
		sum += track_delta(&t[i], &out->fault);
	out->delta = (int)sum;
	if (base == PRIO_OWNER) {
		out->priority = PRIO_OWNER;
		return;
	}
	p = (long)base + sum;
	out->priority = (uint8_t)(p < 1 ? 1 : p > 254 ? 254 : p);
}

bool vrrp_track_hysteresis(bool up, bool *known, unsigned *streak, bool ok,
                           unsigned rise, unsigned fall)
{
	if (!*known) {
		*known = true;
		*streak = 0;
		return ok;
	}
	if (ok == up) {
		*streak = 0;
		return up;
	}
	(*streak)++;
	if (*streak >= (ok ? rise : fall)) {
		*streak = 0;
		return ok;
	}
	return up;
}

bool vrrp_track_debounce(struct vrrp_debounce *db, bool reported, uint64_t now_ms,
                         uint64_t delay_up_ms, uint64_t delay_down_ms, uint64_t *deadline_ms)
{
	uint64_t delay;

	*deadline_ms = 0;
	if (reported == db->state) {
		db->pending = db->state;     /* a flap shorter than the delay is ignored */
		return db->state;
	}
	if (db->pending != reported) {
		db->pending = reported;
		db->since_ms = now_ms;
	}
	delay = reported ? delay_up_ms : delay_down_ms;
	if (now_ms - db->since_ms >= delay) {
		db->state = reported;
		return db->state;
	}
	*deadline_ms = db->since_ms + delay;
	return db->state;
}

bool vrrp_track_vs(struct vrrp_track *t, const struct cfg_virtual_server *vs, struct vs_health *h,
                   bool seen)
{
	bool up = seen ? vs_health_quorum(vs, h) : true;
	bool changed = !t->known || up != t->up;

	t->up = up;
	t->known = true;
	return changed;
}
