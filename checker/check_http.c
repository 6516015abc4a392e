/* HTTP/HTTPS checks on libcurl's multi interface, driven by halo's epoll loop
 * (CURLMOPT_SOCKETFUNCTION / TIMERFUNCTION + curl_multi_socket_action). It
 * connects to the probe's address with CURLOPT_CONNECT_TO (never DNS) and
 * hands the bytes to http_eval.c; it does not judge responses itself. */
#include "check_probe.h"

#include <curl/curl.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "log.h"

enum { HTTP_POOL_MAX = 256, HTTP_SHARDS = 128, HTTP_SHARD_FILL = 32 };

/* libcurl's sockets live in a private epoll set, itself one fd in halo's loop:
 * socket changes are then O(1) epoll_ctl calls however many checks run.
 *
 * Probes are spread over HTTP_SHARDS multi handles. libcurl 7.88 walks the
 * whole connection cache of a multi handle in curl_multi_remove_handle()
 * whenever the finished transfer left its connection in the cache (reuse),
 * which is quadratic with one multi handle and 10,000 kept connections;
 * a probe always uses the same shard, so its kept connection is found there. */
struct http_shard {
	struct http_multi *hm;
	CURLM *multi;
	struct ev_timer timer;
	uint32_t idx;
};

struct http_multi {
	struct ev_loop *loop;
	int epfd;
	uint32_t next_probe;   /* probes given a shard so far */
	size_t max_kept;       /* kept connections, all shards together */
	struct http_shard shards[HTTP_SHARDS];
	/* finished easy handles, reset and kept for the next attempts: an easy
	 * handle costs ~20 kB and a dozen allocations to create, and a check
	 * needs one only while it runs, so the pool follows concurrency, not
	 * the number of probes */
	CURL *pool[HTTP_POOL_MAX];
	size_t n_pool;
};

/* Per probe, kept across attempts (p->kstate): what does not change between
 * two attempts of the same check, and the shard its connection lives in. */
struct http_kstate {
	char *url;
	struct curl_slist *headers, *connect_to;
	struct http_shard *shard;
};

struct http_op {
	struct probe *p;
	CURL *easy;
	struct http_shard *shard;
	struct http_resp resp;
	bool stopped;          /* a callback ended the transfer on purpose */
	char err[CURL_ERROR_SIZE];
};

static void http_multi_check_done(struct http_shard *sh);

/* epoll data: the socket in the low 32 bits, its shard above */
static void http_epoll_cb(int fd, uint32_t events, void *arg)
{
	struct http_multi *hm = arg;
	struct epoll_event evs[256];
	uint64_t touched[(HTTP_SHARDS + 63) / 64] = { 0 };
	int n, running;

	n = epoll_wait(hm->epfd, evs, 256, 0);
	for (int i = 0; i < n; i++) {
		uint32_t sh = (uint32_t)(evs[i].data.u64 >> 32);
		int action = 0;
		if (sh >= HTTP_SHARDS)
			continue;
		if (evs[i].events & EPOLLIN)
			action |= CURL_CSELECT_IN;
		if (evs[i].events & EPOLLOUT)
			action |= CURL_CSELECT_OUT;
		if (evs[i].events & (EPOLLERR | EPOLLHUP))
			action |= CURL_CSELECT_ERR;
		curl_multi_socket_action(hm->shards[sh].multi, (curl_socket_t)(uint32_t)evs[i].data.u64,
		                         action, &running);
		touched[sh / 64] |= 1ull << (sh % 64);
	}
	for (uint32_t sh = 0; sh < HTTP_SHARDS; sh++)
		if (touched[sh / 64] & (1ull << (sh % 64)))
			http_multi_check_done(&hm->shards[sh]);
}

static int http_socket_cb(CURL *e, curl_socket_t s, int what, void *userp, void *socketp)
{
	struct http_shard *sh = userp;
	int epfd = sh->hm->epfd;
	struct epoll_event ev = { .data.u64 = (uint64_t)sh->idx << 32 | (uint32_t)s };

	if (what == CURL_POLL_REMOVE) {
		if (socketp)
			epoll_ctl(epfd, EPOLL_CTL_DEL, s, NULL);
		curl_multi_assign(sh->multi, s, NULL);
		return 0;
	}
	if (what & CURL_POLL_IN)
		ev.events |= EPOLLIN;
	if (what & CURL_POLL_OUT)
		ev.events |= EPOLLOUT;
	if (socketp)
		return epoll_ctl(epfd, EPOLL_CTL_MOD, s, &ev) < 0 ? -1 : 0;
	if (epoll_ctl(epfd, EPOLL_CTL_ADD, s, &ev) < 0)
		return -1;
	curl_multi_assign(sh->multi, s, sh);
	return 0;
}

static void http_timer_fire(void *arg)
{
	struct http_shard *sh = arg;
	int running;

	curl_multi_socket_action(sh->multi, CURL_SOCKET_TIMEOUT, 0, &running);
	http_multi_check_done(sh);
}

static int http_timer_cb(CURLM *multi, long timeout_ms, void *userp)
{
	struct http_shard *sh = userp;

	if (timeout_ms < 0)
		ev_timer_cancel(sh->hm->loop, &sh->timer);
	else
		ev_timer_arm(sh->hm->loop, &sh->timer, ev_now_us() + (uint64_t)timeout_ms * 1000);
	return 0;
}

void http_multi_free(struct http_multi *hm)
{
	if (!hm)
		return;
	while (hm->n_pool)
		curl_easy_cleanup(hm->pool[--hm->n_pool]);
	for (uint32_t i = 0; i < HTTP_SHARDS; i++) {
		ev_timer_cancel(hm->loop, &hm->shards[i].timer);
		if (hm->shards[i].multi)
			curl_multi_cleanup(hm->shards[i].multi);
	}
	if (hm->epfd >= 0) {
		ev_io_del(hm->loop, hm->epfd);
		close(hm->epfd);
	}
	curl_global_cleanup();
	free(hm);
}

/* The kept-connection budget is shared by the shards in use, not by all
 * HTTP_SHARDS: with a small descriptor limit and a few hundred probes, a
 * split over 128 would close connections the budget still has room for.
 * Re-set on every open shard when one opens (at most HTTP_SHARDS times);
 * a shard whose limit shrinks closes its oldest idle connections. The
 * default (4x the transfers in progress) would close kept connections
 * whenever few checks run at once. */
static void http_shard_budget(struct http_multi *hm)
{
	size_t n_open = 0;
	long per;

	for (uint32_t i = 0; i < HTTP_SHARDS; i++)
		n_open += hm->shards[i].multi != NULL;
	per = n_open ? (long)(hm->max_kept / n_open) : 0;
	for (uint32_t i = 0; i < HTTP_SHARDS; i++)
		if (hm->shards[i].multi)
			curl_multi_setopt(hm->shards[i].multi, CURLMOPT_MAXCONNECTS, per > 0 ? per : 1L);
}

/* A multi handle costs ~30 kB (its socket hash alone has 911 slots), so a
 * shard's is created when its first probe needs it. */
static struct http_shard *http_shard_open(struct http_multi *hm, uint32_t idx)
{
	struct http_shard *sh = &hm->shards[idx % HTTP_SHARDS];

	if (sh->multi)
		return sh;
	if (!(sh->multi = curl_multi_init()))
		return NULL;
	curl_multi_setopt(sh->multi, CURLMOPT_SOCKETFUNCTION, http_socket_cb);
	curl_multi_setopt(sh->multi, CURLMOPT_SOCKETDATA, sh);
	curl_multi_setopt(sh->multi, CURLMOPT_TIMERFUNCTION, http_timer_cb);
	curl_multi_setopt(sh->multi, CURLMOPT_TIMERDATA, sh);
	http_shard_budget(hm);
	return sh;
}

struct http_multi *http_multi_new(struct ev_loop *loop, size_t max_kept)
{
	struct http_multi *hm = calloc(1, sizeof(*hm));

	if (!hm)
		return NULL;
	hm->loop = loop;
	hm->epfd = -1;
	hm->max_kept = max_kept;
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		free(hm);
		return NULL;
	}
	for (uint32_t i = 0; i < HTTP_SHARDS; i++) {
		hm->shards[i].hm = hm;
		hm->shards[i].idx = i;
		ev_timer_init(&hm->shards[i].timer, http_timer_fire, &hm->shards[i]);
	}
	hm->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (hm->epfd < 0 || ev_io_add(loop, hm->epfd, EPOLLIN, http_epoll_cb, hm) < 0) {
		if (hm->epfd >= 0)
			close(hm->epfd);
		hm->epfd = -1;
		http_multi_free(hm);
		return NULL;
	}
	return hm;
}

/* ---- one transfer ---- */

static size_t http_header_cb(char *buf, size_t size, size_t n, void *arg)
{
	struct http_op *op = arg;

	if (http_resp_header(&op->resp, buf, size * n) < 0) {
		op->stopped = true;
		return 0;
	}
	return size * n;
}

static size_t http_write_cb(char *buf, size_t size, size_t n, void *arg)
{
	struct http_op *op = arg;

	if (http_resp_body(&op->resp, buf, size * n) < 0) {
		op->stopped = true;   /* body cap reached: what we have is judged */
		return 0;
	}
	return size * n;
}

static void http_op_free(struct http_op *op)
{
	struct http_multi *hm = op->p->ck->http;

	curl_multi_remove_handle(op->shard->multi, op->easy);
	if (hm->n_pool < HTTP_POOL_MAX) {
		curl_easy_reset(op->easy);
		hm->pool[hm->n_pool++] = op->easy;
	} else {
		curl_easy_cleanup(op->easy);
	}
	http_resp_free(&op->resp);
	op->p->op = NULL;
	free(op);
}

/* URL host: the virtual host (or SNI name) if configured, else the address. */
static void http_url_build(const struct probe *p, char *url, size_t len, const char **host_hdr)
{
	const struct cfg_check_http *c = &p->check->http;
	bool tls = p->check->kind == CFG_CHECK_HTTPS;
	const char *name = tls && c->sni ? c->sni : c->host;
	char a[HALO_ADDRSTRLEN];
	const char *path = c->path ? c->path : "/";

	*host_hdr = (name && c->host && strcmp(name, c->host) != 0) ? c->host : NULL;
	if (!name) {
		halo_addr_str(&p->addr, a);
		if (p->addr.family == AF_INET6)
			snprintf(url, len, "%s://[%s]:%u%s", tls ? "https" : "http", a, p->port, path);
		else
			snprintf(url, len, "%s://%s:%u%s", tls ? "https" : "http", a, p->port, path);
	} else {
		snprintf(url, len, "%s://%s:%u%s", tls ? "https" : "http", name, p->port, path);
	}
}

static void http_kstate_free(struct http_kstate *ks)
{
	if (!ks)
		return;
	free(ks->url);
	curl_slist_free_all(ks->headers);
	curl_slist_free_all(ks->connect_to);
	free(ks);
}

static struct http_kstate *http_kstate_new(const struct probe *p)
{
	const struct cfg_check_http *c = &p->check->http;
	struct http_kstate *ks = calloc(1, sizeof(*ks));
	char a[HALO_ADDRSTRLEN], line[HALO_ADDRSTRLEN + 16], url[2048];
	const char *host_hdr;
	struct curl_slist *l;

	if (!ks)
		return NULL;
	http_url_build(p, url, sizeof(url), &host_hdr);
	halo_addr_str(&p->addr, a);
	/* "HOST:PORT:CONNECT-TO-HOST:CONNECT-TO-PORT", empty HOST/PORT = any */
	snprintf(line, sizeof(line), p->addr.family == AF_INET6 ? "::[%s]:%u" : "::%s:%u", a, p->port);
	ks->url = strdup(url);
	ks->connect_to = curl_slist_append(NULL, line);
	l = curl_slist_append(NULL, "User-Agent: halo-checker/" HALO_VERSION);
	if (l && host_hdr) {
		char h[512];
		snprintf(h, sizeof(h), "Host: %s", host_hdr);
		l = curl_slist_append(l, h);
	}
	for (size_t i = 0; l && i < c->n_headers; i++)
		l = curl_slist_append(l, c->headers[i]);
	ks->headers = l;
	/* HTTP_SHARD_FILL probes per shard in turn: a few probes use one or two
	 * multi handles, 10,000 spread 64-96 over all of them */
	ks->shard = http_shard_open(p->ck->http, p->ck->http->next_probe++ / HTTP_SHARD_FILL);
	if (!ks->url || !ks->connect_to || !ks->headers || !ks->shard) {
		http_kstate_free(ks);
		return NULL;
	}
	return ks;
}

static void http_release(struct probe *p)
{
	http_kstate_free(p->kstate);
	p->kstate = NULL;
}

static void http_tls_opts(CURL *e, const struct cfg_check_http *c)
{
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, c->verify ? 1L : 0L);
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, c->verify ? 2L : 0L);
	if (c->ca_file)
		curl_easy_setopt(e, CURLOPT_CAINFO, c->ca_file);
	if (c->client_cert)
		curl_easy_setopt(e, CURLOPT_SSLCERT, c->client_cert);
	if (c->client_key)
		curl_easy_setopt(e, CURLOPT_SSLKEY, c->client_key);
	if (c->cert_expiry_warn_days)
		curl_easy_setopt(e, CURLOPT_CERTINFO, 1L);
}

static void http_easy_opts(struct http_op *op, const struct http_kstate *ks)
{
	const struct probe *p = op->p;
	const struct cfg_check_http *c = &p->check->http;
	CURL *e = op->easy;
	long tmo = (long)p->check->timeout;

	curl_easy_setopt(e, CURLOPT_URL, ks->url);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_CONNECT_TO, ks->connect_to);
	/* straight to the real server, as keepalived: libcurl would otherwise
	 * take http_proxy / https_proxy / all_proxy from the environment and
	 * report the proxy's answer (and reads four variables per transfer) */
	curl_easy_setopt(e, CURLOPT_PROXY, "");
	curl_easy_setopt(e, CURLOPT_NOPROXY, "*");
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, ks->headers);
	curl_easy_setopt(e, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_1_1);
	curl_easy_setopt(e, CURLOPT_PATH_AS_IS, 1L);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	if (!c->reuse_connection) {   /* keepalived's way: a new connection per check */
		curl_easy_setopt(e, CURLOPT_FORBID_REUSE, 1L);
		curl_easy_setopt(e, CURLOPT_FRESH_CONNECT, 1L);
	}
	/* address literals only: a DNS cache would just grow with the number of
	 * real servers and libcurl scans all of it on every lookup */
	curl_easy_setopt(e, CURLOPT_DNS_CACHE_TIMEOUT, 0L);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, tmo);
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, tmo + 100);   /* our deadline timer fires first */
	curl_easy_setopt(e, CURLOPT_NOBODY, c->head ? 1L : 0L);
	curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, http_header_cb);
	curl_easy_setopt(e, CURLOPT_HEADERDATA, op);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, http_write_cb);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, op);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, op->err);
	curl_easy_setopt(e, CURLOPT_PRIVATE, op);
	if (p->check->kind == CFG_CHECK_HTTPS)
		http_tls_opts(e, c);
}

static int http_start(struct probe *p)
{
	struct http_multi *hm = p->ck->http;
	struct http_op *op;

	if (!p->kstate && !(p->kstate = http_kstate_new(p)))
		return -1;
	if (!(op = calloc(1, sizeof(*op))))
		return -1;
	op->p = p;
	op->shard = ((struct http_kstate *)p->kstate)->shard;
	op->easy = hm->n_pool ? hm->pool[--hm->n_pool] : curl_easy_init();
	if (!op->easy) {
		free(op);
		return -1;
	}
	http_resp_init(&op->resp, &p->matcher);
	http_easy_opts(op, p->kstate);
	p->op = op;
	if (curl_multi_add_handle(op->shard->multi, op->easy) != CURLM_OK) {
		http_op_free(op);
		return -1;
	}
	return 0;
}

static void http_cancel(struct probe *p)
{
	if (p->op)
		http_op_free(p->op);
}

const struct probe_ops probe_http_ops = {
	.start = http_start, .cancel = http_cancel, .release = http_release,
};

/* ---- results ---- */

static enum health_reason http_reason_connect(CURL *e)
{
	long oserr = 0;

	curl_easy_getinfo(e, CURLINFO_OS_ERRNO, &oserr);
	if (oserr == ECONNREFUSED)
		return HEALTH_R_REFUSED;
	if (oserr == EHOSTUNREACH || oserr == ENETUNREACH)
		return HEALTH_R_UNREACHABLE;
	if (oserr == ETIMEDOUT)
		return HEALTH_R_TIMEOUT;
	return HEALTH_R_CONNECT;
}

static enum health_reason http_reason_verify(const char *err)
{
	if (strstr(err, "expired"))
		return HEALTH_R_CERT_EXPIRED;
	if (strstr(err, "host name") || strstr(err, "hostname") || strstr(err, "subject name"))
		return HEALTH_R_CERT_HOSTNAME;
	return HEALTH_R_CERT_INVALID;
}

static enum health_reason http_reason(const struct http_op *op, CURLcode rc)
{
	bool have_status = op->resp.status != 0;

	switch (rc) {
	case CURLE_OPERATION_TIMEDOUT:
		return HEALTH_R_TIMEOUT;
	case CURLE_COULDNT_CONNECT:
		return http_reason_connect(op->easy);
	case CURLE_PEER_FAILED_VERIFICATION:
		return http_reason_verify(op->err);
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CIPHER:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_ISSUER_ERROR:
	case CURLE_SSL_CRL_BADFILE:
		return strstr(op->err, "expired") ? HEALTH_R_CERT_EXPIRED : HEALTH_R_TLS;
	case CURLE_GOT_NOTHING:
	case CURLE_SEND_ERROR:
		return HEALTH_R_RESET;
	case CURLE_RECV_ERROR:
		return have_status ? HEALTH_R_BAD_RESPONSE : HEALTH_R_RESET;
	case CURLE_WEIRD_SERVER_REPLY:
	case CURLE_UNSUPPORTED_PROTOCOL:
		return have_status ? HEALTH_R_BAD_RESPONSE : HEALTH_R_NO_STATUS_LINE;
	case CURLE_OUT_OF_MEMORY:
		return have_status ? HEALTH_R_HEADERS_TOO_LARGE : HEALTH_R_BAD_RESPONSE;
	case CURLE_PARTIAL_FILE:
	case CURLE_BAD_CONTENT_ENCODING:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
		return HEALTH_R_BAD_RESPONSE;
	default:
		return HEALTH_R_INTERNAL;
	}
}

/* "Expire date" of the leaf certificate (OpenSSL backend format:
 * "Jan  1 00:00:00 2030 GMT"); INT64_MIN if unknown. */
static int64_t http_cert_expires_in(CURL *e, time_t now)
{
	struct curl_certinfo *ci = NULL;

	if (curl_easy_getinfo(e, CURLINFO_CERTINFO, &ci) != CURLE_OK || !ci || ci->num_of_certs < 1)
		return INT64_MIN;
	for (struct curl_slist *l = ci->certinfo[0]; l; l = l->next) {
		struct tm tm = { 0 };
		if (strncmp(l->data, "Expire date:", 12) != 0)
			continue;
		if (!strptime(l->data + 12, "%b %d %H:%M:%S %Y GMT", &tm))
			return INT64_MIN;
		return (int64_t)timegm(&tm) - (int64_t)now;
	}
	return INT64_MIN;
}

static void http_cert_warn(struct probe *p, CURL *e)
{
	const struct cfg_check_http *c = &p->check->http;
	uint64_t now = ev_now_us();
	int64_t left;

	if (p->check->kind != CFG_CHECK_HTTPS || !c->cert_expiry_warn_days)
		return;
	left = http_cert_expires_in(e, time(NULL));
	p->cert_expires_s = left;
	if (left == INT64_MIN || left >= (int64_t)c->cert_expiry_warn_days * 86400)
		return;
	if (p->cert_warned_us && now - p->cert_warned_us < 86400ull * 1000000)
		return;   /* once a day per probe */
	p->cert_warned_us = now;
	log_warnx("certificate of %s expires in %lld days (warn_days=%u)", p->target,
	          (long long)(left / 86400), c->cert_expiry_warn_days);
}

static void http_op_finish(struct http_op *op, CURLcode rc)
{
	struct probe *p = op->p;
	struct health_result r = { .weight = -1 };

	if (rc == CURLE_OK || (op->stopped && rc == CURLE_WRITE_ERROR)) {
		http_eval(&p->matcher, &op->resp, &r);
		http_cert_warn(p, op->easy);
	} else {
		r.reason = http_reason(op, rc);
		r.code = op->resp.status;
		log_debug("http %s: %s", p->target, op->err[0] ? op->err : curl_easy_strerror(rc));
	}
	http_op_free(op);
	probe_done(p, &r);
}

static void http_multi_check_done(struct http_shard *sh)
{
	CURLMsg *m;
	int left;

	while ((m = curl_multi_info_read(sh->multi, &left))) {
		struct http_op *op = NULL;
		if (m->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&op);
		if (op)
			http_op_finish(op, m->data.result);
	}
}
