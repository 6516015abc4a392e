/* The VRRP state machine (RFC 5798 section 6.4 with RFC 9568's changes, and
 * RFC 3768 for v2). Pure: events and the time come in, actions go out; it
 * keeps its deadlines as fields and never touches a socket, clock or timer. */
#ifndef HALO_VRRP_FSM_H
#define HALO_VRRP_FSM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "addr.h"

enum vrrp_state {
	VRRP_STATE_INIT = 0,
	VRRP_STATE_BACKUP,
	VRRP_STATE_MASTER,
	VRRP_STATE_FAULT,
};
const char *vrrp_state_name(enum vrrp_state s);     /* "INIT", "BACKUP", "MASTER", "FAULT" */

enum vrrp_event_type {
	VRRP_EV_STARTUP,        /* Initialize -> Backup, or Master for an owner */
	VRRP_EV_SHUTDOWN,       /* Master: priority-0 advert, VIPs removed; -> INIT */
	VRRP_EV_TIMER,          /* time has passed: act on expired deadlines */
	VRRP_EV_ADVERT,         /* an advert that passed every receive check */
	VRRP_EV_FAULT,          /* link down or a tracker demands FAULT */
	VRRP_EV_FAULT_CLEAR,    /* all fault conditions gone */
	VRRP_EV_PRIORITY,       /* effective priority changed (trackers) */
	VRRP_EV_RESIGN,         /* voluntary handover: Master sends priority 0 and goes Backup */
	VRRP_EV_TAKEOVER,       /* sync group: a Backup follows its group to Master */
	VRRP_EV_WARM_START,     /* INIT with our VIPs left in place by a Master that was
	                         * killed: listen one Advertisement_Interval first */
};

struct vrrp_event {
	enum vrrp_event_type type;
	/* VRRP_EV_ADVERT */
	uint8_t adv_priority;
	uint16_t adv_interval_cs;           /* Max Adver Int (v3) or Adver Int*100 (v2) */
	struct halo_addr adv_src;
	/* VRRP_EV_PRIORITY */
	uint8_t new_priority;
};

enum vrrp_action_type {
	VRRP_ACT_STATE,         /* the state changed: from, to, reason (log, notify) */
	VRRP_ACT_SEND_ADVERT,   /* send one advert with `priority` now */
	VRRP_ACT_ADD_VIPS,
	VRRP_ACT_DEL_VIPS,
	VRRP_ACT_SEND_GARP,     /* start the gratuitous ARP / NA bursts */
};

enum vrrp_reason {
	VRRP_REASON_NONE = 0,
	VRRP_REASON_STARTUP,
	VRRP_REASON_OWNER,          /* priority 255 */
	VRRP_REASON_MASTER_DOWN,    /* Master_Down_Timer fired */
	VRRP_REASON_PREEMPT,        /* higher priority advert seen */
	VRRP_REASON_TIEBREAK,       /* equal priority, higher primary address */
	VRRP_REASON_PRIORITY_ZERO,  /* master resigned */
	VRRP_REASON_FAULT,
	VRRP_REASON_FAULT_CLEAR,
	VRRP_REASON_SHUTDOWN,
	VRRP_REASON_RESIGN,
	VRRP_REASON_SYNC_GROUP,     /* followed a member of its sync group */
	VRRP_REASON_WARM_RESTART,   /* restarted Master heard no other master */
};
const char *vrrp_reason_name(enum vrrp_reason r);   /* "master_down", "preempted", ... */

struct vrrp_action {
	enum vrrp_action_type type;
	enum vrrp_state from, to;           /* VRRP_ACT_STATE */
	enum vrrp_reason reason;            /* VRRP_ACT_STATE */
	uint8_t priority;                   /* VRRP_ACT_SEND_ADVERT */
};

#define VRRP_ACTIONS_MAX 8
struct vrrp_actions {
	struct vrrp_action a[VRRP_ACTIONS_MAX];
	size_t n;
};

struct vrrp_fsm_params {
	uint8_t version;                    /* 2 | 3 */
	uint8_t priority;                   /* configured base priority 1..255 */
	uint16_t adver_int_cs;              /* configured Advertisement_Interval, centiseconds */
	bool preempt;
	uint64_t preempt_delay_us;
	bool accept;
	struct halo_addr primary;           /* our primary address, for the tie-break */
	uint64_t no_preempt_until_us;       /* startup_hold: a Backup does not preempt before this */
};

struct vrrp_fsm {
	struct vrrp_fsm_params p;
	enum vrrp_state state;
	uint8_t priority;                   /* effective priority (trackers applied) */
	bool faulted;
	uint16_t master_adver_int_cs;       /* v3: learned from the master's adverts */
	uint64_t skew_time_us;
	uint64_t master_down_interval_us;
	/* deadlines in microseconds of monotonic time; 0 = not running */
	uint64_t adver_deadline;            /* Adver_Timer (Master) */
	uint64_t master_down_deadline;      /* Master_Down_Timer (Backup) */
	uint64_t preempt_deadline;          /* preempt_delay running (Backup) */
	struct halo_addr master_addr;       /* current master's address, if known */
	uint8_t master_priority;
	/* after RESIGN: the lower-priority master that took over is not
	 * preempted for this long after its first advert (0 = no hold) */
	uint64_t resign_hold_us;
	/* input from the shell, set before each TIMER event: a sync-group member
	 * whose group does not want Master stays Backup when its timers fire
	 * (keepalived's vrrp_sync_can_goto_master, "prefer backup to avoid
	 * thrashing") and tries again one Master_Down_Interval later */
	bool sync_blocked;
	/* warm restart (VRRP_EV_WARM_START): still INIT with the VIPs of the
	 * previous run in place until this deadline (0 = no window) */
	uint64_t warm_deadline;
	/* RFC 9568's immediate advert on a lower-priority (or priority 0) advert
	 * is sent at most once per Advertisement_Interval, so a flood of such
	 * adverts is not reflected one for one onto the LAN; the periodic
	 * advert asserts Master in between */
	uint64_t last_immediate_us;         /* 0 = none sent yet */
	unsigned long immediate_suppressed; /* adverts not answered because of that */
	unsigned long immediate_sent;       /* adverts answered at once */
};

void vrrp_fsm_init(struct vrrp_fsm *vr, const struct vrrp_fsm_params *p);
/* Applies one event at time now_us; appends what the shell must do to *out
 * (out->n is not reset). */
void vrrp_fsm_input(struct vrrp_fsm *vr, const struct vrrp_event *ev, uint64_t now_us,
                    struct vrrp_actions *out);
/* Earliest running deadline, 0 if none: the shell arms one timer for it and
 * feeds VRRP_EV_TIMER when it fires. */
uint64_t vrrp_fsm_next_deadline(const struct vrrp_fsm *vr);
/* Updates parameters in place (reload of a changed instance) without a
 * transition; a new priority takes effect in the next advert. */
void vrrp_fsm_update(struct vrrp_fsm *vr, const struct vrrp_fsm_params *p, uint64_t now_us,
                     struct vrrp_actions *out);

/* RFC 5798 6.1 timer arithmetic, exposed for tests and status. */
uint64_t vrrp_skew_time_us(uint8_t version, uint8_t priority, uint16_t adver_int_cs);
uint64_t vrrp_master_down_interval_us(uint8_t version, uint8_t priority, uint16_t adver_int_cs);

#endif
