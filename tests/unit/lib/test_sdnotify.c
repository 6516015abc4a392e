/* sd_notify datagrams arrive at $NOTIFY_SOCKET with the documented fields. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "io_sdnotify.h"

static int sock;
static char path[108];

static void setup(void)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };

	/* abstract socket: nothing written to the file system */
	snprintf(path, sizeof(path), "@halo-test-%d", (int)getpid());
	sock = socket(AF_UNIX, SOCK_DGRAM, 0);
	memcpy(sun.sun_path + 1, path + 1, strlen(path) - 1);
	ck_assert_int_eq(bind(sock, (struct sockaddr *)&sun,
	                      (socklen_t)(offsetof(struct sockaddr_un, sun_path) + strlen(path))), 0);
	setenv("NOTIFY_SOCKET", path, 1);
}

static void teardown(void)
{
	close(sock);
	unsetenv("NOTIFY_SOCKET");
}

static void recv_str(char *buf, size_t cap)
{
	ssize_t n = recv(sock, buf, cap - 1, MSG_DONTWAIT);
	ck_assert_int_gt(n, 0);
	buf[n] = '\0';
}

START_TEST(test_ready_and_reloading)
{
	char buf[256];

	sd_notify_ready("running");
	recv_str(buf, sizeof(buf));
	ck_assert_str_eq(buf, "READY=1\nSTATUS=running");
	sd_notify_reloading();
	recv_str(buf, sizeof(buf));
	ck_assert_msg(strncmp(buf, "RELOADING=1\nMONOTONIC_USEC=", 27) == 0, "got %s", buf);
	ck_assert_int_gt(atoll(buf + 27), 0);
	sd_notify_stopping();
	recv_str(buf, sizeof(buf));
	ck_assert_str_eq(buf, "STOPPING=1");
}
END_TEST

START_TEST(test_not_under_systemd)
{
	unsetenv("NOTIFY_SOCKET");
	ck_assert_int_eq(sd_notify_send("READY=1"), -1);
	setenv("NOTIFY_SOCKET", "relative/path", 1);
	ck_assert_int_eq(sd_notify_send("READY=1"), -1);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("sdnotify");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_ready_and_reloading);
	tcase_add_test(tc, test_not_under_systemd);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
