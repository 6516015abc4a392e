/* The seccomp allow-list of each halo process (libseccomp), loaded once its
 * start-up is over. A system call not on the list is not carried out: it
 * fails with EPERM and is counted and logged (a SIGSYS handler), so an
 * exploited parser cannot execve(), fork, ptrace or open files for writing
 * where its daemon never does, and an operator sees what was refused.
 * global.seccomp: false skips it. */
#ifndef HALO_IO_SANDBOX_H
#define HALO_IO_SANDBOX_H

#include <stdint.h>

#include "evloop.h"

enum sandbox_kind {
	SANDBOX_VRRPD,       /* raw/packet/netlink sockets, inotify, /proc, state file */
	SANDBOX_CHECKER,     /* probes, libcurl's resolver threads; opens read-only */
	SANDBOX_IPVS_SYNC,   /* generic netlink; opens read-only or new files (state file) */
	SANDBOX_KEEPER,      /* the checker's socket keeper: bind, mkdir, unlink */
};

/* Loads the allow-list for `kind` into the calling process (all its
 * threads) and, when loop is given, logs refused calls from a 1 s timer.
 * Returns 0 or -1 (errno; logged by the caller). */
int sandbox_enter(enum sandbox_kind kind, struct ev_loop *loop);

/* System calls refused so far in this process. */
uint64_t sandbox_denied(void);

#endif
