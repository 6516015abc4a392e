/* haloctl reload [--json]: validates the file, then reloads each running
 * daemon and prints what its status shows changed (ctl_diff.c decides). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "ctl_diff.h"
#include "haloctl.h"

/* Reloads one daemon; its entry of the --json reply, or NULL when it is not
 * running. *failed is set when it refused or did not answer. */
static struct json_object *reload_one(const struct haloctl *h, const char *daemon, bool *failed)
{
	struct json_object *before = haloctl_ask(h, daemon, "status", true);
	struct json_object *r = haloctl_ask(h, daemon, "reload", true), *after, *v;
	struct json_object *e;

	if (!r) {
		if (!before)
			return NULL;
		json_object_put(before);
		e = json_object_new_object();
		json_object_object_add(e, "daemon", json_object_new_string(daemon));
		json_object_object_add(e, "reloaded", json_object_new_boolean(0));
		json_object_object_add(e, "error", json_object_new_string("no answer to the reload"));
		*failed = true;
		return e;
	}
	e = json_object_new_object();
	json_object_object_add(e, "daemon", json_object_new_string(daemon));
	if (json_object_object_get_ex(r, "ok", &v) && json_object_get_boolean(v)) {
		json_object_object_add(e, "reloaded", json_object_new_boolean(1));
		after = haloctl_ask(h, daemon, "status", true);
		json_object_object_add(e, "changes", status_diff(daemon, before, after));
		json_object_put(after);
	} else {
		json_object_object_add(e, "reloaded", json_object_new_boolean(0));
		json_object_object_add(e, "error", json_object_new_string(
			json_object_object_get_ex(r, "error", &v) ? json_object_get_string(v) : "refused"));
		*failed = true;
	}
	json_object_put(before);
	json_object_put(r);
	return e;
}

static void print_entry(struct json_object *e)
{
	struct json_object *v, *changes;
	const char *daemon = json_object_get_string(json_object_object_get(e, "daemon"));

	if (!(json_object_object_get_ex(e, "reloaded", &v) && json_object_get_boolean(v))) {
		printf("%s: %s\n", daemon, json_object_get_string(json_object_object_get(e, "error")));
		return;
	}
	json_object_object_get_ex(e, "changes", &changes);
	size_t n = changes ? json_object_array_length(changes) : 0;
	printf("%s: reloaded%s\n", daemon, n ? "" : ", no change");
	for (size_t i = 0; i < n; i++) {
		char *line = status_diff_text(json_object_array_get_idx(changes, i));
		printf("  %s\n", line ? line : "?");
		free(line);
	}
}

int haloctl_reload(const struct haloctl *h, int argc, char **argv)
{
	bool json = argc > 1 && strcmp(argv[1], "--json") == 0;
	struct halo_config *cfg;
	struct json_object *all, *list;
	bool failed = false;

	if (argc > 2 || (argc == 2 && !json)) {
		fprintf(stderr, "usage: haloctl reload [--json]\n");
		return 2;
	}
	if (!(cfg = config_load(h->config, stderr))) {
		fprintf(stderr, "haloctl: %s is not valid; nothing reloaded\n", h->config);
		return 1;
	}
	config_free(cfg);
	all = json_object_new_object();
	list = json_object_new_array();
	json_object_object_add(all, "v", json_object_new_int(1));
	json_object_object_add(all, "daemons", list);
	for (int i = 0; haloctl_daemons[i]; i++) {
		struct json_object *e = reload_one(h, haloctl_daemons[i], &failed);
		if (e)
			json_object_array_add(list, e);
	}
	json_object_object_add(all, "ok", json_object_new_boolean(!failed && json_object_array_length(list)));
	if (json)
		printf("%s\n", json_object_to_json_string_ext(all, JSON_C_TO_STRING_PRETTY));
	else
		for (size_t i = 0; i < json_object_array_length(list); i++)
			print_entry(json_object_array_get_idx(list, i));
	if (!json_object_array_length(list)) {
		fprintf(stderr, "haloctl: no halo daemon is running under %s\n", h->run_dir);
		json_object_put(all);
		return 1;
	}
	json_object_put(all);
	return failed;
}
