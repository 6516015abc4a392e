/* Compares two status replies of one daemon and lists what was added,
 * removed or changed; it must not talk to a daemon or read the clock. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl_diff.h"

#define CMP 1u    /* compared: a difference is a change */
#define SUM 2u    /* shown in the summary of an added or removed element */

struct fspec {
	const char *key;      /* member of the daemon's reply */
	const char *label;    /* name in the change */
	unsigned flags;
};

struct lspec {
	const char *object;
	const char *key;              /* member naming an element */
	const struct fspec *fields;   /* NULL-terminated */
	const char *child_key;        /* nested list, compared where the parent is on both sides */
	const struct lspec *child;
};

static const struct fspec inst_fields[] = {
	{ "interface", "interface", CMP | SUM },
	{ "vrid", "vrid", CMP | SUM },
	{ "family", "family", CMP },
	{ "version", "version", CMP },
	{ "base_priority", "priority", CMP | SUM },
	{ "effective_priority_delta", "priority_delta", CMP },
	{ "advert_interval_ms", "advert_interval_ms", CMP },
	{ "virtual_addresses", "virtual_addresses", CMP | SUM },
	{ "sync_group", "sync_group", CMP },
	{ "state", "state", CMP },
	{ NULL, NULL, 0 },
};
static const struct fspec group_fields[] = {
	{ "instances", "instances", CMP | SUM },
	{ "state", "state", CMP },
	{ NULL, NULL, 0 },
};
static const struct fspec script_fields[] = {
	{ "up", "up", CMP },
	{ NULL, NULL, 0 },
};
static const struct fspec chk_vs_fields[] = {
	{ "vs_name", "name", CMP | SUM },
	{ NULL, NULL, 0 },
};
static const struct fspec chk_rs_fields[] = {
	{ "weight", "weight", CMP | SUM },
	{ "check", "check", CMP | SUM },
	{ "target", "target", CMP },
	{ "up", "up", CMP },
	{ NULL, NULL, 0 },
};
static const struct fspec ipvs_vs_fields[] = {
	{ "scheduler", "scheduler", CMP | SUM },
	{ "persistent", "persistent", CMP },
	{ "timeout", "timeout", CMP },
	{ "netmask", "netmask", CMP },
	{ NULL, NULL, 0 },
};
static const struct fspec ipvs_rs_fields[] = {
	{ "forwarding", "forwarding", CMP | SUM },
	{ "weight", "weight", CMP | SUM },
	{ "u_threshold", "u_threshold", CMP },
	{ "l_threshold", "l_threshold", CMP },
	{ NULL, NULL, 0 },
};
static const struct fspec sync_fields[] = {
	{ "enabled", "enabled", CMP },
	{ "follow_instance", "follow_instance", CMP },
	{ "instance_state", "instance_state", CMP },
	{ "kernel_daemons", "kernel_daemons", CMP },
	{ NULL, NULL, 0 },
};

static const struct lspec inst_list = { "instance", "name", inst_fields, NULL, NULL };
static const struct lspec group_list = { "sync_group", "name", group_fields, NULL, NULL };
static const struct lspec script_list = { "track_script", "name", script_fields, NULL, NULL };
static const struct lspec chk_rs_list = { "real_server", "rs", chk_rs_fields, NULL, NULL };
static const struct lspec chk_vs_list = { "virtual_server", "vs", chk_vs_fields, "real_servers", &chk_rs_list };
static const struct lspec ipvs_rs_list = { "real_server", "rs", ipvs_rs_fields, NULL, NULL };
static const struct lspec ipvs_vs_list = { "virtual_server", "vs", ipvs_vs_fields, "real_servers",
	                                    &ipvs_rs_list };

static struct json_object *member(struct json_object *o, const char *key)
{
	struct json_object *v = NULL;

	if (!o || !json_object_is_type(o, json_type_object) || !json_object_object_get_ex(o, key, &v))
		return NULL;
	return v;
}

static const char *member_str(struct json_object *o, const char *key)
{
	struct json_object *v = member(o, key);

	return v && json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
}

static size_t arr_len(struct json_object *a)
{
	return a && json_object_is_type(a, json_type_array) ? json_object_array_length(a) : 0;
}

static struct json_object *find_named(struct json_object *arr, const char *key, const char *name)
{
	for (size_t i = 0; i < arr_len(arr); i++) {
		const char *n = member_str(json_object_array_get_idx(arr, i), key);
		if (n && strcmp(n, name) == 0)
			return json_object_array_get_idx(arr, i);
	}
	return NULL;
}

static struct json_object *change_new(const char *object, const char *name, const char *parent,
                                      const char *what)
{
	struct json_object *c = json_object_new_object();

	json_object_object_add(c, "object", json_object_new_string(object));
	if (name)
		json_object_object_add(c, "name", json_object_new_string(name));
	if (parent)
		json_object_object_add(c, "virtual_server", json_object_new_string(parent));
	json_object_object_add(c, "change", json_object_new_string(what));
	return c;
}

static struct json_object *summary(struct json_object *o, const struct lspec *s)
{
	struct json_object *sum = json_object_new_object();

	for (const struct fspec *f = s->fields; f->key; f++)
		if ((f->flags & SUM) && member(o, f->key))
			json_object_object_add(sum, f->label, json_object_get(member(o, f->key)));
	if (s->child_key)
		json_object_object_add(sum, s->child_key,
		                       json_object_new_int((int)arr_len(member(o, s->child_key))));
	return sum;
}

/* The compared fields that differ, as [{"field","old","new"}...]. */
static struct json_object *fields_diff(struct json_object *b, struct json_object *a, const struct fspec *fs)
{
	struct json_object *out = json_object_new_array();

	for (const struct fspec *f = fs; f->key; f++) {
		struct json_object *ov = member(b, f->key), *nv = member(a, f->key), *fc;
		if (!(f->flags & CMP) || json_object_equal(ov, nv))
			continue;
		fc = json_object_new_object();
		json_object_object_add(fc, "field", json_object_new_string(f->label));
		json_object_object_add(fc, "old", json_object_get(ov));
		json_object_object_add(fc, "new", json_object_get(nv));
		json_object_array_add(out, fc);
	}
	return out;
}

static void diff_list(struct json_object *out, const struct lspec *s, const char *parent, struct json_object *before,
                      struct json_object *after)
{
	for (size_t i = 0; i < arr_len(after); i++) {
		struct json_object *a = json_object_array_get_idx(after, i), *b, *c, *fd;
		const char *name = member_str(a, s->key);
		if (!name)
			continue;
		if (!(b = find_named(before, s->key, name))) {
			c = change_new(s->object, name, parent, "added");
			json_object_object_add(c, "new", summary(a, s));
			json_object_array_add(out, c);
			continue;
		}
		fd = fields_diff(b, a, s->fields);
		if (arr_len(fd)) {
			c = change_new(s->object, name, parent, "changed");
			json_object_object_add(c, "fields", fd);
			json_object_array_add(out, c);
		} else {
			json_object_put(fd);
		}
		if (s->child)
			diff_list(out, s->child, name, member(b, s->child_key), member(a, s->child_key));
	}
	for (size_t i = 0; i < arr_len(before); i++) {
		struct json_object *b = json_object_array_get_idx(before, i), *c;
		const char *name = member_str(b, s->key);
		if (!name || find_named(after, s->key, name))
			continue;
		c = change_new(s->object, name, parent, "removed");
		json_object_object_add(c, "old", summary(b, s));
		json_object_array_add(out, c);
	}
}

static void diff_vrrpd(struct json_object *out, struct json_object *b, struct json_object *a)
{
	diff_list(out, &inst_list, NULL, member(b, "instances"), member(a, "instances"));
	diff_list(out, &group_list, NULL, member(b, "sync_groups"), member(a, "sync_groups"));
	diff_list(out, &script_list, NULL, member(b, "track_scripts"), member(a, "track_scripts"));
}

/* The checker lists real servers flat, each naming its "vs"; grouped here
 * into [{"vs", "vs_name", "real_servers": [...]}...] in first-seen order. */
static struct json_object *checker_group(struct json_object *st)
{
	struct json_object *rs = member(st, "real_servers"), *vss = json_object_new_array();

	for (size_t i = 0; i < arr_len(rs); i++) {
		struct json_object *r = json_object_array_get_idx(rs, i), *v;
		const char *id = member_str(r, "vs");
		if (!id)
			continue;
		if (!(v = find_named(vss, "vs", id))) {
			v = json_object_new_object();
			json_object_object_add(v, "vs", json_object_new_string(id));
			if (member(r, "vs_name"))
				json_object_object_add(v, "vs_name", json_object_get(member(r, "vs_name")));
			json_object_object_add(v, "real_servers", json_object_new_array());
			json_object_array_add(vss, v);
		}
		json_object_array_add(member(v, "real_servers"), json_object_get(r));
	}
	return vss;
}

static void diff_checker(struct json_object *out, struct json_object *b, struct json_object *a)
{
	struct json_object *gb = checker_group(b), *ga = checker_group(a);

	diff_list(out, &chk_vs_list, NULL, gb, ga);
	json_object_put(gb);
	json_object_put(ga);
}

/* The sync daemon's comparable part; kernel daemons as "master eth0 51". */
static struct json_object *sync_norm(struct json_object *sd)
{
	struct json_object *o = json_object_new_object(), *kd = json_object_new_array();

	for (const struct fspec *f = sync_fields; f->key; f++)
		if (member(sd, f->key) && strcmp(f->key, "kernel_daemons"))
			json_object_object_add(o, f->key, json_object_get(member(sd, f->key)));
	for (size_t i = 0; i < arr_len(member(sd, "kernel_daemons")); i++) {
		struct json_object *k = json_object_array_get_idx(member(sd, "kernel_daemons"), i);
		char buf[160];
		snprintf(buf, sizeof(buf), "%s %s %s", member_str(k, "state") ? member_str(k, "state") : "?",
		         member_str(k, "interface") ? member_str(k, "interface") : "?",
		         member(k, "sync_id") ? json_object_get_string(member(k, "sync_id")) : "?");
		json_object_array_add(kd, json_object_new_string(buf));
	}
	json_object_object_add(o, "kernel_daemons", kd);
	return o;
}

static void diff_ipvs(struct json_object *out, struct json_object *b, struct json_object *a)
{
	struct json_object *sb = sync_norm(member(b, "sync_daemon")), *sa = sync_norm(member(a, "sync_daemon"));
	struct json_object *fd = fields_diff(sb, sa, sync_fields), *c;
	static const struct fspec drained[] = { { "drained", "drained", CMP }, { NULL, NULL, 0 } };

	diff_list(out, &ipvs_vs_list, NULL, member(b, "virtual_servers"), member(a, "virtual_servers"));
	if (arr_len(fd)) {
		c = change_new("sync_daemon", NULL, NULL, "changed");
		json_object_object_add(c, "fields", fd);
		json_object_array_add(out, c);
	} else {
		json_object_put(fd);
	}
	json_object_put(sb);
	json_object_put(sa);
	fd = fields_diff(b, a, drained);
	if (arr_len(fd)) {
		c = change_new("drained", NULL, NULL, "changed");
		json_object_object_add(c, "fields", fd);
		json_object_array_add(out, c);
	} else {
		json_object_put(fd);
	}
}

struct json_object *status_diff(const char *daemon, struct json_object *before, struct json_object *after)
{
	struct json_object *out = json_object_new_array();

	if (!out)
		return NULL;
	if (!before != !after) {
		json_object_array_add(out, change_new("daemon", daemon, NULL, after ? "added" : "removed"));
		return out;
	}
	if (!before)
		return out;
	if (strcmp(daemon, "halo-vrrpd") == 0)
		diff_vrrpd(out, before, after);
	else if (strcmp(daemon, "halo-checker") == 0)
		diff_checker(out, before, after);
	else if (strcmp(daemon, "halo-ipvs-sync") == 0)
		diff_ipvs(out, before, after);
	return out;
}

/* ---- text ---- */

static bool all_strings(struct json_object *a)
{
	if (!a || !json_object_is_type(a, json_type_array))
		return false;
	for (size_t i = 0; i < arr_len(a); i++)
		if (!json_object_is_type(json_object_array_get_idx(a, i), json_type_string))
			return false;
	return true;
}

static bool arr_has(struct json_object *a, const char *s)
{
	for (size_t i = 0; i < arr_len(a); i++)
		if (strcmp(json_object_get_string(json_object_array_get_idx(a, i)), s) == 0)
			return true;
	return false;
}

static void put_value(FILE *f, struct json_object *v)
{
	if (!v || (json_object_is_type(v, json_type_string) && !*json_object_get_string(v))) {
		fputs("none", f);
	} else if (json_object_is_type(v, json_type_string)) {
		fputs(json_object_get_string(v), f);
	} else if (all_strings(v)) {
		for (size_t i = 0; i < arr_len(v); i++)
			fprintf(f, "%s%s", i ? "," : "", json_object_get_string(json_object_array_get_idx(v, i)));
		if (!arr_len(v))
			fputs("none", f);
	} else {
		fputs(json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN), f);
	}
}

/* Lists of strings as "+added -removed"; the rest (and a reordering) as
 * "old -> new". */
static void put_field(FILE *f, struct json_object *fc, const char *object)
{
	struct json_object *ov = member(fc, "old"), *nv = member(fc, "new");
	const char *label = member_str(fc, "field");
	bool moved = false;

	if (label && (!object || strcmp(label, object)))   /* "drained: +R1", not "drained: drained +R1" */
		fprintf(f, "%s ", label);
	if (all_strings(ov) && all_strings(nv)) {
		for (size_t i = 0; i < arr_len(nv); i++)
			if (!arr_has(ov, json_object_get_string(json_object_array_get_idx(nv, i)))) {
				fprintf(f, "%s+%s", moved ? " " : "", json_object_get_string(json_object_array_get_idx(nv, i)));
				moved = true;
			}
		for (size_t i = 0; i < arr_len(ov); i++)
			if (!arr_has(nv, json_object_get_string(json_object_array_get_idx(ov, i)))) {
				fprintf(f, "%s-%s", moved ? " " : "", json_object_get_string(json_object_array_get_idx(ov, i)));
				moved = true;
			}
		if (moved)
			return;
	}
	put_value(f, ov);
	fputs(" -> ", f);
	put_value(f, nv);
}

static void put_summary(FILE *f, struct json_object *sum)
{
	bool first = true;

	json_object_object_foreach(sum, k, v) {
		fprintf(f, "%s%s ", first ? " (" : ", ", k);
		put_value(f, v);
		first = false;
	}
	if (!first)
		fputc(')', f);
}

char *status_diff_text(struct json_object *c)
{
	const char *object = member_str(c, "object"), *name = member_str(c, "name"), *what = member_str(c, "change");
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (!f)
		return NULL;
	if (object && strcmp(object, "daemon") == 0) {
		fprintf(f, "%s %s", name ? name : "?", what && !strcmp(what, "added") ? "now answers" : "stopped answering");
	} else {
		for (const char *p = object ? object : "?"; *p; p++)   /* real_server -> real server */
			fputc(*p == '_' ? ' ' : *p, f);
		if (name)
			fprintf(f, " %s", name);
		if (member_str(c, "virtual_server"))
			fprintf(f, " of %s", member_str(c, "virtual_server"));
		if (member(c, "fields")) {
			fputs(":", f);
			for (size_t i = 0; i < arr_len(member(c, "fields")); i++) {
				fputs(i ? ", " : " ", f);
				put_field(f, json_object_array_get_idx(member(c, "fields"), i), object);
			}
		} else {
			fprintf(f, ": %s", what ? what : "?");
			put_summary(f, member(c, what && !strcmp(what, "added") ? "new" : "old"));
		}
	}
	if (fclose(f) != 0) {
		free(text);
		return NULL;
	}
	return text;
}
