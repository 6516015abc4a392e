/* halo-ipvs-sync: start-up, signals, reload and the reconcile pass that
 * carries out what ipvs_desired()/ipvs_diff() decide. It never flushes the
 * table to rebuild it (only on stop, with ipvs.flush_on_stop). */
#include <errno.h>
#include <limits.h>
#include <linux/capability.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ipvs_diff.h"
#include "io_sandbox.h"
#include "ipvsd.h"
#include "log.h"

static void log_op(const struct ipvs_op *op, int err)
{
	char s[IPVS_SVC_STRLEN], r[IPVS_SVC_STRLEN];

	ipvs_service_str(&op->svc, s);
	if (err) {
		errno = err;
		if (op->kind >= IPVS_OP_ADD_DEST && op->kind <= IPVS_OP_DEL_DEST)
			log_warn("%s %s in VS %s failed", ipvs_op_kind_name(op->kind),
			         ipvs_dest_str(&op->svc, &op->dest, r), s);
		else
			log_warn("%s VS %s failed", ipvs_op_kind_name(op->kind), s);
		return;
	}
	switch (op->kind) {
	case IPVS_OP_ADD_SERVICE:
		log_notice("Adding VS %s scheduler=%s", s, op->svc.sched_name);
		break;
	case IPVS_OP_EDIT_SERVICE:
		log_notice("Updating VS %s scheduler=%s flags=0x%x timeout=%u", s, op->svc.sched_name,
		           op->svc.flags, op->svc.timeout);
		break;
	case IPVS_OP_DEL_SERVICE:
		log_notice("Removing VS %s", s);
		break;
	case IPVS_OP_ADD_DEST:
		log_notice("Adding service %s to VS %s weight=%d", ipvs_dest_str(&op->svc, &op->dest, r), s,
		           op->dest.weight);
		break;
	case IPVS_OP_EDIT_DEST:
		log_notice("Updating service %s in VS %s weight=%d", ipvs_dest_str(&op->svc, &op->dest, r),
		           s, op->dest.weight);
		break;
	case IPVS_OP_DEL_DEST:
		log_notice("Removing service %s from VS %s", ipvs_dest_str(&op->svc, &op->dest, r), s);
		break;
	}
}

/* Few ops are logged one by one; a large pass (start-up of a big table) is summarised. */
#define IPVSD_LOG_OPS_MAX 64

/* Sends ops and records them in d->kernel; any doubt invalidates the copy
 * so that the next pass dumps. */
static void apply_ops(struct ipvsd *d, const struct ipvs_ops *ops, size_t *failed)
{
	int *errs = calloc(ops->n + 1, sizeof(*errs));
	int r;

	*failed = ops->n;
	d->kernel_valid = false;
	if (!errs) {
		log_warnx("reconcile: out of memory");
		return;
	}
	r = ipvs_nl_apply(d->nl, ops->v, ops->n, errs);
	if (r < 0) {
		log_warn("reconcile: netlink");
		free(errs);
		return;
	}
	*failed = (size_t)r;
	d->kernel_valid = r == 0 && ipvs_table_apply(&d->kernel, ops->v, ops->n, errs) == 0;
	for (size_t i = 0; i < ops->n; i++) {
		unsigned suppressed = 0;

		if (!errs[i])
			d->c.ops[ops->v[i].kind]++;
		if (errs[i] && !log_ratelimit_ok(&d->fail_rl, ev_now_us(), &suppressed))
			continue;               /* counted in ops_failed */
		if (suppressed)
			log_warnx("%u failed operations not logged", suppressed);
		if (errs[i] || ops->n <= IPVSD_LOG_OPS_MAX)
			log_op(&ops->v[i], errs[i]);
	}
	if (ops->n > IPVSD_LOG_OPS_MAX)
		log_notice("reconcile: %zu operations, %zu failed", ops->n, *failed);
	free(errs);
}

static void sync_daemon_reconcile(struct ipvsd *d)
{
	const struct cfg_sync_daemon *sd = &d->cfg->ipvs.sync_daemon;
	struct ipvs_daemon base = { 0 }, want[2], add[2], have[4], del[4];
	size_t n_have, n_del, n_want = 0, n_add;

	if (ipvs_nl_get_daemons(d->nl, have, 4, &n_have) < 0) {
		d->c.daemon_errors++;
		return;
	}
	if (sd->enabled) {
		snprintf(base.mcast_ifn, sizeof(base.mcast_ifn), "%s", sd->interface ? sd->interface : "");
		base.sync_id = sd->sync_id;
		base.maxlen = sd->maxlen;
		base.port = sd->port;
		base.ttl = sd->ttl;
		base.group = sd->group;
		n_want = ipvs_daemons_wanted((int)sd->mode, sd->follow_instance ? d->follow_state : NULL, &base,
		                             want);
	}
	ipvs_daemon_plan(want, n_want, have, n_have, del, &n_del, add, &n_add);
	for (size_t i = 0; i < n_del; i++) {
		d->c.daemon_changes++;
		if (ipvs_nl_daemon(d->nl, IPVS_CMD_DEL_DAEMON, &del[i]) < 0) {
			d->c.daemon_errors++;
			log_warn("stopping the %s sync daemon", del[i].state == IP_VS_STATE_MASTER ? "master" : "backup");
		} else {
			log_notice("Stopping IPVS connection synchronization %s daemon on %s syncid=%u",
			           del[i].state == IP_VS_STATE_MASTER ? "master" : "backup", del[i].mcast_ifn,
			           del[i].sync_id);
		}
	}
	for (size_t i = 0; i < n_add; i++) {
		const struct ipvs_daemon *w = &add[i];

		d->c.daemon_changes++;
		if (ipvs_nl_daemon(d->nl, IPVS_CMD_NEW_DAEMON, w) < 0) {
			d->c.daemon_errors++;
			log_warn("starting the %s sync daemon on %s syncid %u",
			         w->state == IP_VS_STATE_MASTER ? "master" : "backup", w->mcast_ifn, w->sync_id);
		} else {
			log_notice("Starting IPVS connection synchronization %s daemon on %s syncid=%u",
			           w->state == IP_VS_STATE_MASTER ? "master" : "backup", w->mcast_ifn, w->sync_id);
		}
	}
}

static void timeouts_apply(struct ipvsd *d)
{
	const struct cfg_ipvs *c = &d->cfg->ipvs;
	struct ipvs_timeouts t = { (uint32_t)(c->timeout_tcp / 1000), (uint32_t)(c->timeout_tcpfin / 1000),
	                           (uint32_t)(c->timeout_udp / 1000) };

	if (d->timeouts_done)
		return;
	d->timeouts_done = true;
	if (!c->timeouts_set || (!t.tcp && !t.tcp_fin && !t.udp))
		return;
	if (ipvs_nl_set_timeouts(d->nl, &t) < 0)
		log_warn("setting IPVS timeouts tcp=%u tcpfin=%u udp=%u", t.tcp, t.tcp_fin, t.udp);
}

static int reconcile_pass(struct ipvsd *d, bool full);

int ipvsd_reconcile(struct ipvsd *d, bool full)
{
	int r;

	d->c.reconciles++;
	d->last_reconcile_us = ev_now_us();
	timeouts_apply(d);
	r = reconcile_pass(d, full);
	d->c.last_pass_us = ev_now_us() - d->last_reconcile_us;
	if (d->c.last_pass_us > d->c.max_pass_us)
		d->c.max_pass_us = d->c.last_pass_us;
	if (d->c.last_ops) {
		d->c.write_pass_ops = d->c.last_ops;
		d->c.write_pass_us[0] = d->c.last_pass_us;
		d->c.write_pass_us[1] = d->c.last_build_us;
		d->c.write_pass_us[2] = d->c.last_dump_us;
		d->c.write_pass_us[3] = d->c.last_diff_us;
		d->c.write_pass_us[4] = d->c.last_apply_us;
	}
	return r;
}

static int reconcile_pass(struct ipvsd *d, bool full)
{
	struct ipvs_table want;
	struct ipvs_ops ops = { 0 };
	const char *err = NULL;
	size_t failed = 0;

	uint64_t t0 = ev_now_us(), t1, t2, t3;

	if (ipvs_desired_build(d->cfg, d->health, &want, &err) < 0) {
		log_warnx("reconcile: %s", err);
		d->c.reconcile_failures++;
		return -1;
	}
	ipvs_drain_apply(&d->drained, NULL, &want);
	t1 = ev_now_us();
	if (full || !d->kernel_valid) {
		ipvs_table_free(&d->kernel);
		d->kernel_valid = false;
		if (ipvs_nl_dump(d->nl, &d->kernel) < 0) {
			log_warn("reconcile: dumping the IPVS table");
			ipvs_table_free(&want);
			d->c.reconcile_failures++;
			return -1;
		}
		d->kernel_valid = true;
		d->c.full_passes++;
	}
	t2 = ev_now_us();
	if (ipvs_diff(&want, &d->kernel, &ops) < 0) {
		log_warnx("reconcile: out of memory");
		ops.n = 0;
		failed = 1;
	}
	t3 = ev_now_us();
	if (ops.n)
		apply_ops(d, &ops, &failed);
	d->c.last_build_us = t1 - t0;
	d->c.last_dump_us = t2 - t1;
	d->c.last_diff_us = t3 - t2;
	d->c.last_apply_us = ev_now_us() - t3;
	d->c.last_ops = ops.n;
	d->c.last_failed = failed;
	sync_daemon_reconcile(d);
	if (ops.n)
		ipvsd_ctl_publish_pass(d, ops.n, failed);
	ipvs_ops_free(&ops);
	ipvs_table_free(&want);
	if (failed)
		d->c.reconcile_failures++;
	return failed ? -1 : 0;
}

static void arm_resync(struct ipvsd *d, uint64_t delay_us)
{
	ev_timer_arm(d->loop, &d->resync, ev_now_us() + delay_us);
}

static uint64_t resync_period(const struct ipvsd *d)
{
	/* a big table's dump costs: keep healing under ~5% of a CPU */
	uint64_t every = d->c.last_dump_us * IPVSD_RESYNC_FACTOR;

	return every > IPVSD_RESYNC_US ? every : IPVSD_RESYNC_US;
}

/* After a failed pass: try again soon, backing off while it keeps failing. */
static void arm_retry(struct ipvsd *d)
{
	arm_resync(d, ipvs_retry_delay(++d->pass_fails, IPVSD_RETRY_US, resync_period(d)));
}

/* The periodic pass dumps the kernel table: it heals what others changed. */
static void resync_cb(void *arg)
{
	struct ipvsd *d = arg;

	if (d->ctl)
		ctl_server_check(d->ctl);   /* the run dir was removed under us: socket again */
	if (ipvsd_reconcile(d, true) < 0) {
		arm_retry(d);
		return;
	}
	d->pass_fails = 0;
	arm_resync(d, resync_period(d));
}

/* An event pass trusts the table the last pass left; a failure retries soon. */
static void kick_cb(void *arg)
{
	struct ipvsd *d = arg;

	if (ipvsd_reconcile(d, false) < 0)
		arm_retry(d);
	else
		d->pass_fails = 0;
}

void ipvsd_kick(struct ipvsd *d)
{
	if (!ev_timer_armed(&d->kick))
		ev_timer_arm(d->loop, &d->kick, ev_now_us());
}

static void subscriptions_open(struct ipvsd *d)
{
	char path[PATH_MAX];

	if (!d->checker) {
		snprintf(path, sizeof(path), "%s/halo-checker.sock", d->opts.run_dir);
		d->checker = ctl_sub_open(d->loop, path, ipvsd_checker_msg, ipvsd_checker_state, d);
	}
	if (!d->vrrp && d->cfg->ipvs.sync_daemon.follow_instance) {
		snprintf(path, sizeof(path), "%s/halo-vrrpd.sock", d->opts.run_dir);
		d->vrrp = ctl_sub_open(d->loop, path, ipvsd_vrrp_msg, ipvsd_vrrp_state, d);
	}
}

/* Like daemon_load_config(), but the errors go to the log (stderr is gone
 * once daemonised). */
static struct halo_config *config_reload(const char *path)
{
	char *errs = NULL, *save = NULL;
	size_t len = 0;
	FILE *ef = open_memstream(&errs, &len);
	struct halo_config *cfg;

	if (!ef)
		return NULL;
	cfg = config_load(path, ef);
	fclose(ef);
	for (char *l = strtok_r(errs, "\n", &save); !cfg && l; l = strtok_r(NULL, "\n", &save))
		log_warnx("reload: %s", l);
	free(errs);
	return cfg;
}

int ipvsd_reload(struct ipvsd *d)
{
	struct halo_config *ncfg = config_reload(d->opts.config);
	struct vs_health *nh;
	struct vs_health_id *nids;
	size_t n_nids;

	d->c.reloads++;
	if (!ncfg) {
		d->c.reload_failures++;
		log_warnx("reload: %s rejected; keeping the running configuration", d->opts.config);
		return -1;
	}
	if (ipvsd_health_init(d, ncfg, &nh, &nids, &n_nids) < 0) {
		d->c.reload_failures++;
		config_free(ncfg);
		return -1;
	}
	ipvsd_health_carry(d, ncfg, nh, nids, n_nids);
	ipvsd_health_free(d->health, d->cfg->n_virtual_servers, d->ids, d->n_ids);
	if (strcmp(d->cfg->ipvs.sync_daemon.follow_instance ? d->cfg->ipvs.sync_daemon.follow_instance : "",
	           ncfg->ipvs.sync_daemon.follow_instance ? ncfg->ipvs.sync_daemon.follow_instance : "")) {
		d->follow_state[0] = '\0';
		ctl_sub_close(d->vrrp);    /* the new snapshot tells the new instance's state */
		d->vrrp = NULL;
	}
	config_free(d->cfg);
	d->cfg = ncfg;
	d->health = nh;
	d->ids = nids;
	d->n_ids = n_nids;
	d->timeouts_done = false;
	log_set_facility(d->cfg->global.log_facility);
	subscriptions_open(d);
	log_notice("reloaded %s: %zu virtual servers", d->opts.config, d->cfg->n_virtual_servers);
	ev_timer_cancel(d->loop, &d->kick);
	kick_cb(d);
	return 0;
}

static void on_signal(int signo, void *arg)
{
	struct ipvsd *d = arg;

	if (signo == SIGHUP) {
		ipvsd_reload(d);
		return;
	}
	d->stopping = true;
	ev_loop_break(d->loop);
}

static void shutdown_all(struct ipvsd *d)
{
	if (d->cfg->ipvs.flush_on_stop) {
		if (ipvs_nl_flush(d->nl) < 0)
			log_warn("flushing the IPVS table");
		else
			log_notice("flushed the IPVS table (flush_on_stop)");
	}
	ctl_sub_close(d->checker);
	ctl_sub_close(d->vrrp);
	ctl_server_close(d->ctl);
	ipvsd_health_free(d->health, d->cfg->n_virtual_servers, d->ids, d->n_ids);
	ipvs_nl_close(d->nl);
	ipvs_table_free(&d->kernel);
	ipvs_drain_free(&d->drained);
	config_free(d->cfg);
	ev_loop_free(d->loop);
}

int main(int argc, char **argv)
{
	static char cfg_path[PATH_MAX];
	struct ipvsd d;
	const char *err;

	memset(&d, 0, sizeof(d));
	d.fail_rl = (struct log_ratelimit)LOG_RATELIMIT_INIT(10000000, 10);
	daemon_parse_args(argc, argv, "halo-ipvs-sync", &d.opts);
	if (d.opts.check_only)
		daemon_check_and_exit(&d.opts);
	if (realpath(d.opts.config, cfg_path))     /* daemon() moves to / */
		d.opts.config = cfg_path;
	if (!(d.cfg = daemon_load_config(&d.opts)))
		return 1;
	log_init("halo-ipvs-sync", d.opts.foreground, d.opts.verbose);
	log_set_facility(d.cfg->global.log_facility);
	if (!(d.nl = ipvs_nl_open(&err)))
		fatalx("%s", err);
	if (!d.opts.foreground && daemon(0, 0) < 0)
		fatal("daemon");
	if (ipvsd_health_init(&d, d.cfg, &d.health, &d.ids, &d.n_ids) < 0 || !(d.loop = ev_loop_new()))
		fatalx("out of memory");
	d.started_us = ev_now_us();
	ev_signal_add(d.loop, SIGTERM, on_signal, &d);
	ev_signal_add(d.loop, SIGINT, on_signal, &d);
	ev_signal_add(d.loop, SIGHUP, on_signal, &d);
	signal(SIGPIPE, SIG_IGN);
	if (ipvsd_ctl_open(&d) < 0)
		fatal("control socket %s/halo-ipvs-sync.sock", d.opts.run_dir);
	if (daemon_drop_privileges(NULL, (const int[]){ CAP_NET_ADMIN, -1 }) < 0)
		fatal("cannot drop privileges");
	if (d.cfg->global.seccomp && sandbox_enter(SANDBOX_IPVS_SYNC, d.loop) < 0)
		fatal("cannot load the seccomp filter");
	ev_timer_init(&d.resync, resync_cb, &d);
	ev_timer_init(&d.kick, kick_cb, &d);
	log_notice("halo-ipvs-sync %s starting with %zu virtual servers", HALO_VERSION,
	           d.cfg->n_virtual_servers);
	ipvsd_drain_restore(&d);
	subscriptions_open(&d);
	resync_cb(&d);
	if (ev_loop_run(d.loop) < 0)
		fatal("event loop");
	shutdown_all(&d);
	log_notice("halo-ipvs-sync stopped");
	return 0;
}
