/* haloctl drain / undrain ADDR[:PORT]: asks halo-ipvs-sync to keep the
 * matching destinations at weight 0 (or to stop doing so); decides nothing
 * itself: the daemon checks the target and keeps the set. */
#include <stdio.h>
#include <string.h>

#include "haloctl.h"

static void print_set(struct json_object *resp)
{
	struct json_object *set;
	size_t n;

	if (!json_object_object_get_ex(resp, "drained", &set) || !json_object_is_type(set, json_type_array))
		return;
	n = json_object_array_length(set);
	printf("drained: %s", n ? "" : "none");
	for (size_t i = 0; i < n; i++)
		printf("%s%s", i ? " " : "", json_object_get_string(json_object_array_get_idx(set, i)));
	printf("\n");
}

int haloctl_drain(const struct haloctl *h, int argc, char **argv)
{
	const char *verb = argv[0];
	struct json_object *req, *resp, *v;
	char what[300];

	if (argc != 2) {
		fprintf(stderr, "usage: haloctl %s ADDR[:PORT]\n", verb);
		return 2;
	}
	req = json_object_new_object();
	json_object_object_add(req, "cmd", json_object_new_string(verb));
	json_object_object_add(req, "target", json_object_new_string(argv[1]));
	resp = haloctl_request(h, "halo-ipvs-sync", req, false);
	if (!resp)
		return 1;
	snprintf(what, sizeof(what), "%s %s", verb, argv[1]);
	if (!haloctl_reply_ok(resp, what)) {
		json_object_put(resp);
		return 1;
	}
	bool changed = json_object_object_get_ex(resp, "changed", &v) && json_object_get_boolean(v);
	printf("%s: %s%s\n", json_object_object_get_ex(resp, "target", &v) ? json_object_get_string(v) : argv[1],
	       strcmp(verb, "drain") == 0 ? "drained" : "undrained", changed ? "" : " (already)");
	print_set(resp);
	json_object_put(resp);
	return 0;
}
