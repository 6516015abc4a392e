/* Unit tests of the size guard in front of regcomp() (lib/config_regex.c):
 * patterns an operator writes pass, patterns whose glibc expansion would
 * take hundreds of megabytes (the fuzzer's find) are refused with a reason. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "config_regex.h"

static int guard(const char *p, char *err)
{
	return regex_guard(p, err, 160);
}

START_TEST(test_accepted)
{
	static const char *const ok[] = {
		"ok", "^HTTP/1\\.[01] 200", "<title>[^<]*</title>", "[[:alpha:]]{1,255}",
		"(a|b){1,100}", "a{3}b{2,}c{,4}", "[]a]{2}", "[^]]+", "a{,}", "\\{5\\}",
		"status: (up|ready)$", "((((((((((a+)+)+)+)+)+)+)+)+)+)+", "(a{0,255}){0,15}",
	};
	char err[160];

	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		regex_t re;

		err[0] = 0;
		ck_assert_msg(guard(ok[i], err) == 0, "%s refused: %s", ok[i], err);
		ck_assert_msg(regex_compile(&re, ok[i], 0, err, sizeof(err)) == 0, "%s: %s", ok[i], err);
		regfree(&re);
	}
}
END_TEST

START_TEST(test_refused)
{
	static const struct { const char *p, *why; } bad[] = {
		{ "a{256}", "repetition bound above 255" },
		{ "a{1,10000}", "repetition bound above 255" },
		{ "a{99999999999999999999}", "repetition bound above 255" },
		{ "(a{1,200}){1,200}", "expands past 4096" },
		{ "((a{10}){10}){100}", "expands past 4096" },
		{ "(.{1,64}){1,64}", "expands past 4096" },
		{ "a{10}{10}{10}{10}", "expands past 4096" },
		{ "(((((((((((((a+)+)+)+)+)+)+)+)+)+)+)+)+)+", "expands past 4096" },
		{ "((a{255}){20}", "expands past 4096" },
		{ "(a)\\1", "back-reference \\1" },
		{ "[[:alpha:]](x)\\9", "back-reference \\9" },
	};
	char err[160];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		regex_t re;

		err[0] = 0;
		ck_assert_msg(guard(bad[i].p, err) == -1, "%s accepted", bad[i].p);
		ck_assert_msg(strstr(err, bad[i].why), "%s: '%s' lacks '%s'", bad[i].p, err, bad[i].why);
		ck_assert_int_eq(regex_compile(&re, bad[i].p, 0, err, sizeof(err)), -1);
	}
}
END_TEST

START_TEST(test_shape_limits)
{
	char p[REGEX_MAX_LEN + 2], err[160];

	memset(p, 'a', REGEX_MAX_LEN);
	p[REGEX_MAX_LEN] = 0;
	ck_assert_int_eq(guard(p, err), 0);
	p[REGEX_MAX_LEN] = 'a';
	p[REGEX_MAX_LEN + 1] = 0;
	ck_assert_int_eq(guard(p, err), -1);
	ck_assert_ptr_nonnull(strstr(err, "longer than 1024"));

	/* 32 nested groups pass, 33 do not */
	memset(p, 0, sizeof(p));
	memset(p, '(', REGEX_MAX_DEPTH);
	strcat(p, "a");
	memset(p + strlen(p), ')', REGEX_MAX_DEPTH);
	ck_assert_msg(guard(p, err) == 0, "%s", err);
	memset(p, 0, sizeof(p));
	memset(p, '(', REGEX_MAX_DEPTH + 1);
	ck_assert_int_eq(guard(p, err), -1);
	ck_assert_ptr_nonnull(strstr(err, "deeper than 32"));
}
END_TEST

START_TEST(test_regcomp_errors_kept)
{
	regex_t re;
	char err[160] = "";

	/* inside the limits, regcomp's own verdict still comes through */
	ck_assert_int_eq(regex_compile(&re, "a[", 0, err, sizeof(err)), -1);
	ck_assert_str_ne(err, "");
	ck_assert_int_eq(regex_compile(&re, "(a", 0, err, sizeof(err)), -1);
	ck_assert_int_eq(regex_compile(&re, "x{", 0, err, sizeof(err)), -1);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("regex_guard");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_accepted);
	tcase_add_test(tc, test_refused);
	tcase_add_test(tc, test_shape_limits);
	tcase_add_test(tc, test_regcomp_errors_kept);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
