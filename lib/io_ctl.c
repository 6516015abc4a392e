/* Control sockets over Unix stream sockets carrying JSON lines: the server
 * side for daemons, a blocking call for haloctl and a reconnecting
 * subscription for daemons that consume others. Transport only, no policy. */
#include "io_ctl.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "io_ctl_keeper.h"
#include "log.h"
#include "msg.h"

struct ctl_buf {
	char *data;
	size_t len, cap;
};

struct ctl_client {
	struct ctl_server *srv;
	int fd;
	bool subscriber;
	bool dead;
	struct ctl_buf in, out;
	struct ctl_client *next;
};

struct ctl_server {
	struct ev_loop *loop;
	int fd;
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	char *run_dir;
	ctl_request_cb cb;
	void *arg;
	struct ctl_client *clients;
	int dispatching;
	int keeper;                 /* ctl_server_keeper(): its socket pair end, or -1 */
	pid_t keeper_pid;
};

static int buf_append(struct ctl_buf *b, const char *p, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;
		while (cap < b->len + n + 1)
			cap *= 2;
		char *d = realloc(b->data, cap);
		if (!d)
			return -1;
		b->data = d;
		b->cap = cap;
	}
	memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

static void buf_consume(struct ctl_buf *b, size_t n)
{
	memmove(b->data, b->data + n, b->len - n);
	b->len -= n;
	if (b->data)
		b->data[b->len] = '\0';
}

static void buf_free(struct ctl_buf *b)
{
	free(b->data);
	memset(b, 0, sizeof(*b));
}

static int sock_path_fill(struct sockaddr_un *sun, const char *path)
{
	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun->sun_path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	strcpy(sun->sun_path, path);
	return 0;
}

/* ---------------- server ---------------- */

static void client_close(struct ctl_client *c)
{
	if (c->dead)
		return;
	ev_io_del(c->srv->loop, c->fd);
	close(c->fd);
	c->dead = true;
}

static void clients_reap(struct ctl_server *s)
{
	struct ctl_client **pp = &s->clients;

	if (s->dispatching)
		return;
	while (*pp) {
		struct ctl_client *c = *pp;
		if (c->dead) {
			*pp = c->next;
			buf_free(&c->in);
			buf_free(&c->out);
			free(c);
		} else {
			pp = &c->next;
		}
	}
}

static void client_flush(struct ctl_client *c)
{
	while (c->out.len) {
		ssize_t n = send(c->fd, c->out.data, c->out.len, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n < 0) {
			if (errno == EAGAIN || errno == EINTR)
				break;
			client_close(c);
			return;
		}
		buf_consume(&c->out, (size_t)n);
	}
	ev_io_mod(c->srv->loop, c->fd, EPOLLIN | (c->out.len ? EPOLLOUT : 0));
}

static void client_dispatch_line(struct ctl_client *c, char *line, size_t len)
{
	struct json_object *req = json_tokener_parse(line);
	struct json_object *cmd;
	const char *err;

	if (halo_msg_check_request(req, len, &err) < 0) {
		ctl_reply_error(c, err);
		json_object_put(req);
		client_close(c);
		return;
	}
	json_object_object_get_ex(req, "cmd", &cmd);
	c->srv->cb(c, json_object_get_string(cmd), req, c->srv->arg);
	json_object_put(req);
}

static void client_read(int fd, uint32_t events, void *arg)
{
	struct ctl_client *c = arg;
	struct ctl_server *s = c->srv;
	char tmp[8192];
	char *nl;

	if (events & EPOLLOUT)
		client_flush(c);
	if (c->dead || !(events & (EPOLLIN | EPOLLHUP | EPOLLERR)))
		goto out;
	ssize_t n = recv(fd, tmp, sizeof(tmp), MSG_DONTWAIT);
	if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
		client_close(c);
		goto out;
	}
	if (n < 0)
		goto out;
	if (buf_append(&c->in, tmp, (size_t)n) < 0 || c->in.len > CTL_MAX_LINE) {
		client_close(c);
		goto out;
	}
	s->dispatching++;
	while (!c->dead && (nl = memchr(c->in.data, '\n', c->in.len))) {
		*nl = '\0';
		client_dispatch_line(c, c->in.data, (size_t)(nl - c->in.data));
		if (!c->dead)
			buf_consume(&c->in, (size_t)(nl - c->in.data) + 1);
	}
	s->dispatching--;
out:
	clients_reap(s);
}

static void server_accept(int fd, uint32_t events, void *arg)
{
	struct ctl_server *s = arg;

	for (;;) {
		int cfd = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (cfd < 0)
			return;
		struct ctl_client *c = calloc(1, sizeof(*c));
		if (!c || ev_io_add(s->loop, cfd, EPOLLIN, client_read, c) < 0) {
			free(c);
			close(cfd);
			continue;
		}
		c->srv = s;
		c->fd = cfd;
		c->next = s->clients;
		s->clients = c;
	}
}

int ctl_listen_fd(const char *run_dir, const char *path)
{
	struct sockaddr_un sun;
	int fd, probe;

	if (mkdir(run_dir, 0755) < 0 && errno != EEXIST)
		return -1;
	if (sock_path_fill(&sun, path) < 0)
		return -1;
	/* a socket that still answers belongs to a running daemon */
	probe = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (probe >= 0 && connect(probe, (struct sockaddr *)&sun, sizeof(sun)) == 0) {
		close(probe);
		errno = EADDRINUSE;
		return -1;
	}
	if (probe >= 0)
		close(probe);
	unlink(path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	mode_t old = umask(0177);
	int rc = bind(fd, (struct sockaddr *)&sun, sizeof(sun));
	umask(old);
	if (rc < 0 || chmod(path, 0600) < 0 || listen(fd, 64) < 0) {
		int e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

static int server_listen(struct ctl_server *s)
{
	int fd = s->keeper >= 0 ? ctl_keeper_listen(s->keeper) : ctl_listen_fd(s->run_dir, s->path);

	if (fd < 0)
		return -1;
	if (ev_io_add(s->loop, fd, EPOLLIN, server_accept, s) < 0) {
		close(fd);
		return -1;
	}
	s->fd = fd;
	return 0;
}

int ctl_server_keeper(struct ctl_server *s, bool sandbox)
{
	s->keeper = ctl_keeper_start(s->run_dir, s->path, sandbox, &s->keeper_pid);
	return s->keeper < 0 ? -1 : 0;
}

struct ctl_server *ctl_server_open(struct ev_loop *loop, const char *run_dir, const char *name,
                                   ctl_request_cb cb, void *arg)
{
	struct ctl_server *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->loop = loop;
	s->cb = cb;
	s->arg = arg;
	s->fd = -1;
	s->keeper = -1;
	s->run_dir = strdup(run_dir);
	if (!s->run_dir || (size_t)snprintf(s->path, sizeof(s->path), "%s/%s.sock", run_dir, name) >= sizeof(s->path) ||
	    server_listen(s) < 0) {
		int e = errno;
		free(s->run_dir);
		free(s);
		errno = e;
		return NULL;
	}
	return s;
}

void ctl_server_check(struct ctl_server *s)
{
	struct stat st;

	if (stat(s->path, &st) == 0 && S_ISSOCK(st.st_mode))
		return;
	if (s->fd >= 0) {
		ev_io_del(s->loop, s->fd);
		close(s->fd);
		s->fd = -1;
	}
	if (server_listen(s) < 0)
		log_warn("cannot re-create control socket %s", s->path);
	else
		log_info("control socket %s re-created", s->path);
}

void ctl_server_close(struct ctl_server *s)
{
	if (!s)
		return;
	for (struct ctl_client *c = s->clients; c; c = c->next)
		client_close(c);
	s->dispatching = 0;
	clients_reap(s);
	if (s->fd >= 0) {
		ev_io_del(s->loop, s->fd);
		close(s->fd);
		unlink(s->path);
	}
	ctl_keeper_stop(s->keeper, s->keeper_pid);   /* after the close: it unlinks a dead socket */
	free(s->run_dir);
	free(s);
}

int ctl_reply(struct ctl_client *c, struct json_object *obj)
{
	const char *txt;

	if (c->dead)
		return -1;
	txt = json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PLAIN);
	if (buf_append(&c->out, txt, strlen(txt)) < 0 || buf_append(&c->out, "\n", 1) < 0 ||
	    c->out.len > 4 * CTL_MAX_LINE) {
		client_close(c);
		return -1;
	}
	client_flush(c);
	return c->dead ? -1 : 0;
}

int ctl_reply_error(struct ctl_client *c, const char *msg)
{
	struct json_object *o = json_object_new_object();
	int rc;

	json_object_object_add(o, "v", json_object_new_int(CTL_PROTO_VERSION));
	json_object_object_add(o, "ok", json_object_new_boolean(0));
	json_object_object_add(o, "error", json_object_new_string(msg));
	rc = ctl_reply(c, o);
	json_object_put(o);
	return rc;
}

void ctl_subscribe(struct ctl_client *c)
{
	c->subscriber = true;
}

void ctl_publish(struct ctl_server *s, struct json_object *obj)
{
	s->dispatching++;
	for (struct ctl_client *c = s->clients; c; c = c->next)
		if (c->subscriber && !c->dead)
			ctl_reply(c, obj);
	s->dispatching--;
	clients_reap(s);
}

/* ---------------- blocking call ---------------- */

static int connect_path(const char *path, bool nonblock)
{
	struct sockaddr_un sun;
	int fd;

	if (sock_path_fill(&sun, path) < 0)
		return -1;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | (nonblock ? SOCK_NONBLOCK : 0), 0);
	if (fd < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0) {
		int e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

int ctl_call(const char *sock_path, struct json_object *req, struct json_object **resp, int timeout_ms)
{
	struct ctl_buf in = { 0 };
	const char *txt = json_object_to_json_string_ext(req, JSON_C_TO_STRING_PLAIN);
	int fd = connect_path(sock_path, false);
	int rc = -1;
	char *nl = NULL;

	*resp = NULL;
	if (fd < 0)
		return -1;
	if (send(fd, txt, strlen(txt), MSG_NOSIGNAL) < 0 || send(fd, "\n", 1, MSG_NOSIGNAL) < 0)
		goto out;
	while (!nl) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		char tmp[8192];
		int p = poll(&pfd, 1, timeout_ms);
		if (p == 0)
			errno = ETIMEDOUT;
		if (p <= 0)
			goto out;
		ssize_t n = recv(fd, tmp, sizeof(tmp), 0);
		if (n <= 0) {
			if (n == 0)
				errno = ECONNRESET;
			goto out;
		}
		if (buf_append(&in, tmp, (size_t)n) < 0 || in.len > 4 * CTL_MAX_LINE)
			goto out;
		nl = memchr(in.data, '\n', in.len);
	}
	*nl = '\0';
	*resp = json_tokener_parse(in.data);
	if (!*resp)
		errno = EPROTO;
	else
		rc = 0;
out:
	buf_free(&in);
	close(fd);
	return rc;
}

/* ---------------- reconnecting subscription ---------------- */

struct ctl_sub {
	struct ev_loop *loop;
	char *path;
	char producer[64];              /* socket file name without ".sock" */
	int fd;
	bool connected;
	ctl_msg_cb msg_cb;
	ctl_state_cb state_cb;
	void *arg;
	struct ctl_buf in;
	struct ev_timer retry;
	uint64_t backoff_us;
	uint64_t rejected;
};

static void sub_schedule(struct ctl_sub *sub)
{
	ev_timer_arm(sub->loop, &sub->retry, ev_now_us() + sub->backoff_us);
	sub->backoff_us = sub->backoff_us * 2 > 5000000 ? 5000000 : sub->backoff_us * 2;
}

static void sub_drop(struct ctl_sub *sub)
{
	bool was = sub->connected;

	if (sub->fd >= 0) {
		ev_io_del(sub->loop, sub->fd);
		close(sub->fd);
		sub->fd = -1;
	}
	sub->connected = false;
	buf_free(&sub->in);
	if (was && sub->state_cb)
		sub->state_cb(false, sub->arg);
	sub_schedule(sub);
}

static void sub_read(int fd, uint32_t events, void *arg)
{
	struct ctl_sub *sub = arg;
	char tmp[16384];
	char *nl;
	ssize_t n = recv(fd, tmp, sizeof(tmp), MSG_DONTWAIT);

	if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
		sub_drop(sub);
		return;
	}
	if (n < 0)
		return;
	if (buf_append(&sub->in, tmp, (size_t)n) < 0 || sub->in.len > 4 * CTL_MAX_LINE) {
		sub_drop(sub);
		return;
	}
	while (sub->fd >= 0 && (nl = memchr(sub->in.data, '\n', sub->in.len))) {
		*nl = '\0';
		size_t len = (size_t)(nl - sub->in.data);
		struct json_object *msg = json_tokener_parse(sub->in.data);
		const char *err;
		buf_consume(&sub->in, len + 1);
		if (halo_msg_check_event(sub->producer, msg, len, &err) < 0) {
			sub->rejected++;
			log_warnx("malformed message on %s (%s); reconnecting", sub->path, err);
			json_object_put(msg);
			sub_drop(sub);
			return;
		}
		sub->msg_cb(msg, sub->arg);
		json_object_put(msg);
	}
}

static void sub_connect(void *arg)
{
	static const char req[] = "{\"cmd\":\"subscribe\"}\n";
	struct ctl_sub *sub = arg;
	int fd = connect_path(sub->path, false);

	if (fd < 0) {
		sub_schedule(sub);
		return;
	}
	if (send(fd, req, sizeof(req) - 1, MSG_NOSIGNAL) < 0 || fcntl(fd, F_SETFL, O_NONBLOCK) < 0 ||
	    ev_io_add(sub->loop, fd, EPOLLIN, sub_read, sub) < 0) {
		close(fd);
		sub_schedule(sub);
		return;
	}
	sub->fd = fd;
	sub->connected = true;
	sub->backoff_us = 100000;
	if (sub->state_cb)
		sub->state_cb(true, sub->arg);
}

struct ctl_sub *ctl_sub_open(struct ev_loop *loop, const char *sock_path,
                             ctl_msg_cb msg_cb, ctl_state_cb state_cb, void *arg)
{
	struct ctl_sub *sub = calloc(1, sizeof(*sub));

	if (!sub || !(sub->path = strdup(sock_path))) {
		free(sub);
		return NULL;
	}
	sub->loop = loop;
	sub->fd = -1;
	sub->msg_cb = msg_cb;
	sub->state_cb = state_cb;
	sub->arg = arg;
	sub->backoff_us = 100000;
	const char *base = strrchr(sock_path, '/');
	snprintf(sub->producer, sizeof(sub->producer), "%s", base ? base + 1 : sock_path);
	char *dot = strstr(sub->producer, ".sock");
	if (dot)
		*dot = '\0';
	ev_timer_init(&sub->retry, sub_connect, sub);
	sub_connect(sub);
	return sub;
}

uint64_t ctl_sub_rejected(const struct ctl_sub *sub)
{
	return sub->rejected;
}

void ctl_sub_close(struct ctl_sub *sub)
{
	if (!sub)
		return;
	ev_timer_cancel(sub->loop, &sub->retry);
	if (sub->fd >= 0) {
		ev_io_del(sub->loop, sub->fd);
		close(sub->fd);
	}
	buf_free(&sub->in);
	free(sub->path);
	free(sub);
}
