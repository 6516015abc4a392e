/* Script path safety checks over a loaded config. Pure: every file system
 * look-up goes through the caller's stat callback. */
#include "config_script.h"

#include <string.h>
#include <sys/stat.h>

/* A directory others may write to is still safe when it is sticky (as /tmp
 * is): only an entry's owner (or root) may then rename or remove it, so the
 * next component, owned by root, cannot be swapped. The walk checks that. */
static bool sticky_dir(const struct script_stat *st)
{
	return !st->is_link && S_ISDIR(st->mode) && (st->mode & S_ISVTX);
}

static int mode_check(const char *comp, const struct script_stat *st, char *err, size_t errlen)
{
	if (st->uid != 0) {
		snprintf(err, errlen, "%s is owned by uid %u, not root", comp, (unsigned)st->uid);
		return -1;
	}
	if ((st->mode & (S_IWGRP | S_IWOTH)) && !sticky_dir(st)) {
		snprintf(err, errlen, "%s is writable by %s (mode %04o)", comp,
		         (st->mode & S_IWOTH) ? "others" : "its group", (unsigned)(st->mode & 07777));
		return -1;
	}
	return 0;
}

static int path_walk(const char *path, script_stat_fn fn, void *arg, char *err, size_t errlen, int depth);

static int component_check(const char *comp, const struct script_stat *st, script_stat_fn fn, void *arg,
                           char *err, size_t errlen, int depth)
{
	if (st->is_link) {
		if (depth >= 8) {
			snprintf(err, errlen, "%s: too many levels of symbolic links", comp);
			return -1;
		}
		return st->resolved[0] ? path_walk(st->resolved, fn, arg, err, errlen, depth + 1) : 0;
	}
	return mode_check(comp, st, err, errlen);
}

int script_path_check(const char *path, script_stat_fn fn, void *arg, char *err, size_t errlen)
{
	return path_walk(path, fn, arg, err, errlen, 0);
}

static int path_walk(const char *path, script_stat_fn fn, void *arg, char *err, size_t errlen, int depth)
{
	char comp[4096];
	size_t len = strlen(path);
	struct script_stat st;
	const char *sticky = NULL;   /* the previous component: a sticky directory others write to */
	char sticky_comp[4096];

	if (path[0] != '/') {
		snprintf(err, errlen, "%s is not an absolute path", path);
		return -1;
	}
	if (len >= sizeof(comp)) {
		snprintf(err, errlen, "path too long");
		return -1;
	}
	for (size_t end = 1; end <= len; end++) {
		if (end < len && path[end] != '/')
			continue;
		if (end > 1 && path[end - 1] == '/')
			continue;   /* "//" */
		memcpy(comp, path, end);
		comp[end] = '\0';
		st.resolved[0] = '\0';
		if (fn(comp, &st, arg) < 0) {
			if (!sticky)
				return 0;   /* missing: only root could create it here */
			snprintf(err, errlen, "%s does not exist and anyone may create it in %s", comp, sticky);
			return -1;
		}
		if (sticky && st.uid != 0) {   /* a link too: its owner may replace it */
			snprintf(err, errlen, "%s is owned by uid %u in %s, which others may write to", comp,
			         (unsigned)st.uid, sticky);
			return -1;
		}
		if (component_check(comp, &st, fn, arg, err, errlen, depth) < 0)
			return -1;
		sticky = NULL;
		if (sticky_dir(&st) && (st.mode & (S_IWGRP | S_IWOTH))) {
			memcpy(sticky_comp, comp, end + 1);
			sticky = sticky_comp;
		}
	}
	return 0;
}

static size_t one(const struct halo_config *cfg, const char *where, const struct cfg_argv *a,
                  script_stat_fn fn, void *arg, FILE *errs)
{
	char err[4200];

	if (a->argc == 0 || script_path_check(a->argv[0], fn, arg, err, sizeof(err)) == 0)
		return 0;
	fprintf(errs, "%s: %s: script %s refused: %s (global.script_security)\n",
	        cfg->path ? cfg->path : "config", where, a->argv[0], err);
	return 1;
}

static size_t notify_check(const struct halo_config *cfg, const char *what, const char *name,
                           const struct cfg_notify *n, script_stat_fn fn, void *arg, FILE *errs)
{
	const struct { const char *key; const struct cfg_argv *a; } v[] = {
		{ "master", &n->master }, { "backup", &n->backup }, { "fault", &n->fault },
		{ "stop", &n->stop }, { "any", &n->any },
	};
	char where[512];
	size_t bad = 0;

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		snprintf(where, sizeof(where), "vrrp.%s.%s.notify.%s", what, name, v[i].key);
		bad += one(cfg, where, v[i].a, fn, arg, errs);
	}
	return bad;
}

static size_t vrrp_check(const struct halo_config *cfg, script_stat_fn fn, void *arg, FILE *errs)
{
	const struct cfg_vrrp *v = &cfg->vrrp;
	char where[512];
	size_t bad = 0;

	for (size_t i = 0; i < v->n_scripts; i++) {
		snprintf(where, sizeof(where), "vrrp.scripts.%s.command", v->scripts[i].name);
		bad += one(cfg, where, &v->scripts[i].command, fn, arg, errs);
	}
	for (size_t i = 0; i < v->n_instances; i++)
		bad += notify_check(cfg, "instances", v->instances[i].name, &v->instances[i].notify, fn, arg, errs);
	for (size_t i = 0; i < v->n_sync_groups; i++)
		bad += notify_check(cfg, "sync_groups", v->sync_groups[i].name, &v->sync_groups[i].notify,
		                    fn, arg, errs);
	return bad;
}

static size_t checker_check(const struct halo_config *cfg, script_stat_fn fn, void *arg, FILE *errs)
{
	char where[512];
	size_t bad = 0;

	for (size_t i = 0; i < cfg->n_virtual_servers; i++) {
		const struct cfg_virtual_server *vs = &cfg->virtual_servers[i];
		for (size_t j = 0; j < vs->n_real_servers; j++) {
			const struct cfg_check *c = &vs->real_servers[j].check;
			if (c->kind != CFG_CHECK_SCRIPT)
				continue;
			snprintf(where, sizeof(where), "virtual_servers[%zu].real_servers[%zu].check.script", i, j);
			bad += one(cfg, where, &c->script.command, fn, arg, errs);
		}
	}
	return bad;
}

size_t config_scripts_check(const struct halo_config *cfg, int kinds, script_stat_fn fn, void *arg,
                            FILE *errs)
{
	size_t bad = 0;

	if (!cfg->global.script_security)
		return 0;
	if (kinds & SCRIPTS_VRRP)
		bad += vrrp_check(cfg, fn, arg, errs);
	if (kinds & SCRIPTS_CHECKER)
		bad += checker_check(cfg, fn, arg, errs);
	return bad;
}
