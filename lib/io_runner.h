/* Script runner: a child process forked before a daemon drops its
 * privileges. It becomes global.script_user (or stays root when that says
 * root), fork/execve()s an argv on request (no shell), kills a script's
 * process group on request and reports how each script ended. The daemon
 * itself then never needs execve, setuid or CAP_KILL; it keeps timeouts and
 * owners, the runner only obeys. */
#ifndef HALO_IO_RUNNER_H
#define HALO_IO_RUNNER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct runner;

struct runner_reply {
	uint32_t id;
	int32_t status;   /* exit code, or 127 when it could not be started */
	int32_t sig;      /* terminating signal, 0 if it exited */
};

enum {
	RUNNER_QUIET = 1,    /* the scripts' stdout and stderr go to /dev/null too (stdin always) */
	RUNNER_ORPHAN = 2,   /* scripts still running when the daemon goes finish on their own */
};

/* Forks the runner as `user` with RUNNER_* flags. NULL on failure (errno).
 * The runner exits when the daemon closes its end, killing its scripts
 * unless RUNNER_ORPHAN. */
struct runner *runner_start(const char *user, int flags);
/* The daemon's end: readable when a reply is waiting. */
int  runner_fd(const struct runner *r);
/* The user the runner runs scripts as. */
const char *runner_user(const struct runner *r);
/* Asks for argv[0..argc) to run under `id` (the caller's choice). 0 or -1. */
int  runner_run(struct runner *r, uint32_t id, char *const *argv, size_t argc);
/* Kills the process group of the script started under `id`, if running. */
void runner_kill(struct runner *r, uint32_t id);
/* One reply: 1 read, 0 none waiting, -1 the runner is gone (the caller
 * takes runner_fd() out of its loop; runner_stop() closes it). */
int  runner_read(struct runner *r, struct runner_reply *rep);
/* Closes the daemon's end (the runner kills its scripts) and reaps it. */
void runner_stop(struct runner *r);

#endif
