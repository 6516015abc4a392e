/* haloctl: command dispatch and the shared socket helper. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "haloctl.h"
#include "io_ctl.h"
#include "io_daemon.h"

const char *const haloctl_daemons[] = { "halo-vrrpd", "halo-checker", "halo-ipvs-sync", NULL };

struct json_object *haloctl_request(const struct haloctl *h, const char *daemon, struct json_object *req,
                                    bool quiet)
{
	char path[512];
	struct json_object *resp = NULL;

	snprintf(path, sizeof(path), "%s/%s.sock", h->run_dir, daemon);
	if (ctl_call(path, req, &resp, 5000) < 0) {
		if (!quiet)
			fprintf(stderr, "haloctl: %s: %s%s\n", daemon, strerror(errno),
			        errno == ENOENT || errno == ECONNREFUSED ? " (is it running?)" : "");
		resp = NULL;
	}
	json_object_put(req);
	return resp;
}

struct json_object *haloctl_ask(const struct haloctl *h, const char *daemon, const char *cmd, bool quiet)
{
	struct json_object *req = json_object_new_object();

	json_object_object_add(req, "cmd", json_object_new_string(cmd));
	return haloctl_request(h, daemon, req, quiet);
}

bool haloctl_reply_ok(struct json_object *resp, const char *what)
{
	struct json_object *v;

	if (json_object_object_get_ex(resp, "ok", &v) && json_object_get_boolean(v))
		return true;
	fprintf(stderr, "haloctl: %s: %s\n", what,
	        json_object_object_get_ex(resp, "error", &v) ? json_object_get_string(v) : "refused");
	return false;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: haloctl [--run-dir DIR] [-f FILE] COMMAND\n"
	           "  status [--json]   instances, virtual servers, real servers\n"
	           "  monitor [--json]  live event stream\n"
	           "  reload [--json]   validate the config, reload each daemon, print what changed\n"
	           "  check [FILE]      validate a configuration file\n"
	           "  metrics           OpenMetrics text of every running daemon\n"
	           "  failover INSTANCE voluntary handover of a MASTER instance (priority 0)\n"
	           "  metrics --serve [ADDR:PORT]  serve it over HTTP (default global.metrics_listen)\n"
	           "  drain ADDR[:PORT] / undrain ADDR[:PORT]\n"
	           "                    weight 0 for matching real servers until undrained\n"
	           "  import-keepalived [-o FILE] [--strict] [--config-id ID] KEEPALIVED.CONF\n"
	           "                    convert a keepalived.conf to halo YAML\n");
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "run-dir", required_argument, NULL, 'R' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct haloctl h = { HALO_DEFAULT_RUN_DIR, HALO_DEFAULT_CONFIG };
	int c;

	while ((c = getopt_long(argc, argv, "+f:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'R': h.run_dir = optarg; break;
		case 'f': h.config = optarg; break;
		case 'V': printf("haloctl %s\n", HALO_VERSION); return 0;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return 2;
	}
	const char *cmd = argv[optind];
	argc -= optind;
	argv += optind;
	optind = 1;
	if (strcmp(cmd, "status") == 0)
		return haloctl_status(&h, argc, argv);
	if (strcmp(cmd, "monitor") == 0)
		return haloctl_monitor(&h, argc, argv);
	if (strcmp(cmd, "reload") == 0)
		return haloctl_reload(&h, argc, argv);
	if (strcmp(cmd, "check") == 0)
		return haloctl_check(&h, argc, argv);
	if (strcmp(cmd, "metrics") == 0)
		return haloctl_metrics(&h, argc, argv);
	if (strcmp(cmd, "failover") == 0)
		return haloctl_failover(&h, argc, argv);
	if (strcmp(cmd, "drain") == 0 || strcmp(cmd, "undrain") == 0)
		return haloctl_drain(&h, argc, argv);
	if (strcmp(cmd, "import-keepalived") == 0)
		return haloctl_import(&h, argc, argv);
	fprintf(stderr, "haloctl: unknown command %s\n", cmd);
	usage(stderr);
	return 2;
}
