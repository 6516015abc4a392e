/* The seccomp allow-lists (lib/io_sandbox.c) loaded for real, each in a
 * forked child: execve() and fork() fail with EPERM and are counted, what the
 * daemons need keeps working, and the read-only kinds cannot open a file for
 * writing. No root needed (no_new_privs is enough for seccomp). */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "io_sandbox.h"

/* Child: 0 when every expectation held, else the number of the first that failed. */
static int child_checks(enum sandbox_kind kind, bool readonly)
{
	char *const argv[] = { "/bin/true", NULL };
	char *const envp[] = { NULL };
	char buf[1];
	int fd, p[2];

	if (sandbox_enter(kind, NULL) < 0)
		return 1;
	if (execve("/bin/true", argv, envp) != -1 || errno != EPERM)
		return 2;
	pid_t pid = fork();
	if (pid == 0)
		_exit(0);
	if (pid != -1 || errno != EPERM)
		return 3;
	if (sandbox_denied() != 2)
		return 4;
	if (getpid() <= 0 || pipe2(p, O_CLOEXEC) < 0 || write(p[1], "x", 1) != 1 || read(p[0], buf, 1) != 1)
		return 5;
	fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (kind != SANDBOX_KEEPER && fd < 0)
		return 6;
	if (fd >= 0)
		close(fd);
	fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (readonly && (fd != -1 || errno != EPERM))
		return 7;
	if (!readonly && fd < 0)
		return 8;
	return 0;
}

static int run_child(enum sandbox_kind kind, bool readonly)
{
	int st;
	pid_t pid = fork();

	ck_assert_int_ge(pid, 0);
	if (pid == 0)
		_exit(child_checks(kind, readonly));
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert_msg(WIFEXITED(st), "the sandboxed child was killed by signal %d", WTERMSIG(st));
	return WEXITSTATUS(st);
}

START_TEST(test_vrrpd) { ck_assert_int_eq(run_child(SANDBOX_VRRPD, false), 0); }
END_TEST
START_TEST(test_checker) { ck_assert_int_eq(run_child(SANDBOX_CHECKER, true), 0); }
END_TEST
START_TEST(test_ipvs_sync) { ck_assert_int_eq(run_child(SANDBOX_IPVS_SYNC, true), 0); }
END_TEST
START_TEST(test_keeper) { ck_assert_int_eq(run_child(SANDBOX_KEEPER, true), 0); }
END_TEST

/* The test can fail: without a filter the same checks do not hold. */
START_TEST(test_unsandboxed_child_differs)
{
	int st;
	pid_t pid = fork();

	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		char *const argv[] = { "/bin/true", NULL };
		char *const envp[] = { NULL };
		execve("/bin/true", argv, envp);
		_exit(99);
	}
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);   /* /bin/true ran */
	ck_assert_uint_eq(sandbox_denied(), 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("sandbox");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_vrrpd);
	tcase_add_test(tc, test_checker);
	tcase_add_test(tc, test_ipvs_sync);
	tcase_add_test(tc, test_keeper);
	tcase_add_test(tc, test_unsandboxed_child_differs);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
