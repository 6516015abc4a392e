/* The pure tracking and sync-group functions: effective priority for every
 * weight sign with and without reverse, files times weight, hysteresis,
 * debounce on a fake clock, and sync-group commands. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "vrrp_sync.h"
#include "vrrp_track.h"

static struct vrrp_track bin(int weight, bool reverse, bool up)
{
	return (struct vrrp_track){ .weight = weight, .reverse = reverse, .up = up, .known = true };
}

static struct vrrp_track file(int weight, bool reverse, long value)
{
	return (struct vrrp_track){ .weight = weight, .reverse = reverse, .is_value = true,
	                            .value = value, .known = true };
}

static struct vrrp_prio prio(uint8_t base, const struct vrrp_track *t, size_t n)
{
	struct vrrp_prio p;

	vrrp_track_priority(base, t, n, &p);
	return p;
}

START_TEST(test_weights)
{
	struct vrrp_track t[3];

	ck_assert_uint_eq(prio(100, NULL, 0).priority, 100);
	/* positive: added while good */
	t[0] = bin(20, false, true);
	ck_assert_uint_eq(prio(100, t, 1).priority, 120);
	t[0] = bin(20, false, false);
	ck_assert_uint_eq(prio(100, t, 1).priority, 100);
	/* negative: subtracted while bad */
	t[0] = bin(-30, false, false);
	ck_assert_uint_eq(prio(100, t, 1).priority, 70);
	ck_assert_int_eq(prio(100, t, 1).delta, -30);
	t[0] = bin(-30, false, true);
	ck_assert_uint_eq(prio(100, t, 1).priority, 100);
	/* zero: bad means FAULT, the priority is untouched */
	t[0] = bin(0, false, false);
	ck_assert(prio(100, t, 1).fault);
	ck_assert_uint_eq(prio(100, t, 1).priority, 100);
	t[0] = bin(0, false, true);
	ck_assert(!prio(100, t, 1).fault);
	/* sums, clamped to 1..254 */
	t[0] = bin(-60, false, false);
	t[1] = bin(-60, false, false);
	t[2] = bin(50, false, true);
	ck_assert_uint_eq(prio(100, t, 3).priority, 30);
	ck_assert_uint_eq(prio(50, t, 3).priority, 1);
	t[0] = bin(200, false, true);
	ck_assert_uint_eq(prio(100, t, 1).priority, 254);
}
END_TEST

START_TEST(test_reverse)
{
	struct vrrp_track t;

	t = bin(20, true, false);     /* reverse: down is good */
	ck_assert_uint_eq(prio(100, &t, 1).priority, 120);
	t = bin(20, true, true);
	ck_assert_uint_eq(prio(100, &t, 1).priority, 100);
	t = bin(-20, true, true);     /* reverse: up is bad */
	ck_assert_uint_eq(prio(100, &t, 1).priority, 80);
	t = bin(0, true, true);
	ck_assert(prio(100, &t, 1).fault);
	t = bin(0, true, false);
	ck_assert(!prio(100, &t, 1).fault);
}
END_TEST

START_TEST(test_files)
{
	struct vrrp_track t;

	t = file(1, false, 15);
	ck_assert_uint_eq(prio(100, &t, 1).priority, 115);
	t = file(-2, false, 15);
	ck_assert_uint_eq(prio(100, &t, 1).priority, 70);
	t = file(2, true, 15);
	ck_assert_uint_eq(prio(100, &t, 1).priority, 70);
	t = file(1, false, -254);     /* at or below -254: failure */
	ck_assert(prio(100, &t, 1).fault);
	t = file(1, false, -253);
	ck_assert(!prio(100, &t, 1).fault);
	ck_assert_uint_eq(prio(100, &t, 1).priority, 1);
	t = file(0, false, 3);        /* weight 0: non-zero is a failure */
	ck_assert(prio(100, &t, 1).fault);
	t = file(0, false, 0);
	ck_assert(!prio(100, &t, 1).fault);
	t = file(0, true, 0);
	ck_assert(prio(100, &t, 1).fault);
	t = file(100, false, 1000000);  /* no overflow: capped */
	ck_assert_uint_eq(prio(100, &t, 1).priority, 254);
}
END_TEST

START_TEST(test_owner_and_unknown)
{
	struct vrrp_track t[2] = { bin(-50, false, false), bin(0, false, false) };

	ck_assert_uint_eq(prio(255, t, 1).priority, 255);
	ck_assert(!prio(255, t, 1).fault);
	ck_assert(prio(255, t, 2).fault);
	/* an object without a result yet counts as neither good nor bad */
	t[0].known = false;
	t[1].known = false;
	ck_assert_uint_eq(prio(100, t, 2).priority, 100);
	ck_assert(!prio(100, t, 2).fault);
}
END_TEST

START_TEST(test_hysteresis)
{
	bool known = false, up = false;
	unsigned streak = 0;

	up = vrrp_track_hysteresis(up, &known, &streak, true, 2, 3);
	ck_assert(up && known);               /* the first result counts at once */
	up = vrrp_track_hysteresis(up, &known, &streak, false, 2, 3);
	up = vrrp_track_hysteresis(up, &known, &streak, false, 2, 3);
	ck_assert(up);
	up = vrrp_track_hysteresis(up, &known, &streak, true, 2, 3);   /* streak broken */
	up = vrrp_track_hysteresis(up, &known, &streak, false, 2, 3);
	up = vrrp_track_hysteresis(up, &known, &streak, false, 2, 3);
	ck_assert(up);
	up = vrrp_track_hysteresis(up, &known, &streak, false, 2, 3);
	ck_assert(!up);                       /* fall = 3 */
	up = vrrp_track_hysteresis(up, &known, &streak, true, 2, 3);
	ck_assert(!up);
	up = vrrp_track_hysteresis(up, &known, &streak, true, 2, 3);
	ck_assert(up);                        /* rise = 2 */
}
END_TEST

START_TEST(test_debounce)
{
	struct vrrp_debounce db = { .state = true, .pending = true };
	uint64_t dl;

	/* down after 100 ms, up after 2 s */
	ck_assert(vrrp_track_debounce(&db, false, 1000, 2000, 100, &dl));
	ck_assert_uint_eq(dl, 1100);
	ck_assert(vrrp_track_debounce(&db, false, 1050, 2000, 100, &dl));
	ck_assert_uint_eq(dl, 1100);
	ck_assert(!vrrp_track_debounce(&db, false, 1100, 2000, 100, &dl));
	ck_assert_uint_eq(dl, 0);
	/* a flap up shorter than delay_up is ignored */
	ck_assert(!vrrp_track_debounce(&db, true, 1200, 2000, 100, &dl));
	ck_assert_uint_eq(dl, 3200);
	ck_assert(!vrrp_track_debounce(&db, false, 1300, 2000, 100, &dl));
	ck_assert_uint_eq(dl, 0);
	ck_assert(!vrrp_track_debounce(&db, true, 1400, 2000, 100, &dl));
	ck_assert_uint_eq(dl, 3400);
	ck_assert(vrrp_track_debounce(&db, true, 3400, 2000, 100, &dl));
	/* no delay: at once */
	ck_assert(!vrrp_track_debounce(&db, false, 5000, 0, 0, &dl));
	ck_assert_uint_eq(dl, 0);
}
END_TEST

static void decide(struct vrrp_sync_member *m, size_t n, size_t who, const char *want)
{
	enum vrrp_sync_cmd cmd[8];
	static const char letters[] = "-FCTR";
	char got[9];

	vrrp_sync_decide(m, n, who, cmd);
	for (size_t i = 0; i < n; i++)
		got[i] = letters[cmd[i]];
	got[n] = '\0';
	ck_assert_str_eq(got, want);
}

START_TEST(test_sync_decide)
{
	struct vrrp_sync_member m[3] = {
		{ VRRP_STATE_MASTER, false, false }, { VRRP_STATE_BACKUP, false, false }, { VRRP_STATE_BACKUP, false, false },
	};

	decide(m, 3, 0, "-TT");                 /* one became Master: the Backups follow */
	m[1].state = m[2].state = VRRP_STATE_MASTER;
	decide(m, 3, 1, "---");
	m[1].state = VRRP_STATE_BACKUP;         /* preempted: the other Masters resign */
	decide(m, 3, 1, "R-R");
	/* a member loses its link: the whole group goes FAULT */
	m[0].state = m[2].state = VRRP_STATE_MASTER;
	m[1].state = VRRP_STATE_FAULT;
	m[1].own_fault = true;
	decide(m, 3, 1, "F-F");
	m[0].state = m[2].state = VRRP_STATE_FAULT;
	decide(m, 3, 1, "---");
	/* a second fault; the first clears: still FAULT */
	m[2].own_fault = true;
	m[1].own_fault = false;
	decide(m, 3, 1, "---");
	/* none left: everyone leaves FAULT together */
	m[2].own_fault = false;
	decide(m, 3, 2, "CCC");
	/* INIT members (startup_delay) are left alone */
	m[0].state = VRRP_STATE_INIT;
	m[1].state = VRRP_STATE_MASTER;
	m[2].state = VRRP_STATE_BACKUP;
	decide(m, 3, 1, "--T");
}
END_TEST

START_TEST(test_sync_may_master)
{
	struct vrrp_sync_member m[3] = {
		{ VRRP_STATE_BACKUP, false, true }, { VRRP_STATE_BACKUP, false, false },
		{ VRRP_STATE_INIT, false, false },
	};
	struct vrrp_fsm vr;

	/* member 1 hears a higher master: member 0 must stay Backup (no thrashing) */
	ck_assert(!vrrp_sync_may_master(m, 3, 0));
	ck_assert(vrrp_sync_may_master(m, 3, 1));
	m[1].wants_master = true;
	ck_assert(vrrp_sync_may_master(m, 3, 0));   /* INIT members do not count */
	memset(&vr, 0, sizeof(vr));
	vr.state = VRRP_STATE_BACKUP;
	vr.priority = 100;
	vr.master_priority = 0;                     /* no master known */
	ck_assert(vrrp_sync_wants_master(&vr));
	vr.master_priority = 90;
	ck_assert(vrrp_sync_wants_master(&vr));
	vr.master_priority = 110;
	ck_assert(!vrrp_sync_wants_master(&vr));
	vr.state = VRRP_STATE_MASTER;
	ck_assert(vrrp_sync_wants_master(&vr));
	vr.state = VRRP_STATE_FAULT;
	ck_assert(!vrrp_sync_wants_master(&vr));
}
END_TEST

START_TEST(test_sync_state)
{
	struct vrrp_sync_member m[2] = { { VRRP_STATE_MASTER, false, false }, { VRRP_STATE_MASTER, false, false } };

	ck_assert_int_eq(vrrp_sync_state(m, 2), VRRP_STATE_MASTER);
	m[1].state = VRRP_STATE_BACKUP;
	ck_assert_int_eq(vrrp_sync_state(m, 2), VRRP_STATE_INIT);
	m[0].state = VRRP_STATE_BACKUP;
	ck_assert_int_eq(vrrp_sync_state(m, 2), VRRP_STATE_BACKUP);
	m[0].state = VRRP_STATE_FAULT;
	ck_assert_int_eq(vrrp_sync_state(m, 2), VRRP_STATE_FAULT);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("vrrp_track");
	TCase *tc = tcase_create("track");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_weights);
	tcase_add_test(tc, test_reverse);
	tcase_add_test(tc, test_files);
	tcase_add_test(tc, test_owner_and_unknown);
	tcase_add_test(tc, test_hysteresis);
	tcase_add_test(tc, test_debounce);
	tcase_add_test(tc, test_sync_decide);
	tcase_add_test(tc, test_sync_state);
	tcase_add_test(tc, test_sync_may_master);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
