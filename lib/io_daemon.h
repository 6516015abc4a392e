/* What every halo daemon does the same way: its command line (DESIGN.md),
 * loading the config for -n, and dropping to an unprivileged user. */
#ifndef HALO_IO_DAEMON_H
#define HALO_IO_DAEMON_H

#include <stdbool.h>

#include "config.h"
#include "config_script.h"

#define HALO_DEFAULT_CONFIG  "/etc/halo/halo.yaml"
#define HALO_DEFAULT_RUN_DIR "/run/halo"

struct daemon_opts {
	const char *config;      /* -f FILE */
	bool check_only;         /* -n */
	bool foreground;         /* -d */
	int verbose;             /* -v (repeatable) */
	const char *run_dir;     /* --run-dir DIR */
	int script_kinds;        /* SCRIPTS_* this daemon runs (from its name) */
};

/* Parses -f -n -d -v --run-dir --version -h; prints usage/version and exits
 * itself for -h/--version/bad options. */
void daemon_parse_args(int argc, char **argv, const char *prog, struct daemon_opts *o);

/* Loads the config and checks the daemon's scripts (daemon_check_scripts);
 * on failure prints the errors on stderr and returns NULL. */
struct halo_config *daemon_load_config(const struct daemon_opts *o);

/* -n: loads, reports "<file>: configuration OK" or the errors, exits 0/1. */
void daemon_check_and_exit(const struct daemon_opts *o) __attribute__((noreturn));

/* Switches to `user` (and its group; NULL: keeps the uid), dropping every
 * capability except those in keep_caps (CAP_* numbers, -1 terminated, may be
 * NULL) from the permitted, effective and bounding sets, clearing the
 * inheritable and ambient sets, locking SECBIT_NOROOT, and sets
 * PR_SET_NO_NEW_PRIVS. Returns 0 or -1 (errno). */
int daemon_drop_privileges(const char *user, const int *keep_caps);

/* global.script_security: checks the scripts of the given kinds (SCRIPTS_*)
 * against the file system, one line per refused script on errs; returns
 * how many were refused. */
size_t daemon_check_scripts(const struct halo_config *cfg, int kinds, FILE *errs);

#endif
