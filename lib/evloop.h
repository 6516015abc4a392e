/* epoll event loop: fd callbacks, monotonic timers (one timerfd armed for the
 * earliest deadline) and signals through signalfd. It carries out, never decides. */
#ifndef HALO_EVLOOP_H
#define HALO_EVLOOP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ev_loop;

typedef void (*ev_io_cb)(int fd, uint32_t events, void *arg);
typedef void (*ev_timer_cb)(void *arg);
typedef void (*ev_signal_cb)(int signo, void *arg);

struct ev_timer {
	uint64_t deadline_us;   /* CLOCK_MONOTONIC, microseconds */
	ev_timer_cb cb;
	void *arg;
	size_t heap_idx;        /* 0 = not armed */
};

uint64_t ev_now_us(void);   /* CLOCK_MONOTONIC in microseconds */

struct ev_loop *ev_loop_new(void);
void ev_loop_free(struct ev_loop *loop);
int  ev_loop_run(struct ev_loop *loop);     /* until ev_loop_break; -1 on epoll failure */
void ev_loop_break(struct ev_loop *loop);
/* Timers may fire up to slack_us late, so that timers due close together
 * fire in one wake-up (the checker: thousands of probes a second). 0, the
 * default, keeps every deadline exact (vrrpd's Skew_Time is sub-millisecond). */
void ev_loop_set_slack(struct ev_loop *loop, uint64_t slack_us);

int ev_io_add(struct ev_loop *loop, int fd, uint32_t events, ev_io_cb cb, void *arg);
int ev_io_mod(struct ev_loop *loop, int fd, uint32_t events);
int ev_io_del(struct ev_loop *loop, int fd);

void ev_timer_init(struct ev_timer *t, ev_timer_cb cb, void *arg);
void ev_timer_arm(struct ev_loop *loop, struct ev_timer *t, uint64_t deadline_us);
void ev_timer_cancel(struct ev_loop *loop, struct ev_timer *t);
static inline bool ev_timer_armed(const struct ev_timer *t) { return t->heap_idx != 0; }

/* Blocks the signal and delivers it through the loop's signalfd. */
int ev_signal_add(struct ev_loop *loop, int signo, ev_signal_cb cb, void *arg);

#endif
