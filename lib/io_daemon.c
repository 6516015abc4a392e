/* Shared daemon start-up: options, config loading for -n, privilege drop,
 * script path checks. */
#include "io_daemon.h"

#include <errno.h>
#include <getopt.h>
#include <grp.h>
#include <limits.h>
#include <linux/capability.h>
#include <linux/securebits.h>
#include <malloc.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

static void usage(const char *prog, int code)
{
	fprintf(code ? stderr : stdout,
	        "usage: %s [-dnv] [-f FILE] [--run-dir DIR]\n"
	        "  -f FILE        configuration (default %s)\n"
	        "  -n             check the configuration and exit (0 good, 1 bad)\n"
	        "  -d             stay in the foreground, log to stderr as well\n"
	        "  -v             more verbose (repeatable)\n"
	        "  --run-dir DIR  sockets directory (default %s)\n"
	        "  --version      print the version\n",
	        prog, HALO_DEFAULT_CONFIG, HALO_DEFAULT_RUN_DIR);
	exit(code);
}

void daemon_parse_args(int argc, char **argv, const char *prog, struct daemon_opts *o)
{
	static const struct option longopts[] = {
		{ "run-dir", required_argument, NULL, 'R' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	memset(o, 0, sizeof(*o));
	o->config = HALO_DEFAULT_CONFIG;
	o->run_dir = HALO_DEFAULT_RUN_DIR;
	while ((c = getopt_long(argc, argv, "f:ndvh", longopts, NULL)) != -1) {
		switch (c) {
		case 'f': o->config = optarg; break;
		case 'n': o->check_only = true; break;
		case 'd': o->foreground = true; break;
		case 'v': o->verbose++; break;
		case 'R': o->run_dir = optarg; break;
		case 'V': printf("%s %s\n", prog, HALO_VERSION); exit(0);
		case 'h': usage(prog, 0); break;
		default: usage(prog, 1);
		}
	}
	if (optind != argc)
		usage(prog, 1);
	o->script_kinds = strcmp(prog, "halo-vrrpd") == 0 ? SCRIPTS_VRRP :
	                  strcmp(prog, "halo-checker") == 0 ? SCRIPTS_CHECKER : 0;
}

struct halo_config *daemon_load_config(const struct daemon_opts *o)
{
	struct halo_config *cfg = config_load(o->config, stderr);

	if (cfg && daemon_check_scripts(cfg, o->script_kinds, stderr) > 0) {
		config_free(cfg);
		cfg = NULL;
	}
	/* the parse tree and libyaml's buffers were freed between the config's
	 * own allocations: give those pages back (10,000 real servers: ~15 MB) */
	malloc_trim(0);
	return cfg;
}

void daemon_check_and_exit(const struct daemon_opts *o)
{
	struct halo_config *cfg = daemon_load_config(o);

	if (!cfg)
		exit(1);
	fprintf(stderr, "%s: configuration OK\n", o->config);
	config_free(cfg);
	exit(0);
}

static int caps_set(const int *keep)
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct data[2];

	memset(data, 0, sizeof(data));
	for (const int *k = keep; k && *k >= 0; k++) {
		data[*k / 32].permitted |= 1u << (*k % 32);
		data[*k / 32].effective |= 1u << (*k % 32);
	}
	return (int)syscall(SYS_capset, &hdr, data);
}

/* Only keep_caps stay in the bounding set: nothing else can come back,
 * not even through an execve() as uid 0. */
static int caps_bound(const int *keep_caps)
{
	for (int cap = 0; cap <= 63; cap++) {
		bool keep = false;
		for (const int *k = keep_caps; k && *k >= 0; k++)
			keep |= (*k == cap);
		if (!keep && prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0 && errno != EINVAL)
			return -1;
	}
	/* no ambient set, and uid 0 alone grants nothing at execve() */
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL)
		return -1;
	return prctl(PR_SET_SECUREBITS, SECBIT_NOROOT | SECBIT_NOROOT_LOCKED, 0, 0, 0);
}

int daemon_drop_privileges(const char *user, const int *keep_caps)
{
	struct passwd *pw = NULL;

	if (user && !(pw = getpwnam(user))) {
		errno = ENOENT;
		return -1;
	}
	if (caps_bound(keep_caps) < 0)
		return -1;
	if (pw && keep_caps && keep_caps[0] >= 0 && prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
		return -1;
	if (pw && (setgroups(1, &pw->pw_gid) < 0 || setresgid(pw->pw_gid, pw->pw_gid, pw->pw_gid) < 0 ||
	           setresuid(pw->pw_uid, pw->pw_uid, pw->pw_uid) < 0))
		return -1;
	if (caps_set(keep_caps) < 0)
		return -1;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return -1;
	return 0;
}

static int script_lstat(const char *path, struct script_stat *st, void *arg)
{
	struct stat sb;

	(void)arg;
	if (lstat(path, &sb) < 0)
		return -1;
	st->is_link = S_ISLNK(sb.st_mode);
	st->uid = sb.st_uid;
	st->mode = sb.st_mode;
	if (st->is_link && !realpath(path, st->resolved))
		st->resolved[0] = '\0';   /* dangling: nothing to run there */
	return 0;
}

size_t daemon_check_scripts(const struct halo_config *cfg, int kinds, FILE *errs)
{
	return config_scripts_check(cfg, kinds, script_lstat, NULL, errs);
}
