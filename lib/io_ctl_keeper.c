/* The control socket keeper process and the daemon's requests to it (see
 * io_ctl_keeper.h). It never sees outside input. */
#include "io_ctl_keeper.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "io_daemon.h"
#include "io_sandbox.h"
#include "log.h"

/* The socket file answers a connect: a daemon listens on it. */
static bool path_answers(const char *path)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int probe = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	bool live;

	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", path);
	live = probe >= 0 && connect(probe, (struct sockaddr *)&sun, sizeof(sun)) == 0;
	if (probe >= 0)
		close(probe);
	return live;
}

static void keeper_reply(int kfd, int fd)
{
	char err = fd < 0 ? (char)(errno ? errno : EIO) : 0;
	union { char buf[CMSG_SPACE(sizeof(int))]; struct cmsghdr align; } u;
	struct iovec iov = { &err, 1 };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };

	if (fd >= 0) {
		mh.msg_control = u.buf;
		mh.msg_controllen = sizeof(u.buf);
		struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(c), &fd, sizeof(int));
	}
	sendmsg(kfd, &mh, MSG_NOSIGNAL);
	if (fd >= 0)
		close(fd);
}

static void keeper_main(int kfd, const char *run_dir, const char *path, bool sandbox) __attribute__((noreturn));
static void keeper_main(int kfd, const char *run_dir, const char *path, bool sandbox)
{
	char req;

	signal(SIGHUP, SIG_IGN);
	signal(SIGINT, SIG_IGN);
	signal(SIGTERM, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
	/* uid 0 stays (it owns the run dir's parent); every capability goes */
	if (daemon_drop_privileges(NULL, NULL) < 0) {
		log_warn("control socket keeper: dropping capabilities");
		_exit(1);
	}
	if (sandbox && sandbox_enter(SANDBOX_KEEPER, NULL) < 0) {
		log_warn("control socket keeper: seccomp");
		_exit(1);
	}
	while (recv(kfd, &req, 1, 0) == 1) {
		errno = 0;
		keeper_reply(kfd, ctl_listen_fd(run_dir, path));
	}
	if (!path_answers(path))   /* the daemon is gone: tidy up as it would have */
		unlink(path);
	_exit(0);
}

int ctl_keeper_start(const char *run_dir, const char *path, bool sandbox, pid_t *pid)
{
	int sv[2];

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		return -1;
	*pid = fork();
	if (*pid < 0) {
		close(sv[0]);
		close(sv[1]);
		return -1;
	}
	if (*pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		/* nothing of the daemon's but the request socket and stdio */
		if (dup2(sv[1], 3) < 0)
			_exit(1);
		close_range(4, ~0u, 0);
		keeper_main(3, run_dir, path, sandbox);
	}
	close(sv[1]);
	return sv[0];
}

int ctl_keeper_listen(int kfd)
{
	char req = 'L', err = 0;
	union { char buf[CMSG_SPACE(sizeof(int))]; struct cmsghdr align; } u;
	struct iovec iov = { &err, 1 };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf,
	                     .msg_controllen = sizeof(u.buf) };
	struct pollfd pfd = { .fd = kfd, .events = POLLIN };
	int fd = -1;

	if (send(kfd, &req, 1, MSG_NOSIGNAL) != 1)
		return -1;
	/* the keeper answers at once; a wedged one must not wedge the daemon */
	if (poll(&pfd, 1, 2000) != 1 || recvmsg(kfd, &mh, MSG_CMSG_CLOEXEC | MSG_DONTWAIT) != 1) {
		errno = ETIMEDOUT;
		return -1;
	}
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c))
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS)
			memcpy(&fd, CMSG_DATA(c), sizeof(int));
	if (fd < 0)
		errno = err ? err : EIO;
	return fd;
}

void ctl_keeper_stop(int kfd, pid_t pid)
{
	if (kfd >= 0)
		close(kfd);
	if (pid > 0)
		waitpid(pid, NULL, 0);
}
