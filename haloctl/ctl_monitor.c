/* haloctl monitor [--json]: follows every daemon's subscription (lib's
 * reconnecting ctl_sub: snapshot, then one line per change) and prints one
 * line per event until interrupted; it formats and decides nothing. */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "evloop.h"
#include "haloctl.h"
#include "io_ctl.h"
#include "log.h"

struct mon_src {
	const char *daemon;
	bool json;
	bool connected;
	struct ctl_sub *sub;
};

static const char *str(struct json_object *o, const char *key)
{
	struct json_object *v;

	return json_object_object_get_ex(o, key, &v) && v ? json_object_get_string(v) : "";
}

static void print_instance(struct json_object *i)
{
	printf("instance %s state=%s priority=%s master=%s\n", str(i, "name"), str(i, "state"), str(i, "priority"),
	       *str(i, "master_address") ? str(i, "master_address") : "unknown");
}

static void print_rs(struct json_object *r)
{
	printf("rs %s vs=%s up=%s weight=%s reason=%s\n", str(r, "rs"), str(r, "vs"), str(r, "up"), str(r, "weight"),
	       *str(r, "reason") ? str(r, "reason") : "unknown");
}

static void print_each(struct json_object *msg, const char *key, void (*fn)(struct json_object *))
{
	struct json_object *a;

	if (json_object_object_get_ex(msg, key, &a) && json_object_is_type(a, json_type_array))
		for (size_t i = 0; i < json_object_array_length(a); i++)
			fn(json_object_array_get_idx(a, i));
}

static void print_text(const char *daemon, struct json_object *msg)
{
	const char *type = str(msg, "type");
	struct json_object *v;

	if (!strcmp(type, "instance") && json_object_object_get_ex(msg, "instance", &v))
		print_instance(v);
	else if (!strcmp(type, "snapshot") && !strcmp(daemon, "halo-vrrpd"))
		print_each(msg, "instances", print_instance);
	else if (!strcmp(type, "rs"))
		print_rs(msg);
	else if (!strcmp(type, "snapshot") && !strcmp(daemon, "halo-checker"))
		print_each(msg, "real_servers", print_rs);
	else if (!strcmp(type, "reconcile"))
		printf("reconcile ops=%s failed=%s\n", str(msg, "ops"), str(msg, "failed"));
	else
		printf("%s %s %s\n", daemon, type, json_object_to_json_string_ext(msg, JSON_C_TO_STRING_PLAIN));
}

static void on_msg(struct json_object *msg, void *arg)
{
	struct mon_src *s = arg;

	if (!s->json) {
		print_text(s->daemon, msg);
		return;
	}
	json_object_object_add(msg, "daemon", json_object_new_string(s->daemon));
	printf("%s\n", json_object_to_json_string_ext(msg, JSON_C_TO_STRING_PLAIN));
}

/* A lost daemon is one line too; its snapshot follows when it is back. */
static void on_state(bool connected, void *arg)
{
	struct mon_src *s = arg;

	s->connected = connected;
	if (connected)
		return;
	if (s->json)
		printf("{\"v\":%d,\"type\":\"disconnected\",\"daemon\":\"%s\"}\n", CTL_PROTO_VERSION, s->daemon);
	else
		printf("%s disconnected\n", s->daemon);
}

static void on_signal(int signo, void *arg)
{
	ev_loop_break(arg);
}

int haloctl_monitor(const struct haloctl *h, int argc, char **argv)
{
	bool json = argc > 1 && strcmp(argv[1], "--json") == 0;
	struct mon_src src[3] = { { NULL, false, false, NULL } };
	struct ev_loop *loop;
	int n = 0, rc = 0;

	if (argc > 2 || (argc == 2 && !json)) {
		fprintf(stderr, "usage: haloctl monitor [--json]\n");
		return 2;
	}
	log_init("haloctl", true, 0);   /* a malformed message is reported on stderr */
	if (!(loop = ev_loop_new()))
		return 1;
	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGPIPE, SIG_DFL);   /* a closed reader (| head) ends the monitor */
	for (int i = 0; haloctl_daemons[i]; i++) {
		char path[512];
		snprintf(path, sizeof(path), "%s/%s.sock", h->run_dir, haloctl_daemons[i]);
		src[i] = (struct mon_src){ haloctl_daemons[i], json, false, NULL };
		src[i].sub = ctl_sub_open(loop, path, on_msg, on_state, &src[i]);
		n += src[i].connected;   /* the first attempt is synchronous */
	}
	if (!n) {
		fprintf(stderr, "haloctl: no halo daemon is running under %s\n", h->run_dir);
		rc = 1;
	} else if (ev_signal_add(loop, SIGINT, on_signal, loop) < 0 ||
	           ev_signal_add(loop, SIGTERM, on_signal, loop) < 0 || ev_loop_run(loop) < 0) {
		rc = 1;
	}
	for (int i = 0; i < 3; i++)
		ctl_sub_close(src[i].sub);
	ev_loop_free(loop);
	return rc;
}
