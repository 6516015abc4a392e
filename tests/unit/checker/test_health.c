/* Health transitions on results fed by hand: rise, fall with retries, alpha,
 * dynamic weight, and the drift-free schedule arithmetic. */
#include "health.h"
#include "test_checker.h"

static const struct health_result OK = { .ok = true, .weight = -1 };
static const struct health_result TMO = { .ok = false, .reason = HEALTH_R_TIMEOUT, .weight = -1 };

START_TEST(test_fall_with_retries)
{
	struct health_params p = { .retry = 2, .rise = 1 };
	struct health h;

	health_init(&h, &p);
	ck_assert(h.up);
	ck_assert_uint_eq(health_update(&h, &p, &OK), 0);
	/* retry = 2: two failures are retried, the third takes it down */
	ck_assert_uint_eq(health_update(&h, &p, &TMO), HEALTH_RETRY | HEALTH_CHANGED_REASON);
	ck_assert(h.up);
	ck_assert_uint_eq(health_update(&h, &p, &TMO), HEALTH_RETRY);
	ck_assert(h.up);
	ck_assert_uint_eq(health_update(&h, &p, &TMO), HEALTH_CHANGED_UP);
	ck_assert(!h.up);
	ck_assert_str_eq(health_reason_name(h.reason), "timeout");
	/* down: further failures change nothing and are not retried */
	ck_assert_uint_eq(health_update(&h, &p, &TMO), 0);
	ck_assert_uint_eq(h.checks, 5);
	ck_assert_uint_eq(h.failed, 4);
	ck_assert_uint_eq(h.transitions, 1);
}
END_TEST

START_TEST(test_success_resets_retries)
{
	struct health_params p = { .retry = 1, .rise = 1 };
	struct health h;

	health_init(&h, &p);
	ck_assert_uint_eq(health_update(&h, &p, &TMO) & HEALTH_RETRY, HEALTH_RETRY);
	health_update(&h, &p, &OK);
	ck_assert_uint_eq(health_update(&h, &p, &TMO) & HEALTH_RETRY, HEALTH_RETRY);
	ck_assert(h.up);
	ck_assert_uint_eq(health_update(&h, &p, &TMO) & HEALTH_CHANGED_UP, HEALTH_CHANGED_UP);
	ck_assert(!h.up);
}
END_TEST

START_TEST(test_retry_zero)
{
	struct health_params p = { .retry = 0, .rise = 1 };
	struct health h;

	health_init(&h, &p);
	ck_assert_uint_eq(health_update(&h, &p, &TMO) & HEALTH_CHANGED_UP, HEALTH_CHANGED_UP);
	ck_assert(!h.up);
}
END_TEST

START_TEST(test_rise)
{
	struct health_params p = { .retry = 0, .rise = 3 };
	struct health h;

	health_init(&h, &p);
	health_update(&h, &p, &TMO);
	ck_assert(!h.up);
	ck_assert_uint_eq(health_update(&h, &p, &OK), HEALTH_CHANGED_REASON);
	ck_assert_uint_eq(health_update(&h, &p, &OK), 0);
	/* a failure in between restarts the count */
	health_update(&h, &p, &TMO);
	health_update(&h, &p, &OK);
	health_update(&h, &p, &OK);
	ck_assert(!h.up);
	ck_assert_uint_eq(health_update(&h, &p, &OK), HEALTH_CHANGED_UP);
	ck_assert(h.up);
	ck_assert_uint_eq(h.transitions, 2);
}
END_TEST

START_TEST(test_alpha)
{
	struct health_params p = { .retry = 3, .rise = 2, .alpha = true };
	struct health h;

	health_init(&h, &p);
	ck_assert(!h.up);
	ck_assert_str_eq(health_reason_name(h.reason), "init");
	/* already down: a failure is final, no retry */
	ck_assert_uint_eq(health_update(&h, &p, &TMO), HEALTH_CHANGED_REASON);
	health_update(&h, &p, &OK);
	ck_assert(!h.up);
	ck_assert_uint_eq(health_update(&h, &p, &OK), HEALTH_CHANGED_UP);
}
END_TEST

START_TEST(test_rise_zero_means_one)
{
	struct health_params p = { .retry = 0, .rise = 0, .alpha = true };
	struct health h;

	health_init(&h, &p);
	ck_assert_uint_eq(health_update(&h, &p, &OK) & HEALTH_CHANGED_UP, HEALTH_CHANGED_UP);
}
END_TEST

START_TEST(test_status_reason_code)
{
	struct health_params p = { .retry = 0, .rise = 1 };
	struct health_result r503 = { .reason = HEALTH_R_STATUS, .code = 503, .weight = -1 };
	struct health_result r500 = { .reason = HEALTH_R_STATUS, .code = 500, .weight = -1 };
	struct health_result bad = { .ok = false, .weight = -1 };
	struct health h;

	health_init(&h, &p);
	ck_assert_uint_eq(health_update(&h, &p, &r503), HEALTH_CHANGED_UP | HEALTH_CHANGED_REASON);
	ck_assert_int_eq(h.code, 503);
	ck_assert_uint_eq(health_update(&h, &p, &r503), 0);
	ck_assert_uint_eq(health_update(&h, &p, &r500), HEALTH_CHANGED_REASON);
	/* a failure without a reason is reported as an internal error, never "ok" */
	health_update(&h, &p, &bad);
	ck_assert_str_eq(health_reason_name(h.reason), "internal_error");
	ck_assert_str_eq(health_reason_name(HEALTH_R_MAX), "unknown");
}
END_TEST

START_TEST(test_dynamic_weight)
{
	struct health_params p = { .retry = 0, .rise = 1 };
	struct health_result r;
	struct health h;

	health_init(&h, &p);
	ck_assert_int_eq(health_weight(&h, 7), 7);
	health_result_from_exit(&r, true, 12, 0);
	ck_assert(r.ok);
	ck_assert_int_eq(r.weight, 10);
	ck_assert_uint_eq(health_update(&h, &p, &r), HEALTH_CHANGED_WEIGHT);
	ck_assert_int_eq(health_weight(&h, 7), 10);
	ck_assert_uint_eq(health_update(&h, &p, &r), 0);
	health_result_from_exit(&r, true, 1, 0);
	ck_assert(!r.ok);
	ck_assert_int_eq(r.reason, HEALTH_R_EXIT);
	ck_assert_uint_eq(health_update(&h, &p, &r), HEALTH_CHANGED_UP | HEALTH_CHANGED_REASON);
	/* exit 2 = weight 0, still up */
	health_result_from_exit(&r, true, 2, 0);
	ck_assert(r.ok);
	ck_assert_int_eq(r.weight, 0);
	/* without misc_dynamic any non-zero exit is down */
	health_result_from_exit(&r, false, 12, 0);
	ck_assert(!r.ok);
	ck_assert_int_eq(r.code, 12);
	health_result_from_exit(&r, true, 0, 9);
	ck_assert(!r.ok);
	ck_assert_int_eq(r.reason, HEALTH_R_SIGNAL);
	ck_assert_int_eq(r.code, 9);
	health_result_from_exit(&r, true, 0, 0);
	ck_assert(r.ok);
	ck_assert_int_eq(r.weight, -1);
}
END_TEST

START_TEST(test_next_due)
{
	uint64_t missed = 99;

	/* on time: exactly one interval later, however late the probe finished */
	ck_assert_uint_eq(health_next_due(1000, 500, 1200, &missed), 1500);
	ck_assert_uint_eq(missed, 0);
	ck_assert_uint_eq(health_next_due(1000, 500, 1499, &missed), 1500);
	/* behind: skip to the first slot in the future, count the skipped ones */
	ck_assert_uint_eq(health_next_due(1000, 500, 1500, &missed), 2000);
	ck_assert_uint_eq(missed, 1);
	ck_assert_uint_eq(health_next_due(1000, 500, 3100, &missed), 3500);
	ck_assert_uint_eq(missed, 4);
	ck_assert_uint_eq(health_next_due(1000, 0, 1000, NULL), 1001);
}
END_TEST

START_TEST(test_warmup)
{
	uint64_t sum = 0;

	ck_assert_uint_eq(health_warmup_offset(0, 5), 0);
	for (uint64_t i = 0; i < 1000; i++) {
		uint64_t o = health_warmup_offset(1000, i);
		ck_assert_uint_lt(o, 1000);
		sum += o;
	}
	/* spread, not bunched: the mean is near the middle */
	ck_assert_uint_gt(sum / 1000, 400);
	ck_assert_uint_lt(sum / 1000, 600);
	ck_assert_uint_eq(health_warmup_offset(1000, 42), health_warmup_offset(1000, 42));
}
END_TEST

TCase *tcase_health(void)
{
	TCase *tc = tcase_create("health");

	tcase_add_test(tc, test_fall_with_retries);
	tcase_add_test(tc, test_success_resets_retries);
	tcase_add_test(tc, test_retry_zero);
	tcase_add_test(tc, test_rise);
	tcase_add_test(tc, test_alpha);
	tcase_add_test(tc, test_rise_zero_means_one);
	tcase_add_test(tc, test_status_reason_code);
	tcase_add_test(tc, test_dynamic_weight);
	tcase_add_test(tc, test_next_due);
	tcase_add_test(tc, test_warmup);
	return tc;
}
