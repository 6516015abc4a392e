/* Trackers of halo-vrrpd: link state from the netlink cache (with debounce),
 * vrrp.scripts run periodically through vrrpd_spawn, integers from files
 * (inotify on their directories) and process counts from /proc. They only
 * gather states; vrrp_track_priority decides. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <signal.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/inotify.h>
#include <sys/wait.h>
#include <unistd.h>

#include "vrrpd.h"

#define PROC_SCAN_US 500000ULL

/* ---------------- applying results ---------------- */

void vrrpd_track_apply(struct vrrp_inst *vi)
{
	struct vrrp_track t[64];
	struct vrrp_prio old = vi->prio;
	size_t n = 0;

	if (!vi->started_us)
		return;      /* not started yet: vrrpd_inst_start applies them */
	for (size_t i = 0; i < vi->n_trk && n < 64; i++)
		t[n++] = vi->trk[i].t;
	vrrp_track_priority(vi->cfg->priority, t, n, &vi->prio);
	if (vi->prio.priority != vi->fsm.priority) {
		struct vrrp_event ev = { .type = VRRP_EV_PRIORITY, .new_priority = vi->prio.priority };

		vi->cnt.priority_changes++;
		log_info("(%s) effective priority %u -> %u instance=%s base=%u delta=%d", vi->cfg->name,
		         vi->fsm.priority, vi->prio.priority, vi->cfg->name, vi->cfg->priority, vi->prio.delta);
		vrrpd_inst_input(vi, &ev);
		vrrpd_ctl_publish(vi);
	}
	if (vi->prio.fault != old.fault)
		log_info("(%s) trackers %s", vi->cfg->name, vi->prio.fault ? "demand FAULT" : "are fine again");
	vrrpd_inst_fault_eval(vi);
}

/* ---------------- interfaces ---------------- */

static void track_if_debounce_cb(void *arg);

static bool track_if_update(struct vrrp_tracker *tk)
{
	struct vrrpd *d = tk->vi->d;
	int ifindex;
	bool up = false, was = tk->t.up;
	uint8_t mac[6];
	uint64_t now_ms = ev_now_us() / 1000, deadline;

	if (vrrpd_nl_link(d->nl, tk->name, &ifindex, &up, mac) < 0)
		up = false;
	if (!tk->t.known) {
		tk->t.known = true;
		tk->db.state = tk->db.pending = up;
	}
	tk->t.up = vrrp_track_debounce(&tk->db, up, now_ms, tk->delay_up_ms, tk->delay_down_ms, &deadline);
	if (deadline)
		ev_timer_arm(d->loop, &tk->db_timer, deadline * 1000);
	else
		ev_timer_cancel(d->loop, &tk->db_timer);
	if (tk->t.up != was)
		log_info("(%s) tracked interface %s is %s", tk->vi->cfg->name, tk->name, tk->t.up ? "up" : "down");
	return tk->t.up != was;
}

static void track_if_debounce_cb(void *arg)
{
	struct vrrp_tracker *tk = arg;

	if (track_if_update(tk))
		vrrpd_track_apply(tk->vi);
}

void vrrpd_track_links(struct vrrpd *d)
{
	for (struct vrrp_inst *vi = d->insts; vi; vi = vi->next) {
		bool changed = false;

		for (size_t i = 0; i < vi->n_trk; i++)
			if (vi->trk[i].kind == VRRP_TRK_IF)
				changed |= track_if_update(&vi->trk[i]);
		if (changed)
			vrrpd_track_apply(vi);
	}
}

/* ---------------- scripts ---------------- */

static void script_timer_cb(void *arg);

static void script_result(struct vrrpd_script *s, bool ok)
{
	bool was = s->up, known = s->known;

	s->up = vrrp_track_hysteresis(s->up, &s->known, &s->streak, ok, s->cfg->rise, s->cfg->fall);
	if (known && s->up == was)
		return;
	log_info("track script %s is %s", s->cfg->name, s->up ? "up" : "down");
	for (struct vrrp_inst *vi = s->d->insts; vi; vi = vi->next) {
		bool hit = false;

		for (size_t i = 0; i < vi->n_trk; i++)
			if (vi->trk[i].script == s) {
				vi->trk[i].t.up = s->up;
				vi->trk[i].t.known = true;
				hit = true;
			}
		if (hit)
			vrrpd_track_apply(vi);
	}
}

static void script_done(void *arg, int status)
{
	struct vrrpd_script *s = arg;
	bool ok = !s->timed_out && WIFEXITED(status) && WEXITSTATUS(status) == 0;
	uint64_t next = s->started_us + s->cfg->interval * 1000;

	s->pid = 0;
	if (!ok)
		s->failures++;
	ev_timer_arm(s->d->loop, &s->timer, next > ev_now_us() ? next : ev_now_us());
	script_result(s, ok);
}

/* Idle: start a run and arm the kill deadline. Running: the timeout hit;
 * kill it (keepalived counts a hung script as a failure). */
static void script_timer_cb(void *arg)
{
	struct vrrpd_script *s = arg;
	char **argv;
	unsigned sup;

	if (s->pid > 0) {
		s->timed_out = true;
		s->timeouts++;
		if (log_ratelimit_ok(&s->d->rl, ev_now_us(), &sup))
				log_warnx("track script %s timed out after %llu ms; killed suppressed=%u", s->cfg->name,
			          (unsigned long long)s->cfg->timeout, sup);
		vrrpd_child_kill(s->d, s->pid);
		return;
	}
	s->started_us = ev_now_us();
	s->timed_out = false;
	s->runs++;
	argv = vrrpd_argv_dup(&s->cfg->command, NULL, 0);
	s->pid = vrrpd_spawn(s->d, argv, script_done, s);
	for (char **a = argv; *a; a++)
		free(*a);
	free(argv);
	if (s->pid < 0) {
		s->pid = 0;
		s->failures++;
		ev_timer_arm(s->d->loop, &s->timer, s->started_us + s->cfg->interval * 1000);
		script_result(s, false);
		return;
	}
	ev_timer_arm(s->d->loop, &s->timer, s->started_us + s->cfg->timeout * 1000);
}

static struct vrrpd_script *script_find(struct vrrpd *d, const char *name)
{
	for (struct vrrpd_script *s = d->scripts; s; s = s->next)
		if (strcmp(s->cfg->name, name) == 0)
			return s;
	return NULL;
}

static bool script_same(const struct cfg_vrrp_script *a, const struct cfg_vrrp_script *b)
{
	if (a->command.argc != b->command.argc || a->interval != b->interval || a->timeout != b->timeout)
		return false;
	for (size_t i = 0; i < a->command.argc; i++)
		if (strcmp(a->command.argv[i], b->command.argv[i]))
			return false;
	return true;
}

static void script_free(struct vrrpd_script *s)
{
	ev_timer_cancel(s->d->loop, &s->timer);
	if (s->pid > 0)
		vrrpd_child_forget(s->d, s->pid);
	free(s);
}

/* Keeps the runners of unchanged scripts (state and rhythm survive a
 * reload), starts new ones, stops the rest; only scripts some instance
 * tracks are run. */
static void scripts_reload(struct vrrpd *d)
{
	struct vrrpd_script *old = d->scripts, *s;

	d->scripts = NULL;
	for (size_t i = 0; i < d->cfg->vrrp.n_scripts; i++) {
		const struct cfg_vrrp_script *c = &d->cfg->vrrp.scripts[i];
		struct vrrpd_script **pp;

		for (pp = &old; *pp && strcmp((*pp)->cfg->name, c->name); pp = &(*pp)->next)
			;
		s = *pp;
		if (s && script_same(s->cfg, c)) {
			*pp = s->next;
		} else {
			s = calloc(1, sizeof(*s));
			if (!s)
				fatal("calloc");
			s->d = d;
			ev_timer_init(&s->timer, script_timer_cb, s);
		}
		s->cfg = c;
		s->next = d->scripts;
		d->scripts = s;
	}
	while (old) {
		s = old;
		old = s->next;
		script_free(s);
	}
	for (s = d->scripts; s; s = s->next) {
		s->used = false;
		for (struct vrrp_inst *vi = d->insts; vi && !s->used; vi = vi->next)
			for (size_t i = 0; i < vi->cfg->n_track_scripts && !s->used; i++)
				s->used = strcmp(vi->cfg->track_scripts[i].name, s->cfg->name) == 0;
		if (s->used && !ev_timer_armed(&s->timer) && s->pid == 0)
			ev_timer_arm(d->loop, &s->timer, ev_now_us());
		else if (!s->used && s->pid == 0)
			ev_timer_cancel(d->loop, &s->timer);
	}
}

/* ---------------- files ---------------- */

static long file_value(const char *path)
{
	char buf[64];
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	ssize_t n;

	if (fd < 0)
		return 0;     /* missing counts as 0, as in keepalived */
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	return strtol(buf, NULL, 10);
}

static void files_read(struct vrrpd *d)
{
	for (struct vrrp_inst *vi = d->insts; vi; vi = vi->next) {
		bool changed = false;

		for (size_t i = 0; i < vi->n_trk; i++) {
			struct vrrp_tracker *tk = &vi->trk[i];
			long v;
			if (tk->kind != VRRP_TRK_FILE)
				continue;
			v = file_value(tk->name);
			changed |= !tk->t.known || v != tk->t.value;
			tk->t.value = v;
			tk->t.known = true;
		}
		if (changed)
			vrrpd_track_apply(vi);
	}
}

static void inotify_readable(int fd, uint32_t events, void *arg)
{
	char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));

	while (read(fd, buf, sizeof(buf)) > 0)
		;
	files_read(arg);
}

static void files_watch(struct vrrpd *d)
{
	bool any = false;

	if (d->inotify_fd >= 0) {
		ev_io_del(d->loop, d->inotify_fd);
		close(d->inotify_fd);
		d->inotify_fd = -1;
	}
	for (struct vrrp_inst *vi = d->insts; vi && !any; vi = vi->next)
		any = vi->cfg->n_track_files > 0;
	if (!any)
		return;
	d->inotify_fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (d->inotify_fd < 0) {
		log_warn("inotify");
		return;
	}
	for (struct vrrp_inst *vi = d->insts; vi; vi = vi->next)
		for (size_t i = 0; i < vi->cfg->n_track_files; i++) {
			char dir[4096];
			snprintf(dir, sizeof(dir), "%s", vi->cfg->track_files[i].path);
			/* the directory, so a file replaced by rename is seen too */
			if (inotify_add_watch(d->inotify_fd, dirname(dir), IN_CLOSE_WRITE | IN_MOVED_TO |
			                      IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MODIFY) < 0)
				log_warn("(%s) cannot watch %s", vi->cfg->name, dir);
		}
	ev_io_add(d->loop, d->inotify_fd, EPOLLIN, inotify_readable, d);
}

/* ---------------- processes ---------------- */

/* Counts processes by comm for every tracked name (one /proc walk). */
static void procs_scan(struct vrrpd *d)
{
	DIR *dir = opendir("/proc");
	struct dirent *de;

	for (struct vrrp_inst *vi = d->insts; vi; vi = vi->next)
		for (size_t i = 0; i < vi->n_trk; i++)
			if (vi->trk[i].kind == VRRP_TRK_PROCESS)
				vi->trk[i].t.value = 0;
	while (dir && (de = readdir(dir))) {
		char path[300], comm[32];
		int fd;
		ssize_t n;

		if (!isdigit((unsigned char)de->d_name[0]))
			continue;
		snprintf(path, sizeof(path), "/proc/%s/comm", de->d_name);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		n = read(fd, comm, sizeof(comm) - 1);
		close(fd);
		if (n <= 0)
			continue;
		comm[n] = '\0';
		comm[strcspn(comm, "\n")] = '\0';
		for (struct vrrp_inst *vi = d->insts; vi; vi = vi->next)
			for (size_t i = 0; i < vi->n_trk; i++)
				if (vi->trk[i].kind == VRRP_TRK_PROCESS && strcmp(vi->trk[i].name, comm) == 0)
					vi->trk[i].t.value++;
	}
	if (dir)
		closedir(dir);
}

static void procs_timer_cb(void *arg)
{
	struct vrrpd *d = arg;

	procs_scan(d);
	for (struct vrrp_inst *vi = d->insts; vi; vi = vi->next) {
		bool changed = false;

		for (size_t i = 0; i < vi->n_trk; i++) {
			struct vrrp_tracker *tk = &vi->trk[i];
			bool up;
			if (tk->kind != VRRP_TRK_PROCESS)
				continue;
			up = tk->t.value >= (long)tk->quorum;
			changed |= !tk->t.known || up != tk->t.up;
			if (tk->t.known && up != tk->t.up)
				log_info("(%s) tracked process %s: %ld running, quorum %u: %s", vi->cfg->name,
				         tk->name, tk->t.value, tk->quorum, up ? "up" : "down");
			tk->t.up = up;
			tk->t.known = true;
		}
		if (changed)
			vrrpd_track_apply(vi);
	}
	ev_timer_arm(d->loop, &d->proc_timer, ev_now_us() + PROC_SCAN_US);
}

/* ---------------- per instance ---------------- */

static void track_script_bind(struct vrrp_tracker *tk, struct vrrpd_script *s)
{
	const struct cfg_track_script *ts = NULL;

	for (size_t i = 0; i < tk->vi->cfg->n_track_scripts && !ts; i++)
		if (strcmp(tk->vi->cfg->track_scripts[i].name, tk->name) == 0)
			ts = &tk->vi->cfg->track_scripts[i];
	tk->script = s;
	tk->t.up = s && s->up;
	tk->t.known = s && s->known;
	if (ts && !ts->weight_set && s)
		tk->t.weight = s->cfg->weight;
}

/* Same configuration values in a new tree (reload): point at its strings,
 * keep every state. Trackers are built in configuration order. */
void vrrpd_track_rebind(struct vrrp_inst *vi)
{
	const struct cfg_vrrp_instance *c = vi->cfg;
	size_t k = 0;

	for (size_t i = 0; i < c->n_track_ifs && k < vi->n_trk; i++)
		vi->trk[k++].name = c->track_ifs[i].name;
	for (size_t i = 0; i < c->n_track_scripts && k < vi->n_trk; i++)
		vi->trk[k++].name = c->track_scripts[i].name;
	for (size_t i = 0; i < c->n_track_files && k < vi->n_trk; i++)
		vi->trk[k++].name = c->track_files[i].path;
	for (size_t i = 0; i < c->n_track_processes && k < vi->n_trk; i++)
		vi->trk[k++].name = c->track_processes[i].name;
	for (size_t i = 0; i < c->n_track_vss && k < vi->n_trk; i++)
		vi->trk[k++].name = c->track_vss[i].ref;
}

static struct vrrp_tracker *trk_add(struct vrrp_inst *vi, enum vrrp_tracker_kind kind, int weight,
                                    bool reverse, const char *name)
{
	struct vrrp_tracker *tk = &vi->trk[vi->n_trk++];

	memset(tk, 0, sizeof(*tk));
	tk->vi = vi;
	tk->kind = kind;
	tk->t.weight = weight;
	tk->t.reverse = reverse;
	tk->name = name;
	ev_timer_init(&tk->db_timer, track_if_debounce_cb, tk);
	return tk;
}

void vrrpd_track_free(struct vrrp_inst *vi)
{
	for (size_t i = 0; i < vi->n_trk; i++)
		ev_timer_cancel(vi->d->loop, &vi->trk[i].db_timer);
	free(vi->trk);
	vi->trk = NULL;
	vi->n_trk = 0;
}

void vrrpd_track_build(struct vrrp_inst *vi)
{
	const struct cfg_vrrp_instance *c = vi->cfg;
	size_t n = c->n_track_ifs + c->n_track_scripts + c->n_track_files + c->n_track_processes +
	           c->n_track_vss;

	vrrpd_track_free(vi);
	if (!n)
		return;
	vi->trk = calloc(n, sizeof(*vi->trk));
	if (!vi->trk)
		fatal("calloc");
	for (size_t i = 0; i < c->n_track_ifs; i++) {
		const struct cfg_track_if *ti = &c->track_ifs[i];
		struct vrrp_tracker *tk = trk_add(vi, VRRP_TRK_IF, ti->weight, ti->reverse, ti->name);
		tk->delay_up_ms = ti->delay_up;
		tk->delay_down_ms = ti->delay_down;
		track_if_update(tk);
	}
	for (size_t i = 0; i < c->n_track_scripts; i++) {
		const struct cfg_track_script *ts = &c->track_scripts[i];
		struct vrrp_tracker *tk = trk_add(vi, VRRP_TRK_SCRIPT, ts->weight, ts->reverse, ts->name);
		track_script_bind(tk, script_find(vi->d, ts->name));
	}
	for (size_t i = 0; i < c->n_track_files; i++) {
		const struct cfg_track_file *tf = &c->track_files[i];
		struct vrrp_tracker *tk = trk_add(vi, VRRP_TRK_FILE, tf->weight, tf->reverse, tf->path);
		tk->t.is_value = true;
		tk->t.value = file_value(tf->path);
		tk->t.known = true;
	}
	for (size_t i = 0; i < c->n_track_processes; i++) {
		const struct cfg_track_process *tp = &c->track_processes[i];
		struct vrrp_tracker *tk = trk_add(vi, VRRP_TRK_PROCESS, tp->weight, tp->reverse, tp->name);
		tk->quorum = tp->quorum;
	}
	for (size_t i = 0; i < c->n_track_vss; i++)
		trk_add(vi, VRRP_TRK_VS, c->track_vss[i].weight, false, c->track_vss[i].ref)->vs = c->track_vss[i].vs;
	vrrpd_vs_eval(vi);
}

/* After the instance list changed: script runners, file watches and the
 * process scan follow the new configuration; process counts are read now. */
void vrrpd_track_reload(struct vrrpd *d)
{
	bool procs = false;

	scripts_reload(d);
	for (struct vrrp_inst *vi = d->insts; vi; vi = vi->next)
		for (size_t i = 0; i < vi->n_trk; i++)
			if (vi->trk[i].kind == VRRP_TRK_SCRIPT)
				track_script_bind(&vi->trk[i], script_find(d, vi->trk[i].name));
	files_watch(d);
	for (struct vrrp_inst *vi = d->insts; vi && !procs; vi = vi->next)
		procs = vi->cfg->n_track_processes > 0;
	ev_timer_init(&d->proc_timer, procs_timer_cb, d);
	if (procs)
		procs_timer_cb(d);
	else
		ev_timer_cancel(d->loop, &d->proc_timer);
	for (struct vrrp_inst *vi = d->insts; vi; vi = vi->next)
		if (vi->started_us && vi->n_trk)
			vrrpd_track_apply(vi);
}

struct json_object *vrrpd_track_scripts_json(const struct vrrpd *d)
{
	struct json_object *a = json_object_new_array();

	for (const struct vrrpd_script *s = d->scripts; s; s = s->next) {
		struct json_object *o = json_object_new_object();
		json_object_object_add(o, "name", json_object_new_string(s->cfg->name));
		json_object_object_add(o, "up", json_object_new_boolean(s->up));
		json_object_object_add(o, "known", json_object_new_boolean(s->known));
		json_object_object_add(o, "running", json_object_new_boolean(s->pid > 0));
		json_object_object_add(o, "runs", json_object_new_int64((int64_t)s->runs));
		json_object_object_add(o, "failures", json_object_new_int64((int64_t)s->failures));
		json_object_object_add(o, "timeouts", json_object_new_int64((int64_t)s->timeouts));
		json_object_array_add(a, o);
	}
	return a;
}

void vrrpd_track_close(struct vrrpd *d)
{
	while (d->scripts) {
		struct vrrpd_script *s = d->scripts;
		d->scripts = s->next;
		script_free(s);
	}
	if (d->inotify_fd >= 0) {
		ev_io_del(d->loop, d->inotify_fd);
		close(d->inotify_fd);
		d->inotify_fd = -1;
	}
	ev_timer_cancel(d->loop, &d->proc_timer);
}

static const char *const kind_names[] = { "interface", "script", "file", "process", "virtual_server" };

struct json_object *vrrpd_track_json(const struct vrrp_inst *vi)
{
	struct json_object *a = json_object_new_array();

	for (size_t i = 0; i < vi->n_trk; i++) {
		const struct vrrp_tracker *tk = &vi->trk[i];
		struct json_object *o = json_object_new_object();

		json_object_object_add(o, "kind", json_object_new_string(kind_names[tk->kind]));
		json_object_object_add(o, "name", json_object_new_string(tk->name));
		json_object_object_add(o, "weight", json_object_new_int(tk->t.weight));
		json_object_object_add(o, "reverse", json_object_new_boolean(tk->t.reverse));
		json_object_object_add(o, "known", json_object_new_boolean(tk->t.known));
		if (tk->kind == VRRP_TRK_FILE)
			json_object_object_add(o, "value", json_object_new_int64(tk->t.value));
		else
			json_object_object_add(o, "up", json_object_new_boolean(tk->t.up));
		if (tk->kind == VRRP_TRK_PROCESS)
			json_object_object_add(o, "count", json_object_new_int64(tk->t.value));
		json_object_array_add(a, o);
	}
	return a;
}
