/* UDP and DNS checks on connected UDP sockets in the event loop: send the
 * payload (or a DNS query) and judge the reply with probe_msg.c. Without an
 * expected reply, silence until the timeout is success and an ICMP port
 * unreachable (ECONNREFUSED) is failure, as keepalived's UDP_CHECK. */
#include "check_probe.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "probe_msg.h"

struct udp_op {
	struct probe *p;
	int fd;
	uint16_t id;               /* DNS query id */
};

static uint16_t udp_dns_id;

static void udp_op_free(struct udp_op *op)
{
	ev_io_del(op->p->ck->loop, op->fd);
	close(op->fd);
	op->p->op = NULL;
	free(op);
}

static void udp_finish(struct udp_op *op, bool ok, enum health_reason why, int code)
{
	struct probe *p = op->p;
	struct health_result r = { .ok = ok, .reason = ok ? HEALTH_R_OK : why, .code = code, .weight = -1 };

	udp_op_free(op);
	probe_done(p, &r);
}

static enum health_reason udp_errno_reason(int err)
{
	if (err == ECONNREFUSED)
		return HEALTH_R_REFUSED;
	if (err == EHOSTUNREACH || err == ENETUNREACH)
		return HEALTH_R_UNREACHABLE;
	return HEALTH_R_CONNECT;
}

static void udp_judge(struct udp_op *op, const uint8_t *buf, size_t n)
{
	const struct cfg_check *c = op->p->check;
	enum health_reason why;
	int rcode;

	if (c->kind == CFG_CHECK_DNS) {
		if (dns_reply_check(buf, n, op->id, &why, &rcode) < 0) {
			if (why == HEALTH_R_BAD_RESPONSE)
				return;   /* a stray datagram: keep waiting for ours */
			udp_finish(op, false, why, rcode);
			return;
		}
		udp_finish(op, true, HEALTH_R_OK, 0);
		return;
	}
	if (c->udp.expect && (n < strlen(c->udp.expect) ||
	                      memcmp(buf, c->udp.expect, strlen(c->udp.expect)) != 0)) {
		udp_finish(op, false, HEALTH_R_EXPECT_MISMATCH, 0);
		return;
	}
	udp_finish(op, true, HEALTH_R_OK, 0);
}

static void udp_io_cb(int fd, uint32_t events, void *arg)
{
	struct udp_op *op = arg;
	uint8_t buf[2048];
	ssize_t n = recv(fd, buf, sizeof(buf), 0);

	if (n < 0) {
		if (errno != EAGAIN && errno != EINTR)
			udp_finish(op, false, udp_errno_reason(errno), 0);
		return;
	}
	udp_judge(op, buf, (size_t)n);
}

static int udp_socket(const struct probe *p)
{
	struct sockaddr_storage ss = { 0 };
	socklen_t sl;
	int fd;

	if (p->addr.family == AF_INET6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
		*s6 = (struct sockaddr_in6){ .sin6_family = AF_INET6, .sin6_addr = p->addr.v6,
		                             .sin6_port = htons(p->port) };
		sl = sizeof(*s6);
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
		*s4 = (struct sockaddr_in){ .sin_family = AF_INET, .sin_addr = p->addr.v4,
		                            .sin_port = htons(p->port) };
		sl = sizeof(*s4);
	}
	fd = socket(ss.ss_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd >= 0 && connect(fd, (struct sockaddr *)&ss, sl) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static int udp_start(struct probe *p)
{
	const struct cfg_check *c = p->check;
	struct udp_op *op = calloc(1, sizeof(*op));
	uint8_t q[DNS_MAX_MSG];
	const void *msg = q;
	size_t len;
	int n;

	if (!op)
		return -1;
	op->p = p;
	if (c->kind == CFG_CHECK_DNS) {
		op->id = (uint16_t)(++udp_dns_id ^ (uint16_t)(ev_now_us() >> 4));
		n = dns_query_build(q, sizeof(q), op->id, c->dns.name ? c->dns.name : ".",
		                    c->dns.type ? c->dns.type : 1);
		len = n < 0 ? 0 : (size_t)n;
		if (n < 0) {
			free(op);
			return -1;
		}
	} else {
		msg = c->udp.payload ? c->udp.payload : "";
		len = strlen(msg);
	}
	if ((op->fd = udp_socket(p)) < 0) {
		free(op);
		return -1;
	}
	if (ev_io_add(p->ck->loop, op->fd, EPOLLIN, udp_io_cb, op) < 0) {
		close(op->fd);
		free(op);
		return -1;
	}
	p->op = op;
	if (send(op->fd, msg, len, 0) < 0)
		udp_finish(op, false, udp_errno_reason(errno), 0);
	return 0;
}

static void udp_cancel(struct probe *p)
{
	if (p->op)
		udp_op_free(p->op);
}

static void udp_expire(struct probe *p, struct health_result *r)
{
	if (p->check->kind == CFG_CHECK_UDP && !p->check->udp.expect) {
		r->ok = true;   /* no reply required and no ICMP error came */
		r->reason = HEALTH_R_OK;
	}
}

const struct probe_ops probe_udp_ops = { .start = udp_start, .cancel = udp_cancel, .expire = udp_expire };
