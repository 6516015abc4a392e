/* haloctl: the one CLI; each command in its own file, all talk to the
 * daemons' control sockets through lib/io_ctl. */
#ifndef HALO_HALOCTL_H
#define HALO_HALOCTL_H

#include <json-c/json.h>
#include <stdbool.h>

struct haloctl {
	const char *run_dir;
	const char *config;
};

extern const char *const haloctl_daemons[];   /* "halo-vrrpd", "halo-checker", "halo-ipvs-sync", NULL */

/* Sends req (consumed) to one daemon; the reply, or NULL with a message on
 * stderr (unless quiet) if the daemon is not running. */
struct json_object *haloctl_request(const struct haloctl *h, const char *daemon, struct json_object *req,
                                    bool quiet);
/* Same for a bare {"cmd": cmd}. */
struct json_object *haloctl_ask(const struct haloctl *h, const char *daemon, const char *cmd, bool quiet);
/* True for {"ok": true}; otherwise prints "haloctl: what: error" and returns false. */
bool haloctl_reply_ok(struct json_object *resp, const char *what);

int haloctl_status(const struct haloctl *h, int argc, char **argv);
int haloctl_monitor(const struct haloctl *h, int argc, char **argv);
int haloctl_reload(const struct haloctl *h, int argc, char **argv);
int haloctl_check(const struct haloctl *h, int argc, char **argv);
int haloctl_metrics(const struct haloctl *h, int argc, char **argv);
int haloctl_failover(const struct haloctl *h, int argc, char **argv);
/* Serves GET /metrics on listen_arg (NULL: global.metrics_listen) until SIGTERM. */
int haloctl_metrics_serve(const struct haloctl *h, const char *listen_arg);
/* drain|undrain ADDR[:PORT]: weight 0 at runtime in halo-ipvs-sync (ctl_drain.c). */
int haloctl_drain(const struct haloctl *h, int argc, char **argv);
int haloctl_import(const struct haloctl *h, int argc, char **argv);   /* import_cmd.c */

#endif
