/* The state file (run_dir/halo-vrrpd.state): each instance's state, written
 * after transitions so a restart after a crash knows which instances were
 * Master. Reads and writes only; vrrp_warm.c decides what a record means. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "vrrp_warm.h"
#include "vrrpd.h"

#define STATE_FILE     "halo-vrrpd.state"
#define STATE_FILE_MAX (1u << 20)

char *vrrpd_state_read(const char *run_dir)
{
	char path[4096], *buf;
	ssize_t n;
	size_t len = 0;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", run_dir, STATE_FILE);
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		if (errno != ENOENT)
			log_warn("cannot read %s", path);
		return NULL;
	}
	buf = malloc(STATE_FILE_MAX + 1);
	if (!buf)
		fatal("malloc");
	while (len < STATE_FILE_MAX && (n = read(fd, buf + len, STATE_FILE_MAX - len)) > 0)
		len += (size_t)n;
	close(fd);
	buf[len] = '\0';
	return buf;
}

/* Written whole to a temporary file and renamed over the old one, so a
 * crash leaves either the old or the new file, never half of one. A warm
 * window counts as Master: a crash inside it must not lose the record. */
void vrrpd_state_save(struct vrrpd *d)
{
	char path[4096], tmp[4096], line[512];
	unsigned sup;
	FILE *f;
	int fd;

	ev_timer_cancel(d->loop, &d->state_timer);
	snprintf(path, sizeof(path), "%s/%s", d->run_dir, STATE_FILE);
	snprintf(tmp, sizeof(tmp), "%s/.%s.tmp", d->run_dir, STATE_FILE);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0 || !(f = fdopen(fd, "w"))) {
		if (fd >= 0)
			close(fd);
		goto fail;
	}
	for (struct vrrp_inst *vi = d->insts; vi; vi = vi->next) {
		enum vrrp_state s = vi->fsm.warm_deadline ? VRRP_STATE_MASTER : vi->fsm.state;
		if (vrrp_warm_line(line, sizeof(line), vi->cfg->name, s) > 0)
			fputs(line, f);
	}
	if (fclose(f) != 0 || rename(tmp, path) < 0) {
		unlink(tmp);
		goto fail;
	}
	return;
fail:
	if (log_ratelimit_ok(&d->rl, ev_now_us(), &sup))
		log_warn("cannot write %s suppressed=%u", path, sup);
}

static void state_timer_cb(void *arg)
{
	vrrpd_state_save(arg);
}

/* After a transition: written once the current burst of events is handled,
 * so 1,000 instances starting together write the file once, not 1,000 times. */
void vrrpd_state_dirty(struct vrrpd *d)
{
	if (d->stopping || ev_timer_armed(&d->state_timer))
		return;
	ev_timer_init(&d->state_timer, state_timer_cb, d);
	ev_timer_arm(d->loop, &d->state_timer, ev_now_us());
}
