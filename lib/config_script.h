/* Script path safety (keepalived's enable_script_security): a script runs
 * only if nobody but root can change what it is. Pure: the caller supplies
 * the lstat(); the daemons' wrapper is daemon_check_scripts(). */
#ifndef HALO_CONFIG_SCRIPT_H
#define HALO_CONFIG_SCRIPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

#include "config.h"

struct script_stat {
	bool is_link;
	uid_t uid;
	mode_t mode;
	char resolved[4096];   /* a link: the absolute path it resolves to ("" = unknown) */
};

/* lstat()-like: 0 and *st filled, or -1 when the path does not exist. */
typedef int (*script_stat_fn)(const char *path, struct script_stat *st, void *arg);

/* Walks every prefix of the absolute `path` ("/", "/usr", "/usr/bin", ...):
 * each existing one must be owned by root and not writable by group or other
 * (a symlink itself is not judged: its directory is, and so is every
 * component of the path it resolves to). The walk stops at the first missing component:
 * only root could create it. Returns 0, or -1 with err naming the component. */
int script_path_check(const char *path, script_stat_fn fn, void *arg, char *err, size_t errlen);

enum { SCRIPTS_VRRP = 1, SCRIPTS_CHECKER = 2 };

/* Checks argv[0] of every script of the given kinds (SCRIPTS_* bits) in cfg
 * and writes one line per refused script to errs: "file: where: message".
 * Returns the number refused (0 when global.script_security is off). */
size_t config_scripts_check(const struct halo_config *cfg, int kinds, script_stat_fn fn, void *arg,
                            FILE *errs);

#endif
