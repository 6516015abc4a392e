/* haloctl metrics --serve: the Prometheus endpoint (global.metrics_listen),
 * HTTP served by libmicrohttpd; each scrape asks the daemons for their status
 * and renders it with lib/metrics.c. A separate process, so a scrape never
 * runs inside a daemon's event loop. */
#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "haloctl.h"
#include "metrics.h"

static const char ctype[] = "application/openmetrics-text; version=1.0.0; charset=utf-8";

static enum MHD_Result serve(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
                             const char *version, const char *upload, size_t *upload_len, void **ctx)
{
	const struct haloctl *h = cls;
	struct MHD_Response *resp;
	struct json_object *st[3];
	char *text = NULL;
	size_t len = 0;
	FILE *f;
	enum MHD_Result rc;

	if ((strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0) || strcmp(url, "/metrics") != 0) {
		static char nf[] = "not found: try GET /metrics\n";
		resp = MHD_create_response_from_buffer(strlen(nf), nf, MHD_RESPMEM_PERSISTENT);
		rc = MHD_queue_response(conn, MHD_HTTP_NOT_FOUND, resp);
		MHD_destroy_response(resp);
		return rc;
	}
	f = open_memstream(&text, &len);
	if (!f)
		return MHD_NO;
	for (int i = 0; i < 3; i++)
		st[i] = haloctl_ask(h, haloctl_daemons[i], "status", true);
	metrics_render(st[0], st[1], st[2], f);
	for (int i = 0; i < 3; i++)
		json_object_put(st[i]);
	fclose(f);
	resp = MHD_create_response_from_buffer(len, text, MHD_RESPMEM_MUST_FREE);
	MHD_add_response_header(resp, "Content-Type", ctype);
	rc = MHD_queue_response(conn, MHD_HTTP_OK, resp);
	MHD_destroy_response(resp);
	return rc;
}

/* "127.0.0.1:9650" or "[::1]:9650" */
static int listen_parse(const char *s, struct sockaddr_storage *ss)
{
	char host[64];
	const char *colon = strrchr(s, ':');
	unsigned long port;
	struct halo_addr a;
	size_t n;

	if (!colon || (n = (size_t)(colon - s)) == 0 || n >= sizeof(host))
		return -1;
	memcpy(host, s, n);
	host[n] = '\0';
	if (host[0] == '[' && host[n - 1] == ']') {
		memmove(host, host + 1, n - 2);
		host[n - 2] = '\0';
	}
	port = strtoul(colon + 1, NULL, 10);
	if (port == 0 || port > 65535 || halo_addr_parse(host, &a) < 0)
		return -1;
	memset(ss, 0, sizeof(*ss));
	if (a.family == AF_INET) {
		struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
		s4->sin_family = AF_INET;
		s4->sin_port = htons((uint16_t)port);
		s4->sin_addr = a.v4;
	} else {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((uint16_t)port);
		s6->sin6_addr = a.v6;
	}
	return 0;
}

int haloctl_metrics_serve(const struct haloctl *h, const char *listen_arg)
{
	struct sockaddr_storage ss;
	struct MHD_Daemon *mhd;
	const char *where = listen_arg;
	struct halo_config *cfg = NULL;
	sigset_t set;
	int sig;

	if (!where) {
		cfg = config_load(h->config, stderr);
		if (!cfg)
			return 1;
		where = cfg->global.metrics_listen;
		if (!where) {
			fprintf(stderr, "haloctl: global.metrics_listen is not set in %s\n", h->config);
			config_free(cfg);
			return 1;
		}
	}
	if (listen_parse(where, &ss) < 0) {
		fprintf(stderr, "haloctl: bad listen address %s (want ADDR:PORT)\n", where);
		config_free(cfg);
		return 1;
	}
	mhd = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG |
	                       (ss.ss_family == AF_INET6 ? MHD_USE_IPv6 : 0), 0, NULL, NULL,
	                       serve, (void *)h, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
	                       MHD_OPTION_CONNECTION_LIMIT, 16u, MHD_OPTION_CONNECTION_TIMEOUT, 10u,
	                       MHD_OPTION_END);
	if (!mhd) {
		fprintf(stderr, "haloctl: cannot listen on %s: %s\n", where, strerror(errno));
		config_free(cfg);
		return 1;
	}
	fprintf(stderr, "haloctl: serving OpenMetrics on http://%s/metrics\n", where);
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigprocmask(SIG_BLOCK, &set, NULL);
	sigwait(&set, &sig);
	MHD_stop_daemon(mhd);
	config_free(cfg);
	return 0;
}
