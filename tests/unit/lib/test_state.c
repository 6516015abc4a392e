/* io_state: run-dir state files written atomically and read back; an empty
 * text removes the file; a symlink planted at the name is not followed. */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io_state.h"

static char dir[] = "state.XXXXXX";

START_TEST(write_read_remove)
{
	char path[64], *s;
	struct stat st;

	ck_assert_ptr_null(io_state_read(dir, "x", 100));
	ck_assert_int_eq(errno, ENOENT);
	ck_assert_int_eq(io_state_write(dir, "x", "one\n"), 0);
	s = io_state_read(dir, "x", 100);
	ck_assert_str_eq(s, "one\n");
	free(s);
	snprintf(path, sizeof(path), "%s/x", dir);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0600);
	ck_assert_int_eq(io_state_write(dir, "x", "two, longer\n"), 0);
	s = io_state_read(dir, "x", 3);                 /* capped at max */
	ck_assert_str_eq(s, "two");
	free(s);
	ck_assert_int_eq(io_state_write(dir, "x", ""), 0);
	ck_assert_int_ne(access(path, F_OK), 0);
	ck_assert_int_eq(io_state_write(dir, "x", ""), 0);   /* already gone: fine */
}
END_TEST

START_TEST(symlink_not_followed)
{
	char link[64], target[64], *s;
	FILE *f;

	snprintf(target, sizeof(target), "%s/target", dir);
	snprintf(link, sizeof(link), "%s/y", dir);
	f = fopen(target, "w");
	ck_assert_ptr_nonnull(f);
	fputs("secret\n", f);
	fclose(f);
	ck_assert_int_eq(symlink("target", link), 0);
	ck_assert_ptr_null(io_state_read(dir, "y", 100));
	ck_assert_int_eq(errno, ELOOP);
	/* writing replaces the link itself; the target is untouched */
	ck_assert_int_eq(io_state_write(dir, "y", "mine\n"), 0);
	s = io_state_read(dir, "y", 100);
	ck_assert_str_eq(s, "mine\n");
	free(s);
	s = io_state_read(dir, "target", 100);
	ck_assert_str_eq(s, "secret\n");
	free(s);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("io_state");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;
	char cmd[64];

	if (!mkdtemp(dir))
		return 1;
	tcase_add_test(tc, write_read_remove);
	tcase_add_test(tc, symlink_not_followed);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_set_fork_status(sr, CK_NOFORK);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd) != 0)
		failed++;
	return failed ? 1 : 0;
}
