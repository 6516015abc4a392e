/* Effective priority from base priority and tracked objects (keepalived's
 * weight rules). Pure: states in, priority and FAULT out; the shell gathers
 * the states (links, scripts, files, processes) and feeds the result to the
 * FSM as VRRP_EV_PRIORITY / VRRP_EV_FAULT. */
#ifndef HALO_VRRP_TRACK_H
#define HALO_VRRP_TRACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vs_health.h"

/* One tracked object as the priority function sees it. */
struct vrrp_track {
	int weight;                 /* -254..254; 0 = failure means FAULT */
	bool reverse;               /* swaps good and bad */
	bool is_value;              /* track_file: `value` times weight */
	bool up;                    /* interfaces, scripts, processes: good state */
	long value;                 /* track_file: the integer read */
	bool known;                 /* false until the first result: counts as neither */
};

struct vrrp_prio {
	uint8_t priority;           /* 1..254, or 255 for an owner */
	bool fault;
	int delta;                  /* sum of the applied weights, for status */
};

/* Owner (base 255) keeps 255: weights do not apply (RFC 5798 5.2.4: 255 is
 * reserved for the address owner), only FAULT does. Others are clamped to
 * 1..254. */
void vrrp_track_priority(uint8_t base, const struct vrrp_track *t, size_t n, struct vrrp_prio *out);

/* Rise/fall hysteresis of a periodic check (track_scripts): `ok` is the
 * latest result; returns the new up state. *streak counts consecutive
 * results contrary to the current state. Starts down with *known false; the
 * first result sets the state at once (keepalived runs the script before
 * deciding, rather than assuming). */
bool vrrp_track_hysteresis(bool up, bool *known, unsigned *streak, bool ok,
                           unsigned rise, unsigned fall);

/* Debounce of a link (track_interfaces delay_up / delay_down): given the
 * reported link state at now_ms, returns the state that counts now and sets
 * *deadline_ms to when to ask again (0 = nothing pending). */
struct vrrp_debounce {
	bool state;                 /* the state that counts */
	bool pending;               /* the last reported state, if it differs */
	uint64_t since_ms;          /* when `pending` was first reported */
};
bool vrrp_track_debounce(struct vrrp_debounce *db, bool reported, uint64_t now_ms,
                         uint64_t delay_up_ms, uint64_t delay_down_ms, uint64_t *deadline_ms);

/* track_virtual_servers: a virtual server counts as up while it has
 * quorum (vs_health_quorum: the rule and hysteresis memory halo-ipvs-sync
 * uses). Before halo-checker's first snapshot (`seen` false) it counts as
 * up, so a vrrpd started before the checker, or without one, does not
 * demote itself; after that the last known quorum holds while the checker
 * is away (no flap on a checker restart). Sets t->up and t->known; returns
 * true if the tracked state changed. */
bool vrrp_track_vs(struct vrrp_track *t, const struct cfg_virtual_server *vs, struct vs_health *h,
                   bool seen);

#endif
