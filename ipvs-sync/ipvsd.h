/* halo-ipvs-sync's shell state shared by its files: the running config, the
 * health learned from halo-checker, the followed VRRP state, counters.
 * Decisions are in ipvs_desired.c and ipvs_diff.c; these files only wire.
 *
 * Consumed from halo-checker.sock (JSON lines, see checker/check_probe.c):
 *   {"type":"snapshot","real_servers":[{"vs":ID,"rs":ID,"up":bool,"weight":N},...]}
 *   {"type":"rs","vs":ID,"rs":ID,"up":bool,"weight":N}
 * where ID is "[addr]:proto:port" (vs may be "fwmark:N") and weight < 0 means
 * "the configured weight". Unknown ids are ignored; other keys are ignored.
 * Consumed from halo-vrrpd.sock (see vrrpd/vrrpd_ctl.c):
 *   {"type":"snapshot","instances":[{"name":..,"state":"MASTER"|"BACKUP"|...},...]}
 *   {"type":"instance","instance":{"name":..,"state":..}}
 * Served on halo-ipvs-sync.sock: {"cmd":"status"} (also "subscribe": the
 * status, then one {"type":"reconcile",...} line per pass that wrote),
 * {"cmd":"reload"}, {"cmd":"resync"}, {"cmd":"drain"|"undrain","target":"ADDR[:PORT]"}. */
#ifndef HALO_IPVSD_H
#define HALO_IPVSD_H

#include <stdbool.h>
#include <json-c/json.h>

#include "config.h"
#include "evloop.h"
#include "io_ctl.h"
#include "io_daemon.h"
#include "ipvs_desired.h"
#include "ipvs_drain.h"
#include "ipvsd_nl.h"
#include "log.h"

#define IPVSD_RESYNC_US     (5 * 1000000ull)     /* periodic heal pass, at least */
#define IPVSD_RESYNC_FACTOR 20                   /* ... and 20 x a dump's duration */
#define IPVSD_RETRY_US      (1 * 1000000ull)     /* after a failed pass */

struct ipvsd_counters {
	unsigned long reconciles, full_passes, reconcile_failures, last_ops, last_failed;
	unsigned long ops[IPVS_OP_DEL_SERVICE + 1];
	unsigned long reloads, reload_failures;
	unsigned long checker_msgs, checker_bad, checker_unknown;
	unsigned long vrrp_msgs, vrrp_bad;
	unsigned long daemon_changes, daemon_errors;
	uint64_t last_pass_us, max_pass_us;  /* duration of a reconcile pass */
	uint64_t last_build_us, last_dump_us, last_diff_us, last_apply_us;   /* its parts */
	uint64_t write_pass_us[5];     /* the last pass that wrote: total, build, dump, diff, apply */
	unsigned long write_pass_ops;
};

struct ipvsd {
	struct ev_loop *loop;
	struct daemon_opts opts;
	struct halo_config *cfg;
	struct ipvs_nl *nl;
	struct vs_health *health;          /* cfg->n_virtual_servers */
	struct vs_health_id *ids;          /* sorted by key */
	size_t n_ids;
	struct ctl_server *ctl;
	struct ctl_sub *checker, *vrrp;
	bool checker_up, vrrp_up, checker_seen;
	char follow_state[16];             /* followed instance's state, "" = unknown */
	struct ev_timer resync, kick;
	bool timeouts_done;
	struct ipvs_drain_set drained;     /* haloctl drain: weight 0, kept across reloads */
	struct ipvs_table kernel;          /* the kernel's table as of the last pass */
	bool kernel_valid;                 /* false: the next pass dumps */
	unsigned pass_fails;               /* consecutive failed passes (retry backoff) */
	struct ipvsd_counters c;
	struct log_ratelimit fail_rl;      /* failed-operation warnings */
	uint64_t started_us, last_reconcile_us;
	bool stopping;
};

/* ipvsd_health.c */
int  ipvsd_health_init(struct ipvsd *d, struct halo_config *cfg, struct vs_health **health,
                       struct vs_health_id **ids, size_t *n_ids);
void ipvsd_health_carry(struct ipvsd *d, struct halo_config *ncfg, struct vs_health *nh,
                        struct vs_health_id *nids, size_t n_nids);
void ipvsd_health_free(struct vs_health *h, size_t n, struct vs_health_id *ids, size_t n_ids);
void ipvsd_checker_msg(struct json_object *msg, void *arg);
void ipvsd_checker_state(bool connected, void *arg);
void ipvsd_vrrp_msg(struct json_object *msg, void *arg);
void ipvsd_vrrp_state(bool connected, void *arg);

/* ipvsd.c */
void ipvsd_kick(struct ipvsd *d);       /* reconcile soon (coalesced) */
/* full: dump the kernel table first (heal); otherwise diff against the table
 * as the last pass left it (an event: health, VRRP, reload). */
int  ipvsd_reconcile(struct ipvsd *d, bool full);
int  ipvsd_reload(struct ipvsd *d);

/* ipvsd_ctl.c */
int  ipvsd_ctl_open(struct ipvsd *d);
void ipvsd_ctl_publish_pass(struct ipvsd *d, size_t n_ops, size_t failed);
/* Loads the drained set a previous run left in the run dir (before the first pass). */
void ipvsd_drain_restore(struct ipvsd *d);

#endif
