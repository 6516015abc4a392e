/* TCP and SMTP checks on non-blocking sockets in the event loop: connect,
 * optionally send a string and compare the reply prefix (tcp), or read the
 * banner, say HELO and QUIT (smtp, RFC 5321 4.3.2). No judgement of health
 * here beyond "the reply matched". */
#include "check_probe.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "log.h"
#include "probe_msg.h"

enum tcp_phase { TCP_CONNECTING, TCP_READ_REPLY, SMTP_BANNER, SMTP_HELO };

struct tcp_op {
	struct probe *p;
	int fd;
	enum tcp_phase phase;
	char buf[1024];
	size_t len;
};

static void tcp_op_free(struct tcp_op *op)
{
	ev_io_del(op->p->ck->loop, op->fd);
	close(op->fd);
	op->p->op = NULL;
	free(op);
}

static void tcp_finish(struct tcp_op *op, bool ok, enum health_reason why, int code)
{
	struct probe *p = op->p;
	struct health_result r = { .ok = ok, .reason = ok ? HEALTH_R_OK : why, .code = code, .weight = -1 };

	tcp_op_free(op);
	probe_done(p, &r);
}

static enum health_reason tcp_errno_reason(int err)
{
	switch (err) {
	case ECONNREFUSED: return HEALTH_R_REFUSED;
	case EHOSTUNREACH:
	case ENETUNREACH: return HEALTH_R_UNREACHABLE;
	case ETIMEDOUT: return HEALTH_R_TIMEOUT;
	case ECONNRESET:
	case EPIPE: return HEALTH_R_RESET;
	default: return HEALTH_R_CONNECT;
	}
}

static int tcp_send_str(struct tcp_op *op, const char *s)
{
	size_t n = strlen(s);

	/* a short string fits the fresh socket's send buffer */
	return send(op->fd, s, n, MSG_NOSIGNAL) == (ssize_t)n ? 0 : -1;
}

static void tcp_connected(struct tcp_op *op)
{
	const struct cfg_check *c = op->p->check;
	int err = 0;
	socklen_t sl = sizeof(err);

	if (getsockopt(op->fd, SOL_SOCKET, SO_ERROR, &err, &sl) < 0)
		err = errno;
	if (err) {
		tcp_finish(op, false, tcp_errno_reason(err), 0);
		return;
	}
	if (c->kind == CFG_CHECK_SMTP) {
		op->phase = SMTP_BANNER;
	} else if (c->tcp.send && tcp_send_str(op, c->tcp.send) < 0) {
		tcp_finish(op, false, tcp_errno_reason(errno), 0);
		return;
	} else if (!c->tcp.expect) {
		tcp_finish(op, true, HEALTH_R_OK, 0);
		return;
	} else {
		op->phase = TCP_READ_REPLY;
	}
	ev_io_mod(op->p->ck->loop, op->fd, EPOLLIN);
}

static void tcp_got_reply(struct tcp_op *op, bool eof)
{
	const char *expect = op->p->check->tcp.expect;
	size_t n = strlen(expect);
	size_t cmp = op->len < n ? op->len : n;

	if (memcmp(op->buf, expect, cmp) != 0)
		tcp_finish(op, false, HEALTH_R_EXPECT_MISMATCH, 0);
	else if (op->len >= n)
		tcp_finish(op, true, HEALTH_R_OK, 0);
	else if (eof || op->len == sizeof(op->buf))
		tcp_finish(op, false, HEALTH_R_EXPECT_MISMATCH, 0);
}

static void smtp_got_reply(struct tcp_op *op, bool eof)
{
	const struct cfg_check *c = op->p->check;
	int code = smtp_reply_code(op->buf, op->len);
	char helo[300];

	if (code == 0 && !eof && op->len < sizeof(op->buf))
		return;
	if (code <= 0) {
		tcp_finish(op, false, eof ? HEALTH_R_RESET : HEALTH_R_BAD_RESPONSE, 0);
	} else if ((op->phase == SMTP_BANNER && code != 220) || (op->phase == SMTP_HELO && code != 250)) {
		tcp_finish(op, false, HEALTH_R_EXPECT_MISMATCH, code);
	} else if (op->phase == SMTP_HELO) {
		tcp_send_str(op, "QUIT\r\n");
		tcp_finish(op, true, HEALTH_R_OK, 0);
	} else {
		snprintf(helo, sizeof(helo), "HELO %s\r\n",
		         c->smtp.helo_name ? c->smtp.helo_name :
		         op->p->ck->cfg->global.router_id ? op->p->ck->cfg->global.router_id : "halo");
		op->phase = SMTP_HELO;
		op->len = 0;
		if (tcp_send_str(op, helo) < 0)
			tcp_finish(op, false, tcp_errno_reason(errno), 0);
	}
}

static void tcp_readable(struct tcp_op *op)
{
	ssize_t n = recv(op->fd, op->buf + op->len, sizeof(op->buf) - op->len, 0);

	if (n < 0) {
		if (errno != EAGAIN && errno != EINTR)
			tcp_finish(op, false, tcp_errno_reason(errno), 0);
		return;
	}
	op->len += (size_t)n;
	if (op->phase == TCP_READ_REPLY)
		tcp_got_reply(op, n == 0);
	else
		smtp_got_reply(op, n == 0);
}

static void tcp_io_cb(int fd, uint32_t events, void *arg)
{
	struct tcp_op *op = arg;

	if (op->phase == TCP_CONNECTING)
		tcp_connected(op);
	else
		tcp_readable(op);
}

static int tcp_start(struct probe *p)
{
	struct tcp_op *op = calloc(1, sizeof(*op));
	struct sockaddr_storage ss = { 0 };
	socklen_t sl;

	if (!op)
		return -1;
	op->p = p;
	if (p->addr.family == AF_INET6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
		s6->sin6_family = AF_INET6;
		s6->sin6_addr = p->addr.v6;
		s6->sin6_port = htons(p->port);
		sl = sizeof(*s6);
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
		s4->sin_family = AF_INET;
		s4->sin_addr = p->addr.v4;
		s4->sin_port = htons(p->port);
		sl = sizeof(*s4);
	}
	op->fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (op->fd < 0) {
		free(op);
		return -1;
	}
	if (ev_io_add(p->ck->loop, op->fd, EPOLLOUT, tcp_io_cb, op) < 0) {
		close(op->fd);
		free(op);
		return -1;
	}
	p->op = op;
	if (connect(op->fd, (struct sockaddr *)&ss, sl) < 0 && errno != EINPROGRESS)
		tcp_finish(op, false, tcp_errno_reason(errno), 0);
	return 0;
}

static void tcp_cancel(struct probe *p)
{
	if (p->op)
		tcp_op_free(p->op);
}

const struct probe_ops probe_tcp_ops = { .start = tcp_start, .cancel = tcp_cancel };
