/* sd_notify datagrams to $NOTIFY_SOCKET and the watchdog keep-alive timer. */
#include "io_sdnotify.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

int sd_notify_send(const char *state)
{
	const char *path = getenv("NOTIFY_SOCKET");
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	socklen_t len;
	int fd, rc;

	if (!path || (path[0] != '/' && path[0] != '@') || strlen(path) >= sizeof(sun.sun_path))
		return -1;
	memcpy(sun.sun_path, path, strlen(path));
	if (path[0] == '@')
		sun.sun_path[0] = '\0';   /* abstract namespace */
	len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + strlen(path));
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	rc = sendto(fd, state, strlen(state), MSG_NOSIGNAL, (struct sockaddr *)&sun, len) < 0 ? -1 : 0;
	close(fd);
	return rc;
}

void sd_notify_ready(const char *status)
{
	char buf[512];

	snprintf(buf, sizeof(buf), "READY=1\nSTATUS=%s", status);
	sd_notify_send(buf);
}

void sd_notify_reloading(void)
{
	char buf[96];
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	snprintf(buf, sizeof(buf), "RELOADING=1\nMONOTONIC_USEC=%llu",
	         (unsigned long long)ts.tv_sec * 1000000ull + (unsigned long long)ts.tv_nsec / 1000ull);
	sd_notify_send(buf);
}

void sd_notify_stopping(void)
{
	sd_notify_send("STOPPING=1");
}

static struct ev_timer wd_timer;
static uint64_t wd_period_us;
static struct ev_loop *wd_loop;

static void wd_tick(void *arg)
{
	sd_notify_send("WATCHDOG=1");
	ev_timer_arm(wd_loop, &wd_timer, ev_now_us() + wd_period_us);
}

void sd_notify_watchdog_start(struct ev_loop *loop)
{
	const char *s = getenv("WATCHDOG_USEC");
	unsigned long long usec;

	if (!s || !getenv("NOTIFY_SOCKET") || sscanf(s, "%llu", &usec) != 1 || usec == 0)
		return;
	wd_loop = loop;
	wd_period_us = usec / 2;
	ev_timer_init(&wd_timer, wd_tick, NULL);
	wd_tick(NULL);
}
