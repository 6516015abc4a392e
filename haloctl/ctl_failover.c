/* haloctl failover INSTANCE: asks halo-vrrpd for a voluntary handover. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "haloctl.h"
#include "io_ctl.h"

int haloctl_failover(const struct haloctl *h, int argc, char **argv)
{
	char path[512];
	struct json_object *req, *resp = NULL, *ok, *err;
	int rc;

	if (argc != 2) {
		fprintf(stderr, "usage: haloctl failover INSTANCE\n");
		return 2;
	}
	snprintf(path, sizeof(path), "%s/halo-vrrpd.sock", h->run_dir);
	req = json_object_new_object();
	json_object_object_add(req, "cmd", json_object_new_string("failover"));
	json_object_object_add(req, "name", json_object_new_string(argv[1]));
	if (ctl_call(path, req, &resp, 5000) < 0) {
		fprintf(stderr, "haloctl: halo-vrrpd: %s%s\n", strerror(errno),
		        errno == ENOENT || errno == ECONNREFUSED ? " (is it running?)" : "");
		json_object_put(req);
		return 1;
	}
	json_object_put(req);
	rc = json_object_object_get_ex(resp, "ok", &ok) && json_object_get_boolean(ok) ? 0 : 1;
	if (rc == 0)
		printf("%s: handed over (priority 0 sent; a backup takes over after Skew_Time)\n", argv[1]);
	else
		fprintf(stderr, "haloctl: %s: %s\n", argv[1],
		        json_object_object_get_ex(resp, "error", &err) ? json_object_get_string(err) : "refused");
	json_object_put(resp);
	return rc;
}
