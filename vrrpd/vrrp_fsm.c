/* The VRRP state machine: pure transitions over struct vrrp_fsm driven by
 * events and now_us; it must not call any I/O, clock, timer or log function. */
#include <string.h>

#include "vrrp_fsm.h"

#define US_PER_CS 10000ULL
#define US_PER_S  1000000ULL
#define PRIO_OWNER 255

const char *vrrp_state_name(enum vrrp_state s)
{
	switch (s) {
	case VRRP_STATE_INIT:   return "INIT";
	case VRRP_STATE_BACKUP: return "BACKUP";
	case VRRP_STATE_MASTER: return "MASTER";
	case VRRP_STATE_FAULT:  return "FAULT";
	}
	return "UNKNOWN";
}

const char *vrrp_reason_name(enum vrrp_reason r)
{
	switch (r) {
	case VRRP_REASON_NONE:          return "none";
	case VRRP_REASON_STARTUP:       return "startup";
	case VRRP_REASON_OWNER:         return "owner";
	case VRRP_REASON_MASTER_DOWN:   return "master_down";
	case VRRP_REASON_PREEMPT:       return "preempted";
	case VRRP_REASON_TIEBREAK:      return "tiebreak";
	case VRRP_REASON_PRIORITY_ZERO: return "priority_zero";
	case VRRP_REASON_FAULT:         return "fault";
	case VRRP_REASON_FAULT_CLEAR:   return "fault_clear";
	case VRRP_REASON_SHUTDOWN:      return "shutdown";
	case VRRP_REASON_RESIGN:        return "resign";
	case VRRP_REASON_SYNC_GROUP:    return "sync_group";
	case VRRP_REASON_WARM_RESTART:  return "warm_restart";
	}
	return "unknown";
}

/* RFC 3768 6.1 (v2): Skew_Time = (256 - Priority) / 256 seconds.
 * RFC 5798 6.1 (v3): Skew_Time = ((256 - Priority) * Master_Adver_Interval)
 * / 256 centiseconds. Both are computed in microseconds and truncated, e.g.
 * v3 priority 100 at 10 ms: 6093.75 us -> 6093 us. */
uint64_t vrrp_skew_time_us(uint8_t version, uint8_t priority, uint16_t adver_int_cs)
{
	uint64_t span = 256 - (uint64_t)priority;

	if (version == 2)
		return span * US_PER_S / 256;
	return span * adver_int_cs * US_PER_CS / 256;
}

/* RFC 5798 6.1 / RFC 3768 6.1: Master_Down_Interval = 3 * interval +
 * Skew_Time; for v2 the interval is the configured Advertisement_Interval
 * (whole seconds, given here in centiseconds). */
uint64_t vrrp_master_down_interval_us(uint8_t version, uint8_t priority, uint16_t adver_int_cs)
{
	return 3 * (uint64_t)adver_int_cs * US_PER_CS +
	       vrrp_skew_time_us(version, priority, adver_int_cs);
}

static uint64_t fsm_adver_interval_us(const struct vrrp_fsm *vr)
{
	return (uint64_t)vr->p.adver_int_cs * US_PER_CS;
}

static void fsm_recompute(struct vrrp_fsm *vr)
{
	vr->skew_time_us = vrrp_skew_time_us(vr->p.version, vr->priority,
	                                     vr->master_adver_int_cs);
	vr->master_down_interval_us = vrrp_master_down_interval_us(vr->p.version,
	                                vr->priority, vr->master_adver_int_cs);
}

/* Non-owners run at 1..254: 0 would mean "resigning" on the wire and 255
 * claims address ownership. */
static uint8_t fsm_clamp_priority(uint8_t prio)
{
	if (prio < 1)
		return 1;
	if (prio > 254)
		return 254;
	return prio;
}

static struct vrrp_action *fsm_emit(struct vrrp_actions *out, enum vrrp_action_type type,
                                    uint8_t prio)
{
	struct vrrp_action *a;

	if (out->n >= VRRP_ACTIONS_MAX)
		return NULL;    /* cannot happen: one event emits at most 4 */
	a = &out->a[out->n++];
	memset(a, 0, sizeof(*a));
	a->type = type;
	a->priority = prio;
	return a;
}

static void fsm_emit_state(struct vrrp_actions *out, enum vrrp_state from,
                           enum vrrp_state to, enum vrrp_reason reason)
{
	struct vrrp_action *a = fsm_emit(out, VRRP_ACT_STATE, 0);

	if (a == NULL)
		return;
	a->from = from;
	a->to = to;
	a->reason = reason;
}

/* Adver_Timer reset. Deadlines sit on a grid of Advertisement_Interval
 * multiples of the monotonic clock, so all instances with one interval fall
 * due together: the shell wakes once per interval for all of them instead of
 * once per instance. The first period after a reset is at most one interval
 * (an advert early is harmless: a backup only restarts its Master_Down_Timer
 * sooner); every later one is exactly one interval. */
static uint64_t fsm_adver_next(const struct vrrp_fsm *vr, uint64_t now_us)
{
	uint64_t grid = fsm_adver_interval_us(vr);

	return (now_us / grid + 1) * grid;
}

static void fsm_enter_master(struct vrrp_fsm *vr, uint64_t now_us, struct vrrp_actions *out)
{
	vr->master_adver_int_cs = vr->p.adver_int_cs;
	fsm_recompute(vr);
	vr->master_addr = vr->p.primary;
	vr->master_priority = vr->priority;
	vr->resign_hold_us = 0;
	/* RFC 5798 6.4.1 / 6.4.2: send an ADVERTISEMENT, broadcast gratuitous
	 * ARP / unsolicited NA, set the Adver_Timer to Advertisement_Interval. */
	fsm_emit(out, VRRP_ACT_SEND_ADVERT, vr->priority);
	fsm_emit(out, VRRP_ACT_ADD_VIPS, 0);
	fsm_emit(out, VRRP_ACT_SEND_GARP, 0);
	vr->adver_deadline = fsm_adver_next(vr, now_us);
}

/* Every transition: STATE first, then leaving Master (a priority-0 advert
 * when we go away on purpose, then the VIPs), then entering the new state.
 * The caller has already set master_adver_int_cs for a new Backup. */
static void fsm_enter(struct vrrp_fsm *vr, enum vrrp_state to, enum vrrp_reason reason,
                      uint64_t now_us, struct vrrp_actions *out)
{
	enum vrrp_state from = vr->state;
	bool warm = vr->warm_deadline != 0;

	fsm_emit_state(out, from, to, reason);
	vr->state = to;
	vr->adver_deadline = 0;
	vr->master_down_deadline = 0;
	vr->preempt_deadline = 0;
	vr->warm_deadline = 0;
	/* the previous run's VIPs stay only if we go on as Master */
	if (warm && to != VRRP_STATE_MASTER)
		fsm_emit(out, VRRP_ACT_DEL_VIPS, 0);
	if (from == VRRP_STATE_MASTER) {
		/* RFC 5798 6.4.3: on Shutdown send an ADVERTISEMENT with Priority 0;
		 * we do the same on FAULT and RESIGN so the Backup takes over after
		 * Skew_Time instead of Master_Down_Interval. */
		if (reason == VRRP_REASON_SHUTDOWN || reason == VRRP_REASON_FAULT ||
		    reason == VRRP_REASON_RESIGN)
			fsm_emit(out, VRRP_ACT_SEND_ADVERT, 0);
		fsm_emit(out, VRRP_ACT_DEL_VIPS, 0);
	}
	if (to == VRRP_STATE_MASTER) {
		fsm_enter_master(vr, now_us, out);
	} else if (to == VRRP_STATE_BACKUP) {
		fsm_recompute(vr);
		vr->master_down_deadline = now_us + vr->master_down_interval_us;
	}
}

/* RFC 5798 6.4.1: Initialize -> Master for the owner (priority 255), else
 * Backup with Master_Adver_Interval = Advertisement_Interval and
 * Master_Down_Timer = Master_Down_Interval. Also the way out of FAULT. */
static void fsm_startup(struct vrrp_fsm *vr, enum vrrp_reason reason, uint64_t now_us,
                        struct vrrp_actions *out)
{
	if (vr->faulted) {
		fsm_enter(vr, VRRP_STATE_FAULT, VRRP_REASON_FAULT, now_us, out);
		return;
	}
	vr->master_adver_int_cs = vr->p.adver_int_cs;
	memset(&vr->master_addr, 0, sizeof(vr->master_addr));
	vr->master_priority = 0;
	vr->resign_hold_us = 0;
	if (vr->p.priority == PRIO_OWNER) {
		if (reason == VRRP_REASON_STARTUP)
			reason = VRRP_REASON_OWNER;
		fsm_enter(vr, VRRP_STATE_MASTER, reason, now_us, out);
	} else {
		fsm_enter(vr, VRRP_STATE_BACKUP, reason, now_us, out);
	}
}

/* v3 learns the master's interval (RFC 5798 6.4.2 / 6.4.3); v2 always uses
 * the configured one (RFC 3768 has no learning). A zero interval cannot
 * come from a checked advert; it is ignored rather than trusted. */
static void fsm_learn_master(struct vrrp_fsm *vr, const struct vrrp_event *ev)
{
	if (vr->p.version == 3 && ev->adv_interval_cs != 0)
		vr->master_adver_int_cs = ev->adv_interval_cs;
	else if (vr->p.version != 3)
		vr->master_adver_int_cs = vr->p.adver_int_cs;
	fsm_recompute(vr);
	vr->master_addr = ev->adv_src;
	vr->master_priority = ev->adv_priority;
}

/* Whether preemption of a lower-priority master is held off now.
 * preempt_delay (keepalived semantics): the first advert from a
 * lower-priority master seen in this Backup period starts
 * preempt_deadline = now + preempt_delay; until then its adverts are
 * accepted as with preempt false (Master_Down_Timer keeps being reset);
 * when preempt_deadline fires we take over at once (reason preempted).
 * After RESIGN the hold is at least one Master_Down_Interval from the new
 * master's first advert, so the handover sticks at least that long. The
 * hold is dropped when a master with priority >= ours or priority 0 is
 * seen. */
static bool fsm_preempt_held(struct vrrp_fsm *vr, uint64_t now_us)
{
	uint64_t hold = vr->p.preempt_delay_us;

	if (vr->preempt_deadline != 0)
		return now_us < vr->preempt_deadline;
	if (vr->resign_hold_us > hold)
		hold = vr->resign_hold_us;
	vr->resign_hold_us = 0;
	if (hold == 0)
		return false;
	vr->preempt_deadline = now_us + hold;
	return true;
}

static void fsm_backup_advert(struct vrrp_fsm *vr, const struct vrrp_event *ev, uint64_t now_us)
{
	if (ev->adv_priority == 0) {
		/* RFC 5798 6.4.2 / RFC 3768 6.4.2: priority 0 -> Master_Down_Timer = Skew_Time */
		vr->master_down_deadline = now_us + vr->skew_time_us;
		vr->preempt_deadline = 0;
		vr->master_addr = ev->adv_src;
		vr->master_priority = 0;
		return;
	}
	/* RFC 5798 6.4.2: a lower-priority advert with Preempt_Mode true is
	 * discarded, so the Master_Down_Timer runs out and we preempt. */
	if (ev->adv_priority < vr->priority && vr->p.preempt &&
	    now_us >= vr->p.no_preempt_until_us && !fsm_preempt_held(vr, now_us))
		return;
	if (ev->adv_priority >= vr->priority)
		vr->preempt_deadline = 0;
	/* RFC 5798 6.4.2: Preempt_Mode false or priority >= ours -> set
	 * Master_Adver_Interval, recompute Skew_Time and Master_Down_Interval,
	 * reset Master_Down_Timer. */
	fsm_learn_master(vr, ev);
	vr->master_down_deadline = now_us + vr->master_down_interval_us;
}

/* An advert sent at once in answer to one received (Master), at most one
 * per Advertisement_Interval: the rest are discarded and counted. */
static void fsm_master_answer(struct vrrp_fsm *vr, uint64_t now_us, struct vrrp_actions *out)
{
	if (vr->last_immediate_us && now_us - vr->last_immediate_us < fsm_adver_interval_us(vr)) {
		vr->immediate_suppressed++;
		return;
	}
	vr->last_immediate_us = now_us;
	vr->immediate_sent++;
	fsm_emit(out, VRRP_ACT_SEND_ADVERT, vr->priority);
	vr->adver_deadline = fsm_adver_next(vr, now_us);
}

static void fsm_master_advert(struct vrrp_fsm *vr, const struct vrrp_event *ev, uint64_t now_us,
                              struct vrrp_actions *out)
{
	int cmp;

	if (ev->adv_priority == 0) {
		/* RFC 5798 6.4.3: priority 0 -> send an ADVERTISEMENT, reset Adver_Timer */
		fsm_master_answer(vr, now_us, out);
		return;
	}
	cmp = halo_addr_cmp(&ev->adv_src, &vr->p.primary);
	/* equal priority from our own address is neither branch of 6.4.3: it is
	 * our advert reflected back; answering it would loop */
	if (ev->adv_priority == vr->priority && cmp == 0)
		return;
	if (ev->adv_priority > vr->priority || (ev->adv_priority == vr->priority && cmp > 0)) {
		/* RFC 5798 6.4.3: higher priority, or equal priority and a greater
		 * primary address -> Backup with the sender's interval (v3). */
		fsm_learn_master(vr, ev);
		fsm_enter(vr, VRRP_STATE_BACKUP, ev->adv_priority > vr->priority ?
		          VRRP_REASON_PREEMPT : VRRP_REASON_TIEBREAK, now_us, out);
		return;
	}
	/* RFC 9568 6.4.3: a lower priority (or equal with a lower address)
	 * advert is discarded and an ADVERTISEMENT sent at once to assert the
	 * Active state, so a router that wrongly believes it is master steps
	 * down quickly. We also restart the Adver_Timer from here (the RFC
	 * leaves it alone) and do this for v2 too, as keepalived does. */
	fsm_master_answer(vr, now_us, out);
}

/* Adver_Timer re-arm without drift: the next deadline is the previous one
 * plus Advertisement_Interval; if that has already passed (the shell was a
 * whole interval or more late) it is the next grid point. */
static void fsm_master_timer(struct vrrp_fsm *vr, uint64_t now_us, struct vrrp_actions *out)
{
	uint64_t next;

	if (vr->adver_deadline == 0 || now_us < vr->adver_deadline)
		return;
	/* RFC 5798 6.4.3: Adver_Timer fires -> send an ADVERTISEMENT, reset it */
	fsm_emit(out, VRRP_ACT_SEND_ADVERT, vr->priority);
	next = vr->adver_deadline + fsm_adver_interval_us(vr);
	if (next <= now_us)
		next = fsm_adver_next(vr, now_us);
	vr->adver_deadline = next;
}

static void fsm_backup_timer(struct vrrp_fsm *vr, uint64_t now_us, struct vrrp_actions *out)
{
	enum vrrp_reason reason = VRRP_REASON_MASTER_DOWN;

	if (vr->sync_blocked && ((vr->master_down_deadline != 0 && now_us >= vr->master_down_deadline) ||
	                         (vr->preempt_deadline != 0 && now_us >= vr->preempt_deadline))) {
		vr->master_down_deadline = now_us + vr->master_down_interval_us;
		vr->preempt_deadline = 0;
		return;
	}
	if (vr->master_down_deadline != 0 && now_us >= vr->master_down_deadline) {
		/* master_priority 0 with a known master: it resigned (6.4.2) */
		if (vr->master_priority == 0 && vr->master_addr.family != 0)
			reason = VRRP_REASON_PRIORITY_ZERO;
		/* RFC 5798 6.4.2: Master_Down_Timer fires -> Master */
		fsm_enter(vr, VRRP_STATE_MASTER, reason, now_us, out);
		return;
	}
	if (vr->preempt_deadline == 0 || now_us < vr->preempt_deadline)
		return;
	vr->preempt_deadline = 0;
	if (vr->p.preempt && vr->master_priority != 0 && vr->master_priority < vr->priority)
		fsm_enter(vr, VRRP_STATE_MASTER, VRRP_REASON_PREEMPT, now_us, out);
}

/* Master: priority-0 advert, VIPs removed, back to Backup; preempting the
 * new master is then held off (see fsm_preempt_held). */
static void fsm_resign(struct vrrp_fsm *vr, uint64_t now_us, struct vrrp_actions *out)
{
	if (vr->warm_deadline != 0)    /* not Master yet: give up the leftover VIPs */
		fsm_enter(vr, VRRP_STATE_BACKUP, VRRP_REASON_RESIGN, now_us, out);
	if (vr->state != VRRP_STATE_MASTER)
		return;
	vr->master_adver_int_cs = vr->p.adver_int_cs;
	fsm_enter(vr, VRRP_STATE_BACKUP, VRRP_REASON_RESIGN, now_us, out);
	vr->resign_hold_us = vr->master_down_interval_us;
}

/* The owner always runs at 255; others are clamped to 1..254. The new
 * priority goes into the next advert (Master) or the next Master_Down_Timer
 * reset (Backup); running deadlines are not moved. */
static void fsm_set_priority(struct vrrp_fsm *vr, uint8_t prio, struct vrrp_actions *out)
{
	uint8_t old = vr->priority;

	if (vr->p.priority == PRIO_OWNER)
		return;
	vr->priority = fsm_clamp_priority(prio);
	fsm_recompute(vr);
	/* a Master tells the Backups at once instead of at the next Adver_Timer
	 * (the timer keeps its rhythm), so a Backup that now outranks us
	 * preempts one Master_Down_Interval later, not up to one interval more */
	if (vr->state == VRRP_STATE_MASTER && vr->priority != old) {
		vr->master_priority = vr->priority;
		fsm_emit(out, VRRP_ACT_SEND_ADVERT, vr->priority);
	}
}

/* Sync group: a Backup follows a member that became Master. */
static void fsm_takeover(struct vrrp_fsm *vr, uint64_t now_us, struct vrrp_actions *out)
{
	if (vr->state == VRRP_STATE_BACKUP || vr->warm_deadline != 0)
		fsm_enter(vr, VRRP_STATE_MASTER, VRRP_REASON_SYNC_GROUP, now_us, out);
}

/* Warm restart: a Master that was killed left its VIPs in place. Instead of
 * RFC 5798 6.4.1's Initialize -> Backup (the VIPs removed, the Backup taking
 * over for a moment), stay in INIT for one Advertisement_Interval, the
 * longest a running master stays silent: a master heard in that time is
 * handled as fsm_warm_advert says; silence means nobody took over, and we go
 * on as Master with the VIPs where they are. A recorded fault or the owner
 * (255) needs no window: the usual start, the VIPs removed unless Master. */
static void fsm_warm_start(struct vrrp_fsm *vr, uint64_t now_us, struct vrrp_actions *out)
{
	vr->master_adver_int_cs = vr->p.adver_int_cs;
	fsm_recompute(vr);
	vr->warm_deadline = now_us + fsm_adver_interval_us(vr);
	if (vr->faulted || vr->p.priority == PRIO_OWNER)
		fsm_startup(vr, VRRP_REASON_STARTUP, now_us, out);
}

static void fsm_warm_timer(struct vrrp_fsm *vr, uint64_t now_us, struct vrrp_actions *out)
{
	if (vr->warm_deadline == 0 || now_us < vr->warm_deadline)
		return;
	if (vr->sync_blocked)
		fsm_enter(vr, VRRP_STATE_BACKUP, VRRP_REASON_SYNC_GROUP, now_us, out);
	else
		fsm_enter(vr, VRRP_STATE_MASTER, VRRP_REASON_WARM_RESTART, now_us, out);
}

/* An advert in the warm window: the RFC's rules from where we stand. A
 * master we would preempt at once (RFC 5798 6.4.2: Preempt_Mode, no
 * preempt_delay or startup_hold running) loses to us now, since we still
 * hold the addresses; any other master is one we would follow as a Backup:
 * the leftover VIPs go and the advert is handled as a Backup handles it
 * (priority 0 included: Master_Down_Timer = Skew_Time). */
static void fsm_warm_advert(struct vrrp_fsm *vr, const struct vrrp_event *ev, uint64_t now_us,
                            struct vrrp_actions *out)
{
	int cmp = halo_addr_cmp(&ev->adv_src, &vr->p.primary);
	bool we_win;
	enum vrrp_reason reason = VRRP_REASON_STARTUP;

	if (vr->warm_deadline == 0 || (ev->adv_priority == vr->priority && cmp == 0))
		return;         /* not warm, or our own advert reflected back */
	we_win = ev->adv_priority != 0 && (ev->adv_priority < vr->priority ||
	                                   (ev->adv_priority == vr->priority && cmp < 0));
	if (we_win && vr->p.preempt && vr->p.preempt_delay_us == 0 && now_us >= vr->p.no_preempt_until_us) {
		fsm_enter(vr, VRRP_STATE_MASTER, VRRP_REASON_PREEMPT, now_us, out);
		return;
	}
	if (ev->adv_priority > vr->priority)
		reason = VRRP_REASON_PREEMPT;
	else if (ev->adv_priority == vr->priority)
		reason = VRRP_REASON_TIEBREAK;
	fsm_enter(vr, VRRP_STATE_BACKUP, reason, now_us, out);
	fsm_backup_advert(vr, ev, now_us);
}

static void fsm_fault(struct vrrp_fsm *vr, bool fault, uint64_t now_us, struct vrrp_actions *out)
{
	vr->faulted = fault;
	if (fault && vr->state != VRRP_STATE_FAULT)
		fsm_enter(vr, VRRP_STATE_FAULT, VRRP_REASON_FAULT, now_us, out);
	else if (!fault && vr->state == VRRP_STATE_FAULT)
		fsm_startup(vr, VRRP_REASON_FAULT_CLEAR, now_us, out);
}

static void fsm_advert(struct vrrp_fsm *vr, const struct vrrp_event *ev, uint64_t now_us,
                       struct vrrp_actions *out)
{
	if (vr->state == VRRP_STATE_BACKUP)
		fsm_backup_advert(vr, ev, now_us);
	else if (vr->state == VRRP_STATE_MASTER)
		fsm_master_advert(vr, ev, now_us, out);
	else if (vr->state == VRRP_STATE_INIT)
		fsm_warm_advert(vr, ev, now_us, out);
	/* FAULT, and INIT outside a warm window, ignore adverts */
}

static void fsm_timer(struct vrrp_fsm *vr, uint64_t now_us, struct vrrp_actions *out)
{
	if (vr->state == VRRP_STATE_MASTER)
		fsm_master_timer(vr, now_us, out);
	else if (vr->state == VRRP_STATE_BACKUP)
		fsm_backup_timer(vr, now_us, out);
	else if (vr->state == VRRP_STATE_INIT)
		fsm_warm_timer(vr, now_us, out);
}

void vrrp_fsm_init(struct vrrp_fsm *vr, const struct vrrp_fsm_params *p)
{
	memset(vr, 0, sizeof(*vr));
	vr->p = *p;
	vr->state = VRRP_STATE_INIT;
	vr->priority = p->priority == PRIO_OWNER ? PRIO_OWNER : fsm_clamp_priority(p->priority);
	vr->master_adver_int_cs = p->adver_int_cs;
	fsm_recompute(vr);
}

/* Event rules in INIT and FAULT: FAULT enters FAULT from every state
 * (INIT too: the shell starts an instance whose link is down that way);
 * STARTUP while a fault is recorded enters FAULT; FAULT_CLEAR in INIT only
 * clears the record; STARTUP or WARM_START outside INIT, RESIGN outside
 * Master and SHUTDOWN in INIT do nothing, except in a warm window, which
 * SHUTDOWN ends by removing the leftover VIPs. */
void vrrp_fsm_input(struct vrrp_fsm *vr, const struct vrrp_event *ev, uint64_t now_us,
                    struct vrrp_actions *out)
{
	switch (ev->type) {
	case VRRP_EV_STARTUP:
		if (vr->state == VRRP_STATE_INIT)
			fsm_startup(vr, VRRP_REASON_STARTUP, now_us, out);
		break;
	case VRRP_EV_SHUTDOWN:
		if (vr->state != VRRP_STATE_INIT) {
			fsm_enter(vr, VRRP_STATE_INIT, VRRP_REASON_SHUTDOWN, now_us, out);
		} else if (vr->warm_deadline != 0) {
			vr->warm_deadline = 0;
			fsm_emit(out, VRRP_ACT_DEL_VIPS, 0);
		}
		break;
	case VRRP_EV_WARM_START:
		if (vr->state == VRRP_STATE_INIT && vr->warm_deadline == 0)
			fsm_warm_start(vr, now_us, out);
		break;
	case VRRP_EV_TIMER:
		fsm_timer(vr, now_us, out);
		break;
	case VRRP_EV_ADVERT:
		fsm_advert(vr, ev, now_us, out);
		break;
	case VRRP_EV_FAULT:
		fsm_fault(vr, true, now_us, out);
		break;
	case VRRP_EV_FAULT_CLEAR:
		fsm_fault(vr, false, now_us, out);
		break;
	case VRRP_EV_PRIORITY:
		fsm_set_priority(vr, ev->new_priority, out);
		break;
	case VRRP_EV_RESIGN:
		fsm_resign(vr, now_us, out);
		break;
	case VRRP_EV_TAKEOVER:
		fsm_takeover(vr, now_us, out);
		break;
	}
}

static uint64_t fsm_min_deadline(uint64_t a, uint64_t b)
{
	if (a == 0)
		return b;
	if (b == 0)
		return a;
	return a < b ? a : b;
}

uint64_t vrrp_fsm_next_deadline(const struct vrrp_fsm *vr)
{
	uint64_t d = fsm_min_deadline(vr->adver_deadline, vr->master_down_deadline);

	d = fsm_min_deadline(d, vr->warm_deadline);
	return fsm_min_deadline(d, vr->preempt_deadline);
}

/* Reload of a changed instance: no transition. A v3 Backup keeps the
 * interval it learned from the master; everywhere else the configured
 * interval applies. A Master re-arms its Adver_Timer with a new interval
 * from now. A new base priority replaces the effective one (the shell
 * re-applies tracker weights with VRRP_EV_PRIORITY). */
void vrrp_fsm_update(struct vrrp_fsm *vr, const struct vrrp_fsm_params *p, uint64_t now_us,
                     struct vrrp_actions *out)
{
	struct vrrp_fsm_params old = vr->p;

	vr->p = *p;
	if (p->priority != old.priority)
		vr->priority = p->priority == PRIO_OWNER ? PRIO_OWNER :
		               fsm_clamp_priority(p->priority);
	if (vr->state != VRRP_STATE_BACKUP || p->version != 3 || old.version != 3)
		vr->master_adver_int_cs = p->adver_int_cs;
	fsm_recompute(vr);
	if (vr->state == VRRP_STATE_MASTER && p->adver_int_cs != old.adver_int_cs)
		vr->adver_deadline = fsm_adver_next(vr, now_us);
	if (!p->preempt)
		vr->preempt_deadline = 0;
	(void)out;
}
