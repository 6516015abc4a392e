/* Child processes of halo-vrrpd: argv run with fork/execve as
 * global.script_user, no shell, reaped on SIGCHLD and handed back to their
 * owner; and notify scripts on top: one queue per instance or sync group,
 * run one after another in transition order, killed at the timeout. Never
 * blocks the event loop. */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "vrrpd.h"

struct vrrpd_child {
	pid_t pid;
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

static void child_exec(const struct passwd *pw, char *const *argv)
{
	sigset_t all;
	int fd;

	sigemptyset(&all);
	sigprocmask(SIG_SETMASK, &all, NULL);   /* the loop blocked them for signalfd */
	signal(SIGPIPE, SIG_DFL);
	if (setgroups(1, &pw->pw_gid) < 0 || setresgid(pw->pw_gid, pw->pw_gid, pw->pw_gid) < 0 ||
	    setresuid(pw->pw_uid, pw->pw_uid, pw->pw_uid) < 0)
		_exit(126);
	setsid();
	fd = open("/dev/null", O_RDWR);
	if (fd >= 0) {
		dup2(fd, 0);
		if (fd > 0)
			close(fd);
	}
	execve(argv[0], argv, (char *[]){ "PATH=/usr/sbin:/usr/bin:/sbin:/bin", NULL });
	_exit(127);
}

/* Runs argv as script_user in a new session; cb(arg, wait status) when it
 * ends. Returns the pid, or -1 (user missing, fork failed: logged). */
pid_t vrrpd_spawn(struct vrrpd *d, char *const *argv, vrrpd_child_cb cb, void *arg)
{
	const char *user = d->cfg->global.script_user;
	struct passwd *pw = getpwnam(user);
	struct vrrpd_child *c;
	pid_t pid;

	if (!pw) {
		log_warnx("script_user %s does not exist; %s not run", user, argv[0]);
		return -1;
	}
	pid = fork();
	if (pid == 0)
		child_exec(pw, argv);
	if (pid < 0) {
		log_warn("fork for %s", argv[0]);
		return -1;
	}
	c = calloc(1, sizeof(*c));
	if (!c)
		fatal("calloc");
	*c = (struct vrrpd_child){ pid, cb, arg, d->children };
	d->children = c;
	return pid;
}

/* The owner goes away: the child is killed and reaped without a callback. */
void vrrpd_child_forget(struct vrrpd *d, pid_t pid)
{
	for (struct vrrpd_child *c = d->children; c; c = c->next)
		if (c->pid == pid) {
			c->cb = NULL;
			kill(-pid, SIGKILL);
			kill(pid, SIGKILL);
		}
}

void vrrpd_child_kill(pid_t pid)
{
	kill(-pid, SIGKILL);
	kill(pid, SIGKILL);
}

/* Exit: children still running are left to finish on their own. */
void vrrpd_children_free(struct vrrpd *d)
{
	while (d->children) {
		struct vrrpd_child *c = d->children;
		d->children = c->next;
		free(c);
	}
}

void vrrpd_children_reap(struct vrrpd *d)
{
	pid_t pid;
	int status;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		for (struct vrrpd_child **pp = &d->children; *pp; pp = &(*pp)->next) {
			struct vrrpd_child *c = *pp;
			if (c->pid != pid)
				continue;
			*pp = c->next;
			if (c->cb)
				c->cb(c->arg, status);
			free(c);
			break;
		}
	}
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
	vrrpd_child_kill(j->pid);
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
