/* Notify scripts: argv run with fork/execve as global.script_user, no shell,
 * killed at the timeout; one instance's scripts run one after another in
 * transition order and never block the event loop. */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "vrrpd.h"

struct vrrp_notify_job {
	struct vrrp_inst *vi;
	char **argv;                  /* owned copy */
	pid_t pid;
	struct ev_timer kill_timer;
	struct vrrp_notify_job *next;
};

static void job_free(struct vrrp_notify_job *j)
{
	for (char **a = j->argv; a && *a; a++)
		free(*a);
	free(j->argv);
	free(j);
}

static char **argv_dup(const struct cfg_argv *base, const char *const *extra, size_t n_extra)
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

static void child_exec(const char *user, char **argv)
{
	struct passwd *pw = getpwnam(user);
	sigset_t all;

	sigemptyset(&all);
	sigprocmask(SIG_SETMASK, &all, NULL);   /* the loop blocked them for signalfd */
	if (!pw || setgroups(1, &pw->pw_gid) < 0 || setresgid(pw->pw_gid, pw->pw_gid, pw->pw_gid) < 0 ||
	    setresuid(pw->pw_uid, pw->pw_uid, pw->pw_uid) < 0)
		_exit(126);
	setsid();
	execve(argv[0], argv, (char *[]){ "PATH=/usr/sbin:/usr/bin:/sbin:/bin", NULL });
	_exit(127);
}

static void job_kill(void *arg)
{
	struct vrrp_notify_job *j = arg;

	log_warnx("(%s) notify script %s timed out; killed", j->vi->cfg->name, j->argv[0]);
	kill(-j->pid, SIGKILL);
	kill(j->pid, SIGKILL);
}

static void queue_run(struct vrrp_inst *vi)
{
	struct vrrp_notify_job *j = vi->notify_head;
	const char *user = vi->d->cfg->global.script_user;

	while (j && j->pid == 0) {
		if (!getpwnam(user)) {
			log_warnx("(%s) script_user %s does not exist; notify script %s not run",
			          vi->cfg->name, user, j->argv[0]);
		} else {
			pid_t pid = fork();
			if (pid == 0)
				child_exec(user, j->argv);
			if (pid > 0) {
				j->pid = pid;
				ev_timer_init(&j->kill_timer, job_kill, j);
				ev_timer_arm(vi->d->loop, &j->kill_timer,
				             ev_now_us() + vi->cfg->notify.timeout * 1000);
				return;
			}
			log_warn("(%s) fork for notify script", vi->cfg->name);
		}
		vi->notify_head = j->next;
		if (!vi->notify_head)
			vi->notify_tail = NULL;
		job_free(j);
		j = vi->notify_head;
	}
}

static void queue_push(struct vrrp_inst *vi, char **argv)
{
	struct vrrp_notify_job *j = calloc(1, sizeof(*j));

	if (!j)
		fatal("calloc");
	j->vi = vi;
	j->argv = argv;
	if (vi->notify_tail)
		vi->notify_tail->next = j;
	else
		vi->notify_head = j;
	vi->notify_tail = j;
	if (vi->notify_head == j)
		queue_run(vi);
}

void vrrpd_notify(struct vrrp_inst *vi, enum vrrp_state to)
{
	const struct cfg_notify *n = &vi->cfg->notify;
	const struct cfg_argv *specific = NULL;
	const char *state = to == VRRP_STATE_INIT ? "STOP" : vrrp_state_name(to);
	char prio[8];

	switch (to) {
	case VRRP_STATE_MASTER: specific = &n->master; break;
	case VRRP_STATE_BACKUP: specific = &n->backup; break;
	case VRRP_STATE_FAULT:  specific = &n->fault; break;
	case VRRP_STATE_INIT:   specific = &n->stop; break;
	}
	if (specific && specific->argc)
		queue_push(vi, argv_dup(specific, NULL, 0));
	if (n->any.argc) {
		/* keepalived's notify: script INSTANCE <name> <state> <priority> */
		snprintf(prio, sizeof(prio), "%u", vi->fsm.priority);
		const char *extra[] = { "INSTANCE", vi->cfg->name, state, prio };
		queue_push(vi, argv_dup(&n->any, extra, 4));
	}
}

static bool reap_in(struct vrrp_inst *vi, pid_t pid, int status)
{
	struct vrrp_notify_job *j = vi->notify_head;

	if (!j || j->pid != pid)
		return false;
	ev_timer_cancel(vi->d->loop, &j->kill_timer);
	if (WIFEXITED(status) && WEXITSTATUS(status) != 0)
		log_warnx("(%s) notify script %s exited with %d", vi->cfg->name, j->argv[0], WEXITSTATUS(status));
	vi->notify_head = j->next;
	if (!vi->notify_head)
		vi->notify_tail = NULL;
	job_free(j);
	queue_run(vi);
	return true;
}

void vrrpd_notify_reap(struct vrrpd *d)
{
	pid_t pid;
	int status;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
		for (struct vrrp_inst *vi = d->insts; vi && !reap_in(vi, pid, status); vi = vi->next)
			;
}

/* The instance goes away: running scripts finish on their own, unwatched. */
void vrrpd_notify_flush(struct vrrp_inst *vi)
{
	while (vi->notify_head) {
		struct vrrp_notify_job *j = vi->notify_head;
		if (j->pid)
			ev_timer_cancel(vi->d->loop, &j->kill_timer);
		vi->notify_head = j->next;
		job_free(j);
	}
	vi->notify_tail = NULL;
}
