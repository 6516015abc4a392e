/* Script checks. A runner process is forked before the checker drops its
 * privileges; it becomes global.script_user and fork/execve()s each script
 * (argv, no shell) on request, kills it on request, and reports how it ended.
 * The checker keeps the timeout; the runner only obeys. */
#include "check_probe.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "io_daemon.h"
#include "log.h"

#define SCRIPT_MSG_MAX 65536
enum { SCRIPT_RUN = 1, SCRIPT_KILL = 2 };

struct script_req_hdr { uint32_t op, id; };          /* RUN: followed by NUL-separated argv */
struct script_reply { uint32_t id; int32_t status, sig; };

struct script_op {
	struct probe *p;
	uint32_t id;
	struct script_op *next;
};

struct script_runner {
	pid_t pid;
	int fd;
	struct ev_loop *loop;
	struct checker *ck;
	struct script_op *ops;
	uint32_t next_id;
};

/* ---- the runner process ---- */

struct child { pid_t pid; uint32_t id; };

static void runner_exec(char *buf, size_t len)
{
	char *argv[256];
	size_t argc = 0;
	char *const envp[] = { "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", NULL };
	sigset_t none;
	int devnull = open("/dev/null", O_RDWR);

	for (size_t off = 0; off < len && argc < 255; off += strlen(buf + off) + 1)
		argv[argc++] = buf + off;
	argv[argc] = NULL;
	setpgid(0, 0);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	signal(SIGHUP, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	if (devnull >= 0) {
		dup2(devnull, 0);
		dup2(devnull, 1);
		dup2(devnull, 2);
	}
	if (argc > 0)
		execve(argv[0], argv, envp);
	_exit(127);
}

static void runner_request(int fd, struct child *kids, size_t nkids)
{
	static char buf[SCRIPT_MSG_MAX + 1];
	struct script_req_hdr h;
	ssize_t n = recv(fd, buf, SCRIPT_MSG_MAX, 0);

	if (n <= 0) {   /* the checker is gone: take the scripts with us */
		for (size_t i = 0; i < nkids; i++)
			if (kids[i].pid > 0)
				kill(-kids[i].pid, SIGKILL);
		_exit(0);
	}
	if ((size_t)n < sizeof(h))
		return;
	memcpy(&h, buf, sizeof(h));
	buf[n] = '\0';
	for (size_t i = 0; h.op == SCRIPT_KILL && i < nkids; i++)
		if (kids[i].pid > 0 && kids[i].id == h.id)
			kill(-kids[i].pid, SIGKILL);
	if (h.op != SCRIPT_RUN)
		return;
	for (size_t i = 0; i < nkids; i++) {
		if (kids[i].pid > 0)
			continue;
		pid_t pid = fork();
		if (pid == 0)
			runner_exec(buf + sizeof(h), (size_t)n - sizeof(h));
		if (pid > 0) {
			setpgid(pid, pid);
			kids[i] = (struct child){ pid, h.id };
			return;
		}
		break;
	}
	struct script_reply r = { h.id, 127, 0 };   /* no slot or fork failed */
	send(fd, &r, sizeof(r), MSG_NOSIGNAL);
}

static void runner_reap(int fd, struct child *kids, size_t nkids)
{
	int st;
	pid_t pid;

	while ((pid = waitpid(-1, &st, WNOHANG)) > 0) {
		for (size_t i = 0; i < nkids; i++) {
			if (kids[i].pid != pid)
				continue;
			struct script_reply r = { kids[i].id, WIFEXITED(st) ? WEXITSTATUS(st) : 0,
			                          WIFSIGNALED(st) ? WTERMSIG(st) : 0 };
			send(fd, &r, sizeof(r), MSG_NOSIGNAL);
			kids[i].pid = 0;
		}
	}
}

static void runner_main(int fd)
{
	static struct child kids[1024];
	struct signalfd_siginfo si;
	sigset_t set;
	struct pollfd pf[2];

	signal(SIGHUP, SIG_IGN);
	signal(SIGINT, SIG_IGN);
	signal(SIGTERM, SIG_IGN);
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigprocmask(SIG_BLOCK, &set, NULL);
	pf[0] = (struct pollfd){ .fd = fd, .events = POLLIN };
	pf[1] = (struct pollfd){ .fd = signalfd(-1, &set, SFD_CLOEXEC), .events = POLLIN };
	for (;;) {
		if (poll(pf, 2, -1) < 0 && errno != EINTR)
			_exit(1);
		if (pf[1].revents & POLLIN) {
			(void)!read(pf[1].fd, &si, sizeof(si));
			runner_reap(fd, kids, sizeof(kids) / sizeof(kids[0]));
		}
		if (pf[0].revents & (POLLIN | POLLHUP | POLLERR))
			runner_request(fd, kids, sizeof(kids) / sizeof(kids[0]));
	}
}

struct script_runner *script_runner_start(const char *user)
{
	struct script_runner *sr = calloc(1, sizeof(*sr));
	int sv[2];

	if (!sr || socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0) {
		free(sr);
		return NULL;
	}
	sr->pid = fork();
	if (sr->pid < 0) {
		close(sv[0]);
		close(sv[1]);
		free(sr);
		return NULL;
	}
	if (sr->pid == 0) {
		close(sv[0]);
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (geteuid() == 0 && strcmp(user, "root") != 0 &&
		    daemon_drop_privileges(user, NULL) < 0) {
			log_warn("script runner: cannot become %s; scripts will not run", user);
			_exit(1);
		}
		runner_main(sv[1]);
	}
	close(sv[1]);
	sr->fd = sv[0];
	return sr;
}

/* ---- the checker's side ---- */

static struct script_op **script_op_find(struct script_runner *sr, uint32_t id)
{
	struct script_op **pp = &sr->ops;

	while (*pp && (*pp)->id != id)
		pp = &(*pp)->next;
	return pp;
}

static void script_reply_cb(int fd, uint32_t events, void *arg)
{
	struct script_runner *sr = arg;
	struct script_reply r;
	ssize_t n = recv(fd, &r, sizeof(r), MSG_DONTWAIT);

	if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
		log_warnx("script runner exited; script checks fail from now on");
		ev_io_del(sr->loop, fd);
		close(sr->fd);
		sr->fd = -1;
		if (waitpid(sr->pid, NULL, WNOHANG) == sr->pid)
			sr->pid = -1;
		return;
	}
	if (n != (ssize_t)sizeof(r))
		return;
	struct script_op **pp = script_op_find(sr, r.id);
	struct script_op *op = *pp;
	if (!op)
		return;   /* cancelled (timeout): the late answer is ignored */
	*pp = op->next;
	struct probe *p = op->p;
	struct health_result res;
	health_result_from_exit(&res, p->check->script.dynamic, r.status, r.sig);
	p->op = NULL;
	free(op);
	probe_done(p, &res);
}

int script_runner_attach(struct script_runner *sr, struct ev_loop *loop, struct checker *ck)
{
	sr->loop = loop;
	sr->ck = ck;
	return ev_io_add(loop, sr->fd, EPOLLIN, script_reply_cb, sr);
}

void script_runner_stop(struct script_runner *sr)
{
	if (!sr)
		return;
	if (sr->fd >= 0) {
		if (sr->loop)
			ev_io_del(sr->loop, sr->fd);
		close(sr->fd);   /* EOF: the runner kills its scripts and exits */
	}
	if (sr->pid > 0)
		waitpid(sr->pid, NULL, 0);
	while (sr->ops) {
		struct script_op *op = sr->ops;
		sr->ops = op->next;
		free(op);
	}
	free(sr);
}

static int script_start(struct probe *p)
{
	struct script_runner *sr = p->ck->scripts;
	const struct cfg_argv *a = &p->check->script.command;
	char buf[SCRIPT_MSG_MAX];
	struct script_req_hdr h = { SCRIPT_RUN, 0 };
	size_t len = sizeof(h);
	struct script_op *op;

	if (!sr || sr->fd < 0 || a->argc == 0)
		return -1;
	for (size_t i = 0; i < a->argc; i++) {
		size_t n = strlen(a->argv[i]) + 1;
		if (len + n > sizeof(buf))
			return -1;
		memcpy(buf + len, a->argv[i], n);
		len += n;
	}
	if (!(op = calloc(1, sizeof(*op))))
		return -1;
	h.id = ++sr->next_id;
	memcpy(buf, &h, sizeof(h));
	if (send(sr->fd, buf, len, MSG_NOSIGNAL) != (ssize_t)len) {
		free(op);
		return -1;
	}
	*op = (struct script_op){ p, h.id, sr->ops };
	sr->ops = op;
	p->op = op;
	return 0;
}

static void script_cancel(struct probe *p)
{
	struct script_runner *sr = p->ck->scripts;
	struct script_op *op = p->op, **pp;
	struct script_req_hdr h = { SCRIPT_KILL, 0 };

	if (!op)
		return;
	h.id = op->id;
	if (sr->fd >= 0)
		send(sr->fd, &h, sizeof(h), MSG_NOSIGNAL);
	pp = script_op_find(sr, op->id);
	if (*pp)
		*pp = op->next;
	free(op);
	p->op = NULL;
}

const struct probe_ops probe_script_ops = { .start = script_start, .cancel = script_cancel };
