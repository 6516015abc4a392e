/* haloctl metrics: OpenMetrics text of every running daemon's status. */
#include <stdio.h>
#include <string.h>

#include "haloctl.h"
#include "metrics.h"

int haloctl_metrics(const struct haloctl *h, int argc, char **argv)
{
	struct json_object *st[3];
	int running = 0;

	if (argc > 1 && strcmp(argv[1], "--serve") == 0)
		return haloctl_metrics_serve(h, argc > 2 ? argv[2] : NULL);

	for (int i = 0; i < 3; i++) {
		st[i] = haloctl_ask(h, haloctl_daemons[i], "status", true);
		running += st[i] != NULL;
	}
	metrics_render(st[0], st[1], st[2], stdout);
	for (int i = 0; i < 3; i++)
		json_object_put(st[i]);
	if (!running)
		fprintf(stderr, "haloctl: no halo daemon is running under %s\n", h->run_dir);
	return running ? 0 : 1;
}
