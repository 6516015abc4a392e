/* The event loop: fd registry (one record per fd, removal during a batch),
 * timer order and cancel, signals. Deadlines are set in the past so nothing
 * waits on the clock. */
#include <check.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "evloop.h"

static struct ev_loop *loop;
static int order[8], n_order;
static int p1[2], p2[2];
static int fired1, fired2;

static void on_timer(void *arg)
{
	order[n_order++] = (int)(long)arg;
	if (n_order == 3)
		ev_loop_break(loop);
}

START_TEST(test_timers_in_deadline_order)
{
	struct ev_timer a, b, c, d;
	uint64_t now = ev_now_us();

	loop = ev_loop_new();
	n_order = 0;
	ev_timer_init(&a, on_timer, (void *)1L);
	ev_timer_init(&b, on_timer, (void *)2L);
	ev_timer_init(&c, on_timer, (void *)3L);
	ev_timer_init(&d, on_timer, (void *)4L);
	ev_timer_arm(loop, &c, now - 10);
	ev_timer_arm(loop, &a, now - 30);
	ev_timer_arm(loop, &d, now - 40);
	ev_timer_arm(loop, &b, now - 20);
	ev_timer_cancel(loop, &d);
	ck_assert(!ev_timer_armed(&d));
	ck_assert_int_eq(ev_loop_run(loop), 0);
	ck_assert_int_eq(n_order, 3);
	ck_assert_int_eq(order[0], 1);
	ck_assert_int_eq(order[1], 2);
	ck_assert_int_eq(order[2], 3);
	ev_loop_free(loop);
}
END_TEST

static void on_p1(int fd, uint32_t ev, void *arg)
{
	fired1++;
	/* remove the other fd although its event is pending in this batch */
	ck_assert_int_eq(ev_io_del(loop, p2[0]), 0);
	ck_assert_int_eq(ev_io_del(loop, fd), 0);
	ev_loop_break(loop);
}

static void on_p2(int fd, uint32_t ev, void *arg)
{
	fired2++;
	ck_assert_int_eq(ev_io_del(loop, p1[0]), 0);
	ck_assert_int_eq(ev_io_del(loop, fd), 0);
	ev_loop_break(loop);
}

START_TEST(test_io_registry)
{
	loop = ev_loop_new();
	fired1 = fired2 = 0;
	ck_assert_int_eq(pipe(p1), 0);
	ck_assert_int_eq(pipe(p2), 0);
	ck_assert_int_eq(ev_io_add(loop, p1[0], EPOLLIN, on_p1, NULL), 0);
	ck_assert_int_eq(ev_io_add(loop, p1[0], EPOLLIN, on_p1, NULL), -1);
	ck_assert_int_eq(errno, EEXIST);
	ck_assert_int_eq(ev_io_add(loop, p2[0], EPOLLIN, on_p2, NULL), 0);
	ck_assert_int_eq(ev_io_mod(loop, 999, EPOLLIN), -1);
	ck_assert_int_eq(write(p1[1], "x", 1), 1);
	ck_assert_int_eq(write(p2[1], "x", 1), 1);
	ck_assert_int_eq(ev_loop_run(loop), 0);
	/* exactly one callback ran: the other fd was removed before its turn */
	ck_assert_int_eq(fired1 + fired2, 1);
	ck_assert_int_eq(ev_io_del(loop, p1[0]), -1);
	/* a removed fd number can be registered again */
	ck_assert_int_eq(ev_io_add(loop, p1[0], EPOLLIN, on_p1, NULL), 0);
	ev_loop_free(loop);
	close(p1[0]); close(p1[1]); close(p2[0]); close(p2[1]);
}
END_TEST

static uint64_t slack_seen[3];
static int n_slack;

static void on_slack_timer(void *arg)
{
	slack_seen[n_slack++] = ev_now_us();
	if (n_slack == 3)
		ev_loop_break(loop);
}

/* With a slack of 100 ms, three timers due 3, 2 and 1 ms before a 100 ms
 * boundary all fire at or after that boundary (one wake-up), none early. */
START_TEST(test_timer_slack_rounds_up_to_the_grid)
{
	enum { SLACK = 100000 };
	struct ev_timer t[3];
	uint64_t now = ev_now_us();
	uint64_t grid = (now + 4000 + SLACK - 1) / SLACK * SLACK;

	loop = ev_loop_new();
	n_slack = 0;
	ev_loop_set_slack(loop, SLACK);
	for (int i = 0; i < 3; i++) {
		ev_timer_init(&t[i], on_slack_timer, NULL);
		ev_timer_arm(loop, &t[i], grid - 3000 + (uint64_t)i * 1000);
	}
	ck_assert_int_eq(ev_loop_run(loop), 0);
	ck_assert_int_eq(n_slack, 3);
	for (int i = 0; i < 3; i++)
		ck_assert_uint_ge(slack_seen[i], grid);
	ev_loop_free(loop);
}
END_TEST

static int got_signal;

static void on_signal(int signo, void *arg)
{
	got_signal = signo;
	ev_loop_break(loop);
}

START_TEST(test_signalfd)
{
	loop = ev_loop_new();
	got_signal = 0;
	ck_assert_int_eq(ev_signal_add(loop, SIGUSR1, on_signal, NULL), 0);
	kill(getpid(), SIGUSR1);   /* blocked: delivered through the signalfd */
	ck_assert_int_eq(ev_loop_run(loop), 0);
	ck_assert_int_eq(got_signal, SIGUSR1);
	ev_loop_free(loop);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("evloop");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_timers_in_deadline_order);
	tcase_add_test(tc, test_timer_slack_rounds_up_to_the_grid);
	tcase_add_test(tc, test_io_registry);
	tcase_add_test(tc, test_signalfd);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
