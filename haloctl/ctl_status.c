/* haloctl status / check. */
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "haloctl.h"

static const char *jstr(struct json_object *o, const char *key)
{
	struct json_object *v;

	return json_object_object_get_ex(o, key, &v) ? json_object_get_string(v) : "";
}

static void print_instances(struct json_object *vrrp)
{
	struct json_object *insts;

	if (!json_object_object_get_ex(vrrp, "instances", &insts))
		return;
	printf("%-12s %-8s %-10s %4s %4s %-16s %s\n", "INSTANCE", "STATE", "INTERFACE", "VRID", "PRIO",
	       "MASTER", "VIPS");
	for (size_t i = 0; i < json_object_array_length(insts); i++) {
		struct json_object *o = json_object_array_get_idx(insts, i), *vips;
		char vbuf[256] = "";
		if (json_object_object_get_ex(o, "virtual_addresses", &vips))
			for (size_t k = 0; k < json_object_array_length(vips); k++) {
				if (k)
					strncat(vbuf, ",", sizeof(vbuf) - strlen(vbuf) - 1);
				strncat(vbuf, json_object_get_string(json_object_array_get_idx(vips, k)),
				        sizeof(vbuf) - strlen(vbuf) - 1);
			}
		printf("%-12s %-8s %-10s %4s %4s %-16s %s\n", jstr(o, "name"), jstr(o, "state"),
		       jstr(o, "interface"), jstr(o, "vrid"), jstr(o, "priority"), jstr(o, "master_address"), vbuf);
	}
}

static void print_real_servers(struct json_object *checker)
{
	struct json_object *rs;

	if (!json_object_object_get_ex(checker, "real_servers", &rs) || !json_object_array_length(rs))
		return;
	printf("\n%-26s %-26s %-5s %6s %-14s %9s\n", "VIRTUAL SERVER", "REAL SERVER", "UP", "WEIGHT",
	       "REASON", "LATENCY");
	for (size_t i = 0; i < json_object_array_length(rs); i++) {
		struct json_object *o = json_object_array_get_idx(rs, i), *up, *lat;
		bool is_up = json_object_object_get_ex(o, "up", &up) && json_object_get_boolean(up);
		double ms = json_object_object_get_ex(o, "latency_ms", &lat) ? json_object_get_double(lat) : 0;
		printf("%-26s %-26s %-5s %6s %-14s %7.1fms\n", jstr(o, "vs"), jstr(o, "rs"), is_up ? "up" : "DOWN",
		       jstr(o, "weight"), jstr(o, "reason"), ms);
	}
}

static void print_ipvs(struct json_object *ipvs)
{
	struct json_object *vs, *sd, *kd;

	if (json_object_object_get_ex(ipvs, "virtual_servers", &vs) && json_object_array_length(vs)) {
		printf("\n%-26s %-6s %-26s %-5s %6s %7s %7s\n", "IPVS SERVICE", "SCHED", "DESTINATION", "FWD",
		       "WEIGHT", "ACTIVE", "INACT");
		for (size_t i = 0; i < json_object_array_length(vs); i++) {
			struct json_object *v = json_object_array_get_idx(vs, i), *rs;
			printf("%-26s %-6s\n", jstr(v, "vs"), jstr(v, "scheduler"));
			if (!json_object_object_get_ex(v, "real_servers", &rs))
				continue;
			for (size_t j = 0; j < json_object_array_length(rs); j++) {
				struct json_object *r = json_object_array_get_idx(rs, j);
				printf("%-26s %-6s %-26s %-5s %6s %7s %7s\n", "", "", jstr(r, "rs"), jstr(r, "forwarding"),
				       jstr(r, "weight"), jstr(r, "active_conns"), jstr(r, "inactive_conns"));
			}
		}
	}
	if (json_object_object_get_ex(ipvs, "sync_daemon", &sd) &&
	    json_object_object_get_ex(sd, "kernel_daemons", &kd)) {
		printf("\nsync daemon: %s", json_object_array_length(kd) ? "" : "not running");
		for (size_t i = 0; i < json_object_array_length(kd); i++) {
			struct json_object *k = json_object_array_get_idx(kd, i);
			printf("%s%s on %s (syncid %s)", i ? ", " : "", jstr(k, "state"), jstr(k, "interface"),
			       jstr(k, "sync_id"));
		}
		printf("\n");
	}
}

static const char *const section_of[] = { "vrrp", "checker", "ipvs" };

int haloctl_status(const struct haloctl *h, int argc, char **argv)
{
	bool json = argc > 1 && strcmp(argv[1], "--json") == 0;
	struct json_object *all = json_object_new_object();
	int running = 0;

	json_object_object_add(all, "v", json_object_new_int(1));
	for (int i = 0; haloctl_daemons[i]; i++) {
		struct json_object *r = haloctl_ask(h, haloctl_daemons[i], "status", true);
		if (r)
			running++;
		json_object_object_add(all, section_of[i], r);
	}
	if (json) {
		printf("%s\n", json_object_to_json_string_ext(all, JSON_C_TO_STRING_PRETTY));
	} else {
		struct json_object *v;
		for (int i = 0; haloctl_daemons[i]; i++)
			printf("%-15s %s\n", haloctl_daemons[i],
			       json_object_object_get_ex(all, section_of[i], &v) && v ? "running" : "not running");
		if (json_object_object_get_ex(all, "vrrp", &v) && v) {
			printf("\n");
			print_instances(v);
		}
		if (json_object_object_get_ex(all, "checker", &v) && v)
			print_real_servers(v);
		if (json_object_object_get_ex(all, "ipvs", &v) && v)
			print_ipvs(v);
	}
	json_object_put(all);
	if (!running)
		fprintf(stderr, "haloctl: no halo daemon is running under %s\n", h->run_dir);
	return running ? 0 : 1;
}

int haloctl_check(const struct haloctl *h, int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : h->config;
	struct halo_config *cfg = config_load(path, stderr);

	if (!cfg)
		return 1;
	printf("%s: configuration OK\n", path);
	config_free(cfg);
	return 0;
}
