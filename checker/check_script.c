/* Script checks. The runner (lib/io_runner.c) is forked before the checker
 * drops its privileges; it becomes global.script_user and fork/execve()s
 * each script (argv, no shell) on request, kills it on request, and reports
 * how it ended. The checker keeps the timeout; the runner only obeys. */
#include "check_probe.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/epoll.h>

#include "io_runner.h"
#include "log.h"

struct script_op {
	struct probe *p;
	uint32_t id;
	struct script_op *next;
};

struct script_runner {
	struct runner *r;
	struct ev_loop *loop;
	struct checker *ck;
	struct script_op *ops;
	uint32_t next_id;
	bool gone;
};

struct script_runner *script_runner_start(const char *user)
{
	struct script_runner *sr = calloc(1, sizeof(*sr));

	if (!sr || !(sr->r = runner_start(user, RUNNER_QUIET))) {
		free(sr);
		return NULL;
	}
	return sr;
}

/* ---- the checker's side ---- */

static struct script_op **script_op_find(struct script_runner *sr, uint32_t id)
{
	struct script_op **pp = &sr->ops;

	while (*pp && (*pp)->id != id)
		pp = &(*pp)->next;
	return pp;
}

static void script_reply_cb(int fd, uint32_t events, void *arg)
{
	struct script_runner *sr = arg;
	struct runner_reply r;
	int got;

	(void)events;
	while ((got = runner_read(sr->r, &r)) > 0) {
		struct script_op **pp = script_op_find(sr, r.id);
		struct script_op *op = *pp;
		if (!op)
			continue;   /* cancelled (timeout): the late answer is ignored */
		*pp = op->next;
		struct probe *p = op->p;
		struct health_result res;
		health_result_from_exit(&res, p->check->script.dynamic, r.status, r.sig);
		p->op = NULL;
		free(op);
		probe_done(p, &res);
	}
	if (got < 0) {
		log_warnx("script runner exited; script checks fail from now on");
		ev_io_del(sr->loop, fd);
		sr->gone = true;
	}
}

int script_runner_attach(struct script_runner *sr, struct ev_loop *loop, struct checker *ck)
{
	sr->loop = loop;
	sr->ck = ck;
	return ev_io_add(loop, runner_fd(sr->r), EPOLLIN, script_reply_cb, sr);
}

void script_runner_stop(struct script_runner *sr)
{
	if (!sr)
		return;
	if (sr->loop && !sr->gone)
		ev_io_del(sr->loop, runner_fd(sr->r));
	runner_stop(sr->r);
	while (sr->ops) {
		struct script_op *op = sr->ops;
		sr->ops = op->next;
		free(op);
	}
	free(sr);
}

static int script_start(struct probe *p)
{
	struct script_runner *sr = p->ck->scripts;
	const struct cfg_argv *a = &p->check->script.command;
	struct script_op *op;

	if (!sr || sr->gone || a->argc == 0 || !(op = calloc(1, sizeof(*op))))
		return -1;
	*op = (struct script_op){ p, ++sr->next_id, sr->ops };
	if (runner_run(sr->r, op->id, a->argv, a->argc) < 0) {
		free(op);
		return -1;
	}
	sr->ops = op;
	p->op = op;
	return 0;
}

static void script_cancel(struct probe *p)
{
	struct script_runner *sr = p->ck->scripts;
	struct script_op *op = p->op, **pp;

	if (!op)
		return;
	runner_kill(sr->r, op->id);
	pp = script_op_find(sr, op->id);
	if (*pp)
		*pp = op->next;
	free(op);
	p->op = NULL;
}

const struct probe_ops probe_script_ops = { .start = script_start, .cancel = script_cancel };
