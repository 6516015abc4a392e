/* IPVS generic netlink adapter (libmnl): the only file with a netlink socket.
 * Messages come from ipvs_msg.c; here they are sent, batched, and their
 * acknowledgements collected. No decisions, no logging. */
#include "ipvsd_nl.h"

#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "ipvs_msg.h"

#define NL_RBUF (64u * 1024)
#define NL_DEFAULT_BATCH (32u * 1024)
#define NL_RCVBUF (4 * 1024 * 1024)

struct ipvs_nl {
	struct mnl_socket *sock;
	unsigned portid;
	uint16_t family;
	uint32_t seq;
	size_t batch;
	char *sbuf;
	char *rbuf;
	struct ipvs_nl_counters c;
};

/* Sends one request and runs cb over the replies until the ACK or DONE. */
static int nl_talk(struct ipvs_nl *nl, const struct nlmsghdr *nlh, mnl_cb_t cb, void *data)
{
	ssize_t n;
	int r;

	if (mnl_socket_sendto(nl->sock, nlh, nlh->nlmsg_len) < 0)
		return -1;
	for (;;) {
		n = mnl_socket_recvfrom(nl->sock, nl->rbuf, NL_RBUF);
		if (n < 0)
			return -1;
		r = mnl_cb_run(nl->rbuf, (size_t)n, nlh->nlmsg_seq, nl->portid, cb, data);
		if (r <= MNL_CB_STOP)
			return r < 0 ? -1 : 0;
	}
}

static int family_cb(const struct nlmsghdr *nlh, void *data)
{
	const char *err;

	return ipvs_msg_parse_family(nlh, data, &err) < 0 ? MNL_CB_ERROR : MNL_CB_OK;
}

struct ipvs_nl *ipvs_nl_open(const char **err)
{
	struct ipvs_nl *nl = calloc(1, sizeof(*nl));
	int one = 1, rcv = NL_RCVBUF;

	*err = "out of memory";
	if (!nl || !(nl->rbuf = malloc(NL_RBUF)) || !(nl->sbuf = malloc(NL_DEFAULT_BATCH)))
		goto fail;
	nl->batch = NL_DEFAULT_BATCH;
	nl->seq = (uint32_t)time(NULL);
	*err = "cannot open a generic netlink socket";
	if (!(nl->sock = mnl_socket_open(NETLINK_GENERIC)) ||
	    mnl_socket_bind(nl->sock, 0, MNL_SOCKET_AUTOPID) < 0)
		goto fail;
	nl->portid = mnl_socket_get_portid(nl->sock);
	mnl_socket_setsockopt(nl->sock, NETLINK_CAP_ACK, &one, sizeof(one));
	setsockopt(mnl_socket_get_fd(nl->sock), SOL_SOCKET, SO_RCVBUF, &rcv, sizeof(rcv));
	*err = "the kernel has no IPVS generic netlink family (modprobe ip_vs)";
	if (nl_talk(nl, ipvs_msg_get_family(nl->sbuf, nl->batch, ++nl->seq), family_cb, &nl->family) < 0 ||
	    nl->family == 0)
		goto fail;
	*err = NULL;
	return nl;
fail:
	ipvs_nl_close(nl);
	return NULL;
}

void ipvs_nl_close(struct ipvs_nl *nl)
{
	int e = errno;

	if (!nl)
		return;
	if (nl->sock)
		mnl_socket_close(nl->sock);
	free(nl->rbuf);
	free(nl->sbuf);
	free(nl);
	errno = e;
}

const struct ipvs_nl_counters *ipvs_nl_counters(const struct ipvs_nl *nl)
{
	return &nl->c;
}

void ipvs_nl_set_batch(struct ipvs_nl *nl, size_t bytes)
{
	char *b;

	if (bytes < 1024)
		bytes = 1024;
	if ((b = realloc(nl->sbuf, bytes))) {
		nl->sbuf = b;
		nl->batch = bytes;
	}
}

/* ---------------- dumps ---------------- */

struct dump_ctx {
	struct ipvs_nl *nl;
	struct ipvs_table *t;
	struct ipvs_service *svc;
	bool oom;
};

static int svc_cb(const struct nlmsghdr *nlh, void *data)
{
	struct dump_ctx *d = data;
	struct ipvs_service s;
	const char *err;

	if (ipvs_msg_parse_service(nlh, &s, &err) < 0) {
		d->nl->c.dump_errors++;
		return MNL_CB_OK;
	}
	if (!ipvs_table_add_service(d->t, &s)) {
		d->oom = true;
		return MNL_CB_ERROR;
	}
	return MNL_CB_OK;
}

static int dest_cb(const struct nlmsghdr *nlh, void *data)
{
	struct dump_ctx *d = data;
	struct ipvs_dest dst;
	const char *err;

	if (ipvs_msg_parse_dest(nlh, &dst, NULL, &err) < 0) {
		d->nl->c.dump_errors++;
		return MNL_CB_OK;
	}
	if (!dst.addr.family)
		dst.addr.family = d->svc->af;
	if (!ipvs_service_add_dest(d->svc, &dst)) {
		d->oom = true;
		return MNL_CB_ERROR;
	}
	return MNL_CB_OK;
}

int ipvs_nl_dump(struct ipvs_nl *nl, struct ipvs_table *out)
{
	struct dump_ctx d = { .nl = nl, .t = out };

	memset(out, 0, sizeof(*out));
	nl->c.dumps++;
	if (nl_talk(nl, ipvs_msg_dump_services(nl->sbuf, nl->batch, nl->family, ++nl->seq), svc_cb, &d) < 0)
		goto fail;
	for (size_t i = 0; i < out->n_svcs; i++) {
		d.svc = &out->svcs[i];
		if (nl_talk(nl, ipvs_msg_dump_dests(nl->sbuf, nl->batch, nl->family, d.svc, ++nl->seq),
		            dest_cb, &d) < 0 && errno != ESRCH)   /* deleted meanwhile */
			goto fail;
	}
	ipvs_table_sort(out);
	return 0;
fail:
	if (d.oom)
		errno = ENOMEM;
	nl->c.dump_errors++;
	ipvs_table_free(out);
	return -1;
}

/* ---------------- batched writes ---------------- */

/* Reads the answers to a batch, seq [first, first + k), into errs[0..k):
 * error answers for any of them, then the ACK of the last one (the only one
 * that asked for it; see ipvs_msg_batch), which ends the batch: a seq with
 * no error answer before it succeeded. */
static int collect_acks(struct ipvs_nl *nl, uint32_t first, size_t k, const struct ipvs_op *ops,
                        int *errs)
{
	bool closed = false;

	while (!closed) {
		ssize_t n = mnl_socket_recvfrom(nl->sock, nl->rbuf, NL_RBUF);
		const struct nlmsghdr *nlh = (const struct nlmsghdr *)nl->rbuf;
		int len = (int)n;

		if (n < 0)
			return -1;
		for (; mnl_nlmsg_ok(nlh, len) && nlh->nlmsg_len <= (unsigned)len;
		     nlh = mnl_nlmsg_next(nlh, &len)) {
			const struct nlmsgerr *e;
			uint32_t idx;

			if (nlh->nlmsg_type != NLMSG_ERROR || !mnl_nlmsg_portid_ok(nlh, nl->portid) ||
			    mnl_nlmsg_get_payload_len(nlh) < sizeof(*e))
				continue;
			e = mnl_nlmsg_get_payload(nlh);
			idx = e->msg.nlmsg_seq - first;
			if (idx >= k)
				continue;       /* a stale answer */
			if (errs[idx] != -1)
				continue;       /* answered already */
			errs[idx] = -e->error;
			if (errs[idx] && ipvs_op_error_benign(ops[idx].kind, errs[idx])) {
				errs[idx] = 0;
				nl->c.ops_benign++;
			}
			if (errs[idx])
				nl->c.ops_failed++;
			closed = idx == k - 1;
		}
	}
	for (size_t i = 0; i < k; i++)
		if (errs[i] == -1)
			errs[i] = 0;
	return 0;
}

int ipvs_nl_apply(struct ipvs_nl *nl, const struct ipvs_op *ops, size_t n, int *errs)
{
	size_t done = 0, k, used;
	int failed = 0;

	while (done < n) {
		uint32_t first = nl->seq + 1;

		k = ipvs_msg_batch(nl->sbuf, nl->batch, nl->family, ops + done, n - done, first, &used);
		if (k == 0) {           /* one message larger than the batch buffer */
			errs[done++] = EMSGSIZE;
			nl->c.ops_failed++;
			continue;
		}
		nl->seq += (uint32_t)k;
		for (size_t i = 0; i < k; i++)
			errs[done + i] = -1;
		if (mnl_socket_sendto(nl->sock, nl->sbuf, used) < 0)
			return -1;
		nl->c.sendmsgs++;
		nl->c.ops_sent += k;
		if (collect_acks(nl, first, k, ops + done, errs + done) < 0)
			return -1;
		done += k;
	}
	for (size_t i = 0; i < n; i++)
		failed += errs[i] != 0;
	return failed;
}

/* ---------------- config, sync daemons, flush ---------------- */

int ipvs_nl_set_timeouts(struct ipvs_nl *nl, const struct ipvs_timeouts *t)
{
	nl->c.sendmsgs++;
	return nl_talk(nl, ipvs_msg_timeouts(nl->sbuf, nl->batch, nl->family, t, ++nl->seq), NULL, NULL);
}

struct daemons_ctx {
	struct ipvs_daemon *out;
	size_t max, n;
};

static int daemon_cb(const struct nlmsghdr *nlh, void *data)
{
	struct daemons_ctx *d = data;
	const char *err;

	if (d->n < d->max && ipvs_msg_parse_daemon(nlh, &d->out[d->n], &err) == 0)
		d->n++;
	return MNL_CB_OK;
}

int ipvs_nl_get_daemons(struct ipvs_nl *nl, struct ipvs_daemon *out, size_t max, size_t *n)
{
	struct daemons_ctx d = { out, max, 0 };
	int r = nl_talk(nl, ipvs_msg_dump_daemons(nl->sbuf, nl->batch, nl->family, ++nl->seq),
	                daemon_cb, &d);

	*n = d.n;
	return r;
}

int ipvs_nl_daemon(struct ipvs_nl *nl, int cmd, const struct ipvs_daemon *dm)
{
	nl->c.sendmsgs++;
	return nl_talk(nl, ipvs_msg_daemon(nl->sbuf, nl->batch, nl->family, (uint8_t)cmd, dm, ++nl->seq),
	               NULL, NULL);
}

int ipvs_nl_flush(struct ipvs_nl *nl)
{
	nl->c.sendmsgs++;
	return nl_talk(nl, ipvs_msg_flush(nl->sbuf, nl->batch, nl->family, ++nl->seq), NULL, NULL);
}
