/* Scenarios for the VRRP state machine on a fake clock (a plain uint64_t,
 * never slept on); every input's actions are compared as exact text. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vrrp_fsm.h"
#include "vrrp_warm.h"

#define T0 1000000ULL                   /* an arbitrary non-zero start time */

static struct vrrp_fsm vr;
static uint64_t now;                    /* the fake clock, microseconds */
static char got[256];                   /* actions of the last input */

/* Adver_Timer deadlines sit on the interval grid of the clock (vrrp_fsm.c) */
static uint64_t grid(uint64_t t, uint64_t interval)
{
	return (t / interval + 1) * interval;
}

static const char *fmt_actions(const struct vrrp_actions *out)
{
	size_t len = 0;

	got[0] = '\0';
	for (size_t i = 0; i < out->n; i++) {
		const struct vrrp_action *a = &out->a[i];
		const char *sep = i ? " " : "";

		switch (a->type) {
		case VRRP_ACT_STATE:
			len += snprintf(got + len, sizeof(got) - len, "%sSTATE(%s>%s,%s)", sep,
			                vrrp_state_name(a->from), vrrp_state_name(a->to),
			                vrrp_reason_name(a->reason));
			break;
		case VRRP_ACT_SEND_ADVERT:
			len += snprintf(got + len, sizeof(got) - len, "%sADVERT(%u)", sep, a->priority);
			break;
		case VRRP_ACT_ADD_VIPS:
			len += snprintf(got + len, sizeof(got) - len, "%sADD_VIPS", sep);
			break;
		case VRRP_ACT_DEL_VIPS:
			len += snprintf(got + len, sizeof(got) - len, "%sDEL_VIPS", sep);
			break;
		case VRRP_ACT_SEND_GARP:
			len += snprintf(got + len, sizeof(got) - len, "%sGARP", sep);
			break;
		}
		ck_assert_uint_lt(len, sizeof(got));
	}
	return got;
}

static const char *input(const struct vrrp_event *ev)
{
	struct vrrp_actions out = { .n = 0 };

	vrrp_fsm_input(&vr, ev, now, &out);
	return fmt_actions(&out);
}

static const char *ev(enum vrrp_event_type type)
{
	struct vrrp_event e = { .type = type };

	return input(&e);
}

static const char *advert(uint8_t prio, uint16_t int_cs, const char *src)
{
	struct vrrp_event e = { .type = VRRP_EV_ADVERT, .adv_priority = prio,
	                        .adv_interval_cs = int_cs };

	ck_assert_int_eq(halo_addr_parse(src, &e.adv_src), 0);
	return input(&e);
}

static const char *set_priority(uint8_t prio)
{
	struct vrrp_event e = { .type = VRRP_EV_PRIORITY, .new_priority = prio };

	return input(&e);
}

static const char *timer_at(uint64_t t)
{
	now = t;
	return ev(VRRP_EV_TIMER);
}

static struct vrrp_fsm_params params(uint8_t version, uint8_t prio, uint16_t int_cs,
                                     bool preempt, uint64_t delay_us)
{
	struct vrrp_fsm_params p = {
		.version = version, .priority = prio, .adver_int_cs = int_cs,
		.preempt = preempt, .preempt_delay_us = delay_us,
	};

	ck_assert_int_eq(halo_addr_parse("10.0.0.2", &p.primary), 0);
	return p;
}

static void setup(uint8_t version, uint8_t prio, uint16_t int_cs, bool preempt, uint64_t delay_us)
{
	struct vrrp_fsm_params p = params(version, prio, int_cs, preempt, delay_us);

	vrrp_fsm_init(&vr, &p);
	now = T0;
}

/* Starts as Backup at T0 and lets the Master_Down_Timer run out. */
static void become_master(uint8_t prio, uint16_t int_cs)
{
	char want[64];

	setup(3, prio, int_cs, true, 0);
	ck_assert_str_eq(ev(VRRP_EV_STARTUP), "STATE(INIT>BACKUP,startup)");
	snprintf(want, sizeof(want), "STATE(BACKUP>MASTER,master_down) ADVERT(%u) ADD_VIPS GARP", prio);
	ck_assert_str_eq(timer_at(vrrp_fsm_next_deadline(&vr)), want);
}

/* Plays the shell with a master sending adverts every period from start:
 * timers run when due (before an advert at the same time). Returns the time
 * of the first state change (its actions stay in got), or 0 if none up to
 * until. */
static uint64_t run_with_master(uint64_t start, uint64_t period, uint64_t until,
                                uint8_t prio, uint16_t int_cs, const char *src)
{
	enum vrrp_state s0 = vr.state;
	uint64_t ta = start;

	for (;;) {
		uint64_t d = vrrp_fsm_next_deadline(&vr);

		if (d != 0 && d <= ta && d <= until) {
			timer_at(d);
		} else if (ta <= until) {
			now = ta;
			ck_assert_str_eq(advert(prio, int_cs, src), "");
			ta += period;
		} else {
			return 0;
		}
		if (vr.state != s0)
			return now;
	}
}

START_TEST(test_timer_arithmetic)
{
	/* v3, priority 100, 10 ms: 156 * 10000 / 256 = 6093.75 us, truncated */
	ck_assert_uint_eq(vrrp_skew_time_us(3, 100, 1), 6093);
	ck_assert_uint_eq(vrrp_master_down_interval_us(3, 100, 1), 36093);
	ck_assert_uint_eq(vrrp_skew_time_us(3, 100, 100), 609375);
	ck_assert_uint_eq(vrrp_master_down_interval_us(3, 100, 100), 3609375);
	ck_assert_uint_eq(vrrp_skew_time_us(3, 255, 1), 39);
	ck_assert_uint_eq(vrrp_master_down_interval_us(3, 255, 1), 30039);
	ck_assert_uint_eq(vrrp_master_down_interval_us(3, 100, 200), 7218750);
	ck_assert_uint_eq(vrrp_master_down_interval_us(3, 1, 4095), 122850000 + 40790039);
	/* v2: Skew_Time = (256 - Priority) / 256 s whatever the interval */
	ck_assert_uint_eq(vrrp_skew_time_us(2, 100, 200), 609375);
	ck_assert_uint_eq(vrrp_master_down_interval_us(2, 100, 200), 6609375);
	ck_assert_uint_eq(vrrp_skew_time_us(2, 200, 100), 218750);
	ck_assert_uint_eq(vrrp_master_down_interval_us(2, 200, 100), 3218750);
}
END_TEST

START_TEST(test_startup_backup_10ms)
{
	setup(3, 100, 1, true, 0);
	ck_assert_int_eq(vr.state, VRRP_STATE_INIT);
	ck_assert_uint_eq(vrrp_fsm_next_deadline(&vr), 0);
	ck_assert_str_eq(ev(VRRP_EV_STARTUP), "STATE(INIT>BACKUP,startup)");
	ck_assert_uint_eq(vr.skew_time_us, 6093);
	ck_assert_uint_eq(vr.master_down_interval_us, 36093);
	ck_assert_uint_eq(vrrp_fsm_next_deadline(&vr), T0 + 36093);
	ck_assert_str_eq(ev(VRRP_EV_STARTUP), "");
	ck_assert_str_eq(timer_at(T0 + 36092), "");
	ck_assert_int_eq(vr.state, VRRP_STATE_BACKUP);
	ck_assert_str_eq(timer_at(T0 + 36093),
	                 "STATE(BACKUP>MASTER,master_down) ADVERT(100) ADD_VIPS GARP");
	ck_assert_uint_eq(vr.master_down_deadline, 0);
	ck_assert_uint_eq(vrrp_fsm_next_deadline(&vr), grid(T0 + 36093, 10000));
}
END_TEST

START_TEST(test_startup_backup_1s)
{
	setup(3, 100, 100, true, 0);
	ck_assert_str_eq(ev(VRRP_EV_STARTUP), "STATE(INIT>BACKUP,startup)");
	ck_assert_uint_eq(vrrp_fsm_next_deadline(&vr), T0 + 3609375);
	ck_assert_str_eq(timer_at(T0 + 3609374), "");
	ck_assert_str_eq(timer_at(T0 + 3609375),
	                 "STATE(BACKUP>MASTER,master_down) ADVERT(100) ADD_VIPS GARP");
	ck_assert_uint_eq(vrrp_fsm_next_deadline(&vr), grid(T0 + 3609375, 1000000));
}
END_TEST

START_TEST(test_owner_starts_master)
{
	setup(3, 255, 100, true, 0);
	ck_assert_str_eq(ev(VRRP_EV_STARTUP), "STATE(INIT>MASTER,owner) ADVERT(255) ADD_VIPS GARP");
	ck_assert_uint_eq(vr.adver_deadline, T0 + 1000000);
	ck_assert_uint_eq(vr.master_down_deadline, 0);
	ck_assert_str_eq(timer_at(T0 + 999999), "");
	ck_assert_str_eq(timer_at(T0 + 1000000), "ADVERT(255)");
	ck_assert_uint_eq(vrrp_fsm_next_deadline(&vr), T0 + 2000000);
}
END_TEST

START_TEST(test_master_down)
{
	uint64_t last = T0 + 5000 + 99 * 10000;
	char buf[HALO_ADDRSTRLEN];

	setup(3, 100, 1, true, 0);
	ev(VRRP_EV_STARTUP);
	ck_assert_uint_eq(run_with_master(T0 + 5000, 10000, last, 150, 1, "10.0.0.9"), 0);
	ck_assert_int_eq(vr.state, VRRP_STATE_BACKUP);
	ck_assert_uint_eq(vr.master_priority, 150);
	ck_assert_str_eq(halo_addr_str(&vr.master_addr, buf), "10.0.0.9");
	ck_assert_uint_eq(vrrp_fsm_next_deadline(&vr), last + 36093);
	ck_assert_str_eq(timer_at(last + 36092), "");
	ck_assert_str_eq(timer_at(last + 36093),
	                 "STATE(BACKUP>MASTER,master_down) ADVERT(100) ADD_VIPS GARP");
}
END_TEST

START_TEST(test_higher_priority_preempts_master)
{
	become_master(100, 1);
	now += 3000;
	ck_assert_str_eq(advert(150, 1, "10.0.0.9"), "STATE(MASTER>BACKUP,preempted) DEL_VIPS");
	ck_assert_int_eq(vr.state, VRRP_STATE_BACKUP);
	ck_assert_uint_eq(vr.adver_deadline, 0);
	ck_assert_uint_eq(vr.master_down_deadline, now + 36093);
	ck_assert_uint_eq(vr.master_priority, 150);
}
END_TEST

START_TEST(test_higher_priority_backup_takes_over)
{
	/* preempt true: adverts of a lower-priority master are discarded, so the
	 * Master_Down_Timer started at startup runs out (200: 32187 us) */
	setup(3, 200, 1, true, 0);
	ev(VRRP_EV_STARTUP);
	ck_assert_uint_eq(run_with_master(T0 + 1000, 10000, T0 + 1000000, 100, 1, "10.0.0.9"),
	                  T0 + 32187);
	ck_assert_str_eq(got, "STATE(BACKUP>MASTER,master_down) ADVERT(200) ADD_VIPS GARP");
	/* the old master's next advert is answered at once (RFC 9568) */
	ck_assert_str_eq(advert(100, 1, "10.0.0.9"), "ADVERT(200)");
}
END_TEST

START_TEST(test_lower_priority_advert_to_master)
{
	become_master(100, 1);
	now += 3000;
	ck_assert_str_eq(advert(50, 1, "10.0.0.9"), "ADVERT(100)");
	ck_assert_int_eq(vr.state, VRRP_STATE_MASTER);
	ck_assert_uint_eq(vr.adver_deadline, grid(now, 10000));
	ck_assert_uint_eq(vrrp_fsm_next_deadline(&vr), grid(now, 10000));
}
END_TEST

/* A flood of lower-priority (and priority-0) adverts is answered at most
 * once per Advertisement_Interval, not one for one; the periodic advert
 * keeps its grid. */
START_TEST(test_immediate_advert_capped)
{
	uint64_t first;

	become_master(100, 10);                  /* 100 ms */
	now += 3000;
	first = now;
	ck_assert_str_eq(advert(50, 10, "10.0.0.9"), "ADVERT(100)");
	for (int i = 0; i < 1000; i++) {
		now += 50;                            /* 1,000 adverts in 50 ms */
		ck_assert_str_eq(advert(i & 1 ? 50 : 0, 10, "10.0.0.9"), "");
	}
	ck_assert_uint_eq(vr.immediate_suppressed, 1000);
	ck_assert_uint_eq(vr.immediate_sent, 1);
	ck_assert_int_eq(vr.state, VRRP_STATE_MASTER);
	ck_assert_uint_eq(vr.adver_deadline, grid(first, 100000));
	ck_assert_str_eq(timer_at(vr.adver_deadline), "ADVERT(100)");   /* the schedule goes on */
	now = first + 100000;                    /* one interval after the last answer */
	ck_assert_str_eq(advert(50, 10, "10.0.0.9"), "ADVERT(100)");
	now += 1;
	ck_assert_str_eq(advert(0, 10, "10.0.0.9"), "");
	ck_assert_uint_eq(vr.immediate_suppressed, 1001);
	ck_assert_uint_eq(vr.immediate_sent, 2);
}
END_TEST

START_TEST(test_lower_priority_advert_to_master_v2)
{
	setup(2, 255, 100, true, 0);
	ev(VRRP_EV_STARTUP);
	now += 300000;
	ck_assert_str_eq(advert(100, 100, "10.0.0.9"), "ADVERT(255)");
	ck_assert_uint_eq(vr.adver_deadline, grid(now, 1000000));
}
END_TEST

START_TEST(test_no_preempt_keeps_lower_master)
{
	setup(3, 200, 1, false, 0);
	ev(VRRP_EV_STARTUP);
	ck_assert_uint_eq(run_with_master(T0 + 1000, 10000, T0 + 10000000, 100, 1, "10.0.0.9"), 0);
	ck_assert_int_eq(vr.state, VRRP_STATE_BACKUP);
	ck_assert_uint_eq(vr.master_priority, 100);
	ck_assert_uint_eq(vr.preempt_deadline, 0);
	/* it still takes over when that master goes away */
	ck_assert_uint_eq(vrrp_fsm_next_deadline(&vr), T0 + 1000 + 999 * 10000 + 32187);
}
END_TEST

START_TEST(test_preempt_delay)
{
	uint64_t first = T0 + 2000;

	setup(3, 200, 1, true, 1000000);
	ev(VRRP_EV_STARTUP);
	now = first;
	ck_assert_str_eq(advert(100, 1, "10.0.0.9"), "");
	ck_assert_uint_eq(vr.preempt_deadline, first + 1000000);
	ck_assert_uint_eq(vr.master_down_deadline, first + 32187);
	ck_assert_uint_eq(vrrp_fsm_next_deadline(&vr), first + 32187);
	/* held off for exactly preempt_delay, then preempts */
	ck_assert_uint_eq(run_with_master(first + 10000, 10000, first + 5000000, 100, 1,
	                                  "10.0.0.9"), first + 1000000);
	ck_assert_str_eq(got, "STATE(BACKUP>MASTER,preempted) ADVERT(200) ADD_VIPS GARP");
	ck_assert_uint_eq(vr.preempt_deadline, 0);
}
END_TEST

START_TEST(test_preempt_delay_dropped_by_higher_master)
{
	setup(3, 200, 1, true, 1000000);
	ev(VRRP_EV_STARTUP);
	now = T0 + 2000;
	advert(100, 1, "10.0.0.9");
	ck_assert_uint_ne(vr.preempt_deadline, 0);
	now += 10000;
	ck_assert_str_eq(advert(250, 1, "10.0.0.8"), "");
	ck_assert_uint_eq(vr.preempt_deadline, 0);
	ck_assert_uint_eq(run_with_master(now + 10000, 10000, T0 + 5000000, 250, 1, "10.0.0.8"), 0);
	ck_assert_int_eq(vr.state, VRRP_STATE_BACKUP);
}
END_TEST

START_TEST(test_preempt_delay_dropped_by_update)
{
	struct vrrp_actions out = { .n = 0 };
	struct vrrp_fsm_params p = params(3, 200, 1, false, 1000000);

	setup(3, 200, 1, true, 1000000);
	ev(VRRP_EV_STARTUP);
	now = T0 + 2000;
	advert(100, 1, "10.0.0.9");
	ck_assert_uint_eq(vr.preempt_deadline, T0 + 2000 + 1000000);
	vrrp_fsm_update(&vr, &p, now, &out);
	ck_assert_uint_eq(out.n, 0);
	ck_assert_uint_eq(vr.preempt_deadline, 0);
	ck_assert_uint_eq(vrrp_fsm_next_deadline(&vr), now + 32187);
	ck_assert_uint_eq(run_with_master(now + 10000, 10000, T0 + 5000000, 100, 1, "10.0.0.9"), 0);
}
END_TEST

START_TEST(test_priority_zero)
{
	setup(3, 100, 1, true, 0);
	ev(VRRP_EV_STARTUP);
	now = T0 + 1000;
	ck_assert_str_eq(advert(150, 1, "10.0.0.9"), "");
	now = T0 + 5000;
	ck_assert_str_eq(advert(0, 1, "10.0.0.9"), "");
	ck_assert_uint_eq(vrrp_fsm_next_deadline(&vr), T0 + 5000 + 6093);
	ck_assert_str_eq(timer_at(T0 + 5000 + 6092), "");
	ck_assert_str_eq(timer_at(T0 + 5000 + 6093),
	                 "STATE(BACKUP>MASTER,priority_zero) ADVERT(100) ADD_VIPS GARP");
	/* a Master answers priority 0 with an advert and restarts its timer */
	now += 4000;
	ck_assert_str_eq(advert(0, 1, "10.0.0.9"), "ADVERT(100)");
	ck_assert_uint_eq(vr.adver_deadline, grid(now, 10000));
}
END_TEST

START_TEST(test_tiebreak)
{
	become_master(100, 1);
	now += 1000;
	ck_assert_str_eq(advert(100, 1, "10.0.0.1"), "ADVERT(100)");
	ck_assert_int_eq(vr.state, VRRP_STATE_MASTER);
	ck_assert_str_eq(advert(100, 1, "10.0.0.2"), "");      /* our own, reflected */
	ck_assert_int_eq(vr.state, VRRP_STATE_MASTER);
	now += 1000;
	/* addresses compare as numbers in network order: .10 > .2 */
	ck_assert_str_eq(advert(100, 1, "10.0.0.10"), "STATE(MASTER>BACKUP,tiebreak) DEL_VIPS");
	ck_assert_int_eq(vr.state, VRRP_STATE_BACKUP);
	/* a Backup does not tie-break: an equal priority advert resets its timer */
	ck_assert_uint_eq(run_with_master(now + 10000, 10000, now + 2000000, 100, 1, "10.0.0.1"), 0);
	ck_assert_int_eq(vr.state, VRRP_STATE_BACKUP);
}
END_TEST

START_TEST(test_interval_learning)
{
	uint64_t a = T0 + 4000;

	setup(3, 100, 1, true, 0);
	ev(VRRP_EV_STARTUP);
	now = a;
	ck_assert_str_eq(advert(150, 2, "10.0.0.9"), "");
	ck_assert_uint_eq(vr.master_adver_int_cs, 2);
	/* 156 * 20000 / 256 = 12187.5 -> 12187; 3 * 20000 + 12187 */
	ck_assert_uint_eq(vr.skew_time_us, 12187);
	ck_assert_uint_eq(vr.master_down_interval_us, 72187);
	ck_assert_uint_eq(vrrp_fsm_next_deadline(&vr), a + 72187);
	ck_assert_str_eq(timer_at(a + 72186), "");
	ck_assert_str_eq(timer_at(a + 72187),
	                 "STATE(BACKUP>MASTER,master_down) ADVERT(100) ADD_VIPS GARP");
	/* as Master it sends at its own configured 10 ms */
	ck_assert_uint_eq(vr.master_adver_int_cs, 1);
	ck_assert_uint_eq(vrrp_fsm_next_deadline(&vr), grid(a + 72187, 10000));
	/* preempted by a 20 ms master: learns it on the way to Backup */
	now += 100;
	ck_assert_str_eq(advert(200, 2, "10.0.0.8"), "STATE(MASTER>BACKUP,preempted) DEL_VIPS");
	ck_assert_uint_eq(vr.master_down_deadline, now + 72187);
}
END_TEST

START_TEST(test_v2_no_learning)
{
	setup(2, 100, 100, true, 0);
	ck_assert_str_eq(ev(VRRP_EV_STARTUP), "STATE(INIT>BACKUP,startup)");
	ck_assert_uint_eq(vrrp_fsm_next_deadline(&vr), T0 + 3609375);
	now += 500000;
	ck_assert_str_eq(advert(150, 200, "10.0.0.9"), "");
	ck_assert_uint_eq(vr.master_adver_int_cs, 100);
	ck_assert_uint_eq(vrrp_fsm_next_deadline(&vr), now + 3609375);
	setup(2, 100, 200, true, 0);
	ev(VRRP_EV_STARTUP);
	ck_assert_uint_eq(vrrp_fsm_next_deadline(&vr), T0 + 6609375);
	now += 100;
	ck_assert_str_eq(advert(0, 200, "10.0.0.9"), "");
	ck_assert_uint_eq(vrrp_fsm_next_deadline(&vr), now + 609375);
}
END_TEST

START_TEST(test_advert_rhythm_no_drift)
{
	uint64_t start = 12345;

	setup(3, 255, 1, true, 0);
	now = start;
	ev(VRRP_EV_STARTUP);
	for (uint64_t i = 1; i <= 1000; i++) {
		uint64_t d = vrrp_fsm_next_deadline(&vr);

		ck_assert_uint_eq(d, grid(start, 10000) + (i - 1) * 10000);
		ck_assert_str_eq(timer_at(d - 1), "");
		/* the shell wakes up to 3 ms late; the rhythm must not slip */
		ck_assert_str_eq(timer_at(d + (i * 37) % 3000), "ADVERT(255)");
	}
	ck_assert_uint_eq(vrrp_fsm_next_deadline(&vr), grid(start, 10000) + 1000 * 10000);
	/* more than a whole interval late: restart from now */
	ck_assert_str_eq(timer_at(grid(start, 10000) + 1000 * 10000 + 25000), "ADVERT(255)");
	ck_assert_uint_eq(vrrp_fsm_next_deadline(&vr), grid(now, 10000));
}
END_TEST

START_TEST(test_fault_from_init)
{
	/* the shell starts an instance whose link is down with FAULT */
	setup(3, 100, 1, true, 0);
	ck_assert_str_eq(ev(VRRP_EV_FAULT), "STATE(INIT>FAULT,fault)");
	ck_assert_int_eq(vr.state, VRRP_STATE_FAULT);
	ck_assert(vr.faulted);
	ck_assert_str_eq(ev(VRRP_EV_STARTUP), "");
	ck_assert_uint_eq(vrrp_fsm_next_deadline(&vr), 0);
	now += 500;
	ck_assert_str_eq(ev(VRRP_EV_FAULT_CLEAR), "STATE(FAULT>BACKUP,fault_clear)");
	ck_assert_uint_eq(vrrp_fsm_next_deadline(&vr), now + 36093);
	/* a fault recorded after shutdown: STARTUP enters FAULT */
	ck_assert_str_eq(ev(VRRP_EV_SHUTDOWN), "STATE(BACKUP>INIT,shutdown)");
	ck_assert_str_eq(ev(VRRP_EV_FAULT), "STATE(INIT>FAULT,fault)");
	ck_assert_str_eq(ev(VRRP_EV_SHUTDOWN), "STATE(FAULT>INIT,shutdown)");
	ck_assert_str_eq(ev(VRRP_EV_STARTUP), "STATE(INIT>FAULT,fault)");
	/* FAULT_CLEAR in INIT only clears the record */
	ck_assert_str_eq(ev(VRRP_EV_SHUTDOWN), "STATE(FAULT>INIT,shutdown)");
	ck_assert_str_eq(ev(VRRP_EV_FAULT_CLEAR), "");
	ck_assert_int_eq(vr.state, VRRP_STATE_INIT);
	ck_assert_str_eq(ev(VRRP_EV_STARTUP), "STATE(INIT>BACKUP,startup)");
}
END_TEST

START_TEST(test_fault_from_backup)
{
	setup(3, 100, 1, true, 0);
	ev(VRRP_EV_STARTUP);
	now += 1000;
	ck_assert_str_eq(ev(VRRP_EV_FAULT), "STATE(BACKUP>FAULT,fault)");
	ck_assert_uint_eq(vrrp_fsm_next_deadline(&vr), 0);
	ck_assert_str_eq(ev(VRRP_EV_FAULT), "");
	ck_assert_str_eq(advert(0, 1, "10.0.0.9"), "");
	ck_assert_str_eq(advert(50, 1, "10.0.0.9"), "");
	ck_assert_str_eq(timer_at(now + 10000000), "");
	ck_assert_str_eq(ev(VRRP_EV_STARTUP), "");
	ck_assert_str_eq(ev(VRRP_EV_RESIGN), "");
	ck_assert_uint_eq(vrrp_fsm_next_deadline(&vr), 0);
	ck_assert_str_eq(ev(VRRP_EV_FAULT_CLEAR), "STATE(FAULT>BACKUP,fault_clear)");
	ck_assert_uint_eq(vrrp_fsm_next_deadline(&vr), now + 36093);
	ck_assert_str_eq(ev(VRRP_EV_FAULT_CLEAR), "");
}
END_TEST

START_TEST(test_fault_from_master)
{
	become_master(100, 1);
	ck_assert_str_eq(ev(VRRP_EV_FAULT), "STATE(MASTER>FAULT,fault) ADVERT(0) DEL_VIPS");
	ck_assert_uint_eq(vrrp_fsm_next_deadline(&vr), 0);
	ck_assert_str_eq(ev(VRRP_EV_FAULT_CLEAR), "STATE(FAULT>BACKUP,fault_clear)");
	/* the owner comes back as Master */
	setup(3, 255, 1, true, 0);
	ev(VRRP_EV_STARTUP);
	ck_assert_str_eq(ev(VRRP_EV_FAULT), "STATE(MASTER>FAULT,fault) ADVERT(0) DEL_VIPS");
	ck_assert_str_eq(ev(VRRP_EV_FAULT_CLEAR),
	                 "STATE(FAULT>MASTER,fault_clear) ADVERT(255) ADD_VIPS GARP");
	ck_assert_uint_eq(vrrp_fsm_next_deadline(&vr), now + 10000);
	/* shutdown while in FAULT */
	ev(VRRP_EV_FAULT);
	ck_assert_str_eq(ev(VRRP_EV_SHUTDOWN), "STATE(FAULT>INIT,shutdown)");
}
END_TEST

START_TEST(test_shutdown)
{
	become_master(100, 1);
	ck_assert_str_eq(ev(VRRP_EV_SHUTDOWN), "STATE(MASTER>INIT,shutdown) ADVERT(0) DEL_VIPS");
	ck_assert_int_eq(vr.state, VRRP_STATE_INIT);
	ck_assert_uint_eq(vrrp_fsm_next_deadline(&vr), 0);
	ck_assert_str_eq(ev(VRRP_EV_SHUTDOWN), "");
	ck_assert_str_eq(advert(200, 1, "10.0.0.9"), "");
	setup(3, 100, 1, true, 0);
	ev(VRRP_EV_STARTUP);
	ck_assert_str_eq(ev(VRRP_EV_SHUTDOWN), "STATE(BACKUP>INIT,shutdown)");
	ck_assert_uint_eq(vrrp_fsm_next_deadline(&vr), 0);
}
END_TEST

START_TEST(test_resign)
{
	uint64_t r;

	become_master(100, 1);
	now += 2000;
	r = now;
	ck_assert_str_eq(ev(VRRP_EV_RESIGN), "STATE(MASTER>BACKUP,resign) ADVERT(0) DEL_VIPS");
	ck_assert_int_eq(vr.state, VRRP_STATE_BACKUP);
	ck_assert_uint_eq(vr.resign_hold_us, 36093);
	ck_assert_uint_eq(vrrp_fsm_next_deadline(&vr), r + 36093);
	ck_assert_str_eq(ev(VRRP_EV_RESIGN), "");
	/* the lower-priority peer takes over after its skew (8046 us); it keeps
	 * the role for one Master_Down_Interval from its first advert */
	ck_assert_uint_eq(run_with_master(r + 8046, 10000, r + 2000000, 50, 1, "10.0.0.9"),
	                  r + 8046 + 36093);
	ck_assert_str_eq(got, "STATE(BACKUP>MASTER,preempted) ADVERT(100) ADD_VIPS GARP");
	ck_assert_uint_eq(vr.resign_hold_us, 0);
}
END_TEST

START_TEST(test_resign_no_preempt)
{
	struct vrrp_fsm_params p = params(3, 100, 1, false, 0);

	become_master(100, 1);
	vrrp_fsm_update(&vr, &p, now, &(struct vrrp_actions){ .n = 0 });
	ck_assert_str_eq(ev(VRRP_EV_RESIGN), "STATE(MASTER>BACKUP,resign) ADVERT(0) DEL_VIPS");
	ck_assert_uint_eq(run_with_master(now + 8046, 10000, now + 2000000, 50, 1, "10.0.0.9"), 0);
	ck_assert_int_eq(vr.state, VRRP_STATE_BACKUP);
}
END_TEST

START_TEST(test_update)
{
	struct vrrp_actions out = { .n = 0 };
	struct vrrp_fsm_params p = params(3, 120, 1, true, 0);
	uint64_t d;

	become_master(100, 1);
	d = vrrp_fsm_next_deadline(&vr);
	now += 1000;
	vrrp_fsm_update(&vr, &p, now, &out);
	ck_assert_uint_eq(out.n, 0);
	ck_assert_int_eq(vr.state, VRRP_STATE_MASTER);
	ck_assert_uint_eq(vr.priority, 120);
	ck_assert_uint_eq(vrrp_fsm_next_deadline(&vr), d);  /* same interval: rhythm kept */
	ck_assert_str_eq(timer_at(d), "ADVERT(120)");
	/* a new interval re-arms from now */
	p.adver_int_cs = 5;
	now += 3000;
	vrrp_fsm_update(&vr, &p, now, &out);
	ck_assert_uint_eq(out.n, 0);
	ck_assert_uint_eq(vrrp_fsm_next_deadline(&vr), grid(now, 50000));
	ck_assert_str_eq(timer_at(grid(now, 50000)), "ADVERT(120)");
	ck_assert_uint_eq(vrrp_fsm_next_deadline(&vr), grid(now, 50000));
}
END_TEST

START_TEST(test_update_backup_keeps_learned_interval)
{
	struct vrrp_actions out = { .n = 0 };
	struct vrrp_fsm_params p = params(3, 50, 5, true, 0);

	setup(3, 100, 1, true, 0);
	ev(VRRP_EV_STARTUP);
	now += 1000;
	advert(150, 2, "10.0.0.9");
	vrrp_fsm_update(&vr, &p, now, &out);
	ck_assert_uint_eq(out.n, 0);
	ck_assert_int_eq(vr.state, VRRP_STATE_BACKUP);
	ck_assert_uint_eq(vr.master_adver_int_cs, 2);
	/* 206 * 20000 / 256 = 16093.75 -> 16093 */
	ck_assert_uint_eq(vr.master_down_interval_us, 76093);
	now += 10000;
	advert(150, 2, "10.0.0.9");
	ck_assert_uint_eq(vrrp_fsm_next_deadline(&vr), now + 76093);
}
END_TEST

START_TEST(test_priority_event)
{
	become_master(100, 1);
	/* a Master announces a new priority at once; the rhythm is kept */
	ck_assert_str_eq(set_priority(80), "ADVERT(80)");
	ck_assert_uint_eq(vrrp_fsm_next_deadline(&vr), grid(now, 10000));
	ck_assert_str_eq(set_priority(80), "");
	ck_assert_str_eq(timer_at(vrrp_fsm_next_deadline(&vr)), "ADVERT(80)");
	/* a backup at 90 now preempts us */
	now += 1000;
	ck_assert_str_eq(advert(90, 1, "10.0.0.9"), "STATE(MASTER>BACKUP,preempted) DEL_VIPS");
	ck_assert_str_eq(set_priority(0), "");
	ck_assert_uint_eq(vr.priority, 1);
	ck_assert_str_eq(set_priority(255), "");
	ck_assert_uint_eq(vr.priority, 254);
	/* the owner stays at 255 */
	setup(3, 255, 1, true, 0);
	ck_assert_str_eq(set_priority(100), "");
	ck_assert_uint_eq(vr.priority, 255);
}
END_TEST

/* Sync group: TAKEOVER moves a Backup to Master, and nothing else. */
START_TEST(test_takeover)
{
	setup(3, 100, 100, true, 0);
	ck_assert_str_eq(ev(VRRP_EV_TAKEOVER), "");
	ev(VRRP_EV_STARTUP);
	now += 5000;
	ck_assert_str_eq(ev(VRRP_EV_TAKEOVER),
	                 "STATE(BACKUP>MASTER,sync_group) ADVERT(100) ADD_VIPS GARP");
	ck_assert_str_eq(ev(VRRP_EV_TAKEOVER), "");
	ck_assert_uint_eq(vrrp_fsm_next_deadline(&vr), grid(now, 1000000));
	ck_assert_str_eq(ev(VRRP_EV_FAULT), "STATE(MASTER>FAULT,fault) ADVERT(0) DEL_VIPS");
	ck_assert_str_eq(ev(VRRP_EV_TAKEOVER), "");
}
END_TEST

/* startup_hold: a lower-priority master is not preempted before the hold
 * ends; after it, its next advert is discarded and we take over. */
START_TEST(test_startup_hold)
{
	struct vrrp_fsm_params p = params(3, 100, 100, true, 0);
	uint64_t t;

	p.no_preempt_until_us = T0 + 5000000;
	vrrp_fsm_init(&vr, &p);
	now = T0;
	ev(VRRP_EV_STARTUP);
	for (t = T0; t < T0 + 5000000; t += 1000000) {
		now = t;
		ck_assert_str_eq(advert(50, 100, "10.0.0.9"), "");
		ck_assert_uint_eq(vrrp_fsm_next_deadline(&vr), now + vr.master_down_interval_us);
	}
	now = T0 + 5000000;
	ck_assert_str_eq(advert(50, 100, "10.0.0.9"), "");
	ck_assert_str_eq(timer_at(vrrp_fsm_next_deadline(&vr)),
	                 "STATE(BACKUP>MASTER,master_down) ADVERT(100) ADD_VIPS GARP");
	ck_assert_uint_eq(now, T0 + 4000000 + vr.master_down_interval_us);
}
END_TEST

/* A sync-group member whose group does not want Master stays Backup when
 * its Master_Down_Timer fires and tries again one interval later. */
START_TEST(test_sync_blocked)
{
	setup(3, 100, 100, true, 0);
	ev(VRRP_EV_STARTUP);
	vr.sync_blocked = true;
	ck_assert_str_eq(timer_at(vrrp_fsm_next_deadline(&vr)), "");
	ck_assert_int_eq(vr.state, VRRP_STATE_BACKUP);
	ck_assert_uint_eq(vrrp_fsm_next_deadline(&vr), now + vr.master_down_interval_us);
	vr.sync_blocked = false;
	ck_assert_str_eq(timer_at(vrrp_fsm_next_deadline(&vr)),
	                 "STATE(BACKUP>MASTER,master_down) ADVERT(100) ADD_VIPS GARP");
}
END_TEST

START_TEST(test_priority_event_backup)
{
	setup(3, 100, 1, true, 0);
	ev(VRRP_EV_STARTUP);
	ck_assert_str_eq(set_priority(50), "");
	/* 206 * 10000 / 256 = 8046.875 -> 8046 */
	ck_assert_uint_eq(vr.skew_time_us, 8046);
	ck_assert_uint_eq(vr.master_down_interval_us, 38046);
	ck_assert_uint_eq(vrrp_fsm_next_deadline(&vr), T0 + 36093);  /* running timer kept */
	now += 2000;
	advert(150, 1, "10.0.0.9");
	ck_assert_uint_eq(vrrp_fsm_next_deadline(&vr), now + 38046);
	/* rising above the master's priority: its adverts are now discarded */
	ck_assert_str_eq(set_priority(200), "");
	now += 10000;
	ck_assert_str_eq(advert(150, 1, "10.0.0.9"), "");
	ck_assert_uint_eq(vrrp_fsm_next_deadline(&vr), now - 10000 + 38046);
}
END_TEST

START_TEST(test_next_deadline_minimum)
{
	uint64_t a = T0 + 3000;

	setup(3, 200, 1, true, 20000);
	ev(VRRP_EV_STARTUP);
	now = a;
	advert(100, 1, "10.0.0.9");
	ck_assert_uint_eq(vr.preempt_deadline, a + 20000);
	ck_assert_uint_eq(vr.master_down_deadline, a + 32187);
	ck_assert_uint_eq(vrrp_fsm_next_deadline(&vr), a + 20000);
	ck_assert_str_eq(timer_at(a + 20000),
	                 "STATE(BACKUP>MASTER,preempted) ADVERT(200) ADD_VIPS GARP");

	setup(3, 200, 1, true, 50000);
	ev(VRRP_EV_STARTUP);
	now = a;
	advert(100, 1, "10.0.0.9");
	ck_assert_uint_eq(vr.preempt_deadline, a + 50000);
	ck_assert_uint_eq(vrrp_fsm_next_deadline(&vr), a + 32187);
	ck_assert_str_eq(timer_at(a + 32187),
	                 "STATE(BACKUP>MASTER,master_down) ADVERT(200) ADD_VIPS GARP");
	ck_assert_uint_eq(vr.preempt_deadline, 0);
	ck_assert_uint_eq(vrrp_fsm_next_deadline(&vr), vr.adver_deadline);
}
END_TEST

START_TEST(test_names)
{
	ck_assert_str_eq(vrrp_state_name(VRRP_STATE_INIT), "INIT");
	ck_assert_str_eq(vrrp_state_name(VRRP_STATE_BACKUP), "BACKUP");
	ck_assert_str_eq(vrrp_state_name(VRRP_STATE_MASTER), "MASTER");
	ck_assert_str_eq(vrrp_state_name(VRRP_STATE_FAULT), "FAULT");
	ck_assert_str_eq(vrrp_reason_name(VRRP_REASON_NONE), "none");
	ck_assert_str_eq(vrrp_reason_name(VRRP_REASON_STARTUP), "startup");
	ck_assert_str_eq(vrrp_reason_name(VRRP_REASON_OWNER), "owner");
	ck_assert_str_eq(vrrp_reason_name(VRRP_REASON_MASTER_DOWN), "master_down");
	ck_assert_str_eq(vrrp_reason_name(VRRP_REASON_PREEMPT), "preempted");
	ck_assert_str_eq(vrrp_reason_name(VRRP_REASON_TIEBREAK), "tiebreak");
	ck_assert_str_eq(vrrp_reason_name(VRRP_REASON_PRIORITY_ZERO), "priority_zero");
	ck_assert_str_eq(vrrp_reason_name(VRRP_REASON_FAULT), "fault");
	ck_assert_str_eq(vrrp_reason_name(VRRP_REASON_FAULT_CLEAR), "fault_clear");
	ck_assert_str_eq(vrrp_reason_name(VRRP_REASON_SHUTDOWN), "shutdown");
	ck_assert_str_eq(vrrp_reason_name(VRRP_REASON_RESIGN), "resign");
}
END_TEST

START_TEST(test_actions_appended)
{
	struct vrrp_actions out = { .n = 0 };
	struct vrrp_event e = { .type = VRRP_EV_STARTUP };

	setup(3, 255, 1, true, 0);
	vrrp_fsm_input(&vr, &e, now, &out);
	e.type = VRRP_EV_SHUTDOWN;
	vrrp_fsm_input(&vr, &e, now, &out);
	ck_assert_str_eq(fmt_actions(&out), "STATE(INIT>MASTER,owner) ADVERT(255) ADD_VIPS GARP "
	                 "STATE(MASTER>INIT,shutdown) ADVERT(0) DEL_VIPS");
}
END_TEST

/* Warm restart, silent window: still INIT for one Advertisement_Interval,
 * then Master with the VIPs kept (ADD_VIPS only re-asserts them). */
START_TEST(test_warm_silent)
{
	setup(3, 100, 50, true, 0);
	ck_assert_str_eq(ev(VRRP_EV_WARM_START), "");
	ck_assert_int_eq(vr.state, VRRP_STATE_INIT);
	ck_assert_uint_eq(vrrp_fsm_next_deadline(&vr), T0 + 500000);
	ck_assert_str_eq(ev(VRRP_EV_WARM_START), "");        /* once */
	ck_assert_uint_eq(vrrp_fsm_next_deadline(&vr), T0 + 500000);
	ck_assert_str_eq(timer_at(T0 + 499999), "");
	ck_assert_str_eq(timer_at(T0 + 500000),
	                 "STATE(INIT>MASTER,warm_restart) ADVERT(100) ADD_VIPS GARP");
	ck_assert_uint_eq(vr.warm_deadline, 0);
	ck_assert_uint_eq(vrrp_fsm_next_deadline(&vr), grid(T0 + 500000, 500000));
}
END_TEST

/* A higher-priority master, or an equal one with a greater address, heard in
 * the window: Backup, the leftover VIPs removed, the master followed. */
START_TEST(test_warm_higher_master)
{
	setup(3, 100, 50, true, 0);
	ev(VRRP_EV_WARM_START);
	now += 100000;
	ck_assert_str_eq(advert(150, 50, "10.0.0.9"), "STATE(INIT>BACKUP,preempted) DEL_VIPS");
	ck_assert_int_eq(vr.state, VRRP_STATE_BACKUP);
	ck_assert_uint_eq(vr.master_priority, 150);
	ck_assert_uint_eq(vr.warm_deadline, 0);
	ck_assert_uint_eq(vrrp_fsm_next_deadline(&vr), now + vr.master_down_interval_us);
	/* the window's deadline no longer applies */
	ck_assert_str_eq(timer_at(T0 + 500000), "");
	setup(3, 100, 50, true, 0);
	ev(VRRP_EV_WARM_START);
	ck_assert_str_eq(advert(100, 50, "10.0.0.9"), "STATE(INIT>BACKUP,tiebreak) DEL_VIPS");
}
END_TEST

/* A lower-priority master (or equal with a lower address): with preempt we
 * take over at once; without it, or with preempt_delay, we follow it. */
START_TEST(test_warm_lower_master)
{
	setup(3, 100, 50, true, 0);
	ev(VRRP_EV_WARM_START);
	now += 100000;
	ck_assert_str_eq(advert(90, 50, "10.0.0.9"),
	                 "STATE(INIT>MASTER,preempted) ADVERT(100) ADD_VIPS GARP");
	setup(3, 100, 50, true, 0);
	ev(VRRP_EV_WARM_START);
	ck_assert_str_eq(advert(100, 50, "10.0.0.1"),
	                 "STATE(INIT>MASTER,preempted) ADVERT(100) ADD_VIPS GARP");
	setup(3, 100, 50, false, 0);
	ev(VRRP_EV_WARM_START);
	ck_assert_str_eq(advert(90, 50, "10.0.0.9"), "STATE(INIT>BACKUP,startup) DEL_VIPS");
	ck_assert_uint_eq(vr.master_priority, 90);
	ck_assert_uint_eq(vrrp_fsm_next_deadline(&vr), now + vr.master_down_interval_us);
	setup(3, 100, 50, true, 2000000);
	ev(VRRP_EV_WARM_START);
	ck_assert_str_eq(advert(90, 50, "10.0.0.9"), "STATE(INIT>BACKUP,startup) DEL_VIPS");
	ck_assert_uint_eq(vr.preempt_deadline, now + 2000000);   /* preempt_delay runs */
}
END_TEST

/* Our own advert reflected back changes nothing; priority 0 from another
 * router is followed as a Backup (Master_Down_Timer = Skew_Time). */
START_TEST(test_warm_own_and_zero)
{
	setup(3, 100, 50, true, 0);
	ev(VRRP_EV_WARM_START);
	ck_assert_str_eq(advert(100, 50, "10.0.0.2"), "");
	ck_assert_int_eq(vr.state, VRRP_STATE_INIT);
	ck_assert_str_eq(advert(0, 50, "10.0.0.9"), "STATE(INIT>BACKUP,startup) DEL_VIPS");
	ck_assert_uint_eq(vrrp_fsm_next_deadline(&vr), now + vr.skew_time_us);
}
END_TEST

/* Faults, shutdown, resign, the owner, sync groups inside the window. */
START_TEST(test_warm_other_events)
{
	setup(3, 100, 50, true, 0);
	ev(VRRP_EV_WARM_START);
	ck_assert_str_eq(ev(VRRP_EV_FAULT), "STATE(INIT>FAULT,fault) DEL_VIPS");
	ck_assert_str_eq(ev(VRRP_EV_WARM_START), "");           /* only from INIT */
	setup(3, 100, 50, true, 0);
	ev(VRRP_EV_WARM_START);
	ck_assert_str_eq(ev(VRRP_EV_SHUTDOWN), "DEL_VIPS");
	ck_assert_uint_eq(vrrp_fsm_next_deadline(&vr), 0);
	ck_assert_str_eq(ev(VRRP_EV_SHUTDOWN), "");
	setup(3, 100, 50, true, 0);
	ev(VRRP_EV_WARM_START);
	ck_assert_str_eq(ev(VRRP_EV_RESIGN), "STATE(INIT>BACKUP,resign) DEL_VIPS");
	setup(3, 255, 50, true, 0);
	ck_assert_str_eq(ev(VRRP_EV_WARM_START), "STATE(INIT>MASTER,owner) ADVERT(255) ADD_VIPS GARP");
	setup(3, 100, 50, true, 0);
	ev(VRRP_EV_WARM_START);
	ck_assert_str_eq(ev(VRRP_EV_TAKEOVER), "STATE(INIT>MASTER,sync_group) ADVERT(100) ADD_VIPS GARP");
	setup(3, 100, 50, true, 0);
	ev(VRRP_EV_WARM_START);
	vr.sync_blocked = true;
	ck_assert_str_eq(timer_at(T0 + 500000), "STATE(INIT>BACKUP,sync_group) DEL_VIPS");
	/* a cold start never removes anything itself (the shell did) */
	setup(3, 100, 50, true, 0);
	ck_assert_str_eq(ev(VRRP_EV_STARTUP), "STATE(INIT>BACKUP,startup)");
	ck_assert_str_eq(ev(VRRP_EV_WARM_START), "");
}
END_TEST

START_TEST(test_warm_decide)
{
	struct vrrp_start_in in = { .recorded = true, .prev = VRRP_STATE_MASTER, .n_vips = 2, .n_present = 2 };

	ck_assert_int_eq(vrrp_start_decide(&in), VRRP_START_WARM);
	in.n_present = 1;
	ck_assert_int_eq(vrrp_start_decide(&in), VRRP_START_COLD_VIPS_MISSING);
	in.n_present = 2;
	in.use_vmac = true;
	ck_assert_int_eq(vrrp_start_decide(&in), VRRP_START_COLD_VMAC);
	in.use_vmac = false;
	in.startup_delay = true;
	ck_assert_int_eq(vrrp_start_decide(&in), VRRP_START_COLD_DELAYED);
	in.startup_delay = false;
	for (enum vrrp_state s = VRRP_STATE_INIT; s <= VRRP_STATE_FAULT; s++) {
		in.prev = s;
		ck_assert_int_eq(vrrp_start_decide(&in), s == VRRP_STATE_MASTER ? VRRP_START_WARM
		                                                               : VRRP_START_COLD_NOT_MASTER);
	}
	in.recorded = false;
	in.prev = VRRP_STATE_MASTER;
	ck_assert_int_eq(vrrp_start_decide(&in), VRRP_START_COLD_NO_RECORD);
	in = (struct vrrp_start_in){ .recorded = true, .prev = VRRP_STATE_MASTER };
	ck_assert_int_eq(vrrp_start_decide(&in), VRRP_START_WARM);   /* no VIPs: all present */
	ck_assert_str_eq(vrrp_start_name(VRRP_START_WARM), "warm");
	ck_assert_str_eq(vrrp_start_name(VRRP_START_COLD_VIPS_MISSING), "vips_missing");
}
END_TEST

/* What the state file records: inside the warm window the instance is still
 * INIT but counts as Master (a crash there must keep the record); once the
 * window ends either way, the FSM's own state. */
START_TEST(test_warm_record_state)
{
	setup(3, 100, 50, true, 0);
	ck_assert_int_eq(vrrp_warm_record_state(&vr), VRRP_STATE_INIT);
	ev(VRRP_EV_WARM_START);
	ck_assert_int_eq(vr.state, VRRP_STATE_INIT);
	ck_assert_int_eq(vrrp_warm_record_state(&vr), VRRP_STATE_MASTER);
	now += 100000;
	advert(150, 50, "10.0.0.9");
	ck_assert_int_eq(vrrp_warm_record_state(&vr), VRRP_STATE_BACKUP);
	setup(3, 100, 50, true, 0);
	ev(VRRP_EV_WARM_START);
	timer_at(T0 + 500000);
	ck_assert_int_eq(vr.state, VRRP_STATE_MASTER);
	ck_assert_int_eq(vrrp_warm_record_state(&vr), VRRP_STATE_MASTER);
	setup(3, 100, 50, true, 0);
	ev(VRRP_EV_STARTUP);
	ck_assert_int_eq(vrrp_warm_record_state(&vr), VRRP_STATE_BACKUP);
}
END_TEST

START_TEST(test_warm_file)
{
	char text[256], line[64];
	enum vrrp_state s = VRRP_STATE_FAULT;
	size_t len = 0;
	int n;

	text[0] = '\0';
	n = vrrp_warm_line(line, sizeof(line), "VI_1", VRRP_STATE_MASTER);
	ck_assert_str_eq(line, "state=MASTER instance=VI_1\n");
	ck_assert_int_eq(n, (int)strlen(line));
	len += (size_t)snprintf(text + len, sizeof(text) - len, "%s", line);
	ck_assert_int_gt(vrrp_warm_line(line, sizeof(line), "web two", VRRP_STATE_BACKUP), 0);
	len += (size_t)snprintf(text + len, sizeof(text) - len, "%s", line);
	ck_assert_int_gt(vrrp_warm_line(line, sizeof(line), "VI_10", VRRP_STATE_INIT), 0);
	snprintf(text + len, sizeof(text) - len, "%s", line);
	ck_assert(vrrp_warm_lookup(text, "VI_1", &s));
	ck_assert_int_eq(s, VRRP_STATE_MASTER);
	ck_assert(vrrp_warm_lookup(text, "web two", &s));
	ck_assert_int_eq(s, VRRP_STATE_BACKUP);
	ck_assert(vrrp_warm_lookup(text, "VI_10", &s));
	ck_assert_int_eq(s, VRRP_STATE_INIT);
	ck_assert(!vrrp_warm_lookup(text, "VI_", &s));
	ck_assert(!vrrp_warm_lookup(text, "VI_2", &s));
	ck_assert(!vrrp_warm_lookup("", "VI_1", &s));
	/* a cut last line, an unknown state or another format is no record */
	ck_assert(!vrrp_warm_lookup("state=MASTER instance=VI_1", "VI_1", &s));
	ck_assert(!vrrp_warm_lookup("state=BOSS instance=VI_1\n", "VI_1", &s));
	ck_assert(!vrrp_warm_lookup("MASTER VI_1\n", "VI_1", &s));
	ck_assert(!vrrp_warm_lookup("state=MASTER\n", "VI_1", &s));
	/* names with a newline are never written; too small a buffer fails */
	ck_assert_int_eq(vrrp_warm_line(line, sizeof(line), "a\nb", VRRP_STATE_MASTER), -1);
	ck_assert_int_eq(vrrp_warm_line(line, 10, "VI_1", VRRP_STATE_MASTER), -1);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("vrrp_fsm");
	TCase *tc = tcase_create("fsm");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_timer_arithmetic);
	tcase_add_test(tc, test_startup_backup_10ms);
	tcase_add_test(tc, test_startup_backup_1s);
	tcase_add_test(tc, test_owner_starts_master);
	tcase_add_test(tc, test_master_down);
	tcase_add_test(tc, test_higher_priority_preempts_master);
	tcase_add_test(tc, test_higher_priority_backup_takes_over);
	tcase_add_test(tc, test_lower_priority_advert_to_master);
	tcase_add_test(tc, test_lower_priority_advert_to_master_v2);
	tcase_add_test(tc, test_immediate_advert_capped);
	tcase_add_test(tc, test_no_preempt_keeps_lower_master);
	tcase_add_test(tc, test_preempt_delay);
	tcase_add_test(tc, test_preempt_delay_dropped_by_higher_master);
	tcase_add_test(tc, test_preempt_delay_dropped_by_update);
	tcase_add_test(tc, test_priority_zero);
	tcase_add_test(tc, test_tiebreak);
	tcase_add_test(tc, test_interval_learning);
	tcase_add_test(tc, test_v2_no_learning);
	tcase_add_test(tc, test_advert_rhythm_no_drift);
	tcase_add_test(tc, test_fault_from_init);
	tcase_add_test(tc, test_fault_from_backup);
	tcase_add_test(tc, test_fault_from_master);
	tcase_add_test(tc, test_shutdown);
	tcase_add_test(tc, test_resign);
	tcase_add_test(tc, test_resign_no_preempt);
	tcase_add_test(tc, test_update);
	tcase_add_test(tc, test_update_backup_keeps_learned_interval);
	tcase_add_test(tc, test_priority_event);
	tcase_add_test(tc, test_priority_event_backup);
	tcase_add_test(tc, test_takeover);
	tcase_add_test(tc, test_sync_blocked);
	tcase_add_test(tc, test_startup_hold);
	tcase_add_test(tc, test_next_deadline_minimum);
	tcase_add_test(tc, test_names);
	tcase_add_test(tc, test_actions_appended);
	tcase_add_test(tc, test_warm_silent);
	tcase_add_test(tc, test_warm_higher_master);
	tcase_add_test(tc, test_warm_lower_master);
	tcase_add_test(tc, test_warm_own_and_zero);
	tcase_add_test(tc, test_warm_other_events);
	tcase_add_test(tc, test_warm_decide);
	tcase_add_test(tc, test_warm_record_state);
	tcase_add_test(tc, test_warm_file);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
