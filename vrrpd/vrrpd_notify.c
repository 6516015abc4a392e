/* Child processes of halo-vrrpd: argv run as global.script_user, no shell,
 * through the script runner forked at start (lib/io_runner.c), so vrrpd
 * itself never execs, switches user or signals another user; each ending is
 * handed back to its owner. Notify scripts on top: one queue per instance or
 * sync group, run one after another in transition order, killed at the
 * timeout. Never blocks the event loop. */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/wait.h>
#include <unistd.h>

#include "io_runner.h"
#include "vrrpd.h"

struct vrrpd_child {
	pid_t pid;                    /* the runner's id for it, not a process id */
	vrrpd_child_cb cb;
	void *arg;
	struct vrrpd_child *next;
};

struct vrrp_notify_job {
	struct vrrp_notify_queue *q;
	char **argv;                  /* owned copy */
	pid_t pid;
	struct ev_timer kill_timer;
	struct vrrp_notify_job *next;
};

static void argv_free(char **argv)
{
	for (char **a = argv; a && *a; a++)
		free(*a);
	free(argv);
}

char **vrrpd_argv_dup(const struct cfg_argv *base, const char *const *extra, size_t n_extra)
{
	char **v = calloc(base->argc + n_extra + 1, sizeof(*v));
	size_t k = 0;

	if (!v)
		fatal("calloc");
	for (size_t i = 0; i < base->argc; i++)
		v[k++] = strdup(base->argv[i]);
	for (size_t i = 0; i < n_extra; i++)
		v[k++] = strdup(extra[i]);
	return v;
}

/* The runner is gone: every running child ends as "could not run". */
static void children_fail_all(struct vrrpd *d)
{
	struct vrrpd_child *list = d->children;

	d->children = NULL;
	while (list) {
		struct vrrpd_child *c = list;
		list = c->next;
		if (c->cb)
			c->cb(c->arg, W_EXITCODE(127, 0));
		free(c);
	}
}

static void runner_reply_cb(int fd, uint32_t events, void *arg)
{
	struct vrrpd *d = arg;
	struct runner_reply r;
	int got;

	(void)events;
	while ((got = runner_read(d->runner, &r)) > 0) {
		for (struct vrrpd_child **pp = &d->children; *pp; pp = &(*pp)->next) {
			struct vrrpd_child *c = *pp;
			if ((uint32_t)c->pid != r.id)
				continue;
			*pp = c->next;
			if (c->cb)
				c->cb(c->arg, W_EXITCODE(r.status & 0xff, r.sig & 0x7f));
			free(c);
			break;
		}
	}
	if (got < 0) {
		log_warnx("script runner exited; scripts are not run from now on");
		ev_io_del(d->loop, fd);
		runner_stop(d->runner);
		d->runner = NULL;
		children_fail_all(d);
	}
}

/* Forks the runner as global.script_user; called before any socket is
 * opened and before the privileges are dropped. */
void vrrpd_children_start(struct vrrpd *d)
{
	d->runner = runner_start(d->cfg->global.script_user, RUNNER_ORPHAN);
	if (!d->runner)
		fatal("cannot fork the script runner");
	if (ev_io_add(d->loop, runner_fd(d->runner), EPOLLIN, runner_reply_cb, d) < 0)
		fatal("script runner");
}

/* Runs argv as script_user in a new session; cb(arg, wait status) when it
 * ends. Returns the child's id, or -1 (runner gone: logged). */
pid_t vrrpd_spawn(struct vrrpd *d, char *const *argv, vrrpd_child_cb cb, void *arg)
{
	static uint32_t next_id;
	struct vrrpd_child *c;
	size_t argc = 0;
	unsigned sup;

	while (argv[argc])
		argc++;
	if (d->runner && strcmp(runner_user(d->runner), d->cfg->global.script_user) &&
	    log_ratelimit_ok(&d->rl, ev_now_us(), &sup))
		log_warnx("script_user %s takes effect at the next start; scripts run as %s suppressed=%u",
		          d->cfg->global.script_user, runner_user(d->runner), sup);
	next_id = next_id >= INT32_MAX ? 1 : next_id + 1;
	if (runner_run(d->runner, next_id, argv, argc) < 0) {
		log_warnx("cannot run %s: no script runner", argv[0]);
		return -1;
	}
	c = calloc(1, sizeof(*c));
	if (!c)
		fatal("calloc");
	*c = (struct vrrpd_child){ (pid_t)next_id, cb, arg, d->children };
	d->children = c;
	return c->pid;
}

/* The owner goes away: the child is killed and its ending dropped. */
void vrrpd_child_forget(struct vrrpd *d, pid_t pid)
{
	for (struct vrrpd_child *c = d->children; c; c = c->next)
		if (c->pid == pid) {
			c->cb = NULL;
			runner_kill(d->runner, (uint32_t)pid);
		}
}

void vrrpd_child_kill(struct vrrpd *d, pid_t pid)
{
	runner_kill(d->runner, (uint32_t)pid);
}

/* Exit: children still running are left to finish on their own (notify stop). */
void vrrpd_children_free(struct vrrpd *d)
{
	if (d->runner) {
		ev_io_del(d->loop, runner_fd(d->runner));
		runner_stop(d->runner);
		d->runner = NULL;
	}
	while (d->children) {
		struct vrrpd_child *c = d->children;
		d->children = c->next;
		free(c);
	}
}

/* SIGCHLD: only the runner is a child of vrrpd; its exit is seen on its socket. */
void vrrpd_children_reap(struct vrrpd *d)
{
	(void)d;
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
}

static void job_pop(struct vrrp_notify_queue *q)
{
	struct vrrp_notify_job *j = q->head;

	q->head = j->next;
	if (!q->head)
		q->tail = NULL;
	argv_free(j->argv);
	free(j);
}

static void queue_run(struct vrrp_notify_queue *q);

static void job_done(void *arg, int status)
{
	struct vrrp_notify_job *j = arg;
	struct vrrp_notify_queue *q = j->q;

	ev_timer_cancel(q->d->loop, &j->kill_timer);
	if (WIFEXITED(status) && WEXITSTATUS(status) != 0)
		log_warnx("(%s) notify script %s exited with %d", q->name, j->argv[0], WEXITSTATUS(status));
	job_pop(q);
	queue_run(q);
}

static void job_kill(void *arg)
{
	struct vrrp_notify_job *j = arg;

	log_warnx("(%s) notify script %s timed out; killed", j->q->name, j->argv[0]);
	vrrpd_child_kill(j->q->d, j->pid);
}

static void queue_run(struct vrrp_notify_queue *q)
{
	struct vrrp_notify_job *j;

	while ((j = q->head) && j->pid == 0) {
		pid_t pid = vrrpd_spawn(q->d, j->argv, job_done, j);
		if (pid > 0) {
			j->pid = pid;
			ev_timer_init(&j->kill_timer, job_kill, j);
			ev_timer_arm(q->d->loop, &j->kill_timer, ev_now_us() + q->timeout_ms * 1000);
			return;
		}
		job_pop(q);
	}
}

static void queue_push(struct vrrp_notify_queue *q, char **argv)
{
	struct vrrp_notify_job *j = calloc(1, sizeof(*j));

	if (!j)
		fatal("calloc");
	j->q = q;
	j->argv = argv;
	if (q->tail)
		q->tail->next = j;
	else
		q->head = j;
	q->tail = j;
	if (q->head == j)
		queue_run(q);
}

/* kind "INSTANCE" or "GROUP"; keepalived's notify: script KIND <name> <state> [<priority>] */
void vrrpd_notify_run(struct vrrp_notify_queue *q, const struct cfg_notify *n, const char *kind,
                      enum vrrp_state to, int priority)
{
	const struct cfg_argv *specific = NULL;
	const char *state = to == VRRP_STATE_INIT ? "STOP" : vrrp_state_name(to);
	char prio[8];

	q->timeout_ms = n->timeout;
	switch (to) {
	case VRRP_STATE_MASTER: specific = &n->master; break;
	case VRRP_STATE_BACKUP: specific = &n->backup; break;
	case VRRP_STATE_FAULT:  specific = &n->fault; break;
	case VRRP_STATE_INIT:   specific = &n->stop; break;
	}
	if (specific && specific->argc)
		queue_push(q, vrrpd_argv_dup(specific, NULL, 0));
	if (n->any.argc) {
		snprintf(prio, sizeof(prio), "%d", priority);
		const char *extra[] = { kind, q->name, state, prio };
		queue_push(q, vrrpd_argv_dup(&n->any, extra, priority < 0 ? 3 : 4));
	}
}

void vrrpd_notify(struct vrrp_inst *vi, enum vrrp_state to)
{
	vi->notify.d = vi->d;
	snprintf(vi->notify.name, sizeof(vi->notify.name), "%s", vi->cfg->name);
	vrrpd_notify_run(&vi->notify, &vi->cfg->notify, "INSTANCE", to, vi->fsm.priority);
}

/* The owner goes away: running scripts finish on their own, unwatched. */
void vrrpd_notify_flush(struct vrrp_notify_queue *q)
{
	while (q->head) {
		struct vrrp_notify_job *j = q->head;
		if (j->pid) {
			ev_timer_cancel(q->d->loop, &j->kill_timer);
			for (struct vrrpd_child *c = q->d->children; c; c = c->next)
				if (c->pid == j->pid)
					c->cb = NULL;
		}
		job_pop(q);
	}
}
