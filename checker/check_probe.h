/* halo-checker's I/O shell: probes (one per unique check), their schedule on
 * the event loop, fan-out of results to real servers, and the kinds' entry
 * points. Decisions are taken by health.c / http_eval.c, not here. */
#ifndef HALO_CHECKER_CHECK_PROBE_H
#define HALO_CHECKER_CHECK_PROBE_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stdint.h>

#include "config.h"
#include "evloop.h"
#include "health.h"
#include "http_eval.h"
#include "io_ctl.h"

struct checker;
struct probe;

/* One kind of check: start an attempt, or abandon it (timeout, reload, stop).
 * An attempt ends with exactly one probe_done() unless cancelled. */
struct probe_ops {
	int  (*start)(struct probe *p);
	void (*cancel)(struct probe *p);
	/* optional: the verdict when the timeout passes (default: timeout) */
	void (*expire)(struct probe *p, struct health_result *r);
	/* optional: frees p->kstate (per-probe resources kept across attempts) */
	void (*release)(struct probe *p);
};

struct probe {
	struct checker *ck;
	const struct cfg_check *check;     /* in the running config */
	const struct probe_ops *ops;
	struct halo_addr addr;             /* where the check connects */
	uint16_t port;
	char target[HALO_ADDRSTRLEN + 8];  /* "[10.0.0.2]:80" for logs */
	struct health_params params;
	struct health health;
	struct http_matcher matcher;       /* http/https only */
	struct ev_timer timer;             /* next attempt */
	struct ev_timer deadline;          /* timeout of the running attempt */
	uint64_t due_us;                   /* drift-free grid */
	uint64_t started_us;
	uint64_t missed;                   /* grid slots skipped while behind */
	bool running, retrying, keep, waiting;
	struct probe *wait_prev, *wait_next;   /* FIFO of attempts held back by max_inflight */
	void *op;                          /* the running attempt, kind-owned */
	void *kstate;                      /* kept across attempts, kind-owned */
	struct rs_ref *refs;               /* real servers judged by this probe (next_ref chain) */
	/* https: seconds until the certificate expires, INT64_MIN = unknown */
	int64_t cert_expires_s;
	uint64_t cert_warned_us;
};

/* A (virtual server, real server) pair and the probe that judges it. */
struct rs_ref {
	const struct cfg_virtual_server *vs;
	const struct cfg_real_server *rs;
	struct probe *probe;
	struct rs_ref *next_ref;           /* same probe */
	char vs_id[HALO_ADDRSTRLEN + 24];  /* "[192.168.0.100]:tcp:80" / "fwmark:1" */
	char rs_id[HALO_ADDRSTRLEN + 24];  /* "[10.0.0.2]:tcp:80" */
};

struct http_multi;
struct script_runner;

struct checker {
	struct ev_loop *loop;
	struct halo_config *cfg;
	struct ctl_server *ctl;
	struct probe **probes;
	size_t n_probes;
	struct rs_ref *refs;
	size_t n_refs;
	struct http_multi *http;
	struct script_runner *scripts;
	uint64_t started_us, reloads;
	/* bounded concurrency: attempts beyond max_inflight wait in a FIFO */
	size_t inflight, max_inflight;
	struct probe *wait_head, *wait_tail;
	struct ev_timer kick;
	uint64_t queued_total;
};

/* check_probe.c */
void checker_init(struct checker *ck, struct ev_loop *loop, size_t max_inflight);
int  checker_apply_config(struct checker *ck, struct halo_config *cfg);  /* takes cfg */
void checker_stop(struct checker *ck);
void probe_done(struct probe *p, const struct health_result *r);
struct json_object *checker_snapshot_json(const struct checker *ck);
struct json_object *checker_status_json(const struct checker *ck);

/* check_http.c */
/* max_kept: connections that may stay open between attempts, all shards */
struct http_multi *http_multi_new(struct ev_loop *loop, size_t max_kept);
void http_multi_free(struct http_multi *hm);
extern const struct probe_ops probe_http_ops;

/* check_tcp.c */
extern const struct probe_ops probe_tcp_ops;

/* check_udp.c: udp (payload, optional reply prefix) and dns */
extern const struct probe_ops probe_udp_ops;

/* check_ping.c: raw ICMP sockets opened before the privilege drop */
int  ping_open(struct ev_loop *loop, struct checker *ck);
void ping_close(void);
extern const struct probe_ops probe_ping_ops;

/* check_script.c: the runner is forked before privileges are dropped and runs
 * scripts as global.script_user. */
struct script_runner *script_runner_start(const char *user);
int  script_runner_attach(struct script_runner *sr, struct ev_loop *loop, struct checker *ck);
void script_runner_stop(struct script_runner *sr);
extern const struct probe_ops probe_script_ops;

#endif
