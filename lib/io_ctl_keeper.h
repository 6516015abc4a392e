/* The control socket keeper: for a daemon that drops to a user who cannot
 * write its run dir (halo-checker), a child forked before the drop that
 * stays uid 0 without any capability and, when asked, re-creates the run
 * dir and the daemon's socket (root's, 0600) and passes the listening
 * socket back over SCM_RIGHTS. It reads nothing but one request byte. */
#ifndef HALO_IO_CTL_KEEPER_H
#define HALO_IO_CTL_KEEPER_H

#include <stdbool.h>
#include <sys/types.h>

/* Binds run_dir/…/path (0600), listens; the fd or -1 (errno). A socket
 * that still answers belongs to a running daemon: EADDRINUSE. */
int ctl_listen_fd(const char *run_dir, const char *path);

/* Forks the keeper for run_dir and path (sandbox: under its seccomp
 * allow-list); its end of the socket pair, or -1. */
int ctl_keeper_start(const char *run_dir, const char *path, bool sandbox, pid_t *pid);
/* Asks the keeper for a freshly bound listening socket: the fd or -1. */
int ctl_keeper_listen(int kfd);
/* Closes our end (the keeper removes the socket file if nobody answers on
 * it any more, and exits) and reaps it. */
void ctl_keeper_stop(int kfd, pid_t pid);

#endif
