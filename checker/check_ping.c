/* Ping checks: ICMP / ICMPv6 echo over one shared socket per family, opened
 * before the privilege drop (raw), or unprivileged ICMP datagram sockets when
 * not started as root. Replies are matched by identifier, sequence and source. */
#include "check_probe.h"

#include <errno.h>
#include <netinet/icmp6.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "log.h"
#include "probe_msg.h"

struct ping_op {
	struct probe *p;
	uint16_t seq;
	struct ping_op *next;
};

struct ping_sock {
	int fd;
	bool v6, raw;
};

static struct {
	struct ping_sock s4, s6;
	struct ev_loop *loop;
	uint16_t id, seq;
	struct ping_op *ops;
} ping = { .s4 = { .fd = -1 }, .s6 = { .fd = -1, .v6 = true } };

static void ping_sock_open(struct ping_sock *s)
{
	int fam = s->v6 ? AF_INET6 : AF_INET, proto = s->v6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP;

	s->raw = true;
	s->fd = socket(fam, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, proto);
	if (s->fd < 0) {
		s->raw = false;
		s->fd = socket(fam, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, proto);
	}
	if (s->fd >= 0 && s->v6 && s->raw) {
		struct icmp6_filter f;
		ICMP6_FILTER_SETBLOCKALL(&f);
		ICMP6_FILTER_SETPASS(ICMP6_ECHO_REPLY, &f);
		setsockopt(s->fd, IPPROTO_ICMPV6, ICMP6_FILTER, &f, sizeof(f));
	}
}

static struct ping_op **ping_op_find(uint16_t seq)
{
	struct ping_op **pp = &ping.ops;

	while (*pp && (*pp)->seq != seq)
		pp = &(*pp)->next;
	return pp;
}

static bool ping_from_target(const struct probe *p, const struct sockaddr_storage *ss)
{
	if (ss->ss_family == AF_INET && p->addr.family == AF_INET)
		return ((const struct sockaddr_in *)ss)->sin_addr.s_addr == p->addr.v4.s_addr;
	if (ss->ss_family == AF_INET6 && p->addr.family == AF_INET6)
		return memcmp(&((const struct sockaddr_in6 *)ss)->sin6_addr, &p->addr.v6, 16) == 0;
	return false;
}

static void ping_got(const struct ping_sock *s, const uint8_t *buf, size_t n,
                     const struct sockaddr_storage *from)
{
	uint16_t id, seq;
	struct ping_op **pp, *op;
	struct probe *p;
	struct health_result r = { .ok = true, .weight = -1 };

	/* datagram sockets: the kernel owns the identifier and filters by it */
	if (icmp_echo_reply_parse(buf, n, s->v6, s->raw && !s->v6, &id, &seq) < 0 ||
	    (s->raw && id != ping.id))
		return;
	pp = ping_op_find(seq);
	if (!(op = *pp) || !ping_from_target(op->p, from))
		return;
	*pp = op->next;
	p = op->p;
	p->op = NULL;
	free(op);
	probe_done(p, &r);
}

static void ping_read_cb(int fd, uint32_t events, void *arg)
{
	struct ping_sock *s = arg;
	uint8_t buf[1500];
	struct sockaddr_storage from;
	socklen_t fl;
	ssize_t n;

	for (;;) {
		fl = sizeof(from);
		n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from, &fl);
		if (n < 0)
			return;
		ping_got(s, buf, (size_t)n, &from);
	}
}

int ping_open(struct ev_loop *loop, struct checker *ck)
{
	ping.loop = loop;
	ping.id = (uint16_t)getpid();
	ping_sock_open(&ping.s4);
	ping_sock_open(&ping.s6);
	if (ping.s4.fd >= 0)
		ev_io_add(loop, ping.s4.fd, EPOLLIN, ping_read_cb, &ping.s4);
	if (ping.s6.fd >= 0)
		ev_io_add(loop, ping.s6.fd, EPOLLIN, ping_read_cb, &ping.s6);
	return ping.s4.fd >= 0 || ping.s6.fd >= 0 ? 0 : -1;
}

void ping_close(void)
{
	struct ping_sock *socks[] = { &ping.s4, &ping.s6 };

	for (size_t i = 0; i < 2; i++) {
		if (socks[i]->fd < 0)
			continue;
		ev_io_del(ping.loop, socks[i]->fd);
		close(socks[i]->fd);
		socks[i]->fd = -1;
	}
}

static int ping_start(struct probe *p)
{
	bool v6 = p->addr.family == AF_INET6;
	struct ping_sock *s = v6 ? &ping.s6 : &ping.s4;
	struct sockaddr_storage ss = { 0 };
	uint8_t buf[64];
	struct ping_op *op;
	size_t n;

	if (s->fd < 0 || !(op = calloc(1, sizeof(*op))))
		return -1;
	do
		op->seq = ++ping.seq;
	while (*ping_op_find(op->seq));
	op->p = p;
	if (v6)
		*(struct sockaddr_in6 *)&ss = (struct sockaddr_in6){ .sin6_family = AF_INET6,
		                                                     .sin6_addr = p->addr.v6 };
	else
		*(struct sockaddr_in *)&ss = (struct sockaddr_in){ .sin_family = AF_INET,
		                                                   .sin_addr = p->addr.v4 };
	n = icmp_echo_build(buf, sizeof(buf), v6, ping.id, op->seq);
	if (sendto(s->fd, buf, n, 0, (struct sockaddr *)&ss,
	           v6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in)) < 0) {
		struct health_result r = { .reason = errno == EHOSTUNREACH || errno == ENETUNREACH ?
		                                     HEALTH_R_UNREACHABLE : HEALTH_R_CONNECT, .weight = -1 };
		free(op);
		probe_done(p, &r);
		return 0;
	}
	op->next = ping.ops;
	ping.ops = op;
	p->op = op;
	return 0;
}

static void ping_cancel(struct probe *p)
{
	struct ping_op *op = p->op, **pp;

	if (!op)
		return;
	pp = ping_op_find(op->seq);
	if (*pp)
		*pp = op->next;
	free(op);
	p->op = NULL;
}

const struct probe_ops probe_ping_ops = { .start = ping_start, .cancel = ping_cancel };
