/* Unit tests of lib/'s small pure helpers: addresses and the log rate limiter. */
#include <check.h>
#include <stdlib.h>
#include <sys/socket.h>

#include "addr.h"
#include "log.h"

START_TEST(test_prefix_parse)
{
	struct halo_addr a;
	uint8_t plen;
	char buf[HALO_ADDRSTRLEN];

	ck_assert_int_eq(halo_prefix_parse("192.168.0.100/24", &a, &plen), 0);
	ck_assert_int_eq(a.family, AF_INET);
	ck_assert_int_eq(plen, 24);
	ck_assert_str_eq(halo_addr_str(&a, buf), "192.168.0.100");
	ck_assert_int_eq(halo_prefix_parse("2001:db8::1", &a, &plen), 0);
	ck_assert_int_eq(plen, 128);
	ck_assert_int_eq(halo_prefix_parse("10.0.0.1/33", &a, &plen), -1);
	ck_assert_int_eq(halo_prefix_parse("10.0.0.1/", &a, &plen), -1);
	ck_assert_int_eq(halo_prefix_parse("10.0.0.1/2x", &a, &plen), -1);
	ck_assert_int_eq(halo_prefix_parse("host", &a, &plen), -1);
}
END_TEST

START_TEST(test_addr_cmp)
{
	struct halo_addr a, b;

	halo_addr_parse("10.0.0.2", &a);
	halo_addr_parse("10.0.0.10", &b);
	ck_assert_int_lt(halo_addr_cmp(&a, &b), 0);
	ck_assert(!halo_addr_eq(&a, &b));
	halo_addr_parse("fe80::1", &a);
	ck_assert(halo_addr_is_linklocal6(&a));
	halo_addr_parse("2001:db8::1", &a);
	ck_assert(!halo_addr_is_linklocal6(&a));
}
END_TEST

START_TEST(test_ratelimit)
{
	struct log_ratelimit rl = LOG_RATELIMIT_INIT(1000000, 2);
	unsigned sup = 99;

	ck_assert(log_ratelimit_ok(&rl, 10, &sup));
	ck_assert_uint_eq(sup, 0);
	ck_assert(log_ratelimit_ok(&rl, 20, &sup));
	ck_assert(!log_ratelimit_ok(&rl, 30, &sup));
	ck_assert(!log_ratelimit_ok(&rl, 40, &sup));
	ck_assert(log_ratelimit_ok(&rl, 1000010, &sup));
	ck_assert_uint_eq(sup, 2);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("lib");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_prefix_parse);
	tcase_add_test(tc, test_addr_cmp);
	tcase_add_test(tc, test_ratelimit);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
