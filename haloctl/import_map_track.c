/* keepalived's trackers on a vrrp_instance (track_interface, track_script,
 * track_file, track_process, with the track_file / vrrp_track_process
 * definitions they name) -> halo's track_* lists. Pure: writes YAML to
 * m->out, diagnostics to m->d. */
#include <stdlib.h>
#include <string.h>

#include "import_map.h"

struct track {
	const char *name;
	long long weight;
	bool weight_set, reverse;
};

/* "NAME [weight W [reverse|noreverse]]" inside an instance's track_* block. */
static bool track_entry(struct imp_map *m, struct imp_node *t, struct track *out)
{
	*out = (struct track){ .name = t->w[0] };
	t->used = true;
	if (t->nw == 1)
		return true;
	if ((t->nw == 3 || t->nw == 4) && !strcmp(t->w[1], "weight") && imp_int(m, t, 2, -254, 254, &out->weight)) {
		out->weight_set = true;
		if (t->nw == 3 || !strcmp(t->w[3], "noreverse"))
			return true;
		if (!strcmp(t->w[3], "reverse"))
			return out->reverse = true;
	}
	imp_err(m, t, "%s: keepalived expects NAME [weight -254..254 [reverse|noreverse]]", t->w[0]);
	return false;
}

/* "weight W [reverse]" of a definition block. */
static void def_weight(struct imp_map *m, struct imp_node *def, struct track *tr)
{
	struct imp_node *w = imp_get(def, "weight");

	if (!w || !imp_int(m, w, 1, -254, 254, &tr->weight))
		return;
	if (w->nw > 2 && strcmp(w->w[2], "reverse") && strcmp(w->w[2], "noreverse"))
		imp_err(m, w, "weight %s %s: keepalived expects reverse or noreverse", w->w[1], w->w[2]);
	tr->reverse = w->nw > 2 && !strcmp(w->w[2], "reverse");
}

/* A top-level definition named `name` under any of two keywords. */
static struct imp_node *find_def(struct imp_node *root, const char *kw1, const char *kw2, const char *name)
{
	struct imp_node *r = NULL;

	for (size_t i = 0; i < root->nkids; i++) {
		struct imp_node *n = root->kids[i];

		if (n->block && n->nw == 2 && !strcmp(n->w[1], name) &&
		    (!strcmp(n->w[0], kw1) || (kw2 && !strcmp(n->w[0], kw2))))
			r = n;
	}
	return r;
}

static void map_ifs(struct imp_map *m, struct imp_node *vi)
{
	struct imp_node *b = imp_get(vi, "track_interface");
	struct track t;

	if (!b || !b->nkids)
		return;
	y_key(m, 6, "track_interfaces");
	for (size_t i = 0; i < b->nkids; i++) {
		if (!track_entry(m, b->kids[i], &t) || !imp_ifname(m, b->kids[i], t.name))
			continue;
		y_item(m);
		y_str(m, 10, "name", t.name);
		y_int(m, 10, "weight", t.weight);
		if (t.reverse)
			y_bool(m, 10, "reverse", true);
	}
}

static void map_scripts(struct imp_map *m, struct imp_node *root, struct imp_node *vi)
{
	struct imp_node *b = imp_get(vi, "track_script");
	struct track t, d;

	if (!b || !b->nkids)
		return;
	y_key(m, 6, "track_scripts");
	for (size_t i = 0; i < b->nkids; i++) {
		struct imp_node *def;

		if (!track_entry(m, b->kids[i], &t))
			continue;
		if (!(def = find_def(root, "vrrp_script", NULL, t.name))) {
			imp_err(m, b->kids[i], "track_script %s: no vrrp_script of that name", t.name);
			continue;
		}
		d = (struct track){ 0 };
		def_weight(m, def, &d);
		y_item(m);
		y_str(m, 10, "name", t.name);
		if (t.weight_set || d.reverse)
			y_int(m, 10, "weight", t.weight_set ? t.weight : d.weight);
		if (t.weight_set ? t.reverse : d.reverse)
			y_bool(m, 10, "reverse", true);
	}
}

static void map_files(struct imp_map *m, struct imp_node *root, struct imp_node *vi)
{
	struct imp_node *b = imp_get(vi, "track_file");
	struct track t, d;

	if (!b || !b->nkids)
		return;
	y_key(m, 6, "track_files");
	for (size_t i = 0; i < b->nkids; i++) {
		struct imp_node *def, *f;

		if (!track_entry(m, b->kids[i], &t))
			continue;
		def = find_def(root, "track_file", "vrrp_track_file", t.name);
		f = def ? imp_get(def, "file") : NULL;
		if (!f || !imp_need_args(m, f, 1, 1) || f->w[1][0] != '/') {
			imp_err(m, b->kids[i], "track_file %s: no track_file block with an absolute file path", t.name);
			continue;
		}
		d = (struct track){ .weight = 1 };
		def_weight(m, def, &d);
		y_item(m);
		y_str(m, 10, "path", f->w[1]);
		y_int(m, 10, "weight", t.weight_set ? t.weight : d.weight);
		if (t.weight_set ? t.reverse : d.reverse)
			y_bool(m, 10, "reverse", true);
	}
}

static bool process_def(struct imp_map *m, struct imp_node *def, const char **name, long long *quorum)
{
	static const char *const unsupported[] = {
		"quorum_max", "fork_delay", "terminate_delay", "delay", "full_command", "param_match", NULL
	};
	struct imp_node *p = imp_get(def, "process"), *q = imp_get(def, "quorum"), *n;

	for (int i = 0; unsupported[i]; i++)
		if ((n = imp_get(def, unsupported[i])))
			imp_warn(m, n, "%s: halo matches the process name and counts a quorum only; not converted",
				 unsupported[i]);
	if (!p || p->nw < 2) {
		imp_err(m, def, "vrrp_track_process %s has no process", def->w[1]);
		return false;
	}
	if (p->nw > 2 || strlen(p->w[1]) > 15 || strchr(p->w[1], '/')) {
		imp_warn(m, p, "process %s: halo matches the process name (at most 15 characters, no path, "
			 "no parameters); not converted", p->w[1]);
		return false;
	}
	*name = p->w[1];
	*quorum = 1;
	return !q || imp_int(m, q, 1, 1, 65535, quorum);
}

static void map_processes(struct imp_map *m, struct imp_node *root, struct imp_node *vi)
{
	struct imp_node *b = imp_get(vi, "track_process");
	struct track t, d;
	bool any = false;

	for (size_t i = 0; b && i < b->nkids; i++) {
		struct imp_node *def;
		const char *proc;
		long long quorum;

		if (!track_entry(m, b->kids[i], &t))
			continue;
		if (!(def = find_def(root, "vrrp_track_process", NULL, t.name))) {
			imp_err(m, b->kids[i], "track_process %s: no vrrp_track_process of that name", t.name);
			continue;
		}
		d = (struct track){ .weight = 1 };
		def_weight(m, def, &d);
		if (!process_def(m, def, &proc, &quorum))
			continue;
		if (!any)
			y_key(m, 6, "track_processes");
		any = true;
		y_item(m);
		y_str(m, 10, "name", proc);
		y_int(m, 10, "quorum", quorum);
		y_int(m, 10, "weight", t.weight_set ? t.weight : d.weight);
		if (t.weight_set ? t.reverse : d.reverse)
			y_bool(m, 10, "reverse", true);
	}
}

void imp_map_tracks(struct imp_map *m, struct imp_node *root, struct imp_node *vi)
{
	static const char *const defs[] = { "track_file", "vrrp_track_file", "vrrp_track_process", NULL };
	struct imp_node **all;

	map_ifs(m, vi);
	map_scripts(m, root, vi);
	map_files(m, root, vi);
	map_processes(m, root, vi);
	/* definitions are read where they are used; mark them all as seen */
	for (int i = 0; defs[i]; i++) {
		size_t n = imp_all(root, defs[i], &all);
		for (size_t k = 0; k < n; k++) {
			imp_get(all[k], "file");
			imp_get(all[k], "weight");
			imp_get(all[k], "process");
			imp_get(all[k], "quorum");
		}
		free(all);
	}
}

static bool def_weighted(struct imp_node *def, long long dflt)
{
	struct imp_node *w = NULL;

	for (size_t i = 0; def && i < def->nkids; i++)
		if (!strcmp(def->kids[i]->w[0], "weight"))
			w = def->kids[i];
	return w ? w->nw > 1 && strtoll(w->w[1], NULL, 10) != 0 : dflt != 0;
}

bool imp_tracks_weighted(struct imp_node *root, struct imp_node *vi)
{
	static const char *const blocks[] = { "track_interface", "track_script", "track_file", "track_process", NULL };

	for (size_t i = 0; i < vi->nkids; i++) {
		struct imp_node *b = vi->kids[i];
		int k;

		for (k = 0; blocks[k] && strcmp(blocks[k], b->w[0]); k++)
			;
		for (size_t j = 0; blocks[k] && j < b->nkids; j++) {
			struct imp_node *t = b->kids[j];

			if (t->nw >= 3 && strtoll(t->w[2], NULL, 10) != 0)
				return true;
			if (t->nw >= 3 || k == 0)
				continue;
			if (k == 1 && def_weighted(find_def(root, "vrrp_script", NULL, t->w[0]), 0))
				return true;
			if (k == 2 && def_weighted(find_def(root, "track_file", "vrrp_track_file", t->w[0]), 1))
				return true;
			if (k == 3 && def_weighted(find_def(root, "vrrp_track_process", NULL, t->w[0]), 1))
				return true;
		}
	}
	return false;
}
