/* halo-test-ctl: a test helper for guest scripts (no jq, no socat there).
 *   halo-test-ctl call SOCK CMD|JSON [KEY[.KEY...]]   one request ("status" or
 *       '{"cmd":"status","brief":true}'); prints the reply or the value at the key path
 *   halo-test-ctl serve RUN_DIR NAME            a fake producer on NAME.sock:
 *       every stdin line is published; a line with "type":"snapshot" becomes
 *       the snapshot new subscribers get. Keeps serving after stdin ends.
 * Test code only: it is not installed. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "evloop.h"
#include "io_ctl.h"

static int do_call(const char *sock, const char *cmd, const char *path)
{
	struct json_object *req, *resp, *v;
	char *p, *tok, *save = NULL;

	if (cmd[0] == '{') {                 /* a whole request */
		if (!(req = json_tokener_parse(cmd))) {
			fprintf(stderr, "halo-test-ctl: bad JSON request\n");
			return 2;
		}
	} else {
		req = json_object_new_object();
		json_object_object_add(req, "cmd", json_object_new_string(cmd));
	}
	if (ctl_call(sock, req, &resp, 60000) < 0) {
		fprintf(stderr, "halo-test-ctl: %s: %s\n", sock, strerror(errno));
		json_object_put(req);
		return 1;
	}
	v = resp;
	if (path) {
		p = strdup(path);
		for (tok = strtok_r(p, ".", &save); tok && v; tok = strtok_r(NULL, ".", &save)) {
			if (json_object_is_type(v, json_type_array))
				v = json_object_array_get_idx(v, (size_t)atoi(tok));
			else if (!json_object_object_get_ex(v, tok, &v))
				v = NULL;
		}
		free(p);
		if (!v) {
			fprintf(stderr, "halo-test-ctl: no %s in the reply\n", path);
			json_object_put(resp);
			json_object_put(req);
			return 1;
		}
	}
	if (json_object_is_type(v, json_type_string))
		printf("%s\n", json_object_get_string(v));
	else
		printf("%s\n", json_object_to_json_string_ext(v, JSON_C_TO_STRING_PRETTY));
	json_object_put(resp);
	json_object_put(req);
	return 0;
}

struct fake {
	struct ev_loop *loop;
	struct ctl_server *srv;
	struct json_object *snapshot;
	char line[1 << 16];
	size_t len;
};

static void on_request(struct ctl_client *c, const char *cmd, struct json_object *req, void *arg)
{
	struct fake *f = arg;

	if (strcmp(cmd, "subscribe") == 0)
		ctl_subscribe(c);
	if (f->snapshot)
		ctl_reply(c, f->snapshot);
	else
		ctl_reply_error(c, "no snapshot yet");
}

static void on_line(struct fake *f, const char *line)
{
	struct json_object *o = json_tokener_parse(line), *t;

	if (!o) {
		fprintf(stderr, "halo-test-ctl: not JSON: %s\n", line);
		return;
	}
	if (json_object_object_get_ex(o, "type", &t) && strcmp(json_object_get_string(t), "snapshot") == 0) {
		json_object_put(f->snapshot);
		f->snapshot = json_object_get(o);
	}
	ctl_publish(f->srv, o);
	json_object_put(o);
}

static void on_stdin(int fd, uint32_t events, void *arg)
{
	struct fake *f = arg;
	ssize_t n = read(fd, f->line + f->len, sizeof(f->line) - 1 - f->len);
	char *nl;

	if (n <= 0) {
		ev_io_del(f->loop, fd);
		return;
	}
	f->len += (size_t)n;
	f->line[f->len] = '\0';
	while ((nl = strchr(f->line, '\n'))) {
		*nl = '\0';
		if (nl > f->line)
			on_line(f, f->line);
		f->len -= (size_t)(nl + 1 - f->line);
		memmove(f->line, nl + 1, f->len + 1);
	}
	if (f->len == sizeof(f->line) - 1)
		f->len = 0;
}

static void on_term(int signo, void *arg)
{
	ev_loop_break(arg);
}

static int do_serve(const char *run_dir, const char *name)
{
	struct fake f = { 0 };

	signal(SIGPIPE, SIG_IGN);
	f.loop = ev_loop_new();
	f.srv = ctl_server_open(f.loop, run_dir, name, on_request, &f);
	if (!f.srv) {
		fprintf(stderr, "halo-test-ctl: cannot serve %s/%s.sock\n", run_dir, name);
		return 1;
	}
	ev_io_add(f.loop, 0, EPOLLIN, on_stdin, &f);
	ev_signal_add(f.loop, SIGTERM, on_term, f.loop);
	ev_signal_add(f.loop, SIGINT, on_term, f.loop);
	ev_loop_run(f.loop);
	ctl_server_close(f.srv);
	json_object_put(f.snapshot);
	ev_loop_free(f.loop);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 4 && strcmp(argv[1], "call") == 0)
		return do_call(argv[2], argv[3], argc > 4 ? argv[4] : NULL);
	if (argc == 4 && strcmp(argv[1], "serve") == 0)
		return do_serve(argv[2], argv[3]);
	fprintf(stderr, "usage: halo-test-ctl call SOCK CMD [KEY.PATH] | serve RUN_DIR NAME\n");
	return 2;
}
