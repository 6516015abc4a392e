/* The state file (run_dir/halo-vrrpd.state): each instance's state, written
 * after transitions so a restart after a crash knows which instances were
 * Master. Reads and writes only; vrrp_warm.c decides what a record means. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "io_state.h"
#include "vrrp_warm.h"
#include "vrrpd.h"

#define STATE_FILE     "halo-vrrpd.state"
#define STATE_FILE_MAX (1u << 20)

char *vrrpd_state_read(const char *run_dir)
{
	char *buf = io_state_read(run_dir, STATE_FILE, STATE_FILE_MAX);

	if (!buf && errno != ENOENT)
		log_warn("cannot read %s/%s", run_dir, STATE_FILE);
	return buf;
}

/* Written whole and renamed over the old one (lib/io_state), so a crash
 * leaves either the old or the new file, never half of one. */
void vrrpd_state_save(struct vrrpd *d)
{
	char line[512], *text = NULL;
	size_t len = 0;
	unsigned sup;
	FILE *f;
	int rc = -1;

	ev_timer_cancel(d->loop, &d->state_timer);
	if ((f = open_memstream(&text, &len))) {
		for (struct vrrp_inst *vi = d->insts; vi; vi = vi->next) {
			if (vrrp_warm_line(line, sizeof(line), vi->cfg->name, vrrp_warm_record_state(&vi->fsm)) > 0)
				fputs(line, f);
		}
		if (fclose(f) == 0)
			rc = io_state_write(d->run_dir, STATE_FILE, text);
	}
	free(text);
	if (rc < 0 && log_ratelimit_ok(&d->rl, ev_now_us(), &sup))
		log_warn("cannot write %s/%s suppressed=%u", d->run_dir, STATE_FILE, sup);
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
