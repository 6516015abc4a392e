/* Sync groups (keepalived's vrrp_sync_group): members change state together.
 * Pure: member states in, per-member commands out; the shell feeds them to
 * each member's FSM. */
#ifndef HALO_VRRP_SYNC_H
#define HALO_VRRP_SYNC_H

#include <stdbool.h>
#include <stddef.h>

#include "vrrp_fsm.h"

struct vrrp_sync_member {
	enum vrrp_state state;
	bool own_fault;             /* its own link / trackers demand FAULT */
	bool wants_master;          /* vrrp_sync_wants_master() of its FSM */
};

/* A member wants Master when it is Master, or a Backup that outranks the
 * master it knows (or knows none, or the master resigned). */
bool vrrp_sync_wants_master(const struct vrrp_fsm *vr);

/* Whether member `who` may become Master now: every other member that is
 * not in INIT wants Master too. */
bool vrrp_sync_may_master(const struct vrrp_sync_member *m, size_t n, size_t who);

enum vrrp_sync_cmd {
	VRRP_SYNC_NONE = 0,
	VRRP_SYNC_FAULT,            /* VRRP_EV_FAULT: the group is faulty */
	VRRP_SYNC_FAULT_CLEAR,      /* VRRP_EV_FAULT_CLEAR: no member is faulty any more */
	VRRP_SYNC_TAKEOVER,         /* VRRP_EV_TAKEOVER: follow a member to Master */
	VRRP_SYNC_RESIGN,           /* VRRP_EV_RESIGN: follow a member to Backup */
};

/* After member `who` changed (state or own fault), what each member must do:
 * any member with its own fault puts every member in FAULT (keepalived: a
 * member losing its link takes the whole group to FAULT); when none has one
 * any more, all leave FAULT together; a member entering Master pulls the
 * Backups along, a member leaving Master for Backup pushes the other
 * Masters to Backup (with a priority-0 advert, so their peers take over at
 * once). Members in INIT are left alone. cmd[] has n entries. */
void vrrp_sync_decide(const struct vrrp_sync_member *m, size_t n, size_t who,
                      enum vrrp_sync_cmd *cmd);

/* The group's state for its notify scripts: FAULT if any member is FAULT,
 * MASTER / BACKUP when all members are, else INIT (in transition). */
enum vrrp_state vrrp_sync_state(const struct vrrp_sync_member *m, size_t n);

#endif
