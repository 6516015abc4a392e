/* haloctl failover INSTANCE: asks halo-vrrpd for a voluntary handover. */
#include <stdio.h>

#include "haloctl.h"

int haloctl_failover(const struct haloctl *h, int argc, char **argv)
{
	struct json_object *req, *resp;
	int rc;

	if (argc != 2) {
		fprintf(stderr, "usage: haloctl failover INSTANCE\n");
		return 2;
	}
	req = json_object_new_object();
	json_object_object_add(req, "cmd", json_object_new_string("failover"));
	json_object_object_add(req, "name", json_object_new_string(argv[1]));
	resp = haloctl_request(h, "halo-vrrpd", req, false);
	if (!resp)
		return 1;
	rc = haloctl_reply_ok(resp, argv[1]) ? 0 : 1;
	if (rc == 0)
		printf("%s: handed over (priority 0 sent; a backup takes over after Skew_Time)\n", argv[1]);
	json_object_put(resp);
	return rc;
}
