/* Warm restart of halo-vrrpd: whether a starting instance keeps the VIPs a
 * killed Master left behind, and the text of the state file that remembers
 * each instance's state across restarts. Pure: no file, netlink or clock
 * access; the shell (vrrpd_state.c) reads and writes the file. */
#ifndef HALO_VRRP_WARM_H
#define HALO_VRRP_WARM_H

#include <stdbool.h>
#include <stddef.h>

#include "vrrp_fsm.h"

enum vrrp_start_kind {
	VRRP_START_WARM,                /* keep the VIPs; VRRP_EV_WARM_START */
	VRRP_START_COLD_NO_RECORD,      /* no state file, or the instance is not in it */
	VRRP_START_COLD_NOT_MASTER,     /* it was not Master (a clean stop records INIT) */
	VRRP_START_COLD_VIPS_MISSING,   /* some of its VIPs are gone */
	VRRP_START_COLD_DELAYED,        /* startup_delay: silent too long to keep them */
	VRRP_START_COLD_VMAC,           /* use_vmac: the VIPs' device is made anew */
};
const char *vrrp_start_name(enum vrrp_start_kind k);   /* "warm", "no_record", ... */

struct vrrp_start_in {
	bool recorded;                  /* the state file names the instance */
	enum vrrp_state prev;           /* its state there */
	size_t n_vips, n_present;       /* configured VIPs, and how many are on their device */
	bool startup_delay, use_vmac;
};

/* Warm only for a recorded Master whose VIPs are all in place; anything
 * else is the cold start: stale VIPs removed, Backup (RFC 5798 6.4.1). */
enum vrrp_start_kind vrrp_start_decide(const struct vrrp_start_in *in);

/* The state to record for an instance: its FSM state, except that a warm
 * window (it kept a killed Master's VIPs and has not yet heard or sent an
 * advert) counts as Master, so a crash inside the window keeps the record. */
enum vrrp_state vrrp_warm_record_state(const struct vrrp_fsm *fsm);

/* State file: one line per instance, "state=MASTER instance=VI_1\n" (the
 * name is the rest of the line). Writes one line into buf; -1 if it does
 * not fit or the name has a newline (such an instance is never recorded). */
int vrrp_warm_line(char *buf, size_t len, const char *name, enum vrrp_state state);
/* The state recorded for `name` in the file's text; false if none (or the
 * line is not one vrrp_warm_line writes). */
bool vrrp_warm_lookup(const char *text, const char *name, enum vrrp_state *state);

#endif
