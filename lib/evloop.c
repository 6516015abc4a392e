/* epoll event loop with a timer heap on one timerfd and a signalfd; no policy here. */
#include "evloop.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

struct ev_io {
	int fd;
	ev_io_cb cb;
	void *arg;
	bool dead;
	struct ev_io *next;
};

struct ev_sig {
	int signo;
	ev_signal_cb cb;
	void *arg;
};

struct ev_loop {
	int epfd;
	int tfd;
	int sfd;
	sigset_t sigs;
	struct ev_io **by_fd;      /* live records indexed by fd */
	size_t n_by_fd;
	struct ev_io *dead;        /* deleted records, freed after the event batch */
	struct ev_timer **heap;   /* 1-based binary min-heap */
	size_t heap_len, heap_cap;
	uint64_t armed_us;        /* what the timerfd is set to, 0 = disarmed */
	struct ev_sig sig[64];
	bool stop;
	uint64_t slack_us;        /* wake-ups rounded up to this grid, 0 = exact */
};

static void ev_io_reap(struct ev_loop *loop);

/* epoll user data for the loop's own fds */
static struct ev_io tfd_tag, sfd_tag;

uint64_t ev_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

struct ev_loop *ev_loop_new(void)
{
	struct ev_loop *loop = calloc(1, sizeof(*loop));
	struct epoll_event ev = { .events = EPOLLIN };

	if (!loop)
		return NULL;
	sigemptyset(&loop->sigs);
	loop->epfd = epoll_create1(EPOLL_CLOEXEC);
	loop->tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	loop->sfd = -1;
	if (loop->epfd < 0 || loop->tfd < 0)
		goto fail;
	ev.data.ptr = &tfd_tag;
	if (epoll_ctl(loop->epfd, EPOLL_CTL_ADD, loop->tfd, &ev) < 0)
		goto fail;
	return loop;
fail:
	ev_loop_free(loop);
	return NULL;
}

void ev_loop_free(struct ev_loop *loop)
{
	if (!loop)
		return;
	for (size_t i = 0; i < loop->n_by_fd; i++)
		free(loop->by_fd[i]);
	ev_io_reap(loop);
	if (loop->epfd >= 0)
		close(loop->epfd);
	if (loop->tfd >= 0)
		close(loop->tfd);
	if (loop->sfd >= 0)
		close(loop->sfd);
	free(loop->heap);
	free(loop->by_fd);
	free(loop);
}

void ev_loop_break(struct ev_loop *loop)
{
	loop->stop = true;
}

static int by_fd_reserve(struct ev_loop *loop, int fd)
{
	size_t want = (size_t)fd + 1, n = loop->n_by_fd ? loop->n_by_fd : 64;
	struct ev_io **v;

	if (want <= loop->n_by_fd)
		return 0;
	while (n < want)
		n *= 2;
	v = realloc(loop->by_fd, n * sizeof(*v));
	if (!v)
		return -1;
	memset(v + loop->n_by_fd, 0, (n - loop->n_by_fd) * sizeof(*v));
	loop->by_fd = v;
	loop->n_by_fd = n;
	return 0;
}

int ev_io_add(struct ev_loop *loop, int fd, uint32_t events, ev_io_cb cb, void *arg)
{
	struct ev_io *io;
	struct epoll_event ev = { .events = events };

	if (fd < 0 || by_fd_reserve(loop, fd) < 0)
		return -1;
	if (loop->by_fd[fd]) {
		errno = EEXIST;
		return -1;
	}
	io = calloc(1, sizeof(*io));
	if (!io)
		return -1;
	io->fd = fd;
	io->cb = cb;
	io->arg = arg;
	ev.data.ptr = io;
	if (epoll_ctl(loop->epfd, EPOLL_CTL_ADD, fd, &ev) < 0) {
		free(io);
		return -1;
	}
	loop->by_fd[fd] = io;
	return 0;
}

static struct ev_io *ev_io_find(struct ev_loop *loop, int fd)
{
	return fd >= 0 && (size_t)fd < loop->n_by_fd ? loop->by_fd[fd] : NULL;
}

int ev_io_mod(struct ev_loop *loop, int fd, uint32_t events)
{
	struct ev_io *io = ev_io_find(loop, fd);
	struct epoll_event ev = { .events = events };

	if (!io) {
		errno = ENOENT;
		return -1;
	}
	ev.data.ptr = io;
	return epoll_ctl(loop->epfd, EPOLL_CTL_MOD, fd, &ev);
}

/* The record is only marked dead here; it is freed after the current batch of
 * events, so a callback may remove any fd, including one with a pending event. */
int ev_io_del(struct ev_loop *loop, int fd)
{
	struct ev_io *io = ev_io_find(loop, fd);

	if (!io) {
		errno = ENOENT;
		return -1;
	}
	io->dead = true;
	loop->by_fd[fd] = NULL;
	io->next = loop->dead;
	loop->dead = io;
	return epoll_ctl(loop->epfd, EPOLL_CTL_DEL, fd, NULL);
}

static void ev_io_reap(struct ev_loop *loop)
{
	while (loop->dead) {
		struct ev_io *io = loop->dead;
		loop->dead = io->next;
		free(io);
	}
}

/* ---- timers: binary heap ordered by deadline ---- */

static void heap_set(struct ev_loop *loop, size_t i, struct ev_timer *t)
{
	loop->heap[i] = t;
	t->heap_idx = i;
}

static void heap_up(struct ev_loop *loop, size_t i)
{
	struct ev_timer *t = loop->heap[i];

	while (i > 1 && loop->heap[i / 2]->deadline_us > t->deadline_us) {
		heap_set(loop, i, loop->heap[i / 2]);
		i /= 2;
	}
	heap_set(loop, i, t);
}

static void heap_down(struct ev_loop *loop, size_t i)
{
	struct ev_timer *t = loop->heap[i];

	for (;;) {
		size_t c = 2 * i;
		if (c > loop->heap_len)
			break;
		if (c + 1 <= loop->heap_len &&
		    loop->heap[c + 1]->deadline_us < loop->heap[c]->deadline_us)
			c++;
		if (loop->heap[c]->deadline_us >= t->deadline_us)
			break;
		heap_set(loop, i, loop->heap[c]);
		i = c;
	}
	heap_set(loop, i, t);
}

static void timerfd_sync(struct ev_loop *loop)
{
	struct itimerspec its = { 0 };
	uint64_t want = loop->heap_len ? loop->heap[1]->deadline_us : 0;

	if (want && loop->slack_us)
		want = (want + loop->slack_us - 1) / loop->slack_us * loop->slack_us;
	if (want == loop->armed_us)
		return;
	if (want) {
		its.it_value.tv_sec = (time_t)(want / 1000000u);
		its.it_value.tv_nsec = (long)(want % 1000000u) * 1000;
		if (its.it_value.tv_sec == 0 && its.it_value.tv_nsec == 0)
			its.it_value.tv_nsec = 1;
	}
	timerfd_settime(loop->tfd, TFD_TIMER_ABSTIME, &its, NULL);
	loop->armed_us = want;
}

void ev_timer_init(struct ev_timer *t, ev_timer_cb cb, void *arg)
{
	memset(t, 0, sizeof(*t));
	t->cb = cb;
	t->arg = arg;
}

static void heap_remove(struct ev_loop *loop, struct ev_timer *t)
{
	size_t i = t->heap_idx;
	struct ev_timer *last = loop->heap[loop->heap_len--];

	t->heap_idx = 0;
	if (last == t)
		return;
	heap_set(loop, i, last);
	heap_up(loop, i);
	heap_down(loop, last->heap_idx);
}

void ev_timer_arm(struct ev_loop *loop, struct ev_timer *t, uint64_t deadline_us)
{
	if (t->heap_idx)
		heap_remove(loop, t);
	if (loop->heap_len + 1 >= loop->heap_cap) {
		size_t cap = loop->heap_cap ? loop->heap_cap * 2 : 64;
		struct ev_timer **h = realloc(loop->heap, cap * sizeof(*h));
		if (!h)
			abort();   /* out of memory in the loop is a broken invariant */
		loop->heap = h;
		loop->heap_cap = cap;
	}
	t->deadline_us = deadline_us;
	loop->heap[++loop->heap_len] = t;
	heap_up(loop, loop->heap_len);
}

void ev_timer_cancel(struct ev_loop *loop, struct ev_timer *t)
{
	if (!t->heap_idx)
		return;
	heap_remove(loop, t);
}

void ev_loop_set_slack(struct ev_loop *loop, uint64_t slack_us)
{
	loop->slack_us = slack_us;
}

static void ev_timers_run(struct ev_loop *loop)
{
	uint64_t buf, now = ev_now_us();

	/* one read takes every expiry; EAGAIN (already read) changes nothing */
	(void)!read(loop->tfd, &buf, sizeof(buf));
	loop->armed_us = 0;
	while (loop->heap_len && loop->heap[1]->deadline_us <= now && !loop->stop) {
		struct ev_timer *t = loop->heap[1];
		heap_remove(loop, t);
		t->cb(t->arg);
	}
}

/* ---- signals ---- */

int ev_signal_add(struct ev_loop *loop, int signo, ev_signal_cb cb, void *arg)
{
	struct epoll_event ev = { .events = EPOLLIN };
	int fd;

	if (signo <= 0 || signo >= 64)
		return -1;
	loop->sig[signo] = (struct ev_sig){ signo, cb, arg };
	sigaddset(&loop->sigs, signo);
	if (sigprocmask(SIG_BLOCK, &loop->sigs, NULL) < 0)
		return -1;
	fd = signalfd(loop->sfd, &loop->sigs, SFD_NONBLOCK | SFD_CLOEXEC);
	if (fd < 0)
		return -1;
	if (loop->sfd < 0) {
		loop->sfd = fd;
		ev.data.ptr = &sfd_tag;
		return epoll_ctl(loop->epfd, EPOLL_CTL_ADD, fd, &ev);
	}
	return 0;
}

static void ev_signals_run(struct ev_loop *loop)
{
	struct signalfd_siginfo si;

	while (read(loop->sfd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
		int s = (int)si.ssi_signo;
		if (s > 0 && s < 64 && loop->sig[s].cb)
			loop->sig[s].cb(s, loop->sig[s].arg);
	}
}

int ev_loop_run(struct ev_loop *loop)
{
	struct epoll_event evs[64];

	loop->stop = false;
	while (!loop->stop) {
		int n;

		/* one timerfd_settime per wakeup at most, however many timers the
		 * callbacks armed or cancelled (a busy checker changes the head
		 * thousands of times a second); none when the head did not move */
		timerfd_sync(loop);
		n = epoll_wait(loop->epfd, evs, 64, -1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		for (int i = 0; i < n && !loop->stop; i++) {
			struct ev_io *io = evs[i].data.ptr;
			if (io == &tfd_tag)
				ev_timers_run(loop);
			else if (io == &sfd_tag)
				ev_signals_run(loop);
			else if (!io->dead)
				io->cb(io->fd, evs[i].events, io->arg);
		}
		ev_io_reap(loop);
	}
	return 0;
}
