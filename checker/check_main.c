/* halo-checker's entry point: command line, start-up order (script runner,
 * sockets, then privilege drop), control socket commands, SIGHUP reload and
 * clean stop. Health decisions live in health.c and http_eval.c. */
#include "check_probe.h"

#include <errno.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "io_daemon.h"
#include "io_sandbox.h"
#include "log.h"

struct checker_main {
	struct checker ck;
	struct daemon_opts opts;
	struct ev_timer housekeeping;   /* once a second: the control socket is still there */
};

/* Loads the file again; a bad one is logged and the running config stays. */
static int checker_reload(struct checker_main *m)
{
	char *errs = NULL;
	size_t errlen = 0;
	FILE *ef = open_memstream(&errs, &errlen);
	struct halo_config *cfg;

	if (!ef)
		return -1;
	cfg = config_load(m->opts.config, ef);
	if (cfg && daemon_check_scripts(cfg, SCRIPTS_CHECKER, ef) > 0) {
		config_free(cfg);
		cfg = NULL;
	}
	fclose(ef);
	if (!cfg) {
		for (char *line = strtok(errs, "\n"); line; line = strtok(NULL, "\n"))
			log_warnx("reload: %s", line);
		log_warnx("reload of %s failed; keeping the running configuration", m->opts.config);
		free(errs);
		return -1;
	}
	free(errs);
	if (checker_apply_config(&m->ck, cfg) < 0) {
		config_free(cfg);
		log_warnx("reload: out of memory; keeping the running configuration");
		return -1;
	}
	m->ck.reloads++;
	log_notice("configuration reloaded: %zu real servers, %zu probes", m->ck.n_refs, m->ck.n_probes);
	if (m->ck.ctl) {   /* subscribers replace their view with the new set */
		struct json_object *snap = checker_snapshot_json(&m->ck);
		ctl_publish(m->ck.ctl, snap);
		json_object_put(snap);
	}
	return 0;
}

static void ctl_request(struct ctl_client *c, const char *cmd, struct json_object *req, void *arg)
{
	struct checker_main *m = arg;
	struct json_object *o;

	if (strcmp(cmd, "subscribe") == 0) {
		ctl_subscribe(c);
		o = checker_snapshot_json(&m->ck);
	} else if (strcmp(cmd, "status") == 0) {
		o = checker_status_json(&m->ck);
	} else if (strcmp(cmd, "reload") == 0) {
		if (checker_reload(m) < 0) {
			ctl_reply_error(c, "reload failed, see the log");
			return;
		}
		o = json_object_new_object();
		json_object_object_add(o, "v", json_object_new_int(CTL_PROTO_VERSION));
		json_object_object_add(o, "ok", json_object_new_boolean(1));
	} else {
		ctl_reply_error(c, "unknown command");
		return;
	}
	ctl_reply(c, o);
	json_object_put(o);
	/* a snapshot of 10,000 real servers is ~13 MB of JSON objects, freed
	 * between long-lived allocations: return the pages now rather than at
	 * the next housekeeping pass */
	malloc_trim(0);
}

static void on_signal(int signo, void *arg)
{
	struct checker_main *m = arg;

	if (signo == SIGHUP) {
		log_notice("SIGHUP: reloading %s", m->opts.config);
		checker_reload(m);
		return;
	}
	log_notice("%s: stopping", strsignal(signo));
	ev_loop_break(m->ck.loop);
}

static void housekeeping_cb(void *arg)
{
	struct checker_main *m = arg;

	ctl_server_check(m->ck.ctl);
	/* Return free heap pages once a second: attempts in flight leave freed
	 * buffers between long-lived allocations, and the heap's high-water
	 * mark follows the busiest moment (bench/checker/bench_checker.sh, 5,000
	 * servers on new connections: median RSS 37-38 -> 28-32 MB, CPU within
	 * the run-to-run spread). */
	malloc_trim(0);
	ev_timer_arm(m->ck.loop, &m->housekeeping, ev_now_us() + 1000000);
}

/* Raises the soft descriptor limit to the hard one and keeps half of it for
 * concurrent attempts (each holds at most one socket); of the rest, all but
 * 256 may hold connections kept between attempts (http reuse_connection). */
static size_t checker_max_inflight(size_t *max_kept)
{
	struct rlimit rl;
	size_t n, lim;

	*max_kept = 0;
	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return 256;
	if (rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
		getrlimit(RLIMIT_NOFILE, &rl);
	}
	lim = rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur > (1u << 20) ? (1u << 20) : (size_t)rl.rlim_cur;
	n = lim / 2;
	n = n < 16 ? 16 : n > 1024 ? 1024 : n;
	*max_kept = lim > n + 256 ? lim - n - 256 : 0;
	return n;
}

static void checker_start_io(struct checker_main *m)
{
	struct checker *ck = &m->ck;
	struct ev_loop *loop = ev_loop_new();
	size_t max_kept;

	if (!loop)
		fatal("event loop");
	/* checks are scheduled in ms; a 1 ms grid batches probes that are due
	 * together into one wake-up (10,000 probes: ~1,000 wake-ups a second
	 * instead of one per probe) */
	ev_loop_set_slack(loop, 1000);
	checker_init(ck, loop, checker_max_inflight(&max_kept));
	if (!(ck->http = http_multi_new(ck->loop, max_kept)))
		fatalx("libcurl initialisation failed");
	if (ck->scripts && script_runner_attach(ck->scripts, ck->loop, ck) < 0)
		fatal("script runner");
	ck->ctl = ctl_server_open(ck->loop, m->opts.run_dir, "halo-checker", ctl_request, m);
	if (!ck->ctl)
		fatal("control socket in %s", m->opts.run_dir);
	if (ping_open(ck->loop, ck) < 0)
		log_warn("ICMP sockets: ping checks will fail");
	if (ev_signal_add(ck->loop, SIGHUP, on_signal, m) < 0 ||
	    ev_signal_add(ck->loop, SIGTERM, on_signal, m) < 0 ||
	    ev_signal_add(ck->loop, SIGINT, on_signal, m) < 0)
		fatal("signals");
	signal(SIGPIPE, SIG_IGN);
}

int main(int argc, char **argv)
{
	static struct checker_main m;
	struct halo_config *cfg;
	const char *user;

	daemon_parse_args(argc, argv, "halo-checker", &m.opts);
	if (m.opts.check_only)
		daemon_check_and_exit(&m.opts);
	if (!(cfg = daemon_load_config(&m.opts)))
		return 1;
	if (!m.opts.foreground && daemon(0, 0) < 0) {
		perror("daemon");
		return 1;
	}
	log_init("halo-checker", m.opts.foreground, m.opts.verbose);
	log_set_facility(cfg->global.log_facility);
	/* the runner forks first: it must not inherit the sockets */
	m.ck.scripts = script_runner_start(cfg->global.script_user ? cfg->global.script_user : "halo-script");
	if (!m.ck.scripts)
		log_warn("script runner");
	checker_start_io(&m);
	user = cfg->global.checker_user ? cfg->global.checker_user : "nobody";
	/* the unprivileged checker cannot re-create a removed run dir: a keeper does */
	if (geteuid() == 0 && ctl_server_keeper(m.ck.ctl, cfg->global.seccomp) < 0)
		log_warn("control socket keeper: a removed %s will not be re-created", m.opts.run_dir);
	if (geteuid() == 0 && daemon_drop_privileges(user, NULL) < 0)
		fatal("cannot drop privileges to %s", user);
	if (cfg->global.seccomp && sandbox_enter(SANDBOX_CHECKER, m.ck.loop) < 0)
		fatal("cannot load the seccomp filter");
	ev_timer_init(&m.housekeeping, housekeeping_cb, &m);
	ev_timer_arm(m.ck.loop, &m.housekeeping, ev_now_us() + 1000000);
	m.ck.started_us = ev_now_us();
	if (checker_apply_config(&m.ck, cfg) < 0)
		fatalx("out of memory");
	log_notice("started: %zu real servers, %zu probes, running as uid %u",
	           m.ck.n_refs, m.ck.n_probes, (unsigned)getuid());
	if (ev_loop_run(m.ck.loop) < 0)
		log_warn("event loop");
	checker_stop(&m.ck);
	http_multi_free(m.ck.http);
	ping_close();
	ctl_server_close(m.ck.ctl);
	script_runner_stop(m.ck.scripts);
	ev_loop_free(m.ck.loop);
	return 0;
}
