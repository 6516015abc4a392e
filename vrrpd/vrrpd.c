/* halo-vrrpd: start-up, signals, reload and the event loop. It wires the
 * shell together; protocol decisions live in vrrp_fsm.c and vrrp_pkt.c. */
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <linux/capability.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "io_daemon.h"
#include "io_sandbox.h"
#include "io_sdnotify.h"
#include "vrrpd.h"

static void nl_changed(void *arg)
{
	vrrpd_iface_refresh(arg);
}

static struct vrrp_inst *inst_by_name(struct vrrp_inst *list, const char *name)
{
	for (; list; list = list->next)
		if (strcmp(list->cfg->name, name) == 0)
			return list;
	return NULL;
}

static void start_all(struct vrrpd *d, struct vrrp_inst *fresh)
{
	vrrpd_iface_refresh(d);
	for (struct vrrp_inst *vi = fresh; vi; vi = vi->next)
		vrrpd_inst_start(vi);
}

static void insts_append(struct vrrp_inst **list, struct vrrp_inst *vi)
{
	vi->next = NULL;
	while (*list)
		list = &(*list)->next;
	*list = vi;
}

/* Applies a new config: unchanged instances keep their state and rhythm,
 * changed ones are updated in place, the rest stopped or started. */
static void apply_config(struct vrrpd *d, struct halo_config *cfg)
{
	struct vrrp_inst *old = d->insts, *kept = NULL, *fresh = NULL;

	vrrpd_group_free_all(d);    /* rebuilt below; members may go away now */
	vrrpd_vs_reload(d);         /* trackers built below read the new table */
	d->insts = NULL;
	for (size_t i = 0; i < cfg->vrrp.n_instances; i++) {
		const struct cfg_vrrp_instance *n = &cfg->vrrp.instances[i];
		struct vrrp_inst *vi = inst_by_name(old, n->name), **pp;

		if (vi && strcmp(vi->cfg->interface, n->interface) == 0 && vi->cfg->vrid == n->vrid &&
		    vi->cfg->family == n->family && vi->cfg->version == n->version) {
			for (pp = &old; *pp != vi; pp = &(*pp)->next)
				;
			*pp = vi->next;
			if (config_instance_equal(vi->cfg, n)) {
				vi->cfg = n;     /* same values, new immutable tree */
				vrrpd_track_rebind(vi);
			} else {
				log_info("(%s) configuration changed; updating in place", n->name);
				vrrpd_inst_update(vi, n);
			}
			insts_append(&kept, vi);
		}
	}
	/* what is left in `old` was removed or changed identity */
	while (old) {
		struct vrrp_inst *vi = old;
		old = vi->next;
		log_info("(%s) removed from the configuration; stopping", vi->cfg->name);
		d->insts = vi;
		vi->next = NULL;
		vrrpd_inst_stop(vi);
		vrrpd_inst_free(vi);
	}
	d->insts = kept;
	for (size_t i = 0; i < cfg->vrrp.n_instances; i++) {
		const struct cfg_vrrp_instance *n = &cfg->vrrp.instances[i];
		if (!inst_by_name(kept, n->name))
			insts_append(&fresh, vrrpd_inst_new(d, n));
	}
	struct vrrp_inst **tail = &d->insts;
	while (*tail)
		tail = &(*tail)->next;
	*tail = fresh;
	vrrpd_iface_free_unused(d);
	vrrpd_group_build(d);
	vrrpd_track_reload(d);
	start_all(d, fresh);
	for (struct vrrp_group *g = d->groups; g; g = g->next)
		if (g->n)
			vrrpd_group_eval(g, g->members[0]);
}

static struct halo_config *load_logged(const char *path)
{
	char *text = NULL;
	size_t len = 0;
	FILE *errs = open_memstream(&text, &len);
	struct halo_config *cfg;

	if (!errs)
		return config_load(path, stderr);
	cfg = config_load(path, errs);
	if (cfg && daemon_check_scripts(cfg, SCRIPTS_VRRP, errs) > 0) {
		config_free(cfg);
		cfg = NULL;
	}
	fclose(errs);
	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n"))
		log_warnx("%s", line);
	free(text);
	return cfg;
}

int vrrpd_reload(struct vrrpd *d)
{
	struct halo_config *cfg;
	struct halo_config *old = d->cfg;

	sd_notify_reloading();
	cfg = load_logged(d->cfg_path);
	d->reloads++;
	if (!cfg) {
		d->reload_failures++;
		log_warnx("reload: %s rejected; the running configuration stays", d->cfg_path);
		sd_notify_ready("reload rejected; running the previous configuration");
		return -1;
	}
	d->cfg = cfg;
	log_set_facility(cfg->global.log_facility);
	apply_config(d, cfg);
	config_free(old);
	log_info("reload: %s applied", d->cfg_path);
	sd_notify_ready("running");
	return 0;
}

static void on_signal(int signo, void *arg)
{
	struct vrrpd *d = arg;

	switch (signo) {
	case SIGHUP:
		vrrpd_reload(d);
		break;
	case SIGCHLD:
		vrrpd_children_reap(d);
		break;
	default:
		log_notice("signal %d: stopping", signo);
		sd_notify_stopping();
		d->stopping = true;
		vrrpd_group_free_all(d);   /* members stop one by one, not as a group */
		for (struct vrrp_inst *vi = d->insts; vi; vi = vi->next)
			vrrpd_inst_stop(vi);
		vrrpd_state_save(d);       /* all INIT: the next start is cold */
		ev_loop_break(d->loop);
	}
}

static struct ev_timer housekeeping;

static void housekeeping_cb(void *arg)
{
	struct vrrpd *d = arg;

	if (d->ctl)
		ctl_server_check(d->ctl);
	else
		vrrpd_ctl_open(d);
	ev_timer_arm(d->loop, &housekeeping, ev_now_us() + 1000000);
}

static void realtime_setup(int prio)
{
	struct sched_param sp = { .sched_priority = prio };

	if (prio <= 0)
		return;
	if (sched_setscheduler(0, SCHED_RR, &sp) < 0)
		log_warn("cannot set SCHED_RR priority %d", prio);
	/* CAP_IPC_LOCK goes with the privilege drop: MCL_FUTURE then needs the limit */
	if (setrlimit(RLIMIT_MEMLOCK, &(struct rlimit){ RLIM_INFINITY, RLIM_INFINITY }) < 0)
		log_warn("cannot raise RLIMIT_MEMLOCK");
	if (mlockall(MCL_CURRENT | MCL_FUTURE) < 0)
		log_warn("mlockall");
}

int main(int argc, char **argv)
{
	struct daemon_opts o;
	struct vrrpd d = { .packet_fd = -1, .icmp6_fd = -1, .inotify_fd = -1 };

	daemon_parse_args(argc, argv, "halo-vrrpd", &o);
	if (o.check_only)
		daemon_check_and_exit(&o);
	d.cfg = daemon_load_config(&o);
	if (!d.cfg)
		return 1;
	if (!o.foreground && daemon(0, 0) < 0) {
		perror("daemon");
		return 1;
	}
	log_init("halo-vrrpd", o.foreground, o.verbose);
	log_set_facility(d.cfg->global.log_facility);
	d.cfg_path = o.config;
	d.run_dir = o.run_dir;
	d.rl = (struct log_ratelimit)LOG_RATELIMIT_INIT(10000000, 5);
	/* HMAC sequence numbers keep growing across restarts: seconds << 24 */
	d.auth_seq = (uint64_t)time(NULL) << 24;
	d.loop = ev_loop_new();
	if (!d.loop)
		fatal("event loop");
	vrrpd_children_start(&d);   /* forks first: the runner must not inherit the sockets */
	d.nl = vrrpd_nl_open(d.loop, nl_changed, &d);
	if (!d.nl)
		fatalx("cannot open rtnetlink");
	if (vrrpd_garp_open(&d) < 0)
		fatal("cannot open ARP/NA sockets");
	ev_signal_add(d.loop, SIGTERM, on_signal, &d);
	ev_signal_add(d.loop, SIGINT, on_signal, &d);
	ev_signal_add(d.loop, SIGHUP, on_signal, &d);
	ev_signal_add(d.loop, SIGCHLD, on_signal, &d);
	signal(SIGPIPE, SIG_IGN);
	realtime_setup(d.cfg->global.realtime_priority);
	if (vrrpd_ctl_open(&d) < 0)
		log_warn("control socket %s/halo-vrrpd.sock", d.run_dir);
	if (daemon_drop_privileges(NULL, (const int[]){ CAP_NET_RAW, CAP_NET_ADMIN, -1 }) < 0)
		fatal("cannot drop privileges");
	if (d.cfg->global.seccomp && sandbox_enter(SANDBOX_VRRPD, d.loop) < 0)
		fatal("cannot load the seccomp filter");
	log_notice("halo-vrrpd %s starting with %zu instances", HALO_VERSION, d.cfg->vrrp.n_instances);
	d.prev_states = vrrpd_state_read(d.run_dir);
	apply_config(&d, d.cfg);
	free(d.prev_states);      /* only the first start is a restart */
	d.prev_states = NULL;
	ev_timer_init(&housekeeping, housekeeping_cb, &d);
	ev_timer_arm(d.loop, &housekeeping, ev_now_us() + 1000000);
	sd_notify_ready("running");
	sd_notify_watchdog_start(d.loop);
	if (ev_loop_run(d.loop) < 0)
		fatal("event loop");
	ctl_server_close(d.ctl);
	vrrpd_group_free_all(&d);
	vrrpd_track_close(&d);
	vrrpd_vs_close(&d);
	vrrpd_children_free(&d);
	while (d.insts) {
		struct vrrp_inst *vi = d.insts;
		d.insts = vi->next;
		vrrpd_inst_free(vi);
	}
	vrrpd_iface_free_unused(&d);
	vrrpd_nl_close(d.nl);
	config_free(d.cfg);
	ev_loop_free(d.loop);
	log_notice("halo-vrrpd stopped");
	return 0;
}
