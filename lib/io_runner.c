/* The script runner process and the daemon's end of its socket pair (see
 * io_runner.h). The runner never parses outside input: it only runs what its
 * own daemon asks for, as the user it became at start. */
#include "io_runner.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "io_daemon.h"
#include "log.h"

#define RUNNER_MSG_MAX 65536
#define RUNNER_KIDS    1024
enum { RUNNER_RUN = 1, RUNNER_KILL = 2 };

struct runner_req_hdr { uint32_t op, id; };   /* RUN: followed by NUL-separated argv */

struct runner {
	pid_t pid;
	int fd;
	char *user;
};

struct runner_kid { pid_t pid; uint32_t id; };

/* ---- the runner process ---- */

static void runner_exec(char *buf, size_t len, int flags)
{
	char *argv[256];
	size_t argc = 0;
	char *const envp[] = { "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", NULL };
	sigset_t none;
	int devnull = open("/dev/null", O_RDWR | O_CLOEXEC);

	for (size_t off = 0; off < len && argc < 255; off += strlen(buf + off) + 1)
		argv[argc++] = buf + off;
	argv[argc] = NULL;
	setsid();
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	signal(SIGHUP, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGPIPE, SIG_DFL);
	if (devnull >= 0) {
		dup2(devnull, 0);
		if (flags & RUNNER_QUIET) {
			dup2(devnull, 1);
			dup2(devnull, 2);
		}
	}
	if (argc > 0)
		execve(argv[0], argv, envp);
	_exit(127);
}

static void runner_reply_send(int fd, uint32_t id, int status, int sig)
{
	struct runner_reply r = { id, status, sig };

	send(fd, &r, sizeof(r), MSG_NOSIGNAL);
}

static void runner_request(int fd, struct runner_kid *kids, int flags)
{
	static char buf[RUNNER_MSG_MAX + 1];
	struct runner_req_hdr h;
	ssize_t n = recv(fd, buf, RUNNER_MSG_MAX, 0);

	if (n <= 0) {   /* the daemon is gone: take the scripts with us unless told not to */
		for (size_t i = 0; !(flags & RUNNER_ORPHAN) && i < RUNNER_KIDS; i++)
			if (kids[i].pid > 0)
				kill(-kids[i].pid, SIGKILL);
		_exit(0);
	}
	if ((size_t)n < sizeof(h))
		return;
	memcpy(&h, buf, sizeof(h));
	buf[n] = '\0';
	for (size_t i = 0; h.op == RUNNER_KILL && i < RUNNER_KIDS; i++)
		if (kids[i].pid > 0 && kids[i].id == h.id)
			kill(-kids[i].pid, SIGKILL);
	if (h.op != RUNNER_RUN)
		return;
	for (size_t i = 0; i < RUNNER_KIDS; i++) {
		if (kids[i].pid > 0)
			continue;
		pid_t pid = fork();
		if (pid == 0)
			runner_exec(buf + sizeof(h), (size_t)n - sizeof(h), flags);
		if (pid > 0) {
			setpgid(pid, pid);
			kids[i] = (struct runner_kid){ pid, h.id };
			return;
		}
		break;
	}
	runner_reply_send(fd, h.id, 127, 0);   /* no slot or fork failed */
}

static void runner_reap(int fd, struct runner_kid *kids)
{
	int st;
	pid_t pid;

	while ((pid = waitpid(-1, &st, WNOHANG)) > 0)
		for (size_t i = 0; i < RUNNER_KIDS; i++)
			if (kids[i].pid == pid) {
				runner_reply_send(fd, kids[i].id, WIFEXITED(st) ? WEXITSTATUS(st) : 0,
				                  WIFSIGNALED(st) ? WTERMSIG(st) : 0);
				kids[i].pid = 0;
			}
}

static void runner_main(int fd, int flags)
{
	static struct runner_kid kids[RUNNER_KIDS];
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
			runner_reap(fd, kids);
		}
		if (pf[0].revents & (POLLIN | POLLHUP | POLLERR))
			runner_request(fd, kids, flags);
	}
}

struct runner *runner_start(const char *user, int flags)
{
	struct runner *r = calloc(1, sizeof(*r));
	int sv[2];

	if (!r || !(r->user = strdup(user)) || socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0) {
		if (r)
			free(r->user);
		free(r);
		return NULL;
	}
	r->pid = fork();
	if (r->pid < 0) {
		close(sv[0]);
		close(sv[1]);
		free(r->user);
		free(r);
		return NULL;
	}
	if (r->pid == 0) {
		close(sv[0]);
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (geteuid() == 0 && strcmp(user, "root") != 0 &&
		    daemon_drop_privileges(user, NULL) < 0) {
			log_warn("script runner: cannot become %s; scripts will not run", user);
			_exit(1);
		}
		runner_main(sv[1], flags);
	}
	close(sv[1]);
	r->fd = sv[0];
	return r;
}

/* ---- the daemon's end ---- */

int runner_fd(const struct runner *r)
{
	return r ? r->fd : -1;
}

const char *runner_user(const struct runner *r)
{
	return r ? r->user : "";
}

int runner_run(struct runner *r, uint32_t id, char *const *argv, size_t argc)
{
	static char buf[RUNNER_MSG_MAX];
	struct runner_req_hdr h = { RUNNER_RUN, id };
	size_t len = sizeof(h);

	if (!r || r->fd < 0 || argc == 0)
		return -1;
	for (size_t i = 0; i < argc; i++) {
		size_t n = strlen(argv[i]) + 1;
		if (len + n > sizeof(buf))
			return -1;
		memcpy(buf + len, argv[i], n);
		len += n;
	}
	memcpy(buf, &h, sizeof(h));
	return send(r->fd, buf, len, MSG_NOSIGNAL) == (ssize_t)len ? 0 : -1;
}

void runner_kill(struct runner *r, uint32_t id)
{
	struct runner_req_hdr h = { RUNNER_KILL, id };

	if (r && r->fd >= 0)
		send(r->fd, &h, sizeof(h), MSG_NOSIGNAL);
}

int runner_read(struct runner *r, struct runner_reply *rep)
{
	ssize_t n;

	if (!r || r->fd < 0)
		return -1;
	n = recv(r->fd, rep, sizeof(*rep), MSG_DONTWAIT);
	if (n == (ssize_t)sizeof(*rep))
		return 1;
	if (n > 0 || (n < 0 && (errno == EAGAIN || errno == EINTR)))
		return 0;
	return -1;
}

void runner_stop(struct runner *r)
{
	if (!r)
		return;
	if (r->fd >= 0)
		close(r->fd);   /* EOF: the runner kills its scripts and exits */
	if (r->pid > 0)
		waitpid(r->pid, NULL, 0);
	free(r->user);
	free(r);
}
